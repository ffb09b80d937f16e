/**
 * `hv440 run -d ITEM[,ITEM]` logging in QEMU's words, and the per-instruction state trace that
 * diffs line by line against `qemu-system-ppc -M bamboo -cpu 440epx -singlestep -d nochain,cpu`.
 *
 *   qemuCpuDump(cpu, dec)     the state before an instruction, in QEMU's `-d cpu` layout (PPC 440)
 *   TraceLog                  the -d items: cpu, exec, in_asm (before each instruction), int,
 *                             mmu, unimp (hooks on the machine, the UTLB and the buses)
 *   normalizeTrace(text)      what two emulators' traces can agree on (see below)
 *   compareTraces(a, b)       the first instruction where two normalised traces differ
 *   peekInsn(board, ea)       the instruction word at a guest address, without side effects
 *
 * Registers QEMU prints that a 440 does not have (HID0, EPCR, SPRG8, EPR, MCAR, PID1/2, SVR,
 * LPCR, VRSAVE) print as zero. `HF` (QEMU's hflags) is QEMU-internal: hv440 prints 0 and
 * normalisation masks it; `iidx`/`didx` are QEMU's MMU indices for BookE ((PR ? 0 : 1) +
 * (IS resp. DS ? 2 : 0)), which hv440 computes the same way.
 */

import type { Cpu } from "../cpu/cpu.ts";
import { ESR, FAULT, Ivor } from "../cpu/interrupts.ts";
import { Access, type Memory } from "../cpu/memory.ts";
import { TLB2 } from "../cpu/mmu.ts";
import { SPR } from "../cpu/spr.ts";
import { MSR, S } from "../cpu/state.ts";
import type { AccessSize } from "../devices/bus.ts";
import { disassemble } from "../isa/disasm.ts";
import { elfSymbols, type ElfImage } from "../util/elf.ts";
import type { BambooBoard } from "./bamboo.ts";
import type { Machine, MachineHooks, StopReason } from "./machine.ts";

const h8 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
const h16 = (v: number) => (v >>> 0).toString(16).padStart(16, "0");

/** QEMU's MMU index for BookE: 0 user, 1 supervisor, +2 in address space 1. */
const mmuIdx = (msr: number, as: number) => ((msr & MSR.PR) !== 0 ? 0 : 1) + (as ? 2 : 0);

export function qemuCpuDump(cpu: Cpu, dec: number): string {
  const st = cpu.st, spr = cpu.spr, r = cpu.gpr;
  const msr = st[S.MSR]!;
  const tb = cpu.timebase;
  const lines: string[] = [];
  lines.push(`NIP ${h8(st[S.PC]!)}   LR ${h8(st[S.LR]!)} CTR ${h8(st[S.CTR]!)} XER ${h8(cpu.getXER())} CPU#0`);
  lines.push(`MSR ${h8(msr)} HID0 00000000  HF ${h8(0)} iidx ${mmuIdx(msr, msr & MSR.IS)} didx ${mmuIdx(msr, msr & MSR.DS)}`);
  lines.push(`TB ${h8(Math.floor(tb / 2 ** 32))} ${h8(tb % 2 ** 32)} DECR ${dec >>> 0}`);
  for (let i = 0; i < 32; i += 4) {
    lines.push(`GPR${String(i).padStart(2, "0")} ${h16(r[i]!)} ${h16(r[i + 1]!)} ${h16(r[i + 2]!)} ${h16(r[i + 3]!)}`);
  }
  const flags = Array.from({ length: 8 }, (_, i) => {
    const f = cpu.cr[i]!;
    return ` ${f & 8 ? "L" : f & 4 ? "G" : f & 2 ? "E" : "-"}${f & 1 ? "O" : " "}`;
  }).join("");
  lines.push(`CR ${h8(cpu.getCR())}  [${flags} ]             RES ${h8(st[S.RESV] ? st[S.RESV_EA]! : -1)}`);
  lines.push(` SRR0 ${h8(spr[SPR.SRR0]!)}  SRR1 ${h8(spr[SPR.SRR1]!)}    PVR ${h8(spr[SPR.PVR]!)} VRSAVE 00000000`);
  lines.push(`SPRG0 ${h8(spr[SPR.SPRG0]!)} SPRG1 ${h8(spr[SPR.SPRG1]!)}  SPRG2 ${h8(spr[SPR.SPRG2]!)}  SPRG3 ${h8(spr[SPR.SPRG3]!)}`);
  lines.push(`SPRG4 ${h8(spr[SPR.SPRG4]!)} SPRG5 ${h8(spr[SPR.SPRG5]!)}  SPRG6 ${h8(spr[SPR.SPRG6]!)}  SPRG7 ${h8(spr[SPR.SPRG7]!)}`);
  lines.push(`CSRR0 ${h8(spr[SPR.CSRR0]!)} CSRR1 ${h8(spr[SPR.CSRR1]!)} MCSRR0 ${h8(spr[SPR.MCSRR0]!)} MCSRR1 ${h8(spr[SPR.MCSRR1]!)}`);
  lines.push(`  TCR ${h8(spr[SPR.TCR]!)}   TSR ${h8(spr[SPR.TSR]!)}    ESR ${h8(spr[SPR.ESR]!)}   DEAR ${h8(spr[SPR.DEAR]!)}`);
  lines.push(`  PIR ${h8(spr[SPR.PIR]!)} DECAR ${h8(spr[SPR.DECAR]!)}   IVPR ${h8(spr[SPR.IVPR]!)}   EPCR 00000000`);
  lines.push(` MCSR ${h8(spr[SPR.MCSR]!)} SPRG8 00000000    EPR 00000000`);
  lines.push(` MCAR 00000000  PID1 00000000   PID2 00000000    SVR 00000000`);
  lines.push(` LPCR 00000000`);
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Looking at the guest without touching it

/**
 * The instruction word at guest address `ea` as the next fetch would see it (current UTLB,
 * MSR[IS], PID; byte-reversed on an E=1 page), or undefined when no entry maps it, it is not
 * executable in the current mode, or it is not RAM. No interrupt, no cache fill, no MMIO read.
 */
export function peekInsn(board: BambooBoard, ea: number): number | undefined {
  const cpu = board.cpu, u = board.utlb, msr = cpu.msr;
  const i = u.find(ea, (msr >>> 5) & 1, cpu.spr[SPR.PID]! & 0xff);
  if (i < 0) return undefined;
  const w2 = u.word2[i]!;
  if ((w2 & ((msr & MSR.PR) !== 0 ? TLB2.UX : TLB2.SX)) === 0) return undefined;
  const pa = u.realAddress(i, ea);
  if (pa + 4 > cpu.mem.ramSize) return undefined;
  const w = cpu.mem.dv.getUint32(pa);
  return (w2 & TLB2.E) !== 0 ? ((w & 0xff) << 24 | (w & 0xff00) << 8 | (w >>> 8) & 0xff00 | w >>> 24) >>> 0 : w;
}

export interface SymbolAt {
  name: string;
  offset: number;
}

/** Guest address -> the function (or untyped label) symbol containing it, from the ELF's symtab. */
export function symbolLookup(img: ElfImage): (addr: number) => SymbolAt | null {
  const syms = elfSymbols(img)
    .filter((s) => s.type === 2 /* STT_FUNC */ || (s.type === 0 && s.value !== 0))
    .map((s) => ({ name: s.name, value: s.value >>> 0, size: s.size >>> 0 }))
    .sort((a, b) => a.value - b.value);
  return (addr) => {
    const a = addr >>> 0;
    let lo = 0, hi = syms.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (syms[mid]!.value <= a) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return null;
    const s = syms[best]!;
    const off = a - s.value;
    // a sized symbol covers its size; an unsized label at most up to 64 KiB past it
    if (s.size > 0 ? off >= s.size : off >= 0x10000) return null;
    return { name: s.name, offset: off };
  };
}

/** `name+0x1c` (or `name`), as hv440 writes a guest address's place. */
export const symbolText = (s: SymbolAt | null): string => (s ? (s.offset ? `${s.name}+0x${s.offset.toString(16)}` : s.name) : "");

// ---------------------------------------------------------------------------------------------
// -d items

/**
 * QEMU's exception names (target/ppc excp_helper.c); its BookE exception numbers are the IVOR
 * numbers, so `-d int` lines read the same.
 */
const QEMU_EXCP = ["CRITICAL", "MCHECK", "DSI", "ISI", "EXTERNAL", "ALIGN", "PROGRAM", "FPU", "SYSCALL",
  "APU", "DECR", "FIT", "WDT", "DTLB", "ITLB", "DEBUG"] as const;
const ASYNC = new Set<number>([Ivor.Critical, Ivor.External, Ivor.Decrementer, Ivor.FixedInterval, Ivor.Watchdog]);

export interface TraceLogOptions {
  /** The -d items asked for (unknown ones are ignored). */
  items: ReadonlySet<string>;
  /** Where log text goes (the -D file or stderr). */
  write: (text: string) => void;
  /** Names guest addresses (exec, in_asm, int); none if the image has no symbols. */
  symbol?: (addr: number) => SymbolAt | null;
}

/**
 * The -d items, in QEMU's words:
 *   cpu     the register state before every instruction (`qemuCpuDump`)
 *   exec    `Trace 0: [00000000/PC/MSR/00000000] symbol` before every instruction (QEMU prints a
 *           host pointer first and its hflags/cflags; hv440 has neither)
 *   in_asm  `IN: symbol` and the instruction, the first time an instruction word runs at an
 *           address (QEMU: when it translates a block; with -singlestep a block is one instruction)
 *   int     `Raise exception at PC => NAME (N)` per interrupt taken, with the ESR/DEAR it sets
 *   mmu     `helper_440_tlbwe word W entry N value V` per tlbwe, and `mmubooke_get_physical_address:
 *           access granted|refused EA => RA PROT RET` per UTLB search (a software-TLB miss)
 *   unimp   illegal opcodes, invalid/privileged SPR numbers, missing DCRs and accesses to
 *           unassigned physical addresses (QEMU splits these between unimp and guest_errors)
 * cpu, exec and in_asm need the machine to stop before every instruction (`perInstruction`).
 */
export class TraceLog {
  readonly perInstruction: boolean;
  private readonly has: (item: string) => boolean;
  /** in_asm: the instruction word last shown per address. */
  private readonly shown = new Map<number, number>();

  constructor(private readonly board: BambooBoard, private readonly o: TraceLogOptions) {
    this.has = (item) => o.items.has(item);
    this.perInstruction = this.has("cpu") || this.has("exec") || this.has("in_asm");
    if (this.has("mmu")) this.hookMmu();
    if (this.perInstruction) this.hookAsyncDelivery();
    if (this.has("unimp")) {
      board.mmio.onUnassigned = (pa: number, size: AccessSize, write: boolean, pc: number) =>
        o.write(`Invalid ${write ? "write" : "read"} at addr 0x${pa.toString(16).toUpperCase()}, size ${size}, region '(null)', reason: rejected (pc ${h8(pc)})\n`);
    }
  }

  private sym(addr: number): string {
    const s = this.o.symbol?.(addr) ?? null;
    return s ? s.name : "";
  }

  /** Machine hooks for `new Machine(...)` (int and unimp look at interrupts taken, `step` at asynchronous ones). */
  hooks(): MachineHooks {
    if (!this.has("int") && !this.has("unimp") && !this.perInstruction) return {};
    return { onInterrupt: (cpu, ivor, srr0) => this.interrupt(cpu, ivor, srr0) };
  }

  private interrupt(cpu: Cpu, ivor: number, srr0: number): void {
    const e = cpu.exc;
    const sync = !ASYNC.has(ivor) && e.ivor === ivor;
    if (!sync) this.asyncTaken = this.asyncDelivering = this.perInstruction;
    const at = ivor === Ivor.SystemCall ? (srr0 - 4) >>> 0 : srr0 >>> 0; // QEMU names the sc itself
    if (this.has("unimp") && sync && ivor === Ivor.Program && (e.esr & (ESR.PIL | ESR.PPR)) !== 0) this.unimplemented(at, e.esr);
    if (!this.has("int")) return;
    let line = `Raise exception at ${h8(at)} => ${QEMU_EXCP[ivor] ?? `IVOR${ivor}`} (${ivor})`;
    if (sync && e.setsEsr) line += ` ESR ${h8(e.esr)}`;
    if (sync && e.setsDear) line += ` DEAR ${h8(e.dear)}`;
    const s = this.sym(at);
    this.o.write(`${line}${s ? ` <${s}>` : ""}\n`);
  }

  /** unimp: what QEMU's translator says about the instruction behind an illegal/privileged program interrupt. */
  private unimplemented(pc: number, esr: number): void {
    const w = peekInsn(this.board, pc);
    if (w === undefined) return;
    const op = w >>> 26, xo = (w >>> 1) & 0x3ff;
    const n = ((w >>> 16) & 0x1f) | (((w >>> 11) & 0x1f) << 5);
    if (op === 31 && (xo === 339 || xo === 467)) {
      const kind = (esr & ESR.PPR) !== 0 ? "privileged" : "invalid";
      this.o.write(`Trying to ${xo === 339 ? "read" : "write"} ${kind} spr ${n} (0x${n.toString(16).padStart(3, "0")}) at ${h8(pc)}\n`);
    } else if (op === 31 && (xo === 323 || xo === 451) && (esr & ESR.PIL) !== 0) {
      this.o.write(`DCR ${xo === 323 ? "read" : "write"} error ${n} ${n.toString(16).padStart(3, "0")} at ${h8(pc)}\n`);
    } else if ((esr & ESR.PIL) !== 0) {
      const f = (v: number) => v.toString(16).padStart(2, "0");
      this.o.write(`invalid/unsupported opcode: ${f(op)} - ${f((w >>> 1) & 0x1f)} - ${f((w >>> 6) & 0x1f)} - ${f((w >>> 16) & 0x1f)} (${h8(w)}) ${h8(pc)}\n`);
    }
  }

  /** mmu: log tlbwe and every UTLB search made for a software-TLB miss. */
  private hookMmu(): void {
    const { cpu, utlb } = this.board;
    const write = this.o.write;
    const tlbwe = utlb.tlbwe.bind(utlb);
    utlb.tlbwe = (c, rs, index, ws) => {
      write(`helper_440_tlbwe word ${ws} entry ${index} value ${h8(rs)}\n`);
      tlbwe(c, rs, index, ws);
    };
    const inner = cpu.mem.translator;
    cpu.mem.translator = {
      translate(mem: Memory, ea: number, access: Access, pc: number, esrExtra: number): void {
        try {
          inner.translate(mem, ea, access, pc, esrExtra);
        } catch (err) {
          if (err !== FAULT) throw err;
          // QEMU's codes: -1 no entry (TLB miss), -2 no read/write permission, -3 no execute
          const ret = mem.exc.ivor === Ivor.DataStorage ? -2 : mem.exc.ivor === Ivor.InstStorage ? -3 : -1;
          write(`mmubooke_get_physical_address: access refused ${h8(ea)} => ffffffffffffffff 0 ${ret}\n`);
          throw err;
        }
        const msr = cpu.msr, i = utlb.find(ea, access === Access.Fetch ? (msr >>> 5) & 1 : (msr >>> 4) & 1, cpu.spr[SPR.PID]! & 0xff);
        const w2 = i >= 0 ? utlb.word2[i]! : 0;
        const user = (msr & MSR.PR) !== 0;
        const prot = (w2 & (user ? TLB2.UR : TLB2.SR) ? 1 : 0) | (w2 & (user ? TLB2.UW : TLB2.SW) ? 2 : 0) | (w2 & (user ? TLB2.UX : TLB2.SX) ? 4 : 0);
        write(`mmubooke_get_physical_address: access granted ${h8(ea)} => ${mem.xPhys.toString(16).padStart(16, "0")} ${prot} 0\n`);
      },
    };
  }

  /** Set when an asynchronous interrupt is being delivered (by the machine, between instructions). */
  private asyncTaken = false;
  private asyncDelivering = false;

  /**
   * Makes the state right after an asynchronous interrupt's delivery visible: the machine takes
   * the interrupt and then runs the handler's first instruction within one `run(1)`, so that
   * instruction is logged from here (QEMU, too, logs the handler's first block, not the
   * interrupted one).
   */
  private hookAsyncDelivery(): void {
    const cpu = this.board.cpu;
    const deliver = cpu.deliver.bind(cpu);
    cpu.deliver = (ivor, srr0, esr, dear) => {
      deliver(ivor, srr0, esr, dear);
      if (!this.asyncDelivering) return;
      this.asyncDelivering = false;
      const [text, commit] = this.render();
      commit();
      this.o.write(text);
    };
  }

  /** The in_asm, exec and cpu text for the instruction at PC, and how to mark its in_asm as shown. */
  private render(): [string, () => void] {
    const { cpu, timers } = this.board;
    const pc = cpu.pc;
    let text = "";
    const w = this.has("in_asm") ? peekInsn(this.board, pc) : undefined;
    const newAsm = w !== undefined && this.shown.get(pc) !== w;
    if (newAsm) text += `----------------\nIN: ${this.sym(pc)}\n0x${h8(pc)}:  ${h8(w)}  ${disassemble(w, pc)}\n\n`;
    if (this.has("exec")) text += `Trace 0: [00000000/${h8(pc)}/${h8(cpu.msr)}/00000000] ${this.sym(pc)}\n`;
    if (this.has("cpu")) text += qemuCpuDump(cpu, timers.readDec());
    return [text, () => { if (newAsm) this.shown.set(pc, w); }];
  }

  /**
   * Runs one instruction of `machine` (built with `hooks()`), logging in_asm, exec and cpu before
   * it, in QEMU's order. Like QEMU, nothing is logged for the instruction an asynchronous
   * interrupt displaces (the handler's first instruction is), nor while the core waits with
   * MSR[WE]=1 (time jumps to the next event).
   */
  step(machine: Machine): StopReason | null {
    const { cpu, timers, events } = this.board;
    if ((cpu.msr & MSR.WE) !== 0) {
      const next = Math.min(timers.nextInterruptEvent(), events.nextAt());
      return machine.run(next === Infinity ? 1 : Math.max(1, next - cpu.cycles));
    }
    const [text, commit] = this.render();
    this.asyncTaken = false;
    const before = cpu.insns + cpu.interrupts;
    const stop = machine.run(1);
    // nothing ran when the budget was already spent; a checkstop ends the instruction it hit
    const ran = cpu.insns + cpu.interrupts !== before || stop?.kind === "checkstop";
    if (ran && !this.asyncTaken) {
      commit();
      this.o.write(text);
    }
    return stop;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing traces

/** The lines of one `-d cpu` block; anything else in a log (other -d items, QEMU's own lines) is dropped. */
const DUMP_LINE = /^(NIP |MSR |TB |GPR\d\d |CR | SRR0 |SPRG[04] |CSRR0 |  TCR |  PIR | MCSR | MCAR | LPCR )/;

/**
 * Where QEMU 7.2 is not a 440 (reference ppc440.md section 0) in a way that shows in a state
 * dump without changing what the program does next: such fields are masked on both sides, and
 * each mask is named here. A divergence that changes the guest's data or control flow (e.g. #1
 * SRR1 reason bits, #9 the dropped E bit, #7 tlbsx on a miss) cannot be masked line by line: a
 * diff stops there, and the reference table says why.
 */
export const TRACE_DIVERGENCES = [
  {
    id: 5,
    name: "FIT and watchdog never fire on QEMU: TSR[ENW,WIS,FIS] stay 0 there",
    mask: (line: string) => line.replace(/^(  TCR [0-9a-f]{8}   TSR )([0-9a-f]{8})/, (_m, p: string, v: string) => p + h8(parseInt(v, 16) & ~0xc4000000)),
  },
] as const;

/**
 * What two emulators' `-d cpu` traces can agree on, one string per instruction:
 * - only the state-dump lines are kept;
 * - the TB/DECR line is masked (QEMU's clock is not hv440's: without -icount it is the host's);
 * - QEMU's hflags (`HF`) are masked;
 * - the TRACE_DIVERGENCES fields are masked (unless `divergences: false`);
 * - a block identical to the one before it is dropped: with -icount, QEMU prints a block's state
 *   twice when an MMIO access ends it early and it is re-executed (a branch-to-self, the only
 *   other source of two identical consecutive states, collapses the same way on both sides).
 */
export function traceBlocks(text: string, opts: { divergences?: boolean } = {}): string[] {
  const masks = opts.divergences === false ? [] : TRACE_DIVERGENCES;
  const blocks: string[] = [];
  let cur: string[] | null = null;
  const flush = () => {
    if (!cur) return;
    const b = cur.join("\n");
    if (blocks[blocks.length - 1] !== b) blocks.push(b);
    cur = null;
  };
  for (const raw of text.split("\n")) {
    if (!DUMP_LINE.test(raw)) continue;
    if (raw.startsWith("NIP ")) { flush(); cur = []; }
    if (!cur) continue; // a partial block at the start of a log
    let line = raw.startsWith("TB ") ? "TB <masked>" : raw.replace(/ HF [0-9a-f]{8} /, " HF <masked> ");
    for (const d of masks) line = d.mask(line);
    cur.push(line);
  }
  flush();
  return blocks;
}

/** `traceBlocks` as one text. */
export function normalizeTrace(text: string): string {
  return traceBlocks(text).map((b) => b + "\n").join("");
}

export interface TraceDifference {
  /** Index of the first differing instruction (0 = the first) in the normalised traces. */
  index: number;
  /** The differing blocks ("" past the end of a trace). */
  a: string;
  b: string;
  /** The differing lines, `- a` / `+ b`. */
  lines: string[];
}

/** The first instruction where normalised traces differ, within the first `limit` of them (null: none). */
export function compareTraces(a: readonly string[], b: readonly string[], limit = Infinity): TraceDifference | null {
  const n = Math.min(limit, Math.max(a.length, b.length));
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? "", y = b[i] ?? "";
    if (x === y) continue;
    const xl = x.split("\n"), yl = y.split("\n");
    const lines: string[] = [];
    for (let j = 0; j < Math.max(xl.length, yl.length); j++) {
      if (xl[j] !== yl[j]) lines.push(`- ${xl[j] ?? ""}`, `+ ${yl[j] ?? ""}`);
    }
    return { index: i, a: x, b: y, lines };
  }
  return null;
}

/**
 * What a run reports when the guest does not end cleanly: the guest declared it (a kernel panic
 * on the console), it hung (instruction budget), it waits for nothing, or the machine or the
 * hypervisor gave up (checkstop, emulation failure). The report names where the guest was — PC
 * with its symbol from the image's own symbol table and the instruction there, MSR, LR — and
 * ends with the last console lines, so it tells the story without a host stack trace.
 *
 *   ConsoleWatch   fed every console byte: keeps the tail, notices a kernel panic and says when
 *                  the run should stop (once the panic message is out); finish() at the end
 *   symbolizer(img)            guest address -> " <symbol+0xoff>" (or "")
 *   describeStop(stop)         one phrase for a stop reason
 *   guestFailureReport(...)    the multi-line report
 */

import type { Cpu } from "../cpu/cpu.ts";
import { MSR, S } from "../cpu/state.ts";
import { disassemble } from "../isa/disasm.ts";
import { elfSymbols, type ElfImage } from "../util/elf.ts";
import type { StopReason } from "./machine.ts";

/**
 * Linux's panic() line; our guest kernel prints the same words. Linux then prints a stack dump
 * and, after any panic= timeout, "---[ end Kernel panic - not syncing: ... ]---" and spins.
 */
const PANIC = /Kernel panic - not syncing: ([^\n]*)/;
const PANIC_END = /---\[ end Kernel panic/;
/** After the panic line, how long the guest may go on: the dump is printed before panic() waits (panic=-1 restarts at once). */
const PANIC_GRACE_INSNS = 5_000_000;

export class ConsoleWatch {
  private buf = "";
  private panicAt = -1;
  /** The panic message, once the console showed one. */
  panic: string | null = null;

  constructor(private readonly keepChars = 16384) {}

  /** Where the lines not looked at yet begin (a line is looked at once it is complete). */
  private from = 0;
  private ended = false;

  feed(byte: number): void {
    this.buf += String.fromCharCode(byte);
    if (this.buf.length > 2 * this.keepChars) {
      const drop = this.buf.length - this.keepChars;
      this.buf = this.buf.slice(drop);
      this.from = Math.max(0, this.from - drop);
    }
  }

  /** Call between run slices: true when a panic was seen and the guest has had its grace. */
  shouldStop(cpu: Cpu): boolean {
    this.look(cpu, this.buf.lastIndexOf("\n") + 1);
    return this.panic !== null && (this.ended || cpu.insns - this.panicAt >= PANIC_GRACE_INSNS);
  }

  /** Call when the run is over: looks at what is left, an unfinished last line too. */
  finish(cpu: Cpu): void {
    this.look(cpu, this.buf.length);
  }

  private look(cpu: Cpu, upto: number): void {
    if (upto <= this.from) return;
    const lines = this.buf.slice(this.from, upto);
    this.from = upto;
    if (this.panic === null) {
      const m = PANIC.exec(lines);
      if (m) {
        this.panic = m[1]!.replace(/\r$/, "").trim();
        this.panicAt = cpu.insns;
      }
    }
    if (this.panic !== null && PANIC_END.test(lines)) this.ended = true;
  }

  /** Whether the console is at the start of a line (empty, or its last byte a newline). */
  endsLine(): boolean {
    return this.buf === "" || this.buf.endsWith("\n");
  }

  /** The last `n` console lines (an unfinished last line included). */
  lastLines(n: number): string[] {
    const lines = this.buf.replace(/\r/g, "").split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines.slice(-n);
  }
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, "0")}`;

/** Names guest addresses with the image's function symbols (a vmlinux keeps its symtab). */
export function symbolizer(img: ElfImage): (addr: number) => string {
  const syms = elfSymbols(img)
    .filter((s) => s.type === 2 /* STT_FUNC */ || (s.type === 0 && s.value !== 0))
    .map((s) => [s.value >>> 0, s.name] as const)
    .sort((a, b) => a[0] - b[0]);
  return (addr) => {
    addr >>>= 0;
    let lo = 0, hi = syms.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (syms[mid]![0] <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0 || addr - syms[best]![0] >= 0x10000) return "";
    return ` <${syms[best]![1]}+0x${(addr - syms[best]![0]).toString(16)}>`;
  };
}

export function describeStop(s: StopReason): string {
  switch (s.kind) {
    case "reset": return `the guest restarted the machine (${s.how}, reset kind ${s.resetKind})`;
    case "budget": return `no end within the instruction budget (${s.insns} instructions): a hang?`;
    case "idle": return s.message;
    case "checkstop": return `checkstop: ${s.message}`;
    case "emulation-failed":
      return `the hypervisor cannot emulate ${hex(s.insn)} (${disassemble(s.insn, s.pc).replace(/\s+/, " ")}) at ${hex(s.pc)}: ${s.reason}`;
  }
}

export interface FailureContext {
  cpu: Cpu;
  clockHz: number;
  /** The guest's MSR (virt: the vCPU's, not the deprivileged real one). */
  guestMsr: number;
  watch: ConsoleWatch;
  symbol: (addr: number) => string;
  /** How many console lines to show (default 20). */
  lines?: number;
}

/** The instruction at a guest PC, read through the current translation without side effects. */
function insnAt(cpu: Cpu, pc: number, guestMsr: number): string {
  // a guest kernel at 0xC0000000 maps RAM from physical 0 (Linux and ours); low addresses in
  // supervisor mode are the boot TLB's 1:1 map
  if ((guestMsr & MSR.PR) !== 0) return "";
  const pa = (pc >>> 0) >= 0xc0000000 ? (pc >>> 0) - 0xc0000000 : pc >>> 0;
  if (pa + 4 > cpu.mem.ramSize) return "";
  const w = cpu.mem.dv.getUint32(pa);
  return ` (${hex(w)}: ${disassemble(w, pc).replace(/\s+/, " ")})`;
}

/**
 * The report: `what` went wrong, where the guest was, the last console lines. Lines are
 * unprefixed; the caller adds its own prefix.
 */
export function guestFailureReport(what: string, c: FailureContext): string[] {
  const { cpu } = c;
  const pc = cpu.pc >>> 0, lr = cpu.st[S.LR]! >>> 0;
  const out = [
    what,
    `guest pc ${hex(pc)}${c.symbol(pc)}${insnAt(cpu, pc, c.guestMsr)}, msr ${hex(c.guestMsr)}, lr ${hex(lr)}${c.symbol(lr)}`,
    `after ${cpu.insns} instructions, ${(cpu.cycles / c.clockHz * 1000).toFixed(3)} ms of virtual time`,
  ];
  const last = c.watch.lastLines(c.lines ?? 20);
  if (last.length > 0) out.push("last console lines:", ...last.map((l) => `  | ${l}`));
  else out.push("the console is empty");
  return out;
}

/**
 * `--engine check`: the block compiler and the interpreter in lockstep. Execution is cut into
 * spans (1 to 4096 cycles, one in eight at most 64, varied so span ends fall everywhere). Each
 * span runs first through the block compiler from a saved state; the architectural result is
 * captured, the state is put back (registers, counters, the timer facility's and the UTLB's
 * state, cpu.ctl, and every byte the span stored, from an undo log), and the same span runs in
 * the interpreter. Both results must be identical: the RunResult, GPRs, CR, XER, LR, CTR, MSR,
 * PC, every SPR, FPRs and FPSCR, the reservation, the virtual clock and instruction count, the
 * timebase offset, timer and UTLB state, the pending exception, and the sequence of stores with
 * the bytes they left. On a difference the checker narrows it down (binary search on the span's
 * length) to the first instruction whose execution differs and throws a JitDivergence naming
 * it, with a disassembly of the compiled code that ran. Otherwise execution continues from the
 * interpreter's result.
 *
 * To compare stores, the checker turns the software TLB's write fast path off, so every guest
 * store reaches Memory's slow path and its undo log. Device accesses cannot be undone, so they
 * are recorded in the first run and replayed to the second: MMIO and DCR reads return the
 * recorded values, writes are not repeated, and what the device did meanwhile is replayed too
 * (a stop request in cpu.ctl, RAM written by DMA and reported through Memory.hostWrite). Compiled
 * code is made early (a block's second run, a page's eighth) so spans exercise it.
 */

import { FAULT } from "../interrupts.ts";
import type { Cpu, DcrBus } from "../cpu.ts";
import type { PhysBus } from "../memory.ts";
import { RunResult, type Interp } from "../interp.ts";
import { disassemble } from "../../isa/disasm.ts";
import type { Jit } from "./jit.ts";
import type { Insn } from "./compile.ts";

export class JitDivergence extends Error {
  constructor(readonly report: string) {
    super(report);
    this.name = "JitDivergence";
  }
}

/** Registers and counters, copied into preallocated arrays. */
class Snapshot {
  readonly gpr = new Int32Array(32);
  readonly cr = new Int32Array(8);
  readonly st = new Int32Array(16);
  readonly spr = new Int32Array(1024);
  readonly fprw = new Uint32Array(64);
  fpscr = 0;
  cycles = 0;
  insns = 0;
  tbOffset = 0;
  halted = false;
  /** cpu.ctl[0]: a stop requested by a device. */
  ctl = 0;
  /** The timer facility's own state (DEC running state, next FIT/watchdog events...). */
  timers: Record<string, unknown> = {};
  /** The UTLB's entries (tlbwe in a span). */
  tlb: Record<string, unknown> = {};
  result: RunResult = RunResult.Budget;
  exc = { ivor: 0, pc: 0, esr: 0, setsEsr: false, dear: 0, setsDear: false };

  take(cpu: Cpu): void {
    this.gpr.set(cpu.gpr);
    this.cr.set(cpu.cr);
    this.st.set(cpu.st);
    this.spr.set(cpu.spr);
    this.fprw.set(cpu.fpu.fprw);
    this.fpscr = cpu.fpu.fpscr;
    this.cycles = cpu.cycles;
    this.insns = cpu.insns;
    this.tbOffset = cpu.tbOffset;
    this.halted = cpu.halted;
    this.ctl = cpu.ctl[0]!;
    this.timers = scalars(cpu.timers);
    this.tlb = scalars(cpu.tlb);
    const e = cpu.exc;
    this.exc = { ivor: e.ivor, pc: e.pc, esr: e.esr, setsEsr: e.setsEsr, dear: e.dear, setsDear: e.setsDear };
  }

  restore(cpu: Cpu): void {
    cpu.gpr.set(this.gpr);
    cpu.cr.set(this.cr);
    cpu.st.set(this.st);
    cpu.spr.set(this.spr);
    cpu.fpu.fprw.set(this.fprw);
    cpu.fpu.fpscr = this.fpscr;
    cpu.cycles = this.cycles;
    cpu.insns = this.insns;
    cpu.tbOffset = this.tbOffset;
    cpu.halted = this.halted;
    cpu.ctl[0] = this.ctl;
    restoreScalars(cpu.timers, this.timers);
    if (cpu.tlb !== null) {
      restoreScalars(cpu.tlb, this.tlb);
      cpu.mem.flushTlb(); // the software TLB may hold translations of the entries undone
    }
  }
}

/**
 * The own number/boolean fields and typed arrays of an object. The timer facility's state lives
 * in private fields that a run changes as virtual time passes (a watchdog event is consumed), the
 * UTLB's in typed arrays that tlbwe changes; a span may use a mapping and then remove it, so the
 * checker saves and restores these like the registers (re-executing is not enough).
 */
function scalars(o: object | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o === null) return out;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === "number" || typeof v === "boolean") out[k] = v;
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) out[k] = (v as Int32Array).slice();
  }
  return out;
}

function restoreScalars(o: object | null, saved: Record<string, unknown>): void {
  if (o === null) return;
  const t = o as Record<string, unknown>;
  for (const [k, v] of Object.entries(saved)) {
    if (ArrayBuffer.isView(v)) (t[k] as Int32Array).set(v as Int32Array);
    else t[k] = v;
  }
}

function sameScalars(a: Record<string, unknown>, b: Record<string, unknown>, what: string, out: string[]): void {
  for (const k of Object.keys(a)) {
    const x = a[k], y = b[k];
    if (ArrayBuffer.isView(x)) {
      const xa = x as Int32Array, ya = y as Int32Array;
      for (let i = 0; i < xa.length; i++) {
        if (xa[i] !== ya[i]) { out.push(`${what}.${k}[${i}]: jit ${String(xa[i])}, interp ${String(ya[i])}`); break; }
      }
    } else if (x !== y) out.push(`${what}.${k}: jit ${String(x)}, interp ${String(y)}`);
  }
}

const RESULT = ["budget", "stopped", "fault", "halted"];
const excText = (s: Snapshot) => `ivor ${s.exc.ivor} at ${hex(s.exc.pc)} esr ${hex(s.exc.esr)} dear ${hex(s.exc.dear)}`;

const hex = (v: number) => "0x" + (v >>> 0).toString(16).padStart(8, "0");

function diff(a: Snapshot, b: Snapshot): string[] {
  const out: string[] = [];
  const cmp = (what: () => string, x: number | boolean, y: number | boolean, fmt = (v: number | boolean) => typeof v === "number" ? hex(v) : String(v)) => {
    if (x !== y) out.push(`${what()}: jit ${fmt(x)}, interp ${fmt(y)}`);
  };
  const dec = (v: number | boolean) => String(v);
  const arr = (name: (i: number) => string, x: ArrayLike<number>, y: ArrayLike<number>) => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) cmp(() => name(i), x[i]!, y[i]!);
  };
  cmp(() => "result", a.result, b.result, (v) => ["budget", "stopped", "fault", "halted"][Number(v)] ?? String(v));
  cmp(() => "cycles", a.cycles, b.cycles, dec);
  cmp(() => "insns", a.insns, b.insns, dec);
  const ST = ["pc", "lr", "ctr", "msr", "xer.so", "xer.ov", "xer.ca", "xer.bc", "resv", "resv_ea"];
  arr((i) => ST[i] ?? `st${i}`, a.st, b.st);
  arr((i) => `r${i}`, a.gpr, b.gpr);
  arr((i) => `cr${i}`, a.cr, b.cr);
  arr((i) => `spr${i}`, a.spr, b.spr);
  arr((i) => `f${i >> 1}.${(i & 1) === 1 ? "hi" : "lo"}`, a.fprw, b.fprw);
  cmp(() => "fpscr", a.fpscr, b.fpscr);
  cmp(() => "tbOffset", a.tbOffset, b.tbOffset, dec);
  cmp(() => "halted", a.halted, b.halted);
  cmp(() => "ctl", a.ctl, b.ctl, dec);
  sameScalars(a.timers, b.timers, "timers", out);
  sameScalars(a.tlb, b.tlb, "tlb", out);
  if (a.result === RunResult.Fault && b.result === RunResult.Fault) {
    for (const k of ["ivor", "pc", "esr", "setsEsr", "dear", "setsDear"] as const) cmp(() => `exception.${k}`, a.exc[k], b.exc[k]);
  }
  return out;
}

/** Undo log of RAM stores: physical address, length, old bytes. */
class StoreLog {
  pa: number[] = [];
  len: number[] = [];
  /** The old bytes of every store, concatenated. */
  old: number[] = [];
  clear(): void {
    this.pa.length = 0;
    this.len.length = 0;
    this.old.length = 0;
  }
}

/** Device accesses of the first run, replayed to the second. */
type DevEvent = {
  kind: "r" | "w" | "dr" | "dw" | "fault";
  v: number | undefined | boolean;
  /** cpu.ctl[0] after the access (a device asking the core to stop). */
  ctl: number;
  /** Guest RAM the device wrote during the access (virtio DMA), reported through Memory.hostWrite. */
  dma: { pa: number; bytes: Uint8Array }[] | null;
};

export class Checker {
  private readonly s0 = new Snapshot();
  private readonly sj = new Snapshot();
  private readonly si = new Snapshot();
  private readonly log = new StoreLog();
  private dev: DevEvent[] = [];
  private devPos = 0;
  private replaying = false;
  private spans = 0;
  private attached = false;
  private savedBus: PhysBus | null = null;
  private savedDcr: DcrBus | null = null;
  /** Spans compared (statistics). */
  comparisons = 0;

  constructor(private readonly cpu: Cpu, private readonly jit: Jit, private readonly interp: Interp) {}

  attach(): void {
    if (this.attached) return;
    this.attached = true;
    const mem = this.cpu.mem;
    mem.writeFast = false;
    mem.flushWriteTags();
    // compile early so that spans exercise compiled code (not only hot loops)
    this.jit.opts = { ...this.jit.opts, blockThreshold: 2, regionThreshold: 8 };
    const log = this.log, u8 = mem.u8;
    mem.storeHook = (pa, len) => {
      log.pa.push(pa);
      log.len.push(len);
      for (let i = 0; i < len; i++) log.old.push(u8[pa + i]!);
    };
  }

  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    const mem = this.cpu.mem;
    mem.writeFast = true;
    mem.storeHook = null;
  }

  /** Runs to `limit` like an engine, comparing span by span. */
  run(limit: number): RunResult {
    const cpu = this.cpu;
    for (;;) {
      // spans of 1..4096 cycles, varied so that span ends (budget checks, interpreted tails)
      // land on every kind of instruction; one in eight is short (1..64 cycles)
      const h = Math.imul(++this.spans, 0x9e3779b1) >>> 0;
      const span = 1 + ((h >>> 20) & ((h & 7) === 0 ? 63 : 4095));
      const spanLimit = Math.min(limit, cpu.cycles + span);
      const r = this.compare(spanLimit, (l) => this.jit.run(l), (l) => this.interp(cpu, l));
      if (r !== RunResult.Budget || cpu.cycles >= limit) return r;
    }
  }

  step(): RunResult {
    const cpu = this.cpu;
    return this.compare(cpu.cycles + 1, () => this.jit.step(), (l) => this.interp(cpu, l));
  }

  /**
   * One span from the state in s0: compiled, back to s0, interpreted. Leaves the interpreter's
   * result in place and returns the differences. `replay`: device accesses are replayed to both
   * runs (when narrowing down a divergence, the devices have seen the span once already).
   */
  private once(limit: number, compiled: (l: number) => RunResult, reference: (l: number) => RunResult, replay: boolean):
    { d: string[]; r: RunResult; trace: NonNullable<Jit["trace"]> } {
    const cpu = this.cpu, s0 = this.s0;
    this.log.clear();
    if (!replay) this.dev.length = 0;
    this.record(!replay);
    const trace: NonNullable<Jit["trace"]> = [];
    this.jit.trace = trace;
    let rj: RunResult;
    try {
      rj = compiled(limit);
    } finally {
      this.jit.trace = null;
      this.unrecord();
    }
    this.sj.take(cpu);
    this.sj.result = rj;
    const jitStores = this.storesNow();
    // undo the compiled run's stores (newest first) and its register effects
    this.undo();
    s0.restore(cpu);
    this.log.clear();
    this.record(false);
    let ri: RunResult;
    try {
      ri = reference(limit);
    } finally {
      this.unrecord();
    }
    this.si.take(cpu);
    this.si.result = ri;
    const interpStores = this.storesNow();
    const d = diff(this.sj, this.si);
    if (!sameNumbers(jitStores, interpStores)) d.push(...storeDiff(jitStores, interpStores));
    return { d, r: ri, trace };
  }

  private compare(limit: number, compiled: (l: number) => RunResult, reference: (l: number) => RunResult): RunResult {
    const cpu = this.cpu, s0 = this.s0;
    s0.take(cpu);
    this.comparisons++;
    const first = this.once(limit, compiled, reference, false);
    if (first.d.length === 0) return first.r;
    // narrow down: the smallest limit whose span diverges (binary search on the virtual clock)
    const back = () => { this.undo(); s0.restore(cpu); };
    back();
    let lo = s0.cycles, hi = limit;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const r = this.once(mid, compiled, reference, true);
      back();
      if (r.d.length > 0) hi = mid; else lo = mid;
    }
    let worst = this.once(hi, compiled, reference, true);
    if (worst.d.length === 0) worst = first; // not reproducible in replay: report the first run
    back();
    // the instruction the interpreter starts at cycle hi - 1 is the first that differs
    let at = "";
    if (hi - 1 > s0.cycles) {
      this.log.clear();
      this.record(false);
      try { this.interp(cpu, hi - 1); } finally { this.unrecord(); }
    }
    const pc = cpu.st[0]!;
    try {
      const w = cpu.mem.dv.getInt32((pc + cpu.mem.fetchAddend(pc)) | 0);
      at = `first differing instruction: ${hex(pc)}  ${hex(w).slice(2)}  ${disassemble(w >>> 0, pc >>> 0)} (starts at cycle ${hi - 1})`;
    } catch {
      at = `first differing instruction at ${hex(pc)} (cycle ${hi - 1})`;
    }
    throw new JitDivergence(this.report(s0, limit, hi, at, worst.d, worst.trace));
  }

  /** The stores of the current log: [pa, len, bytes after...] for each, flattened. */
  private storesNow(): number[] {
    const u8 = this.cpu.mem.u8, out: number[] = [];
    for (let i = 0; i < this.log.pa.length; i++) {
      const pa = this.log.pa[i]!, len = this.log.len[i]!;
      out.push(pa, len);
      for (let k = 0; k < len; k++) out.push(u8[pa + k]!);
    }
    return out;
  }

  private undo(): void {
    const mem = this.cpu.mem, log = this.log;
    let o = log.old.length;
    for (let i = log.pa.length - 1; i >= 0; i--) {
      const pa = log.pa[i]!, len = log.len[i]!;
      o -= len;
      for (let k = 0; k < len; k++) mem.u8[pa + k] = log.old[o + k]!;
      mem.hostWrite(pa, len); // code compiled from the stored bytes is stale now
    }
  }

  private record(first: boolean): void {
    const cpu = this.cpu, mem = cpu.mem;
    this.replaying = !first;
    this.devPos = 0;
    const bus = mem.bus, dcr = cpu.dcr;
    this.savedBus = bus;
    this.savedDcr = dcr;
    const ev = this.dev;
    const self = this;
    const ctl = cpu.ctl;
    // DMA a device does during an access is recorded with it (no undo: the data stays, and the
    // replay writes it again at the same point)
    let dma: { pa: number; bytes: Uint8Array }[] | null = null;
    mem.hostWriteHook = (pa, len) => {
      if (!self.replaying) (dma ??= []).push({ pa, bytes: mem.u8.slice(pa, pa + len) });
    };
    const push = (kind: DevEvent["kind"], v: DevEvent["v"]) => {
      ev.push({ kind, v, ctl: ctl[0]!, dma });
      dma = null;
    };
    // a replayed access also replays what the device did to the core (cpu.ctl) and to RAM
    const replay = (): DevEvent | undefined => {
      const e = ev[self.devPos++];
      if (e !== undefined) {
        if (e.ctl !== 0) ctl[0] = e.ctl;
        for (const d of e.dma ?? []) {
          mem.u8.set(d.bytes, d.pa);
          mem.hostWrite(d.pa, d.bytes.length);
        }
      }
      return e;
    };
    mem.bus = {
      read(pa, size, m, pc) {
        if (self.replaying) {
          const e = replay();
          if (e?.kind === "fault") return m.machineCheck(pa, pc);
          return (e?.v as number | undefined) ?? 0;
        }
        try {
          const v = bus.read(pa, size, m, pc);
          push("r", v);
          return v;
        } catch (x) {
          if (x === FAULT) push("fault", undefined);
          throw x;
        }
      },
      write(pa, size, v, m, pc) {
        if (self.replaying) {
          const e = replay();
          if (e?.kind === "fault") m.machineCheck(pa, pc);
          return;
        }
        try {
          bus.write(pa, size, v, m, pc);
          push("w", v);
        } catch (x) {
          if (x === FAULT) push("fault", undefined);
          throw x;
        }
      },
    };
    if (dcr !== null) {
      cpu.dcr = {
        read(n) {
          if (self.replaying) return replay()?.v as number | undefined;
          const v = dcr.read(n);
          push("dr", v);
          return v;
        },
        write(n, v) {
          if (self.replaying) return (replay()?.v as boolean | undefined) ?? false;
          const ok = dcr.write(n, v);
          push("dw", ok);
          return ok;
        },
      };
    }
  }

  private unrecord(): void {
    this.cpu.mem.hostWriteHook = null;
    if (this.savedBus !== null) this.cpu.mem.bus = this.savedBus;
    this.cpu.dcr = this.savedDcr;
    this.savedBus = null;
    this.savedDcr = null;
    this.replaying = false;
  }

  private report(s0: Snapshot, limit: number, hi: number, at: string, d: string[], trace: NonNullable<Jit["trace"]>): string {
    const lines = [
      `jit/interpreter divergence in the span from pc ${hex(s0.st[0]!)} (cycle ${s0.cycles}, insn ${s0.insns}, limit ${limit}); ` +
      `smallest diverging limit ${hi}:`,
      `  ${at}`,
      `  runs ended: jit ${RESULT[this.sj.result] ?? this.sj.result}${this.sj.result === RunResult.Fault ? ` (${excText(this.sj)})` : ""}, ` +
      `interp ${RESULT[this.si.result] ?? this.si.result}${this.si.result === RunResult.Fault ? ` (${excText(this.si)})` : ""}`,
      ...d.slice(0, 40).map((x) => "  " + x),
      `dispatches of the compiled run to cycle ${hi} (${trace.length}):`,
    ];
    const shown = new Set<string>();
    for (const t of trace.slice(-8)) {
      lines.push(`  ${t.kind} at ${hex(t.pc)}`);
      const key = `${t.kind}:${t.pc}`;
      if (t.insns !== null && !shown.has(key)) {
        shown.add(key);
        for (const u of t.insns) lines.push(...disasm(u.insns).map((x) => "      " + x), "      --");
      }
    }
    return lines.join("\n");
  }
}

function sameNumbers(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The store logs as readable lines, where they differ. */
function storeDiff(a: number[], b: number[]): string[] {
  const lines = (x: number[]) => {
    const out: string[] = [];
    for (let i = 0; i < x.length;) {
      const pa = x[i]!, len = x[i + 1]!;
      out.push(`${hex(pa)}+${len}=${x.slice(i + 2, i + 2 + len).map((v) => v.toString(16).padStart(2, "0")).join("")}`);
      i += 2 + len;
    }
    return out;
  };
  const la = lines(a), lb = lines(b), out: string[] = [];
  for (let i = 0; i < Math.max(la.length, lb.length) && out.length < 20; i++) {
    if (la[i] !== lb[i]) out.push(`store #${i}: jit ${la[i] ?? "none"}, interp ${lb[i] ?? "none"}`);
  }
  return out;
}

/** Disassembly of a compiled unit, one line per instruction. */
export function disasm(insns: readonly Insn[]): string[] {
  return insns.map((i) => `${hex(i.pc)}:  ${hex(i.word).slice(2)}  ${disassemble(i.word >>> 0, i.pc >>> 0)}`);
}

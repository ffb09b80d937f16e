/**
 * One PPC440 core: architectural state, the execution engine entry point, and the parts of
 * processor control that the instruction semantics call (MSR, SPRs, DCRs, TLB instructions,
 * interrupt returns, string instructions). What the core does not own is reached through hooks
 * filled by the layer above: the UTLB (`tlb`), the DCR bus (`dcr`), the timer facility (`timers`),
 * and the owner of the interrupt vectors (`sink`): bare-metal delivery, the Linux user-mode
 * runner, or the hypervisor.
 */

import { Fpu } from "./fpu/index.ts";
import { ESR, FAULT, Ivor, PendingException } from "./interrupts.ts";
import { Memory, type Translator } from "./memory.ts";
import { CpuState, MSR, MSR_MASK, S } from "./state.ts";
import { PVR_440EPX, SPR, SPR_ACCESS, isUserSpr } from "./spr.ts";
import { getInterpreter, RunResult, type Interp } from "./interp.ts";
import { Jit } from "./jit/jit.ts";
import { Checker } from "./jit/check.ts";
import { defaultEngine, type Engine } from "./jit/engine.ts";

/** Core cycles an interrupt takes (pipeline drain and refetch at the vector). */
export const INTERRUPT_CYCLES = 8;

/** Receives every synchronous exception the core raises. Returns false to stop `run`. */
export interface ExceptionSink {
  exception(cpu: Cpu): boolean;
}

/** The architected TLB instructions (filled by the MMU). */
export interface TlbOps {
  tlbwe(cpu: Cpu, rs: number, index: number, ws: number, pc: number): void;
  tlbre(cpu: Cpu, index: number, ws: number, pc: number): number;
  tlbsx(cpu: Cpu, ea: number): number;
}

/** The DCR bus. `read` returns undefined for a DCR nobody implements. */
export interface DcrBus {
  read(dcrn: number): number | undefined;
  write(dcrn: number, value: number): boolean;
}

/** The timer facility (DEC, DECAR, TCR, TSR, TB writes) and its interrupt conditions. */
export interface TimerOps {
  readDec(cpu: Cpu): number;
  write(cpu: Cpu, spr: number, value: number): void;
  /** Called before the core changes the timebase (so bit transitions can be detected). */
  beforeTbWrite(): void;
  /** Applies every timer event due by now (status bits are updated lazily). */
  update(): void;
  readonly decPending: boolean;
  readonly fitPending: boolean;
  readonly wdtPending: boolean;
}

/** Something outside the core wants DBCR0[RST] (a reset request) or a machine stop. */
export interface ResetHook {
  reset(cpu: Cpu, kind: number): void;
}

export interface CpuOptions {
  ramSize: number;
  translator?: Translator;
  pvr?: number;
  /** Execution engine (default: `defaultEngine()`, i.e. HV440_ENGINE or `jit`). */
  engine?: Engine;
}

/** Architected delivery into the guest's own vectors: the bare-metal owner. */
export const BARE_DELIVERY: ExceptionSink = {
  exception(cpu) {
    cpu.deliverPending();
    return true;
  },
};

export class Cpu extends CpuState {
  readonly exc = new PendingException();
  readonly mem: Memory;
  readonly fpu = new Fpu();
  /** Virtual clock: core cycles since reset (a double, exact to 2^53). */
  cycles = 0;
  /** Retired instructions. */
  insns = 0;
  /** Interrupts taken through architected delivery. */
  interrupts = 0;
  /** Timebase = cycles + tbOffset (the timebase ticks at the core clock). */
  tbOffset = 0;
  /** Instruction word of the last instruction that raised (or was executing at a fault). */
  lastInsn = 0;
  /** Set by an owner to make `run` return at the next slice boundary. */
  halted = false;
  /** Interrupt input lines driven by the interrupt controller (UIC INT and CINT outputs). */
  extInput = false;
  critInput = false;

  sink: ExceptionSink = BARE_DELIVERY;
  tlb: TlbOps | null = null;
  dcr: DcrBus | null = null;
  timers: TimerOps | null = null;
  resetHook: ResetHook | null = null;

  // engine scratch (see interp.ts): cold-path results and counters published before a raise
  coldCost = 0;
  coldStop = false;
  /** With coldStop: the cold instruction recorded an exception (Emit.fault) instead of throwing. */
  coldFault = false;
  /**
   * ctl[0] != 0 asks the running engine to stop after the current instruction (checked once per
   * instruction): a device that raised an interrupt line or scheduled an event mid-slice is seen
   * at the next instruction boundary, as on hardware, not at the end of the slice.
   */
  readonly ctl = new Int32Array(1);
  syncCycles = 0;
  syncInsns = 0;

  private readonly interp: Interp;
  // the block compiler and the lockstep checker (cpu/jit), made when an engine needs them
  private engineName: Engine = "interp";
  private jitEngine: Jit | null = null;
  private checker: Checker | null = null;

  constructor(opts: CpuOptions) {
    super();
    this.mem = new Memory(opts.ramSize, this.exc, opts.translator);
    this.spr[SPR.PVR] = opts.pvr ?? PVR_440EPX;
    this.interp = getInterpreter();
    this.engine = opts.engine ?? defaultEngine();
  }

  /** The execution engine (can be switched between runs; the state is the same for all). */
  get engine(): Engine {
    return this.engineName;
  }
  set engine(e: Engine) {
    if (e !== "interp") this.jitEngine ??= new Jit(this);
    if (e === "check") (this.checker ??= new Checker(this, this.jitEngine!, this.interp)).attach();
    else this.checker?.detach();
    this.engineName = e;
  }

  /** The block compiler (its statistics and cache), or null if this CPU never used it. */
  get jit(): Jit | null {
    return this.jitEngine;
  }

  /**
   * Runs until the virtual clock reaches `limitCycles`, an instruction ends the slice (MSR,
   * timer, TLB or interrupt-source changes), or an exception sink says stop.
   */
  run(limitCycles: number): RunResult {
    this.ctl[0] = 0;
    for (;;) {
      if (this.halted) return RunResult.Halted;
      const e = this.engineName;
      const r = e === "jit" ? this.jitEngine!.run(limitCycles)
        : e === "interp" ? this.interp(this, limitCycles) : this.checker!.run(limitCycles);
      if (r !== RunResult.Fault) return r;
      if (!this.sink.exception(this) || this.halted) return RunResult.Halted;
      if (this.cycles >= limitCycles) return RunResult.Budget;
    }
  }

  /** Executes exactly one instruction (or takes the exception it raises). */
  step(): RunResult {
    // Not `run(cycles + 1)`: delivering an exception consumes no cycles, so `run` would go on
    // and execute the handler's first instruction too (or spin for ever if the vector holds an
    // illegal word). A step that faults stops right after the delivery.
    if (this.halted) return RunResult.Halted;
    const e = this.engineName;
    const r = e === "jit" ? this.jitEngine!.step()
      : e === "interp" ? this.interp(this, this.cycles + 1) : this.checker!.step();
    if (r !== RunResult.Fault) return r;
    return this.sink.exception(this) && !this.halted ? RunResult.Stopped : RunResult.Halted;
  }

  /**
   * Physical bytes [pa, pa+len) of guest memory were changed behind the core's back (a program
   * loader, DMA, the hypervisor patching an instruction): compiled copies of them are dropped,
   * so the next execution sees the new bytes. Guest stores need no call (they are tracked).
   */
  invalidateCode(pa: number, len: number): void {
    this.jitEngine?.invalidate(pa, len);
  }

  // ---- raising (each records the exception and throws FAULT to the engine) ----

  program(pc: number, esr: number): never {
    this.recordProgram(pc, esr);
    throw FAULT;
  }
  // The record* forms leave the exception recorded without throwing: the engines use them where
  // the semantics can leave by a statement (Emit.fault), because a throw costs V8 about 0.6 us,
  // which is most of a lightweight hypervisor exit.
  recordProgram(pc: number, esr: number): void {
    this.exc.set(Ivor.Program, pc, esr, true, 0, false);
  }
  recordSystemCall(pc: number): void {
    this.exc.set(Ivor.SystemCall, pc, 0, false, 0, false);
  }
  recordFpUnavailable(pc: number): void {
    this.exc.set(Ivor.FpUnavailable, pc, 0, false, 0, false);
  }
  illegal(pc: number): never {
    return this.program(pc, ESR.PIL);
  }
  privileged(pc: number): never {
    return this.program(pc, ESR.PPR);
  }
  systemCall(pc: number): never {
    this.recordSystemCall(pc);
    throw FAULT;
  }
  fpUnavailable(pc: number): never {
    this.recordFpUnavailable(pc);
    throw FAULT;
  }
  /** Precise FP enabled exception: the instruction has completed; SRR0 is its address. */
  fpEnabled(pc: number): never {
    return this.program(pc, ESR.FP);
  }

  /** Writes the pending exception into the guest's architected registers and vectors to it. */
  deliverPending(): void {
    const e = this.exc;
    if (e.ivor === Ivor.MachineCheck) this.spr[SPR.MCSR] = this.spr[SPR.MCSR]! | e.mcsr;
    const srr0 = e.ivor === Ivor.SystemCall ? (e.pc + 4) | 0 : e.pc;
    this.deliver(e.ivor, srr0, e.setsEsr ? e.esr : -1, e.setsDear ? e.dear : null);
  }

  /**
   * Architected interrupt entry (UM ch.6): save PC/MSR in the class's save/restore pair, update
   * ESR (when given; -1 leaves it) and DEAR, mask the MSR, and vector to IVPR | IVORn.
   */
  deliver(ivor: number, srr0: number, esr: number, dear: number | null): void {
    const spr = this.spr, st = this.st;
    const msr = st[S.MSR]!;
    let keep: number;
    if (ivor === Ivor.MachineCheck) {
      spr[SPR.MCSRR0] = srr0;
      spr[SPR.MCSRR1] = msr;
      keep = 0;
    } else if (ivor === Ivor.Critical || ivor === Ivor.Watchdog || ivor === Ivor.Debug) {
      spr[SPR.CSRR0] = srr0;
      spr[SPR.CSRR1] = msr;
      keep = MSR.ME;
    } else {
      spr[SPR.SRR0] = srr0;
      spr[SPR.SRR1] = msr;
      keep = MSR.CE | MSR.ME | MSR.DE;
    }
    if (esr !== -1) spr[SPR.ESR] = esr | (spr[SPR.ESR]! & ESR.MCI);
    if (dear !== null) spr[SPR.DEAR] = dear;
    this.setMsr(msr & keep);
    st[S.PC] = (spr[SPR.IVPR]! & 0xffff0000) | (spr[SPR.IVOR0 + ivor]! & 0xfff0);
    // taking an interrupt drains the pipeline and refetches: it costs time (and so an interrupt
    // storm cannot stop the clock), and counts toward instruction budgets
    this.cycles += INTERRUPT_CYCLES;
    this.interrupts++;
  }

  /**
   * The asynchronous interrupt to take now, or -1 (UM p.201 priorities: critical input,
   * watchdog, external, FIT, decrementer; CE gates the first two, EE the rest).
   */
  pendingAsync(): number {
    const msr = this.st[S.MSR]!, t = this.timers;
    if ((msr & MSR.CE) !== 0) {
      if (this.critInput) return Ivor.Critical;
      if (t?.wdtPending) return Ivor.Watchdog;
    }
    if ((msr & MSR.EE) !== 0) {
      if (this.extInput) return Ivor.External;
      if (t?.fitPending) return Ivor.FixedInterval;
      if (t?.decPending) return Ivor.Decrementer;
    }
    return -1;
  }

  // ---- MSR ----

  setMsr(v: number): void {
    const old = this.st[S.MSR]!;
    v &= MSR_MASK;
    this.st[S.MSR] = v;
    // the translation context is MSR[PR, IS, DS] (and PID): cached translations are stale
    if (((old ^ v) & (MSR.PR | MSR.IS | MSR.DS)) !== 0) this.mem.flushTlb();
  }

  rfi(): number {
    this.setMsr(this.spr[SPR.SRR1]!);
    return this.spr[SPR.SRR0]! & -4;
  }
  rfci(): number {
    this.setMsr(this.spr[SPR.CSRR1]!);
    return this.spr[SPR.CSRR0]! & -4;
  }
  rfmci(): number {
    this.setMsr(this.spr[SPR.MCSRR1]!);
    return this.spr[SPR.MCSRR0]! & -4;
  }

  // ---- timebase (ticks at the core clock) ----

  get timebase(): number {
    return this.cycles + this.tbOffset;
  }
  set timebase(v: number) {
    this.tbOffset = v - this.cycles;
  }

  // ---- SPRs ----

  private checkSpr(n: number, pc: number): void {
    if ((this.st[S.MSR]! & MSR.PR) !== 0) {
      if ((n & 0x10) !== 0) this.privileged(pc);
      if (!isUserSpr(n)) this.illegal(pc);
    }
    if (SPR_ACCESS[n] === 0) this.illegal(pc);
  }

  mfspr(n: number, pc: number): number {
    this.checkSpr(n, pc);
    const spr = this.spr;
    switch (n) {
      case SPR.XER: return this.getXER() | 0;
      case SPR.LR: return this.st[S.LR]!;
      case SPR.CTR: return this.st[S.CTR]!;
      case SPR.SPRG4R: case SPR.SPRG5R: case SPR.SPRG6R: case SPR.SPRG7R: return spr[n + 16]!;
      case SPR.TBLR: case SPR.TBLW: return this.timebase % 4294967296 | 0;
      case SPR.TBUR: case SPR.TBUW: return Math.floor(this.timebase / 4294967296) | 0;
      case SPR.DEC: return this.timers ? this.timers.readDec(this) | 0 : spr[n]!;
      case SPR.TSR: this.timers?.update(); return spr[n]!; // FIT/watchdog status is brought up to date lazily
      default: return spr[n]!;
    }
  }

  /** Returns true when the write changes context the engine must notice (ends the slice). */
  mtspr(n: number, v: number, pc: number): boolean {
    this.checkSpr(n, pc);
    if (SPR_ACCESS[n] === 2) return false; // read-only: writes are ignored
    const spr = this.spr;
    switch (n) {
      case SPR.XER: this.setXER(v); return false;
      case SPR.LR: this.st[S.LR] = v; return false;
      case SPR.CTR: this.st[S.CTR] = v; return false;
      case SPR.PID:
        if ((spr[n]! & 0xff) !== (v & 0xff)) this.mem.flushTlb();
        spr[n] = v & 0xff;
        return true;
      case SPR.IVPR: spr[n] = v & 0xffff0000; return false;
      case SPR.TBLW:
        this.timers?.beforeTbWrite();
        this.timebase = Math.floor(this.timebase / 4294967296) * 4294967296 + (v >>> 0);
        this.timers?.write(this, n, v);
        return true;
      case SPR.TBUW:
        this.timers?.beforeTbWrite();
        this.timebase = (v >>> 0) * 4294967296 + (this.timebase % 4294967296);
        this.timers?.write(this, n, v);
        return true;
      case SPR.DEC: case SPR.DECAR: case SPR.TCR: case SPR.TSR:
        if (this.timers) this.timers.write(this, n, v);
        else if (n === SPR.TSR) spr[n] = spr[n]! & ~v;
        else spr[n] = v;
        return true;
      case SPR.DBSR: case SPR.MCSR: spr[n] = spr[n]! & ~v; return false; // write-1-to-clear
      case SPR.DBCR0:
        spr[n] = v;
        if ((v & 0x30000000) !== 0 && this.resetHook) {
          this.resetHook.reset(this, (v >>> 28) & 3);
          return true;
        }
        return false;
      case SPR.MMUCR: spr[n] = v & 0x017f00ff; return false;
      default:
        if (n >= SPR.IVOR0 && n <= SPR.IVOR15) { spr[n] = v & 0xfff0; return false; }
        spr[n] = v;
        return false;
    }
  }

  // ---- DCRs ----

  mfdcr(n: number, pc: number): number {
    const v = this.dcr?.read(n);
    if (v === undefined) this.illegal(pc); // unimplemented DCR: Program, illegal (like the board in QEMU)
    return v | 0;
  }
  mtdcr(n: number, v: number, pc: number): void {
    if (!this.dcr || !this.dcr.write(n, v)) this.illegal(pc);
  }

  // ---- TLB instructions (privileged; reached only at PR=0) ----

  tlbwe(rs: number, index: number, ws: number, pc: number): void {
    if (!this.tlb || ws > 2) this.illegal(pc);
    this.tlb.tlbwe(this, rs, index & 63, ws, pc);
  }
  tlbre(index: number, ws: number, pc: number): number {
    if (!this.tlb || ws > 2) this.illegal(pc);
    return this.tlb.tlbre(this, index & 63, ws, pc);
  }
  tlbsx(ea: number): number {
    return this.tlb ? this.tlb.tlbsx(this, ea) : -1;
  }

  // ---- instruction-cache hooks (the block compiler invalidates here; see cpu/jit/jit.ts) ----
  /** icbi at effective address `ea` (just translated by the semantics), or iccci (ea = -1). */
  icbi(ea: number): void {
    this.jitEngine?.icbi(ea);
  }
  /** isync: nothing to do (compiled code is dropped at the store; the run ends after isync). */
  isync(): void {}

  // ---- string instructions (UM: bytes fill registers from the high end, r31 wraps to r0) ----

  loadString(ea: number, n: number, rt: number, pc: number): void {
    const r = this.gpr;
    let reg = (rt - 1) & 31;
    for (let i = 0; i < n; i++) {
      if ((i & 3) === 0) { reg = (reg + 1) & 31; r[reg] = 0; }
      r[reg] = r[reg]! | (this.mem.slowLd8((ea + i) | 0, pc) << (24 - 8 * (i & 3)));
    }
  }
  storeString(ea: number, n: number, rs: number, pc: number): void {
    const r = this.gpr;
    let reg = rs;
    for (let i = 0; i < n; i++) {
      const shift = 24 - 8 * (i & 3);
      this.mem.slowSt8((ea + i) | 0, r[reg]! >>> shift, pc);
      if ((i & 3) === 3) reg = (reg + 1) & 31;
    }
  }
}

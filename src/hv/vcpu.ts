/**
 * A vCPU: the guest's virtual 440 state (MSR, SPRs, 64-entry TLB, timers, pending interrupts)
 * around the real core, which runs the guest deprivileged (MSR[PR]=1, IS=DS=1) through the
 * shadow TLB. Every interrupt the core raises is an exit: the handler classifies it in KVM's
 * taxonomy, emulates or reflects it, the exit is charged its modelled host cost on the virtual
 * clock, and the guest is entered again with at most one virtual interrupt delivered.
 */

import { INTERRUPT_CYCLES, type Cpu, type ExceptionSink } from "../cpu/cpu.ts";
import { CYCLES } from "../cpu/cycles.ts";
import type { InsnSpec } from "../isa/types.ts";
import { ESR, FAULT, Ivor } from "../cpu/interrupts.ts";
import { Access, MCSR_DRB, MCSR_DWB, MCSR_IB, MCSR_MCS } from "../cpu/memory.ts";
import { TLB2, TlbArray, type Utlb } from "../cpu/mmu.ts";
import { SPR } from "../cpu/spr.ts";
import { MSR, MSR_MASK, S } from "../cpu/state.ts";
import { Timers, type TimerHost } from "../cpu/timers.ts";
import { emulate, EmulationFailure } from "./emulate.ts";
import { Exit } from "./exits.ts";
import { PRIO_IVOR, Prio, SETS_DEAR, SETS_ESR } from "./guest-irq.ts";
import { emulateMmio } from "./mmio.ts";
import type { CostModel } from "./profile.ts";
import { ShadowTlb } from "./shadow.ts";
import { ExitStats } from "./stats.ts";

/** What QEMU is to KVM: RAM extent, MMIO and DCR access to the device model. */
export interface DeviceModel {
  readonly ramSize: number;
  /** Returns the value, or null for an unassigned address (the guest gets a machine check). */
  mmioRead(pa: number, size: 1 | 2 | 4): number | null;
  /** Returns false for an unassigned address. */
  mmioWrite(pa: number, size: 1 | 2 | 4, value: number): boolean;
  dcrRead(dcrn: number): number | undefined;
  dcrWrite(dcrn: number, value: number): boolean;
}

/**
 * The paravirtual interface (src/hv/pv), when the VM has one: the shared page is synchronised
 * with the virtual registers at every exit (`pull`) and entry (`push`), its critical section
 * holds back maskable interrupts, and it answers hypercalls, rewrites trapping sites (host-patch)
 * and maps its page on data TLB misses.
 */
export interface PvHooks {
  pull(): void;
  push(intPending: boolean): void;
  inCritical(): boolean;
  hypercall(): void;
  privileged(pc: number, insn: number): void;
  dataTlbMiss(ea: number): boolean;
}

/** r0 of a hypercall ("KVM!", kvm440.md 6.1). */
const KVM_MAGIC = 0x4b564d21;

/** Reasons the vCPU asks its owner to stop the VM. */
export type VcpuStop =
  | { kind: "reset"; resetKind: number }
  | { kind: "emulation-failed"; pc: number; insn: number; msr: number; reason: string }
  | { kind: "checkstop"; message: string };

const SHADOW_MSR = MSR.PR | MSR.IS | MSR.DS | MSR.EE | MSR.CE | MSR.ME;
/** Guest MSR bits the real MSR follows while the guest runs (lazy FP and FP exception modes). */
const FOLLOW_MSR = MSR.FP | MSR.FE0 | MSR.FE1;

export class Vcpu implements ExceptionSink {
  /** The guest's MSR (virtual). */
  vmsr = 0;
  /** The guest's SPRs (virtual), indexed by SPR number. */
  readonly vspr = new Int32Array(1024);
  readonly gtlb = new TlbArray();
  readonly shadow: ShadowTlb;
  readonly gtimers: Timers;
  readonly stats: ExitStats;

  /** Queued synchronous interrupts (bit = Prio) with their ESR/DEAR. */
  private queued = 0;
  private readonly qEsr = new Int32Array(16);
  private readonly qDear = new Int32Array(16);
  /** Guest interrupt input lines from the guest's interrupt controller. */
  extLevel = false;
  critLevel = false;
  /** Blocked in the guest's wait state (MSR[WE]), counted as EMUL_WAIT. */
  waiting = false;
  stop: VcpuStop | null = null;
  /** The paravirtual interface, if the VM offers one. */
  pv: PvHooks | null = null;
  /** Exit type being handled (last assignment wins, as in KVM). */
  private type: Exit = Exit.EMULINST;
  /** Guest PC the exit in progress came from (the faulting instruction, or where an async exit cut in). */
  private exitPc = 0;
  /** Observer of every handled exit with its final type, reported at the next entry (tests, tracing). */
  onExit: ((type: Exit, pc: number) => void) | null = null;
  /**
   * The clock of the exit stamps, in timebase ticks: the core's cycle count (virtual, the
   * default) or the host's clock (`--clock host`: what our own exit handling costs, not
   * deterministic). Either way the guest's own time is virtual.
   */
  stampClock: () => number = () => this.cpu.cycles;

  constructor(readonly cpu: Cpu, readonly utlb: Utlb, readonly dm: DeviceModel, readonly cost: CostModel, readonly id = 0) {
    this.shadow = new ShadowTlb(utlb);
    const host: TimerHost = {
      get cycles() { return cpu.cycles; },
      get tbOffset() { return cpu.tbOffset; },
      get timebase() { return cpu.timebase; },
      spr: this.vspr,
    };
    this.gtimers = new Timers(host);
    this.stats = new ExitStats(Math.floor(cost.profile.clockHz / 1e6));
    this.vspr[SPR.PVR] = cpu.spr[SPR.PVR]!;
    this.vspr[SPR.CCR1] = cpu.spr[SPR.CCR1]!;
  }

  // ---- guest state helpers ----

  get guestSupervisor(): boolean {
    return (this.vmsr & MSR.PR) === 0;
  }
  get shadowPid(): number {
    return this.guestSupervisor ? 1 : 0;
  }

  /** A full guest MSR write (mtmsr, rfi, interrupt delivery): mode, PID and wait state follow. */
  setGuestMsr(v: number): void {
    this.vmsr = v & MSR_MASK;
    if ((this.vmsr & MSR.WE) !== 0) {
      this.waiting = true;
      this.type = Exit.EMUL_WAIT;
    }
  }

  /** The guest address spaces (MSR[IS] << 1 | MSR[DS]) the shadow slots were made for. */
  private shadowAs = 0;

  /** Loads the real MSR and PID for running the guest. */
  private loadContext(): void {
    const cpu = this.cpu;
    const as = ((this.vmsr >>> 4) & 2) | ((this.vmsr >>> 4) & 1);
    if (as !== this.shadowAs) {
      this.shadow.dropAll();
      this.shadowAs = as;
    }
    cpu.setMsr(SHADOW_MSR | (this.vmsr & FOLLOW_MSR));
    const pid = this.shadowPid;
    if ((cpu.spr[SPR.PID]! & 0xff) !== pid) {
      cpu.spr[SPR.PID] = pid;
      cpu.mem.flushTlb();
    }
  }

  /** A machine check for the guest: MCSR says why (bus error on fetch, data read, data write). */
  machineCheck(mcsr: number, pc = this.exitPc, pa = 0): void {
    if ((this.vmsr & MSR.ME) === 0) {
      // the guest disabled machine checks: a 440 checkstops (as the bare board reports it)
      this.requestStop({ kind: "checkstop", message: `machine check with MSR[ME]=0 at pc 0x${(pc >>> 0).toString(16)} (physical 0x${pa.toString(16)})` });
      return;
    }
    this.vspr[SPR.MCSR] = this.vspr[SPR.MCSR]! | mcsr;
    this.queue(Prio.MCHECK);
  }

  /** The queued synchronous interrupts (to tell whether an emulation raised one). */
  queuedMask(): number {
    return this.queued;
  }

  queue(p: Prio, esr = 0, dear = 0): void {
    this.queued |= 1 << p;
    this.qEsr[p] = esr;
    this.qDear[p] = dear;
  }

  /**
   * Is an interrupt pending that the guest's MSR allows? That is what ends the wait state: an
   * interrupt the guest has masked leaves a 440 waiting (KVM woke on anything pending).
   */
  hasPending(): boolean {
    return this.deliver(false);
  }

  /** Delivers the first allowed pending interrupt, if any (kvm440.md 5.3); returns whether one was. */
  private deliver(take = true): boolean {
    this.gtimers.update();
    const msr = this.vmsr, t = this.gtimers;
    const level = (this.critLevel ? 1 << Prio.CRITICAL : 0) | (t.wdtPending ? 1 << Prio.WATCHDOG : 0) |
      (this.extLevel ? 1 << Prio.EXTERNAL : 0) | (t.fitPending ? 1 << Prio.FIT : 0) | (t.decPending ? 1 << Prio.DEC : 0);
    const all = this.queued | level;
    if (all === 0) return false;
    // a magic-page template is running: it must not be interrupted halfway (kvm440.md 6.3)
    const crit = this.pv !== null && this.pv.inCritical();
    for (let p = 0; p <= Prio.DEC; p++) {
      if ((all & (1 << p)) === 0) continue;
      let allowed: boolean, keep: number;
      switch (p) {
        case Prio.EXTERNAL: case Prio.FIT: case Prio.DEC:
          allowed = (msr & MSR.EE) !== 0 && !crit; keep = MSR.CE | MSR.ME | MSR.DE; break;
        case Prio.CRITICAL: case Prio.WATCHDOG:
          allowed = (msr & MSR.CE) !== 0 && !crit; keep = MSR.ME; break;
        case Prio.MCHECK:
          allowed = (msr & MSR.ME) !== 0 && !crit; keep = 0; break;
        case Prio.DEBUG:
          allowed = (msr & MSR.DE) !== 0 && !crit; keep = MSR.ME; break;
        default:
          allowed = true; keep = MSR.CE | MSR.ME | MSR.DE;
      }
      if (!allowed) continue;
      if (take) this.enterVector(p, keep);
      return true;
    }
    return false;
  }

  /** Architected entry into the guest's vector for priority p (critical class uses CSRR0/1). */
  private enterVector(p: number, keep: number): void {
    const v = this.vspr, pc = this.cpu.st[S.PC]!;
    const ivor = PRIO_IVOR[p]!;
    if (p === Prio.MCHECK) { v[SPR.MCSRR0] = pc; v[SPR.MCSRR1] = this.vmsr; }
    else if (p === Prio.CRITICAL || p === Prio.WATCHDOG || p === Prio.DEBUG) { v[SPR.CSRR0] = pc; v[SPR.CSRR1] = this.vmsr; }
    else { v[SPR.SRR0] = pc; v[SPR.SRR1] = this.vmsr; }
    if (SETS_ESR.has(p)) v[SPR.ESR] = this.qEsr[p]! | (v[SPR.ESR]! & ESR.MCI);
    if (SETS_DEAR.has(p)) v[SPR.DEAR] = this.qDear[p]!;
    this.queued &= ~(1 << p);
    this.setGuestMsr(this.vmsr & keep);
    this.cpu.st[S.PC] = (v[SPR.IVPR]! & 0xffff0000) | (v[ivor + SPR.IVOR0]! & 0xfff0);
    this.cpu.cycles += INTERRUPT_CYCLES; // what taking it costs the guest on a 440 (bare: Cpu.deliver)
  }

  /**
   * An instruction emulated for the guest retires as if the core had executed it: it counts and
   * takes its own cycles (on top of the exit's host cost), so the ideal profile reproduces bare
   * timing exactly.
   */
  retire(spec: InsnSpec): void {
    this.cpu.insns++;
    this.cpu.cycles += CYCLES[spec.cost];
  }

  // ---- entry / exit ----

  /** Anything pending, masked or not (the magic page's int_pending). */
  private anyPending(): boolean {
    const t = this.gtimers;
    return this.queued !== 0 || this.extLevel || this.critLevel || t.wdtPending || t.fitPending || t.decPending;
  }

  /** Guest entry: deliver, publish the shared page, load the deprivileged context, stamp. */
  enter(): void {
    this.deliver();
    this.pv?.push(this.anyPending());
    this.loadContext();
    this.reportExit();
    this.stats.enter(this.stampClock());
  }

  /** Starts an exit at the current time. */
  private beginExit(t: Exit, pc: number): void {
    // stamps are host time: the core's cycle count, which runs at the timebase rate (KVM read
    // the timebase itself, which its guests could not write; ours can)
    this.stats.exit(this.stampClock());
    this.type = t;
    this.exitPc = pc;
    this.pv?.pull();
  }

  /**
   * Ends an exit: its final type (a pending kick from the device model overrides any type, as
   * KVM's signal check at the end of the handler did), its modelled host cost, then re-entry
   * unless the vCPU is blocked in the wait state or stopped.
   */
  private endExit(extraUs = 0): void {
    // kvm_stat's counters count what the handler did, then the signal (KVM bumped both)
    this.bumpSide(this.type);
    if (this.signalPending) {
      this.signalPending = false;
      this.type = Exit.SIGNAL;
      this.stats.bump("sig");
    }
    this.stats.current = this.type;
    if (this.type === Exit.EMUL_TLBWE) extraUs += this.shadow.takeInvalidations() * this.cost.profile.perShadowInvalidate;
    else this.shadow.takeInvalidations();
    this.cpu.cycles += this.cost.cost(this.type, extraUs);
    this.cpu.interrupts++; // an exit is an interrupt taken (instruction budgets count them)
    this.exitOpen = true;
    if (this.stop) { this.reportExit(); this.cpu.halted = true; return; }
    if (this.waiting) {
      // blocked: the owner calls wake() once something is pending, or kickBlocked(); a wait
      // exit that ended as SIGNAL goes back to the guest, which is still waiting
      if (this.type === Exit.SIGNAL) this.reblock();
      return;
    }
    this.enter();
  }

  /** The exit being closed is reported once, at the next entry, with its final type. */
  private exitOpen = false;
  private reportExit(): void {
    if (!this.exitOpen) return;
    this.exitOpen = false;
    this.onExit?.(this.stats.current, this.exitPc);
  }

  /**
   * The device model's periodic kick (QEMU signalling the vCPU thread, kvm440.md 7.3): the exit
   * in progress, or the next one, ends as SIGNAL.
   */
  signalPending = false;
  kick(): void {
    this.signalPending = true;
  }

  /**
   * A kick while the vCPU is blocked in the wait state ends that exit as SIGNAL (its idle time
   * is charged to SIGNAL, as in KVM). The guest is still waiting (MSR[WE] stays on until an
   * interrupt): it is re-entered and exits again at once (EMUL_WAIT).
   */
  kickBlocked(): void {
    this.stats.current = Exit.SIGNAL;
    this.stats.bump("sig");
    this.cpu.cycles += this.cost.cost(Exit.SIGNAL);
    this.reblock();
  }

  private reblock(): void {
    if (this.hasPending()) { this.wake(); return; }
    this.enter();
    this.beginExit(Exit.EMUL_WAIT, this.cpu.st[S.PC]!);
    this.endExit();
  }

  private bumpSide(t: Exit): void {
    const s = this.stats;
    switch (t) {
      case Exit.MMIO: s.bump("mmio"); break;
      case Exit.DCR: s.bump("dcr"); break;
      case Exit.SIGNAL: s.bump("sig"); break;
      case Exit.ITLBREAL: s.bump("itlb_r"); break;
      case Exit.ITLBVIRT: s.bump("itlb_v"); break;
      case Exit.DTLBREAL: s.bump("dtlb_r"); break;
      case Exit.DTLBVIRT: case Exit.DTLBPV: s.bump("dtlb_v"); break;
      case Exit.SYSCALL: case Exit.HCALL: s.bump("sysc"); break;
      case Exit.ISI: s.bump("isi"); break;
      case Exit.DSI: s.bump("dsi"); break;
      case Exit.DEC: s.bump("dec"); break;
      case Exit.EXTINT: s.bump("ext_intr"); break;
      default:
        if (t >= Exit.EMULINST && t <= Exit.EMUL_RFI) s.bump("inst_emu");
    }
  }

  /**
   * Leaves the wait state (an allowed interrupt is pending) and enters the guest: the interrupt
   * is delivered with SRR1 holding MSR[WE]=1, and the new MSR clears it, as on the 440.
   */
  wake(): void {
    this.waiting = false;
    this.stats.bump("halt_wakeup");
    this.enter();
  }

  /** An exit caused by the host (its timer tick, a device interrupt, the device model's kick). */
  asyncExit(t: Exit.DEC | Exit.EXTINT | Exit.SIGNAL): void {
    this.beginExit(t, this.cpu.st[S.PC]!);
    this.endExit();
  }

  // ---- synchronous exits (the core's exception sink) ----

  exception(cpu: Cpu): boolean {
    const e = cpu.exc;
    this.loopDirty = false;
    this.beginExit(Exit.EMULINST, e.pc);
    try {
      this.handle(e.ivor, e.pc, e.esr, e.dear);
    } catch (err) {
      if (err instanceof EmulationFailure) {
        this.stop = { kind: "emulation-failed", pc: e.pc >>> 0, insn: err.insn >>> 0, msr: this.vmsr >>> 0, reason: err.message };
      } else throw err;
    }
    this.endExit();
    // a lightweight exit that touched nothing the run loop plans around goes straight back into
    // the guest (KVM's lightweight exits never left the kernel either); one that armed a guest
    // timer, reached the device model, blocked or stopped the vCPU returns to the loop, whose
    // next limit must see it (PV: always, its hooks may do either)
    return !(this.loopDirty || this.waiting || this.stop !== null || this.pv !== null);
  }

  /** Set by an exit that changed guest timers or touched the device model (see `exception`). */
  loopDirty = false;

  private handle(ivor: number, pc: number, esr: number, dear: number): void {
    const cpu = this.cpu;
    switch (ivor) {
      case Ivor.Program:
        if (!this.guestSupervisor) {
          this.type = Exit.USR_PR_INST;
          this.queue(Prio.PROGRAM, esr);
        } else if ((esr & (ESR.PPR | ESR.PIL)) !== 0) {
          this.type = Exit.EMULINST;
          const insn = this.fetchInsn(pc);
          this.pv?.privileged(pc, insn);
          emulate(this, pc, insn);
        } else {
          this.type = Exit.EMULINST; // trap (tw/twi) or FP enabled from the guest kernel: reflect
          this.queue(Prio.PROGRAM, esr);
        }
        break;
      case Ivor.SystemCall:
        this.type = Exit.SYSCALL;
        cpu.st[S.PC] = (pc + 4) | 0;
        if (this.pv !== null && this.guestSupervisor && cpu.gpr[0] === KVM_MAGIC) this.pv.hypercall();
        else this.queue(Prio.SYSCALL);
        break;
      case Ivor.DataTlb: this.dataTlbMiss(pc, esr, dear); break;
      case Ivor.InstTlb: this.instTlbMiss(pc); break;
      case Ivor.DataStorage: this.storageFault(false, pc, esr, dear); break;
      case Ivor.InstStorage: this.storageFault(true, pc, esr, dear); break;
      case Ivor.Alignment:
        this.type = Exit.ALIGN;
        this.queue(Prio.ALIGN, esr, dear);
        break;
      case Ivor.FpUnavailable:
        this.type = Exit.FP_UNAVAIL;
        this.queue(Prio.FP_UNAVAIL);
        break;
      case Ivor.MachineCheck:
        this.type = Exit.MCHECK;
        this.machineCheck(this.cpu.exc.mcsr, pc, this.cpu.exc.dear >>> 0);
        break;
      default:
        throw new EmulationFailure(`unexpected ${ivor} interrupt from the guest`, 0);
    }
  }

  /** Guest TLB lookup for the current guest context. */
  private guestLookup(ea: number, fetch: boolean): number {
    const as = fetch ? (this.vmsr >>> 5) & 1 : (this.vmsr >>> 4) & 1;
    return this.gtlb.find(ea, as, this.vspr[SPR.PID]! & 0xff);
  }

  private isRam(gpa: number): boolean {
    return gpa < this.dm.ramSize;
  }

  /** What a shadow slot may grant: with IS != DS the same EA can mean two guest translations. */
  private mapKind(fetch: boolean): "any" | "fetch" | "data" {
    const is = (this.vmsr >>> 5) & 1, ds = (this.vmsr >>> 4) & 1;
    return is === ds ? "any" : fetch ? "fetch" : "data";
  }

  private dataTlbMiss(pc: number, esr: number, dear: number): void {
    if (this.pv !== null && this.pv.dataTlbMiss(dear)) return;
    const g = this.guestLookup(dear, false);
    if (g < 0) {
      this.type = Exit.DTLBREAL;
      this.queue(Prio.DTLB, esr, dear);
      return;
    }
    const gpa = this.gtlb.realAddress(g, dear);
    if (this.isRam(gpa)) {
      this.type = Exit.DTLBVIRT;
      this.shadow.map(this.gtlb, g, dear, gpa, this.guestSupervisor, this.mapKind(false));
      return;
    }
    // a device page never gets a shadow entry, so the guest's permissions are checked here
    // (KVM emulated the access whatever the guest's entry allowed)
    const w2 = this.gtlb.word2[g]!, sup = this.guestSupervisor;
    const need = (esr & ESR.ST) !== 0 ? (sup ? TLB2.SW : TLB2.UW) : (sup ? TLB2.SR : TLB2.UR);
    if ((w2 & need) === 0) {
      this.type = Exit.DSI;
      this.queue(Prio.DSI, esr, dear);
      return;
    }
    this.type = Exit.EMULINST;
    this.loopDirty = true; // the device model may schedule events or raise interrupt lines
    const insn = this.fetchInsn(pc);
    emulateMmio(this, pc, insn, dear, gpa, (w2 & TLB2.E) !== 0);
    this.type = Exit.MMIO;
  }

  private instTlbMiss(pc: number): void {
    const g = this.guestLookup(pc, true);
    if (g < 0) {
      this.type = Exit.ITLBREAL;
      this.queue(Prio.ITLB);
      return;
    }
    this.type = Exit.ITLBVIRT;
    const gpa = this.gtlb.realAddress(g, pc);
    if (this.isRam(gpa)) this.shadow.map(this.gtlb, g, pc, gpa, this.guestSupervisor, this.mapKind(true));
    else if ((this.gtlb.word2[g]! & (this.guestSupervisor ? TLB2.SX : TLB2.UX)) === 0) {
      this.type = Exit.ISI; // no execute permission: the 440 checks it before it fetches
      this.queue(Prio.ISI);
    } else this.machineCheck(MCSR_MCS | MCSR_IB, pc, gpa); // instruction fetch from a device (kvm440.md 3.6)
  }

  /**
   * A permission fault on a shadow entry. If the guest's own entry allows the access in the
   * current guest mode, the shadow entry is stale (made in the other mode): remap it.
   */
  private storageFault(fetch: boolean, pc: number, esr: number, dear: number): void {
    const ea = fetch ? pc : dear;
    const g = this.guestLookup(ea, fetch);
    if (g >= 0) {
      const w2 = this.gtlb.word2[g]!, sup = this.guestSupervisor;
      const need = fetch ? (sup ? TLB2.SX : TLB2.UX) : (esr & ESR.ST) ? (sup ? TLB2.SW : TLB2.UW) : (sup ? TLB2.SR : TLB2.UR);
      const gpa = this.gtlb.realAddress(g, ea);
      if ((w2 & need) !== 0 && this.isRam(gpa)) {
        this.type = fetch ? Exit.ITLBVIRT : Exit.DTLBVIRT;
        this.shadow.map(this.gtlb, g, ea, gpa, sup, this.mapKind(fetch));
        return;
      }
    }
    if (fetch) {
      this.type = Exit.ISI;
      this.queue(Prio.ISI, esr & ESR.MCI);
    } else {
      this.type = Exit.DSI;
      this.queue(Prio.DSI, esr, dear);
    }
  }

  /** The instruction word at guest `pc` (it was just fetched, so the shadow maps it). */
  fetchInsn(pc: number): number {
    const mem = this.cpu.mem;
    // the core's fetch tags hold the page it just fetched from (a big-endian RAM page)
    const idx = (pc >>> 12) & (mem.xtag.length - 1);
    if (mem.xtag[idx] === (pc & ~0xfff)) return mem.dv.getUint32((pc + mem.xadd[idx]!) >>> 0) | 0;
    try {
      this.utlb.translate(mem, pc, Access.Fetch, pc, 0);
      return mem.dv.getUint32(mem.xPhys) | 0;
    } catch (e) {
      if (e !== FAULT) throw e;
      throw new EmulationFailure("cannot read the trapping instruction", 0);
    }
  }

  setType(t: Exit): void {
    this.type = t;
  }

  requestStop(s: VcpuStop): void {
    if (!this.stop) this.stop = s;
  }

  // ---- boot ----

  /** Reset state for a guest booted like QEMU's bamboo: the same boot TLB the bare board gets. */
  reset(entry: number, r1: number, r3: number, bootTlb: readonly [number, number, number, number, number][]): void {
    const cpu = this.cpu;
    this.shadow.reset();
    this.gtlb.invalidateAll();
    bootTlb.forEach(([w0, w1, w2, tid, bytes], i) => this.gtlb.set(i, w0, w1, w2, tid, bytes));
    this.vmsr = 0;
    cpu.gpr[1] = r1;
    cpu.gpr[3] = r3;
    cpu.st[S.PC] = entry;
    cpu.sink = this;
    this.enter();
  }

  /** Guest physical memory access for emulation (RAM only). */
  readGuestWord(gpa: number): number {
    return this.cpu.mem.dv.getUint32(gpa) | 0;
  }
}

export { Exit };

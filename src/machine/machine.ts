/**
 * Running a board. Bare mode: the guest owns the machine; the loop alternates between the core
 * (run up to the next timer or device event) and the platform (timers, device events, interrupt
 * delivery), and jumps the virtual clock over MSR[WE] wait states. Virt mode: the hypervisor owns
 * the machine; the core runs the guest deprivileged, every interrupt is an exit handled by the
 * vCPU, the board's devices are the device model, and the host's own timer tick, device
 * interrupts and the device model's periodic kick produce DEC, EXTINT and SIGNAL exits.
 * Both stop on a reset request, a checkstop, an instruction budget, or a guest that waits with
 * nothing left to wake it; virt mode also on an emulation failure.
 */

import { BARE_DELIVERY, type Cpu, type ExceptionSink } from "../cpu/cpu.ts";
import { FAULT, IVOR_NAMES, Ivor } from "../cpu/interrupts.ts";
import { SPR } from "../cpu/spr.ts";
import { MSR, S } from "../cpu/state.ts";
import { TCR, TSR } from "../cpu/timers.ts";
import { Exit } from "../hv/exits.ts";
import { CostModel, type CostProfile } from "../hv/profile.ts";
import { Vcpu, type DeviceModel } from "../hv/vcpu.ts";
import { HYPERVISOR_NODE, isPvMode, PV_MODES } from "../hv/pv/abi.ts";
import { Paravirt } from "../hv/pv/paravirt.ts";
import { UserError } from "../util/errors.ts";
import { node } from "./fdt.ts";
import type { BambooBoard, BootState } from "./bamboo.ts";

export type StopReason =
  | { kind: "reset"; how: "dbcr0" | "watchdog"; resetKind: number }
  | { kind: "budget"; insns: number }
  | { kind: "idle"; message: string }
  | { kind: "checkstop"; message: string }
  | { kind: "emulation-failed"; pc: number; insn: number; msr: number; reason: string };

export interface MachineHooks {
  /** `-d int`: one line per interrupt taken (bare mode). */
  onInterrupt?: (cpu: Cpu, ivor: number, srr0: number) => void;
}

export interface VirtOptions {
  profile: CostProfile;
  /** Seed of the cost model's generator (and so of the run's exact timing). */
  seed?: number;
  /** Paravirtualization mode for the hypervisor (src/hv/pv); absent: none. */
  pv?: string;
  /**
   * Clock of the exit-timing stamps, in timebase ticks (`--clock host`); absent: the virtual
   * clock (deterministic). The guest itself always runs on the virtual clock.
   */
  stampClock?: () => number;
}

const SLICE = 1 << 20;

/** Where the guest said its measured workload started and ended (core cycles), see devices/measure.ts. */
export interface Marks {
  start: number | null;
  end: number | null;
}

export class Machine {
  stop: StopReason | null = null;
  maxInsns = Infinity;
  readonly marks: Marks = { start: null, end: null };
  readonly vcpu: Vcpu | null = null;
  /** The paravirtual interface (virt mode with `pv` host-patch or magic-page). */
  readonly pv: Paravirt | null = null;
  /** End of the slice the CPU is running (events scheduled before it cut it short). */
  private sliceEnd = 0;
  private nextSignal = Infinity;
  private signalPeriod = Infinity;
  private extintPending = false;
  private inDeviceEvent = false;

  constructor(readonly board: BambooBoard, boot: BootState, readonly hooks: MachineHooks = {}, virt?: VirtOptions) {
    const cpu = board.cpu;
    board.measure.onMark = (m) => {
      if (m === 1) {
        this.marks.start = cpu.cycles;
        this.marks.end = null;
        this.vcpu?.stats.clear(); // from here on, as if `c` had been written to the timing file
        if (this.vcpu) this.vcpu.stats.enabled = true;
      } else if (this.marks.end === null) {
        this.marks.end = cpu.cycles;
        if (this.vcpu) this.vcpu.stats.enabled = false; // freeze: shutdown is not the workload
      }
    };
    // an event due inside the running slice (a device answering an MMIO write) ends the slice
    board.events.onSchedule = (at) => { if (at < this.sliceEnd) cpu.ctl[0] = 1; };
    cpu.resetHook = { reset: (_cpu, kind) => this.halt({ kind: "reset", how: "dbcr0", resetKind: kind }) };
    board.timers.onWatchdogReset = (kind) => this.halt({ kind: "reset", how: "watchdog", resetKind: kind });
    if (virt) {
      const vcpu = new Vcpu(cpu, board.utlb, this.deviceModel(), new CostModel(virt.profile, virt.seed ?? 1));
      this.vcpu = vcpu;
      if (virt.stampClock) vcpu.stampClock = virt.stampClock;
      vcpu.gtimers.onWatchdogReset = (kind) => this.halt({ kind: "reset", how: "watchdog", resetKind: kind });
      // the guest's interrupt controller drives the guest's (virtual) inputs; the real inputs
      // belong to the host, which has nothing else wired to them
      board.uic0.onChange = (ext, crit) => {
        if (ext && !vcpu.extLevel && this.inDeviceEvent) this.extintPending = true;
        vcpu.extLevel = ext;
        vcpu.critLevel = crit;
      };
      cpu.extInput = cpu.critInput = false;
      // the host's own tick: DEC with auto-reload at HZ
      const tick = Math.round(board.clockHz / virt.profile.hostHz);
      board.timers.write(cpu, SPR.DECAR, tick);
      board.timers.write(cpu, SPR.TCR, TCR.DIE | TCR.ARE);
      board.timers.write(cpu, SPR.DEC, tick);
      if (virt.profile.signalPeriodMs > 0) {
        this.signalPeriod = Math.round(board.clockHz * virt.profile.signalPeriodMs / 1000);
        this.nextSignal = cpu.cycles + this.signalPeriod;
      }
      const pv = virt.pv ?? "off";
      if (!isPvMode(pv)) throw new UserError(`paravirtualization '${pv}' is not one of ${PV_MODES.join(", ")}`);
      if (pv !== "off") {
        this.pv = vcpu.pv = new Paravirt(pv, vcpu);
        // how the guest finds it (kvm440.md 6.1)
        board.addRootNode(node("hypervisor", [
          ["compatible", HYPERVISOR_NODE.compatible], ["hcall-instructions", HYPERVISOR_NODE.hcallInstructions],
        ]));
      }
      vcpu.reset(boot.entry, boot.r1, boot.r3, boot.tlb);
      return;
    }
    const log = hooks.onInterrupt;
    const sink: ExceptionSink = {
      exception: (c) => {
        const e = c.exc;
        if (e.ivor === Ivor.MachineCheck && (c.st[S.MSR]! & MSR.ME) === 0) {
          this.halt({ kind: "checkstop", message: `machine check with MSR[ME]=0 at pc 0x${(e.pc >>> 0).toString(16)} (physical 0x${(e.dear >>> 0).toString(16)})` });
          return false;
        }
        log?.(c, e.ivor, e.ivor === Ivor.SystemCall ? e.pc + 4 : e.pc);
        return BARE_DELIVERY.exception(c);
      },
    };
    cpu.sink = sink;
  }

  /** The board's devices as the hypervisor's device model. */
  private deviceModel(): DeviceModel {
    const { cpu, mmio, dcr } = this.board;
    const guard = <T>(f: () => T): T | null => {
      try { return f(); } catch (e) { if (e === FAULT) return null; throw e; }
    };
    return {
      ramSize: cpu.mem.ramSize,
      mmioRead: (pa, size) => guard(() => mmio.read(pa, size, cpu.mem, cpu.st[S.PC]!)),
      mmioWrite: (pa, size, v) => guard(() => { mmio.write(pa, size, v, cpu.mem, cpu.st[S.PC]!); return true; }) ?? false,
      dcrRead: (n) => dcr.read(n),
      dcrWrite: (n, v) => dcr.write(n, v),
    };
  }

  halt(r: StopReason): void {
    if (!this.stop) this.stop = r;
    this.board.cpu.halted = true;
  }

  /** Runs until the machine stops or `maxCycles` virtual cycles pass; returns the stop reason or null. */
  run(maxCycles = Infinity): StopReason | null {
    return this.vcpu ? this.runVirt(this.vcpu, maxCycles) : this.runBare(maxCycles);
  }

  /** Instructions and interrupts both count: an interrupt storm retires no instruction. */
  private budgetLimit(cpu: Cpu): number {
    const used = cpu.insns + cpu.interrupts;
    if (used >= this.maxInsns) { this.halt({ kind: "budget", insns: cpu.insns }); return -1; }
    return this.maxInsns === Infinity ? Infinity : this.maxInsns - used; // cycles >= the instructions it allows
  }

  private runBare(maxCycles: number): StopReason | null {
    const { cpu, timers, events } = this.board;
    const end = cpu.cycles + maxCycles;
    while (!this.stop && cpu.cycles < end) {
      timers.update();
      events.runDue(cpu.cycles);
      if (this.stop) break;
      const irq = cpu.pendingAsync();
      if (irq >= 0) {
        this.hooks.onInterrupt?.(cpu, irq, cpu.st[S.PC]!);
        cpu.deliver(irq, cpu.st[S.PC]!, -1, null);
      }
      // only events that can raise an interrupt or a reset end a run slice; status-only timer
      // changes (FIS, ENW while disabled) are applied lazily when software reads TSR
      const next = Math.min(timers.nextInterruptEvent(), events.nextAt());
      if ((cpu.st[S.MSR]! & MSR.WE) !== 0) {
        if (next === Infinity) {
          this.halt({ kind: "idle", message: `the guest waits (MSR[WE]=1) at pc 0x${cpu.pc.toString(16)} with no timer or device event to wake it` });
          break;
        }
        cpu.cycles = Math.max(cpu.cycles, Math.min(next, end)); // the wait state takes no host time
        continue;
      }
      const budget = this.budgetLimit(cpu);
      if (budget < 0) break;
      const limit = Math.min(next, end, cpu.cycles + SLICE, cpu.cycles + budget);
      cpu.halted = false;
      this.sliceEnd = Math.max(limit, cpu.cycles + 1);
      cpu.run(this.sliceEnd);
    }
    return this.stop;
  }

  private runVirt(vcpu: Vcpu, maxCycles: number): StopReason | null {
    const { cpu, timers, events } = this.board;
    const end = cpu.cycles + maxCycles;
    while (!this.stop && cpu.cycles < end) {
      timers.update();
      this.inDeviceEvent = true;
      events.runDue(cpu.cycles);
      this.inDeviceEvent = false;
      if (this.checkVcpuStop(vcpu)) break;
      if (vcpu.waiting) {
        if (vcpu.hasPending()) {
          // the host handled its own ticks while the vCPU slept
          timers.write(cpu, SPR.TSR, TSR.DIS);
          this.extintPending = false;
          vcpu.wake();
          continue;
        }
        if (cpu.cycles >= this.nextSignal) {
          this.nextSignal += this.signalPeriod;
          vcpu.kickBlocked(); // the device model's kick ends the blocked exit as SIGNAL
          continue;
        }
        const next = Math.min(vcpu.gtimers.nextInterruptEvent(), events.nextAt(), this.nextSignal);
        if (vcpu.gtimers.nextInterruptEvent() === Infinity && events.nextAt() === Infinity) {
          this.halt({ kind: "idle", message: `the guest waits (MSR[WE]=1) at pc 0x${cpu.pc.toString(16)} with no timer or device event to wake it` });
          break;
        }
        cpu.cycles = Math.max(cpu.cycles, Math.min(next, end));
        continue;
      }
      if (cpu.cycles >= this.nextSignal) {
        this.nextSignal += this.signalPeriod;
        vcpu.kick(); // the exit in progress or the next one ends as SIGNAL (kvm440.md 1.2)
      }
      if (this.extintPending) {
        this.extintPending = false;
        vcpu.asyncExit(Exit.EXTINT);
        continue;
      }
      if (cpu.pendingAsync() === Ivor.Decrementer) {
        timers.write(cpu, SPR.TSR, TSR.DIS); // the host acknowledges its tick
        vcpu.asyncExit(Exit.DEC);
        continue;
      }
      // the guest's timers run on a host high-resolution timer (KVM 3.x): when one of them is due
      // to raise an enabled interrupt, the host's timer interrupt makes a DEC exit right then
      const guestTimer = vcpu.gtimers.nextInterruptEvent();
      if (cpu.cycles >= guestTimer) {
        vcpu.asyncExit(Exit.DEC);
        continue;
      }
      const budget = this.budgetLimit(cpu);
      if (budget < 0) break;
      const limit = Math.min(timers.nextInterruptEvent(), events.nextAt(), guestTimer, this.nextSignal, end, cpu.cycles + SLICE, cpu.cycles + budget);
      cpu.halted = false;
      this.sliceEnd = Math.max(limit, cpu.cycles + 1);
      cpu.run(this.sliceEnd);
      if (this.checkVcpuStop(vcpu)) break;
    }
    return this.stop;
  }

  private checkVcpuStop(vcpu: Vcpu): boolean {
    const s = vcpu.stop;
    if (!s) return this.stop !== null;
    if (s.kind === "reset") this.halt({ kind: "reset", how: "dbcr0", resetKind: s.resetKind });
    else this.halt(s);
    return true;
  }
}

export const interruptName = (ivor: number): string => IVOR_NAMES[ivor] ?? `ivor${ivor}`;

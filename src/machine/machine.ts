/**
 * Running a board in bare mode: the guest owns the machine. The loop alternates between the core
 * (run up to the next timer or device event) and the platform (timers, device events, interrupt
 * delivery), jumps the virtual clock over MSR[WE] wait states, and stops on a reset request,
 * a checkstop, an instruction budget, or a guest that waits with nothing left to wake it.
 */

import { BARE_DELIVERY, type Cpu, type ExceptionSink } from "../cpu/cpu.ts";
import { IVOR_NAMES, Ivor } from "../cpu/interrupts.ts";
import { MSR, S } from "../cpu/state.ts";
import type { BambooBoard } from "./bamboo.ts";

export type StopReason =
  | { kind: "reset"; how: "dbcr0" | "watchdog"; resetKind: number }
  | { kind: "budget"; insns: number }
  | { kind: "idle"; message: string }
  | { kind: "checkstop"; message: string };

export interface MachineHooks {
  /** `-d int`: one line per interrupt taken. */
  onInterrupt?: (cpu: Cpu, ivor: number, srr0: number) => void;
}

const SLICE = 1 << 20;

export class Machine {
  stop: StopReason | null = null;
  maxInsns = Infinity;

  constructor(readonly board: BambooBoard, readonly hooks: MachineHooks = {}) {
    const cpu = board.cpu;
    cpu.resetHook = { reset: (_cpu, kind) => this.halt({ kind: "reset", how: "dbcr0", resetKind: kind }) };
    board.timers.onWatchdogReset = (kind) => this.halt({ kind: "reset", how: "watchdog", resetKind: kind });
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

  halt(r: StopReason): void {
    if (!this.stop) this.stop = r;
    this.board.cpu.halted = true;
  }

  /** Runs until the machine stops or `hostSliceCycles` virtual cycles pass; returns the stop reason or null. */
  run(maxCycles = Infinity): StopReason | null {
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
      const next = Math.min(timers.nextEvent(), events.nextAt());
      if ((cpu.st[S.MSR]! & MSR.WE) !== 0) {
        if (next === Infinity) {
          this.halt({ kind: "idle", message: `the guest waits (MSR[WE]=1) at pc 0x${cpu.pc.toString(16)} with no timer or device event to wake it` });
          break;
        }
        cpu.cycles = Math.max(cpu.cycles, Math.min(next, end)); // the wait state takes no host time
        continue;
      }
      if (cpu.insns >= this.maxInsns) { this.halt({ kind: "budget", insns: cpu.insns }); break; }
      const budgetCycles = this.maxInsns === Infinity ? Infinity : this.maxInsns - cpu.insns; // >= insns it allows
      const limit = Math.min(next, end, cpu.cycles + SLICE, cpu.cycles + budgetCycles);
      cpu.halted = false;
      cpu.run(Math.max(limit, cpu.cycles + 1));
    }
    return this.stop;
  }
}

export const interruptName = (ivor: number): string => IVOR_NAMES[ivor] ?? `ivor${ivor}`;

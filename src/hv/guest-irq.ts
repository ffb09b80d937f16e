/**
 * Guest interrupt priorities as KVM numbered them (kvm440.md 5.2): lower wins, the first allowed
 * pending one is delivered at guest entry, one per entry. Synchronous ones are queued by exits;
 * the level-triggered ones (critical input, watchdog, external, FIT, decrementer) are sampled
 * from their sources at delivery time.
 */

import { Ivor } from "../cpu/interrupts.ts";

export const enum Prio {
  DSI, ISI, ALIGN, PROGRAM, FP_UNAVAIL, SYSCALL, AP_UNAVAIL, DTLB, ITLB, MCHECK, DEBUG,
  CRITICAL, WATCHDOG, EXTERNAL, FIT, DEC,
}

export const PRIO_IVOR: readonly number[] = [
  Ivor.DataStorage, Ivor.InstStorage, Ivor.Alignment, Ivor.Program, Ivor.FpUnavailable, Ivor.SystemCall,
  Ivor.ApUnavailable, Ivor.DataTlb, Ivor.InstTlb, Ivor.MachineCheck, Ivor.Debug, Ivor.Critical,
  Ivor.Watchdog, Ivor.External, Ivor.FixedInterval, Ivor.Decrementer,
];

/** Priorities whose delivery writes ESR (and DEAR). */
export const SETS_ESR = new Set<number>([Prio.DSI, Prio.ISI, Prio.ALIGN, Prio.PROGRAM, Prio.DTLB]);
export const SETS_DEAR = new Set<number>([Prio.DSI, Prio.ALIGN, Prio.DTLB]);

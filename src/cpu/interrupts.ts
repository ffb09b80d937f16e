/**
 * Interrupt types (numbered as their IVORs), ESR bits, and the record a raised exception leaves
 * for whoever owns the vectors (the bare-metal delivery in cpu/, the Linux user-mode runner, or
 * the hypervisor). The core only *raises*; delivery is the owner's business.
 */

export const enum Ivor {
  Critical = 0,
  MachineCheck = 1,
  DataStorage = 2,
  InstStorage = 3,
  External = 4,
  Alignment = 5,
  Program = 6,
  FpUnavailable = 7,
  SystemCall = 8,
  ApUnavailable = 9,
  Decrementer = 10,
  FixedInterval = 11,
  Watchdog = 12,
  DataTlb = 13,
  InstTlb = 14,
  Debug = 15,
}

export const IVOR_NAMES = [
  "critical", "machine-check", "data-storage", "instruction-storage", "external", "alignment",
  "program", "fp-unavailable", "system-call", "ap-unavailable", "decrementer", "fixed-interval-timer",
  "watchdog", "data-tlb-error", "instruction-tlb-error", "debug",
] as const;

/** ESR bits (UM p.172). */
export const ESR = {
  MCI: 0x80000000,
  PIL: 0x08000000,
  PPR: 0x04000000,
  PTR: 0x02000000,
  FP: 0x01000000,
  ST: 0x00800000,
  DLK: 0x00200000,
  ILK: 0x00100000,
  AP: 0x00080000,
  PUO: 0x00040000,
  BO: 0x00020000,
  PIE: 0x00010000,
} as const;

/** Sentinel thrown by the execution engine after recording an exception in `Pending`. */
export const FAULT = { fault: true } as const;
export type Fault = typeof FAULT;

/** What a synchronous exception left behind. One instance per CPU, reused (no allocation). */
export class PendingException {
  ivor = -1;
  /** Address of the instruction that raised it (for `sc`, the `sc` itself; SRR0 is then pc+4). */
  pc = 0;
  /** ESR value to write, when `setsEsr`. */
  esr = 0;
  setsEsr = false;
  /** DEAR value to write, when `setsDear`. */
  dear = 0;
  setsDear = false;
  /** The instruction word (for program interrupts and emulation by a hypervisor). */
  insn = 0;
  /** MCSR bits a machine check sets. */
  mcsr = 0;

  set(ivor: number, pc: number, esr: number, setsEsr: boolean, dear: number, setsDear: boolean): void {
    this.ivor = ivor;
    this.pc = pc;
    this.esr = esr;
    this.setsEsr = setsEsr;
    this.dear = dear;
    this.setsDear = setsDear;
    this.mcsr = 0;
  }
}

/**
 * Exit types: the seed's vocabulary and row order (design.md section 3). KVM's enum had
 * EMUL_WRTEE where the seed's tables say EMUL_CORE (the wrtee/wrteei slot); DTLBPV and HCALL are
 * the seed prototype's paravirtual rows. After FP_UNAVAIL come hv440's extension rows for exits
 * KVM either crashed on or charged to the previous type; TIMEINGUEST is always last.
 */

export const EXIT_NAMES = [
  "MMIO", "DCR", "SIGNAL", "ITLBREAL", "ITLBVIRT", "DTLBREAL", "DTLBPV", "DTLBVIRT", "SYSCALL", "HCALL",
  "ISI", "DSI", "EMULINST", "EMUL_WAIT", "EMUL_CORE", "EMUL_MTSPR", "EMUL_MFSPR", "EMUL_MTMSR",
  "EMUL_MFMSR", "EMUL_TLBSX", "EMUL_TLBWE", "EMUL_RFI", "DEC", "EXTINT", "FP_UNAVAIL",
  "USR_PR_INST", "ALIGN", "MCHECK", "DEBUG",
  "TIMEINGUEST",
] as const;

export type ExitName = (typeof EXIT_NAMES)[number];

export const enum Exit {
  MMIO, DCR, SIGNAL, ITLBREAL, ITLBVIRT, DTLBREAL, DTLBPV, DTLBVIRT, SYSCALL, HCALL,
  ISI, DSI, EMULINST, EMUL_WAIT, EMUL_CORE, EMUL_MTSPR, EMUL_MFSPR, EMUL_MTMSR,
  EMUL_MFMSR, EMUL_TLBSX, EMUL_TLBWE, EMUL_RFI, DEC, EXTINT, FP_UNAVAIL,
  USR_PR_INST, ALIGN, MCHECK, DEBUG,
  TIMEINGUEST,
}

export const EXIT_COUNT = EXIT_NAMES.length;

/** kvm_stat's per-VM side counters (v2.6.29 debugfs names), summed over vCPUs. */
export const SIDE_COUNTERS = [
  "mmio", "dcr", "sig", "itlb_r", "itlb_v", "dtlb_r", "dtlb_v", "sysc", "isi", "dsi", "inst_emu",
  "dec", "ext_intr", "halt_wakeup",
] as const;
export type SideCounter = (typeof SIDE_COUNTERS)[number];

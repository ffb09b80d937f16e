// The targeted guest (guest-images/hvtests/src/exits.S) provokes every exit type: each labelled
// instruction must be counted in its row, every row the seed's tables name must be reached, the
// guest must see the same machine as on bare metal, and the statistics must obey KVM's rules.
import { describe, expect, it } from "vitest";
import { EXIT_NAMES, type ExitName } from "../../src/hv/exits.ts";
import { counts, EXITS_ELF, runGuest, type GuestRun } from "./harness.ts";

/** Exits the host causes at whatever guest PC it is (not tied to an instruction). */
const ASYNC = new Set<ExitName>(["DEC", "EXTINT"]);

/** Labelled instruction (or address) -> the synchronous exits it causes, in order. */
const AT: Record<string, ExitName[]> = {
  x_mtmmucr: ["EMUL_MTSPR"], x_tlbwe: ["EMUL_TLBWE"], x_mtivor: ["EMUL_MTSPR"],
  x_mfmsr: ["EMUL_MFMSR"], x_mtmsr: ["EMUL_MTMSR"], x_wrteei: ["EMUL_CORE"], x_wrtee: ["EMUL_CORE"],
  x_mfsprg: ["EMULINST"], x_mtsprg: ["EMULINST"], x_mfpvr: ["EMULINST"],
  x_mfesr: ["EMUL_MFSPR"], x_mfpir: ["EMUL_MFSPR"], x_mtpid: ["EMUL_MTSPR"],
  x_tlbsx: ["EMUL_TLBSX"], x_tlbsxdot: ["EMUL_TLBSX"], x_tlbre: ["EMULINST"],
  x_mfdcr: ["DCR"], x_mtdcr_cpr: ["EMULINST"], x_mfdcr_cpr: ["EMULINST"],
  x_tlbsync: ["EMULINST"], x_iccci: ["EMULINST"], x_dccci: ["EMULINST"], x_dcbi: ["EMULINST"],
  x_dcread: ["EMULINST"], x_icread: ["EMULINST"],
  x_rfi: ["EMUL_RFI"], x_rfci: ["EMUL_RFI"], x_rfmci: ["EMUL_RFI"],
  x_stbu: ["MMIO"], x_lbz: ["MMIO"], x_lbzux: ["MMIO"], x_sthbrx: ["MMIO"], x_lbzx: ["MMIO"],
  x_stwbrx: ["MMIO"], x_lwbrx: ["MMIO"], x_lha: ["MMIO"],
  x_sc: ["SYSCALL"],
  // no guest entry: reflected; the guest handler's tlbwe shadows the page at once (KVM 3.5 step 4)
  x_dtlb: ["DTLBREAL"], "0x50000000": ["ITLBREAL"],
  x_dtlbvirt: ["DTLBVIRT"], far: ["ITLBVIRT"], // guest hit, no shadow yet: one 4 KiB shadow page
  x_fp: ["FP_UNAVAIL", "DTLBVIRT"], // retried with MSR[FP]: the stack page is shadowed
  x_trap: ["EMULINST"], x_illegal: ["EMULINST"], // program from the guest kernel: reflected
  x_align: ["ALIGN"],
  x_wait: ["EMUL_WAIT"],
  x_wait_long: ["SIGNAL"], // the device model's kick came while blocked: SIGNAL overrides EMUL_WAIT
  // ... and the guest, still waiting, exits again at once; then wrteei 0 after the wake-up
  x_wait_long_next: ["EMUL_WAIT", "EMUL_CORE"],
  // the code page was shadowed in guest kernel mode: its shadow TID 1 does not match the
  // user-mode shadow PID 0 (kvm440.md 3.4), so the first user fetch refaults
  u_mfmsr: ["ITLBVIRT", "USR_PR_INST"], u_mtsprg: ["USR_PR_INST"], u_wrteei: ["USR_PR_INST"],
  u_tlbwe: ["USR_PR_INST"], u_mfdcr: ["USR_PR_INST"], u_rfi: ["USR_PR_INST"],
  u_dsi: ["DSI"], // user store to a supervisor-only device page (never shadowed: checked on the MMIO path)
  "0x60000000": ["ITLBVIRT", "ISI"], // shadowed without UX, then the real ISI is reflected
  "0x70000000": ["ITLBVIRT"], // guest hit on a device page: machine check for the guest
  x_mcheck_data: ["MMIO"], // a data read nobody decodes: MMIO, machine check for the guest
};

/** Rows the targeted guest cannot reach, and why. */
const UNREACHED: Partial<Record<ExitName, string>> = {
  DTLBPV: "paravirtual page misses exist only with --pv",
  HCALL: "hypercalls exist only with --pv",
  MCHECK: "the host's RAM never faults: a guest machine check is reflected from ITLBVIRT/MMIO",
  DEBUG: "no host debugger sets IAC registers (KVM's DEBUG came from the gdbstub)",
};

const EXPECTED_RECORD = "exits: SdiFPtPlATETTPpPpPpPpPpPpDSIMM";

function pcOf(r: GuestRun, label: string): number {
  if (label.startsWith("0x")) return Number(label);
  const a = r.symbols.get(label);
  if (a === undefined) throw new Error(`no symbol ${label} in exits.elf`);
  return a;
}

describe.each(["sequoia-2008", "ideal"])("exits.elf under the hypervisor, profile %s", (profile) => {
  const bare = runGuest(EXITS_ELF, { mode: "bare" });
  const virt = runGuest(EXITS_ELF, { profile });

  it("the guest sees the machine it sees bare: same interrupts, same emulated values", () => {
    expect(bare.stop).toMatchObject({ kind: "reset" });
    expect(bare.console).toContain(EXPECTED_RECORD + "\n");
    expect(virt.console).toBe(bare.console);
    expect(virt.stop).toEqual(bare.stop);
  });

  it.each(Object.entries(AT))("%s is counted as %j", (label, rows) => {
    const pc = pcOf(virt, label);
    const seen = virt.exits.filter((e) => e.pc === pc && !ASYNC.has(e.type)).map((e) => e.type);
    expect(seen).toEqual(rows);
  });

  it("reaches every row the seed's tables name, and no row it cannot", () => {
    const c = counts(virt.stats!);
    for (const name of EXIT_NAMES) {
      if (UNREACHED[name]) expect(c[name], `${name}: ${UNREACHED[name]}`).toBe(0);
      else expect(c[name], name).toBeGreaterThan(0);
    }
    // a decrementer interrupt armed and awaited by a spin loop, a device interrupt while running
    expect(c.EXTINT).toBe(1);
    expect(virt.exits.filter((e) => e.type === "SIGNAL").length).toBe(profile === "ideal" ? 1 : 2);
  });

  it("counts every exit but the last (its cycle is incomplete) in the row of its final type", () => {
    const hist = Object.fromEntries(EXIT_NAMES.map((n) => [n, 0])) as Record<ExitName, number>;
    for (const e of virt.exits.slice(0, -1)) hist[e.type]++;
    const c = counts(virt.stats!);
    expect({ ...c, TIMEINGUEST: 0 }).toEqual(hist);
    // the stop request is the last exit: mtspr DBCR0[RST]
    expect(virt.exits.at(-1)!.type).toBe("EMUL_MTSPR");
  });

  it("count(TIMEINGUEST) = the sum of all other counts", () => {
    const c = counts(virt.stats!);
    const others = EXIT_NAMES.filter((n) => n !== "TIMEINGUEST").reduce((a, n) => a + c[n], 0);
    expect(c.TIMEINGUEST).toBe(others);
    expect(c.TIMEINGUEST).toBeGreaterThan(500);
  });

  it("charges the compute loop to TIMEINGUEST", () => {
    const tig = virt.stats!.rows[EXIT_NAMES.indexOf("TIMEINGUEST")]!;
    // 131072 iterations of two single-cycle instructions: 393 us at 667 MHz (less what the
    // host's timer ticks cut out of it)
    expect(tig.max).toBeGreaterThan(100);
    expect(tig.sum).toBeGreaterThanOrEqual(390);
  });
});

describe("kvm_stat side counters over the targeted guest (profile ideal)", () => {
  const r = runGuest(EXITS_ELF, { profile: "ideal" });
  const hist = (...t: ExitName[]) => r.exits.filter((e) => t.includes(e.type)).length;
  const side = r.stats!.side;

  it("count what each exit was, as KVM's vcpu->stat did", () => {
    expect(side.mmio).toBe(hist("MMIO"));
    expect(side.dcr).toBe(hist("DCR"));
    expect(side.itlb_r).toBe(hist("ITLBREAL"));
    expect(side.itlb_v).toBe(hist("ITLBVIRT"));
    expect(side.dtlb_r).toBe(hist("DTLBREAL"));
    expect(side.dtlb_v).toBe(hist("DTLBVIRT"));
    expect(side.sysc).toBe(hist("SYSCALL"));
    expect(side.isi).toBe(hist("ISI"));
    expect(side.dsi).toBe(hist("DSI"));
    expect(side.dec).toBe(hist("DEC"));
    expect(side.ext_intr).toBe(hist("EXTINT"));
    expect(side.sig).toBe(hist("SIGNAL"));
    // the wait exit the kick overrode was an emulation all the same (KVM bumped both)
    expect(side.inst_emu).toBe(hist(...EXIT_NAMES.slice(EXIT_NAMES.indexOf("EMULINST"), EXIT_NAMES.indexOf("EMUL_RFI") + 1)) + 1);
    // the two decrementer wake-ups from the wait state
    expect(side.halt_wakeup).toBe(2);
  });
});

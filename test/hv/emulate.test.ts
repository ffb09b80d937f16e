// Every privileged 440 instruction (and every privileged SPR) executed by a guest kernel under
// the hypervisor does what the bare core does — checked instruction by instruction against the
// bare board (test/hv/lockstep.ts) — and is counted in the row the seed's tables use. The
// same instructions from guest user mode are reflected as program interrupts, never emulated.
import { describe, expect, it } from "vitest";
import { SPR_ACCESS } from "../../src/cpu/spr.ts";
import { bodyPc, both, exitsAt, FAULT_REGS, li32, run, type Insn, type Seen } from "./lockstep.ts";

const ESR_PIL = 0x08000000, ESR_PPR = 0x04000000, ESR_PTR = 0x02000000, ESR_ST = 0x00800000;
const PROGRAM = 6, DSI = 2, DTLB = 13;
const UART_SCR = 0xef600307;

function same(bare: Seen, virt: Seen): void {
  expect(virt.stop).toEqual(bare.stop);
  expect(virt.gpr.map((x) => x.toString(16))).toEqual(bare.gpr.map((x) => x.toString(16)));
  expect(virt.cr.toString(16)).toBe(bare.cr.toString(16));
}

const PRIV_SPRS = Array.from({ length: 1024 }, (_, n) => n).filter((n) => (n & 0x10) !== 0 && SPR_ACCESS[n] !== 0);
/** KVM's generic SPRs (row EMULINST); every other privileged SPR is EMUL_MTSPR / EMUL_MFSPR. */
const GENERIC = new Set([26, 27, 272, 273, 274, 275, 287, 284, 285, 22]);
/** Values that keep the run going: DBCR0 without RST, TCR without a watchdog reset. */
const pattern = (n: number): number => (n === 308 ? 0x40000f0f : n === 340 ? 0x04400000 : 0x5a5a0f0f);

describe("mfspr/mtspr of every privileged SPR (UM table 10-2), including those KVM never emulated", () => {
  it("covers them all", () => expect(PRIV_SPRS.length).toBe(83));

  it.each(PRIV_SPRS)("SPR %i: reset value, write, read back as on bare metal, in the seed's rows", (n) => {
    const body: Insn[] = [["mfspr", { rt: 3, spr: n }], ...li32(4, pattern(n)), ["mtspr", { spr: n, rs: 4 }], ["mfspr", { rt: 5, spr: n }]];
    const { bare, virt } = both(body);
    same(bare, virt);
    expect(bare.gpr[FAULT_REGS.ivor]).toBe(0xffffffff); // no interrupt
    const access = SPR_ACCESS[n];
    if (access !== 3) expect(exitsAt(virt, 0)).toEqual([GENERIC.has(n) ? "EMULINST" : "EMUL_MFSPR"]);
    expect(exitsAt(virt, 3)).toEqual([GENERIC.has(n) ? "EMULINST" : "EMUL_MTSPR"]);
  });

  it.each([[1008, "privileged, not implemented"], [2, "not privileged, not a user SPR"], [0x3f0, "privileged, not implemented"]])(
    "SPR %i (%s): illegal instruction, as on bare metal", (n) => {
      for (const insn of [["mfspr", { rt: 3, spr: n }], ["mtspr", { spr: n, rs: 3 }]] as Insn[]) {
        const { bare, virt } = both([insn]);
        same(bare, virt);
        expect(bare.gpr[FAULT_REGS.ivor]).toBe(PROGRAM);
        expect(bare.gpr[FAULT_REGS.esr]).toBe(ESR_PIL);
      }
    });

  it("user-readable SPRs (TBL, SPRG4-7 read aliases) do not trap", () => {
    const virt = run("virt", [["mfspr", { rt: 3, spr: 268 }], ["mfspr", { rt: 4, spr: 260 }], ["mfspr", { rt: 5, spr: 256 }]]);
    expect([0, 1, 2].flatMap((i) => exitsAt(virt, i))).toEqual([]);
  });
});

describe("the other privileged instructions", () => {
  const cases: [string, Insn[], Record<number, number>, Record<number, string[]>][] = [
    ["mfmsr / mtmsr / wrtee / wrteei", [
      ["mfmsr", { rt: 3 }], ...li32(4, 0x00029000), ["mtmsr", { rs: 4 }], ["mfmsr", { rt: 5 }],
      ["wrteei", { e: 0 }], ["mfmsr", { rt: 6 }], ["wrtee", { rs: 4 }], ["mfmsr", { rt: 7 }],
    ], {}, { 0: ["EMUL_MFMSR"], 3: ["EMUL_MTMSR"], 5: ["EMUL_CORE"], 7: ["EMUL_CORE"] }],
    ["tlbre of each word (MMUCR[STID] from WS 0)", [
      ["addi", { rt: 6, ra: 0, si: 1 }], ["tlbre", { rt: 3, ra: 6, ws: 0 }], ["tlbre", { rt: 4, ra: 6, ws: 1 }],
      ["tlbre", { rt: 5, ra: 6, ws: 2 }], ["mfspr", { rt: 7, spr: 946 }],
    ], {}, { 1: ["EMULINST"], 2: ["EMULINST"], 3: ["EMULINST"] }],
    ["tlbwe then tlbre (TID from MMUCR[STID])", [
      ...li32(8, 0x0000002a), ["mtspr", { spr: 946, rs: 8 }], ["addi", { rt: 6, ra: 0, si: 5 }],
      ...li32(9, 0x90000210), ["tlbwe", { rs: 9, ra: 6, ws: 0 }], ...li32(9, 0x00300000), ["tlbwe", { rs: 9, ra: 6, ws: 1 }],
      ["addi", { rt: 9, ra: 0, si: 0x3f }], ["tlbwe", { rs: 9, ra: 6, ws: 2 }],
      ["addi", { rt: 8, ra: 0, si: 0 }], ["mtspr", { spr: 946, rs: 8 }],
      ["tlbre", { rt: 3, ra: 6, ws: 0 }], ["tlbre", { rt: 4, ra: 6, ws: 1 }], ["tlbre", { rt: 5, ra: 6, ws: 2 }], ["mfspr", { rt: 7, spr: 946 }],
    ], {}, { 6: ["EMUL_TLBWE"], 9: ["EMUL_TLBWE"], 11: ["EMUL_TLBWE"], 14: ["EMULINST"], 17: ["EMUL_MFSPR"] }],
    ["tlbsx and tlbsx. (hit, miss, CR0[EQ] with SO kept, STS/STID search)", [
      ...li32(8, 0x80000000), ["mtspr", { spr: 1, rs: 8 }], // XER[SO]
      ...li32(6, 0x12345678), ["tlbsx", { rt: 3, ra: 0, rb: 6 }], ["tlbsx.", { rt: 4, ra: 0, rb: 6 }], ["mfcr", { rt: 10 }],
      ...li32(8, 0x00010000), ["mtspr", { spr: 946, rs: 8 }], ["tlbsx.", { rt: 5, ra: 0, rb: 6 }], ["mfcr", { rt: 11 }],
    ], {}, { 5: ["EMUL_TLBSX"], 6: ["EMUL_TLBSX"], 10: ["EMUL_MTSPR"], 11: ["EMUL_TLBSX"] }],
    ["tlbwe/tlbre WS 3: illegal", [["tlbre", { rt: 3, ra: 0, ws: 3 }]], {}, {}],
    ["tlbsync, iccci, dccci, dcbi: no-ops (EMULINST)", [
      ["tlbsync"], ["iccci", { ra: 0, rb: 0 }], ["dccci", { ra: 0, rb: 0 }], ["dcbi", { ra: 0, rb: 1 }],
    ], {}, { 0: ["EMULINST"], 1: ["EMULINST"], 2: ["EMULINST"], 3: ["EMULINST"] }],
    ["dcread / icread (no cache arrays: zeros) and the debug registers they set", [
      ["addi", { rt: 3, ra: 0, si: -1 }], ["dcread", { rt: 3, ra: 0, rb: 1 }], ["icread", { ra: 0, rb: 1 }],
      ["mfspr", { rt: 4, spr: 924 }], ["mfspr", { rt: 5, spr: 925 }], ["mfspr", { rt: 6, spr: 926 }],
      ["mfspr", { rt: 7, spr: 927 }], ["mfspr", { rt: 8, spr: 979 }],
    ], {}, { 1: ["EMULINST"], 2: ["EMULINST"] }],
    ["dcbi where the guest has no entry: data TLB miss, ESR[ST]", [
      ["addi", { rt: 6, ra: 0, si: 1 }], ["addi", { rt: 9, ra: 0, si: 0 }], ["tlbwe", { rs: 9, ra: 6, ws: 0 }],
      ...li32(7, 0x90000040), ["dcbi", { ra: 0, rb: 7 }],
    ], {}, { 5: ["EMULINST"] }],
    ["dcbi where the guest may not write: data storage, ESR[ST]", [
      ["addi", { rt: 6, ra: 0, si: 1 }], ["addi", { rt: 9, ra: 0, si: 1 }], ["tlbwe", { rs: 9, ra: 6, ws: 2 }], // SR only
      ...li32(7, 0x90000040), ["dcbi", { ra: 0, rb: 7 }],
    ], {}, { 5: ["EMULINST"] }],
    ["mfdcr/mtdcr: the device model (DCR), CPR0 in kernel (EMULINST), unimplemented: illegal", [
      ["mfdcr", { rt: 3, dcrn: 0xc2 }], ["addi", { rt: 4, ra: 0, si: 0x40 }], ["mtdcr", { dcrn: 0x0c, rs: 4 }],
      ["mfdcr", { rt: 5, dcrn: 0x0d }], ["mfdcr", { rt: 6, dcrn: 0x3ff }],
    ], {}, { 0: ["DCR"], 2: ["EMULINST"], 3: ["EMULINST"], 4: ["DCR"] }],
    ["rfi / rfci / rfmci", [
      ...li32(4, bodyPc(8)), ["mtspr", { spr: 26, rs: 4 }], ...li32(5, 0x00001000), ["mtspr", { spr: 27, rs: 5 }], ["rfi"],
      ["addi", { rt: 3, ra: 0, si: 1 }], // skipped
      ...li32(4, bodyPc(14)), ["mtspr", { spr: 58, rs: 4 }], ["mtspr", { spr: 59, rs: 5 }], ["rfci"],
      ["addi", { rt: 3, ra: 0, si: 2 }], // skipped
      ...li32(4, bodyPc(20)), ["mtspr", { spr: 570, rs: 4 }], ["mtspr", { spr: 571, rs: 5 }], ["rfmci"],
      ["addi", { rt: 3, ra: 0, si: 3 }], // skipped
      ["mfmsr", { rt: 6 }],
    ], {}, { 6: ["EMUL_RFI"], 12: ["EMUL_RFI"], 18: ["EMUL_RFI"] }],
    ["tw from the guest kernel: a trap, reflected (EMULINST)", [["tw", { to: 4, ra: 3, rb: 3 }]], {}, { 0: ["EMULINST"] }],
    ["an undefined opcode from the guest kernel: illegal, reflected (EMULINST)", [0x00000000], {}, { 0: ["EMULINST"] }],
  ];

  it.each(cases)("%s", (_name, body, regs, rows) => {
    const { bare, virt } = both(body, regs);
    same(bare, virt);
    for (const [i, r] of Object.entries(rows)) expect(exitsAt(virt, Number(i)), `body[${i}]`).toEqual(r);
  });

  it("the interrupts above are the architected ones", () => {
    const ivor = (body: Insn[]) => run("bare", body).gpr;
    expect(ivor([["tlbre", { rt: 3, ra: 0, ws: 3 }]]).slice(21, 23)).toEqual([ESR_PIL, PROGRAM]);
    expect(ivor([["tw", { to: 4, ra: 3, rb: 3 }]]).slice(21, 23)).toEqual([ESR_PTR, PROGRAM]);
    expect(ivor(cases[7]![1])[FAULT_REGS.ivor]).toBe(DTLB);
    expect(ivor(cases[7]![1])[FAULT_REGS.esr]).toBe(ESR_ST);
    expect(ivor(cases[8]![1])[FAULT_REGS.ivor]).toBe(DSI);
    expect(ivor(cases[8]![1])[FAULT_REGS.dear]).toBe(0x90000040);
  });
});

describe("from guest user mode, privileged instructions are reflected, never emulated", () => {
  const toUser: Insn[] = [
    // the boot entry 0 gets user permissions too (UX UW UR SX SW SR), then rfi to user mode
    ["addi", { rt: 9, ra: 0, si: 0x3f }], ["addi", { rt: 6, ra: 0, si: 0 }], ["tlbwe", { rs: 9, ra: 6, ws: 2 }],
    ...li32(4, bodyPc(11)), ["mtspr", { spr: 26, rs: 4 }], ...li32(5, 0x00005000), ["mtspr", { spr: 27, rs: 5 }], ["rfi"],
    ["addi", { rt: 3, ra: 0, si: 0x77 }], // skipped
  ];
  const USER_PC = bodyPc(11);
  const privileged: [string, Insn][] = [
    ["mfmsr", ["mfmsr", { rt: 3 }]], ["mtmsr", ["mtmsr", { rs: 0 }]], ["wrteei", ["wrteei", { e: 1 }]], ["wrtee", ["wrtee", { rs: 0 }]],
    ["rfi", ["rfi"]], ["rfci", ["rfci"]], ["rfmci", ["rfmci"]],
    ["mfspr SPRG0", ["mfspr", { rt: 3, spr: 272 }]], ["mtspr SRR0", ["mtspr", { spr: 26, rs: 0 }]], ["mtspr PID", ["mtspr", { spr: 48, rs: 0 }]],
    ["mfdcr", ["mfdcr", { rt: 3, dcrn: 0xc0 }]], ["mtdcr", ["mtdcr", { dcrn: 0xc2, rs: 0 }]],
    ["tlbwe", ["tlbwe", { rs: 0, ra: 0, ws: 0 }]], ["tlbre", ["tlbre", { rt: 3, ra: 0, ws: 0 }]], ["tlbsx", ["tlbsx", { rt: 3, ra: 0, rb: 0 }]],
    ["tlbsync", ["tlbsync"]], ["iccci", ["iccci", { ra: 0, rb: 0 }]], ["dccci", ["dccci", { ra: 0, rb: 0 }]],
    ["dcbi", ["dcbi", { ra: 0, rb: 1 }]], ["dcread", ["dcread", { rt: 3, ra: 0, rb: 1 }]], ["icread", ["icread", { ra: 0, rb: 1 }]],
  ];
  it.each(privileged)("%s: program interrupt with ESR[PPR], counted USR_PR_INST", (_n, insn) => {
    const body = [...toUser, insn];
    const { bare, virt } = both(body);
    same(bare, virt);
    expect(bare.gpr[FAULT_REGS.ivor]).toBe(PROGRAM);
    expect(bare.gpr[FAULT_REGS.esr]).toBe(ESR_PPR);
    expect(bare.gpr[FAULT_REGS.srr0]).toBe(USER_PC);
    expect(exitsAt(virt, 11).filter((t) => t !== "ITLBVIRT")).toEqual(["USR_PR_INST"]);
  });
});

describe("MMIO: every integer load/store form, completed against the device model", () => {
  // UART0's scratch register (SCR, offset 7) and its neighbours, through the boot TLB's 2 GiB entry
  const forms: [string, Insn[]][] = [
    ["stb / lbz", [["stb", { rs: 8, ra: 9, d: 0 }], ["lbz", { rt: 3, ra: 9, d: 0 }]]],
    ["stbu / lbzu (EA into RA)", [["stbu", { rs: 8, ra: 10, d: 7 }], ["lbzu", { rt: 3, ra: 11, d: 7 }]]],
    ["stbx / lbzx", [["stbx", { rs: 8, ra: 10, rb: 16 }], ["lbzx", { rt: 3, ra: 10, rb: 16 }]]],
    ["stbux / lbzux (EA into RA, not RS)", [["stbux", { rs: 8, ra: 10, rb: 16 }], ["lbzux", { rt: 3, ra: 11, rb: 16 }]]],
    ["sth / lhz / lha / lhzu / lhau", [["sth", { rs: 8, ra: 9, d: -1 }], ["lhz", { rt: 3, ra: 9, d: -1 }], ["lha", { rt: 4, ra: 9, d: -1 }],
      ["lhzu", { rt: 5, ra: 10, d: 6 }], ["lhau", { rt: 6, ra: 11, d: 6 }]]],
    ["sthu / sthx / sthux / lhzx / lhzux / lhax / lhaux", [["sthu", { rs: 8, ra: 10, d: 6 }], ["sthx", { rs: 8, ra: 11, rb: 13 }],
      ["sthux", { rs: 8, ra: 11, rb: 13 }], ["lhzx", { rt: 3, ra: 9, rb: 14 }], ["lhzux", { rt: 4, ra: 9, rb: 14 }],
      ["lhax", { rt: 5, ra: 12, rb: 13 }], ["lhaux", { rt: 6, ra: 12, rb: 13 }]]],
    ["stw / lwz / stwu / lwzu / stwx / lwzx / stwux / lwzux", [["stw", { rs: 8, ra: 9, d: -3 }], ["lwz", { rt: 3, ra: 9, d: -3 }],
      ["stwu", { rs: 8, ra: 10, d: 4 }], ["lwzu", { rt: 4, ra: 11, d: 4 }], ["stwx", { rs: 8, ra: 11, rb: 17 }],
      ["lwzx", { rt: 5, ra: 11, rb: 17 }], ["stwux", { rs: 8, ra: 12, rb: 15 }], ["lwzux", { rt: 6, ra: 12, rb: 17 }]]],
    ["byte-reversed: sthbrx / lhbrx / stwbrx / lwbrx", [["sthbrx", { rs: 8, ra: 10, rb: 13 }], ["lhbrx", { rt: 3, ra: 10, rb: 13 }],
      ["stwbrx", { rs: 8, ra: 10, rb: 15 }], ["lwbrx", { rt: 4, ra: 10, rb: 15 }]]],
  ];
  // r8 data, r9 = SCR, r10-r12 = UART base (update forms move them), offsets r13 = 6, r14 = -1,
  // r15 = 4, r16 = 7, r17 = 0; every access stays inside the UART's 8 registers
  const regs = { 8: 0x8182a3c4, 9: UART_SCR, 10: 0xef600300, 11: 0xef600300, 12: 0xef600300, 13: 6, 14: -1 >>> 0, 15: 4, 16: 7, 17: 0 };
  it.each(forms)("%s", (_n, body) => {
    const { bare, virt } = both(body, regs);
    same(bare, virt);
    expect(bare.gpr[FAULT_REGS.ivor]).toBe(0xffffffff);
    body.forEach((_, i) => expect(exitsAt(virt, i), `body[${i}]`).toEqual(["MMIO"]));
  });

  it("a form KVM could not emulate (stmw) stops the VM with an emulation failure", () => {
    const body: Insn[] = [["stmw", { rs: 31, ra: 9, d: -3 }]];
    const { bare, virt } = both(body, regs);
    expect(bare.stop).toMatchObject({ kind: "reset" });
    expect(virt.stop).toMatchObject({ kind: "emulation-failed", pc: bodyPc(0), insn: 0xbfe9fffd, msr: 0 });
  });

  it("a device nobody decodes with the guest's MSR[ME]=0: checkstop, as on bare metal", () => {
    const { bare, virt } = both([["lwz", { rt: 3, ra: 9, d: 0 }]], { 9: 0xe0000000 });
    expect(bare.stop).toMatchObject({ kind: "checkstop" });
    expect(virt.stop).toEqual(bare.stop);
  });
});

/**
 * Hand-written vectors: everything QEMU's user mode cannot show (interrupts, privileged state,
 * MSR, SPRs beyond the user ones, absolute branches near 0, D-form accesses with RA=0) or shows
 * wrongly. Expected states follow the PPC440x5 User's Manual as summarised in
 * /work/shared/reference/ppc440.md: vectors = IVPR[0:15] || IVORn[16:27] (3.1), non-critical
 * entry keeps MSR[CE,ME,DE] and clears the rest, SRR1 = the whole old MSR, ESR gets the cause
 * bit and loses all others except MCI (3.1-3.3), sc saves the next address (3.1).
 */
import { INSNS } from "../../../../src/isa/table.ts";
import { Flag } from "../../../../src/isa/types.ts";
import type { Vector, VExpect, VState } from "../runner.ts";
import { enc, hex32 as h } from "../encode.ts";

const PC = 0x1000;
const IVPR = 0x00080000;
/** Every IVORn = n * 0x100, so IVORn's vector is IVPR + n * 0x100. */
const IVORS: Record<string, string> = Object.fromEntries([[63, h(IVPR)], ...Array.from({ length: 16 }, (_, n) => [400 + n, h(n * 0x100)])]);
const KEEP = 0x00021200; // CE | ME | DE
const MSR = { WE: 0x40000, CE: 0x20000, EE: 0x8000, PR: 0x4000, FP: 0x2000, ME: 0x1000, FE0: 0x800, DWE: 0x400, DE: 0x200, FE1: 0x100, IS: 0x20, DS: 0x10 };
/** A busy MSR for interrupt vectors: CE EE PR FP ME DE. */
const USER = MSR.CE | MSR.EE | MSR.PR | MSR.FP | MSR.ME | MSR.DE;
const SUPER = MSR.CE | MSR.EE | MSR.FP | MSR.ME | MSR.DE;
const ESR = { MCI: 0x80000000, PIL: 0x08000000, PPR: 0x04000000, PTR: 0x02000000, FP: 0x01000000, ST: 0x00800000 };
const IVOR = { Alignment: 5, Program: 6, FpUnavailable: 7, SystemCall: 8 };

interface Fam { description: string; vectors: Vector[] }

function v(name: string, insn: string, word: number, init: VState, expect: VExpect, note?: string): Vector {
  const vec: Vector = { name, insn, words: [h(word)], init, expect, oracle: "manual" };
  if (note) vec.note = note;
  return vec;
}

/** The state after interrupt `ivor` taken at `pc` with MSR `msr` (ESR given or unchanged). */
function taken(ivor: number, msr: number, esr?: number, srr0 = PC): VExpect {
  const e: VExpect = { pc: h(IVPR + ivor * 0x100), srr0: h(srr0), srr1: h(msr), msr: h(msr & KEEP) };
  if (esr !== undefined) e.esr = h(esr);
  return e;
}

const withIvors = (s: VState): VState => ({ ...s, spr: { ...IVORS, ...(s.spr ?? {}) } });

function trap(): Vector[] {
  const out: Vector[] = [];
  const cases: [number, number, number, string][] = [
    [16, 0xffffffff, 0, "lt"], [8, 1, 0xffffffff, "gt"], [4, 7, 7, "eq"], [2, 0, 0xffffffff, "ltu"], [1, 0xffffffff, 0, "gtu"],
    [31, 0, 0, "always (trap)"], [0x14, 3, 3, "le on equal"], [0x18, 5, 4, "ne (lt|gt)"],
  ];
  for (const [to, a, b, what] of cases) {
    const init = withIvors({ pc: h(PC), msr: h(USER), gpr: { 4: h(a), 5: h(b) }, spr: { 62: h(ESR.ST) } });
    out.push(v(`tw taken: ${what}`, "tw", enc("tw", { to, ra: 4, rb: 5 }), init, taken(IVOR.Program, USER, ESR.PTR)));
    const si = b > 0x7fffffff ? b - 0x100000000 : b;
    out.push(v(`twi taken: ${what}`, "twi", enc("twi", { to, ra: 4, si }), { ...init, gpr: { 4: h(a) } }, taken(IVOR.Program, USER, ESR.PTR)));
  }
  // ESR[MCI] survives, every other stale ESR bit is cleared
  out.push(v("tw taken: ESR[MCI] kept", "tw", enc("tw", { to: 4, ra: 4, rb: 4 }),
    withIvors({ msr: h(SUPER), spr: { 62: h(ESR.MCI | ESR.ST | ESR.PIL) } }), taken(IVOR.Program, SUPER, ESR.MCI | ESR.PTR)));
  out.push(v("twi taken at PR=0 with MSR=0", "twi", enc("twi", { to: 31, ra: 0, si: 0 }), withIvors({}), taken(IVOR.Program, 0, ESR.PTR)));
  return out;
}

function system(): Vector[] {
  const out: Vector[] = [];
  // sc: SRR0 = next instruction, ESR unchanged
  out.push(v("sc from user mode", "sc", enc("sc"), withIvors({ msr: h(USER), gpr: { 0: h(1) }, spr: { 62: h(ESR.ST) } }), taken(IVOR.SystemCall, USER, undefined, PC + 4)));
  out.push(v("sc from supervisor mode", "sc", enc("sc"), withIvors({ msr: h(SUPER | MSR.IS | MSR.DS) }), taken(IVOR.SystemCall, SUPER | MSR.IS | MSR.DS, undefined, PC + 4)));
  out.push(v("sc with the LEV bits set (ignored)", "sc", (enc("sc") | 0x00000fe0) >>> 0, withIvors({ msr: h(MSR.ME) }), taken(IVOR.SystemCall, MSR.ME, undefined, PC + 4)));

  // MSR access (PR=0)
  for (const m of [0, SUPER, 0x0006bf30]) out.push(v(`mfmsr ${h(m)}`, "mfmsr", enc("mfmsr", { rt: 3 }), { msr: h(m) }, { gpr: { 3: h(m) } }));
  for (const [val, want] of [[0x0006ff30, 0x0006ff30], [0xffffffff, 0x0006ff30], [MSR.ME, MSR.ME], [0, 0], [MSR.EE | MSR.PR, MSR.EE | MSR.PR]]) {
    out.push(v(`mtmsr ${h(val!)}`, "mtmsr", enc("mtmsr", { rs: 4 }), { msr: h(MSR.ME | MSR.CE), gpr: { 4: h(val!) } }, { msr: h(want!) },
      "every implemented MSR bit is written, ME too (UM; QEMU 7.2 keeps ME, ppc440.md section 0 item 17); reserved bits read 0"));
  }
  out.push(v("wrtee sets EE", "wrtee", enc("wrtee", { rs: 4 }), { msr: h(MSR.ME), gpr: { 4: h(0x00008000) } }, { msr: h(MSR.ME | MSR.EE) }));
  out.push(v("wrtee clears EE, other RS bits ignored", "wrtee", enc("wrtee", { rs: 4 }), { msr: h(SUPER), gpr: { 4: h(0xffff7fff) } }, { msr: h(SUPER & ~MSR.EE) }));
  out.push(v("wrteei 1", "wrteei", enc("wrteei", { e: 1 }), { msr: h(MSR.FP) }, { msr: h(MSR.FP | MSR.EE) }));
  out.push(v("wrteei 0", "wrteei", enc("wrteei", { e: 0 }), { msr: h(SUPER) }, { msr: h(SUPER & ~MSR.EE) }));

  // interrupt returns: PC <- xSRR0 (word aligned), MSR <- xSRR1
  const rets: [string, number, number][] = [["rfi", 26, 27], ["rfci", 58, 59], ["rfmci", 570, 571]];
  for (const [mn, s0, s1] of rets) {
    out.push(v(`${mn} to user mode`, mn, enc(mn), { msr: h(MSR.ME), spr: { [s0]: h(0x2000), [s1]: h(USER) } }, { pc: h(0x2000), msr: h(USER) }));
    out.push(v(`${mn} ignores the low bits of the return address and reserved MSR bits`, mn, enc(mn),
      { msr: h(SUPER), spr: { [s0]: h(0x3003), [s1]: h(0xffffffff) } }, { pc: h(0x3000), msr: h(0x0006ff30) }));
  }

  // privileged SPRs at PR=0
  const rw: [number, string, number, number][] = [
    [26, "SRR0", 0x12345678, 0x12345678], [27, "SRR1", 0xffffffff, 0xffffffff], [58, "CSRR0", 0xcafe0000, 0xcafe0000], [61, "DEAR", 0xdeadbeef, 0xdeadbeef],
    [62, "ESR", 0x0f000000, 0x0f000000], [272, "SPRG0", 1, 1], [275, "SPRG3", 0x80000000, 0x80000000], [279, "SPRG7", 0x7777, 0x7777],
    [63, "IVPR (bits 0:15)", 0x1234ffff, 0x12340000], [406, "IVOR6 (bits 16:27)", 0xffffffff, 0x0000fff0], [48, "PID (8 bits)", 0x12345, 0x45],
    [570, "MCSRR0", 0x4000, 0x4000], [256, "USPRG0", 0xfeedface, 0xfeedface], [946, "MMUCR", 0xffffffff, 0x017f00ff],
  ];
  for (const [n, name, val, want] of rw) {
    out.push(v(`mtspr ${name}`, "mtspr", enc("mtspr", { spr: n, rs: 4 }), { msr: h(MSR.ME), gpr: { 4: h(val) } }, { spr: { [n]: h(want) } }));
    out.push(v(`mfspr ${name}`, "mfspr", enc("mfspr", { rt: 3, spr: n }), { msr: h(MSR.ME), spr: { [n]: h(want) } }, { gpr: { 3: h(want) } }));
  }
  out.push(v("mfspr PVR (440EPx)", "mfspr", enc("mfspr", { rt: 3, spr: 287 }), { spr: { 287: h(0x200008d0) } }, { gpr: { 3: h(0x200008d0) } }));
  out.push(v("mtspr PVR is ignored (read-only)", "mtspr", enc("mtspr", { spr: 287, rs: 4 }), { gpr: { 4: h(1) }, spr: { 287: h(0x200008d0) } }, {}));
  out.push(v("mtspr DBSR is write-1-to-clear", "mtspr", enc("mtspr", { spr: 304, rs: 4 }), { gpr: { 4: h(0x0f00000f) }, spr: { 304: h(0xff0000ff) } }, { spr: { 304: h(0xf00000f0) } }));
  out.push(v("mfspr SPRG4 through the user alias 260 at PR=1", "mfspr", enc("mfspr", { rt: 3, spr: 260 }), { msr: h(MSR.PR), spr: { 276: h(0xabcd) } }, { gpr: { 3: h(0xabcd) } }));
  out.push(v("mfspr SPRG7 through the user alias 263 at PR=1", "mfspr", enc("mfspr", { rt: 3, spr: 263 }), { msr: h(MSR.PR), spr: { 279: h(0x5555) } }, { gpr: { 3: h(0x5555) } }));
  out.push(v("mtspr USPRG0 at PR=1", "mtspr", enc("mtspr", { spr: 256, rs: 4 }), { msr: h(MSR.PR), gpr: { 4: h(0x1234) } }, { spr: { 256: h(0x1234) } }));
  out.push(v("mfspr XER at PR=0", "mfspr", enc("mfspr", { rt: 3, spr: 1 }), { xer: h(0xe000007f) }, { gpr: { 3: h(0xe000007f) } }));

  // user access to privileged SPRs -> PPR; to unimplemented user-range SPRs -> PIL
  const user = (s: VState): VState => withIvors({ ...s, msr: h(USER) });
  for (const n of [26, 62, 63, 272, 276, 287, 946, 1011, 400, 284]) {
    out.push(v(`mfspr ${n} at PR=1: privileged`, "mfspr", enc("mfspr", { rt: 3, spr: n }), user({ gpr: { 3: h(0x77) } }), taken(IVOR.Program, USER, ESR.PPR)));
    out.push(v(`mtspr ${n} at PR=1: privileged`, "mtspr", enc("mtspr", { spr: n, rs: 3 }), user({ gpr: { 3: h(0x77) } }), taken(IVOR.Program, USER, ESR.PPR)));
  }
  for (const n of [0, 2, 3, 7, 10, 259, 264, 270, 512, 1000]) {
    const note = n === 259 ? "QEMU 7.2 raises PPR here (ppc440.md section 0 item 11); the UM says PIL" : undefined;
    out.push(v(`mfspr ${n} at PR=1: not a user SPR (illegal)`, "mfspr", enc("mfspr", { rt: 3, spr: n }), user({}), taken(IVOR.Program, USER, ESR.PIL), note));
    out.push(v(`mtspr ${n} at PR=1: not a user SPR (illegal)`, "mtspr", enc("mtspr", { spr: n, rs: 3 }), user({}), taken(IVOR.Program, USER, ESR.PIL), note));
  }
  for (const n of [2, 1000, 21]) {
    out.push(v(`mfspr ${n} at PR=0: unimplemented (illegal)`, "mfspr", enc("mfspr", { rt: 3, spr: n }), withIvors({ msr: h(SUPER) }), taken(IVOR.Program, SUPER, ESR.PIL)));
  }

  // DCRs: the bare harness has no DCR bus, so every DCR is unimplemented -> PIL (ppc440.md item 16)
  const noDcr = "no DCR bus in the bare harness: an unimplemented DCR raises Program/PIL (board-dependent; QEMU bamboo does the same)";
  out.push(v("mfdcr of an unimplemented DCR", "mfdcr", enc("mfdcr", { rt: 3, dcrn: 0x3ff }), withIvors({ msr: h(SUPER) }), taken(IVOR.Program, SUPER, ESR.PIL), noDcr));
  out.push(v("mtdcr of an unimplemented DCR", "mtdcr", enc("mtdcr", { dcrn: 0x0c0, rs: 3 }), withIvors({ msr: h(SUPER) }), taken(IVOR.Program, SUPER, ESR.PIL), noDcr));

  // TLB instructions at PR=0 with no MMU attached: tlbsx misses; tlbsync is a no-op
  const noMmu = "bare harness without an MMU: every tlbsx misses (RT undefined on a miss)";
  out.push(v("tlbsx miss", "tlbsx", enc("tlbsx", { rt: 3, ra: 4, rb: 5 }), { gpr: { 3: h(7), 4: h(0x1000), 5: h(0x10) } }, { undefined: { gpr: [3] } }, noMmu));
  out.push(v("tlbsx. miss: CR0 = 00 || 0 || SO", "tlbsx.", enc("tlbsx.", { rt: 3, ra: 0, rb: 5 }), { gpr: { 5: h(0x10) }, xer: h(0x80000000), cr: h(0xffffffff) },
    { cr: h(0x1fffffff), undefined: { gpr: [3] } }, noMmu));
  out.push(v("tlbsx. miss without SO", "tlbsx.", enc("tlbsx.", { rt: 3, ra: 4, rb: 5 }), { cr: h(0x2fffffff) }, { cr: h(0x0fffffff), undefined: { gpr: [3] } }, noMmu));
  out.push(v("tlbsync", "tlbsync", enc("tlbsync"), { gpr: { 3: h(1) } }, {}));

  // privileged cache instructions at PR=0: no architected effect without caches
  out.push(v("dccci", "dccci", enc("dccci", { ra: 4, rb: 5 }), { gpr: { 4: h(0x2000), 5: h(0x20) } }, {}));
  out.push(v("iccci", "iccci", enc("iccci", { ra: 0, rb: 5 }), { gpr: { 5: h(0x2000) } }, {}));
  out.push(v("dcbi (no cache: no effect on memory)", "dcbi", enc("dcbi", { ra: 4, rb: 5 }), { gpr: { 4: h(0x2000), 5: h(0x20) }, mem: { [h(0x2020)]: "0102030405060708" } }, {}));
  out.push(v("dcread: no fault; RT is cache contents (not modelled)", "dcread", enc("dcread", { rt: 3, ra: 4, rb: 5 }), { gpr: { 3: h(9), 4: h(0x2000), 5: h(0x20) } },
    { undefined: { gpr: [3] } }, "RT holds cache data the model does not have (QEMU 7.2 returns the EA, ppc440.md section 0 item 14)"));
  out.push(v("icread: no fault", "icread", enc("icread", { ra: 4, rb: 5 }), { gpr: { 4: h(0x2000), 5: h(0x20) } }, {}));
  return out;
}

/** Every privileged row at PR=1 -> Program/PPR, nothing else changes. */
function privileged(): Vector[] {
  const out: Vector[] = [];
  const FIELDS: Record<string, Parameters<typeof enc>[1]> = {
    mfmsr: { rt: 3 }, mtmsr: { rs: 3 }, wrtee: { rs: 3 }, wrteei: { e: 1 }, mfdcr: { rt: 3, dcrn: 0xc0 }, mtdcr: { dcrn: 0xc0, rs: 3 },
    tlbre: { rt: 3, ra: 4, ws: 0 }, tlbwe: { rs: 3, ra: 4, ws: 1 }, tlbsx: { rt: 3, ra: 4, rb: 5 }, "tlbsx.": { rt: 3, ra: 4, rb: 5 },
    dcbi: { ra: 4, rb: 5 }, dccci: { ra: 4, rb: 5 }, dcread: { rt: 3, ra: 4, rb: 5 }, iccci: { ra: 4, rb: 5 }, icread: { ra: 4, rb: 5 },
  };
  for (const spec of INSNS) {
    if ((spec.flags & Flag.Priv) === 0) continue;
    const word = enc(spec.mnemonic, FIELDS[spec.mnemonic] ?? {});
    for (const msr of [USER, MSR.PR]) {
      const init = withIvors({ msr: h(msr), gpr: { 3: h(0x3333), 4: h(0x2000), 5: h(0x40) }, spr: { 26: h(0x5555), 27: h(0x6666), 62: h(ESR.PTR) }, cr: h(0x12345678) });
      out.push(v(`${spec.mnemonic} at PR=1 (MSR=${h(msr)})`, spec.mnemonic, word, init, taken(IVOR.Program, msr, ESR.PPR)));
    }
  }
  return out;
}

/** Words that are not 440 instructions -> Program/PIL, at PR=0 and PR=1. */
function illegal(): Vector[] {
  const out: Vector[] = [];
  const words: [number, string][] = [
    [0x00000000, "opcode 0 (all zero)"], [0x04000000, "opcode 1"], [0x08000000, "opcode 2 (tdi, 64-bit)"], [0x14000000, "opcode 5"],
    [0x18000000, "opcode 6"], [0x58000000, "opcode 22"], [0x78000000, "opcode 30 (rldicl, 64-bit)"], [0xe8000000, "opcode 58 (ld, 64-bit)"],
    [0xf8000000, "opcode 62 (std, 64-bit)"], [0xe0000000, "opcode 56 (lq)"], [0xfc000002, "opcode 63 XO 1"], [0x10000000, "opcode 4 XO 0 (AltiVec vaddubm)"],
    [0x7c6429d2, "mulld (64-bit)"], [0x7c0002e4, "tlbia (not on 440)"], [0x7c002264, "tlbie (not on 440)"], [0x7c6c42e6, "mftb (XO 371: illegal on a strict 440)"],
    [0x7c64289e, "isel (not on 440)"], [0x7c600206, "mfdcrx (460 only)"], [0x7c000164, "mtmsrd (64-bit)"],
    [0x4c000004, "opcode 19 XO 2"], [0xfc60069c, "fcfid (64-bit FP)"],
    [0xfc60065c, "fctid (64-bit FP)"], [0x7c00004c, "opcode 31 XO 38"], [0xec000000, "opcode 59 XO 0"],
  ];
  for (const [w, what] of words) {
    for (const msr of [SUPER, USER]) {
      out.push(v(`${what} at ${msr & MSR.PR ? "PR=1" : "PR=0"}`, "illegal", w, withIvors({ msr: h(msr), gpr: { 3: h(0x3333) }, spr: { 62: h(ESR.ST) } }),
        taken(IVOR.Program, msr, ESR.PIL)));
    }
  }
  // Invalid forms are not illegal: a non-zero reserved field leaves the result undefined but the
  // 440 executes the instruction (UM 9.2: "the PPC440x5 core will execute all invalid instruction
  // forms without causing an Illegal Instruction exception"). objdump names these POWER words.
  const note = "invalid form: reserved bits set, executed as the 440 instruction (UM 9.2)";
  for (const msr of [SUPER, USER]) {
    const at = msr & MSR.PR ? "PR=1" : "PR=0";
    out.push(v(`lwsync (sync L=1) runs as msync at ${at}`, "msync", 0x7c2004ac, withIvors({ msr: h(msr) }), { pc: h(PC + 4), msr: h(msr) }, note));
    out.push(v(`mfcr with bit 11 set (mfocrf) runs as mfcr at ${at}`, "mfcr", 0x7c600026 | (1 << 20), withIvors({ msr: h(msr), cr: h(0x12345678) }),
      { pc: h(PC + 4), gpr: { 3: h(0x12345678) } }, note));
    out.push(v(`mffscrni (mffs with reserved bits) runs as mffs at ${at}`, "mffs", 0xfc17048e, withIvors({ msr: h(msr | MSR.FP), fpscr: h(0x00000003) }),
      { pc: h(PC + 4), fpr: { 0: "0x0000000000000003" }, undefined: { fprHi: [0] } }, note));
  }
  return out;
}

/** Every FP row with MSR[FP]=0 -> FP Unavailable (ESR unchanged). */
function fpUnavailable(): Vector[] {
  const out: Vector[] = [];
  for (const spec of INSNS) {
    if ((spec.flags & Flag.Fp) === 0) continue;
    const f: Parameters<typeof enc>[1] = {};
    for (const o of spec.operands) if (o === "frt" || o === "frs") f[o] = 1; else if (o === "fra") f.fra = 2; else if (o === "frb") f.frb = 3; else if (o === "frc") f.frc = 4; else if (o === "ra") f.ra = 4; else if (o === "rb") f.rb = 5; else if (o === "d") f.d = 8;
    for (const msr of [MSR.ME | MSR.PR, MSR.CE | MSR.EE | MSR.ME | MSR.FE0 | MSR.FE1]) {
      out.push(v(`${spec.mnemonic} with MSR[FP]=0 (MSR=${h(msr)})`, spec.mnemonic, enc(spec.mnemonic, f),
        withIvors({ msr: h(msr), gpr: { 4: h(0x2000), 5: h(8) }, fpr: { 1: "0x3ff0000000000000", 2: "0x4000000000000000", 3: "0x4008000000000000" }, fpscr: h(0x000000f8), spr: { 62: h(ESR.ST) } }),
        taken(IVOR.FpUnavailable, msr)));
    }
  }
  return out;
}

/** Enabled FP exceptions (FPSCR[FEX] with MSR[FE0,FE1]) -> precise Program interrupt, ESR[FP]. */
function fpEnabled(): Vector[] {
  const out: Vector[] = [];
  const PRECISE = MSR.FP | MSR.ME | MSR.FE0 | MSR.FE1;
  const ONE = "0x3ff0000000000000", SNAN = "0x7ff4000000000000", ZERO = "0x0000000000000000", F1 = "0x7ff00000deadbeef";
  const note = "Book I: with the exception enabled an invalid operation or zero divide leaves FRT and FPRF unchanged and clears FR, FI; the precise Program interrupt (MSR[FE0]=MSR[FE1]=1) points SRR0 at the FP instruction";
  out.push(v("fadd SNaN with VE=1, precise mode", "fadd", enc("fadd", { frt: 1, fra: 2, frb: 3 }),
    withIvors({ msr: h(PRECISE), fpr: { 1: F1, 2: SNAN, 3: ONE }, fpscr: h(0x00064080) }),
    { ...taken(IVOR.Program, PRECISE, ESR.FP), fpscr: h(0xe1004080) }, note));
  out.push(v("fadd SNaN with VE=1, exceptions disabled in the MSR", "fadd", enc("fadd", { frt: 1, fra: 2, frb: 3 }),
    { msr: h(MSR.FP), fpr: { 1: F1, 2: SNAN, 3: ONE }, fpscr: h(0x00064080) }, { fpscr: h(0xe1004080) }, note));
  out.push(v("fdiv 1/0 with ZE=1, precise mode", "fdiv", enc("fdiv", { frt: 1, fra: 2, frb: 3 }),
    withIvors({ msr: h(PRECISE), fpr: { 1: F1, 2: ONE, 3: ZERO }, fpscr: h(0x00000010) }),
    { ...taken(IVOR.Program, PRECISE, ESR.FP), fpscr: h(0xc4000010) }, note));
  out.push(v("fmul 0*inf with VE=1, precise mode", "fmul", enc("fmul", { frt: 1, fra: 2, frc: 4 }),
    withIvors({ msr: h(PRECISE), fpr: { 1: F1, 2: ZERO, 4: "0x7ff0000000000000" }, fpscr: h(0x00000080) }),
    { ...taken(IVOR.Program, PRECISE, ESR.FP), fpscr: h(0xe0100080) }, note));
  out.push(v("fadd inexact with XE=1, precise mode: result delivered", "fadd", enc("fadd", { frt: 1, fra: 2, frb: 3 }),
    withIvors({ msr: h(PRECISE), fpr: { 1: F1, 2: ONE, 3: "0x3c30000000000000" }, fpscr: h(0x00000008) }),
    { ...taken(IVOR.Program, PRECISE, ESR.FP), fpr: { 1: ONE }, fpscr: h(0xc2024008) },
    "Book I: an enabled inexact exception still delivers the rounded result and sets FPRF, FR, FI"));
  out.push(v("fsqrt -1 with VE=1, precise mode", "fsqrt", enc("fsqrt", { frt: 1, frb: 3 }),
    withIvors({ msr: h(PRECISE), fpr: { 1: F1, 3: "0xbff0000000000000" }, fpscr: h(0x00000080) }),
    { ...taken(IVOR.Program, PRECISE, ESR.FP), fpscr: h(0xa0000280 | 0x40000000) }, note));
  out.push(v("mtfsb1 VE with VXSNAN already set, precise mode", "mtfsb1", enc("mtfsb1", { bt: 24 }),
    withIvors({ msr: h(PRECISE), fpscr: h(0xa1000000) }), { ...taken(IVOR.Program, PRECISE, ESR.FP), fpscr: h(0xe1000080) },
    "setting an enable bit whose exception bit is set makes FEX=1: the interrupt is taken after mtfsb1 (Book I)"));
  return out;
}

function branch(): Vector[] {
  const out: Vector[] = [];
  out.push(v("bca always to 0x100", "bca", enc("bca", { bo: 20, bi: 0, bd: 0x100 }), {}, { pc: h(0x100) }));
  out.push(v("bca if eq to -0x8000 (sign-extended: 0xffff8000)", "bca", enc("bca", { bo: 12, bi: 2, bd: -0x8000 }), { cr: h(0x20000000) }, { pc: h(0xffff8000) }));
  out.push(v("bca if eq, not taken", "bca", enc("bca", { bo: 12, bi: 2, bd: 0x100 }), { cr: h(0) }, {}));
  out.push(v("bca ctr-- (1 -> 0), if ctr==0, taken", "bca", enc("bca", { bo: 18, bi: 0, bd: 0x7ffc }), { ctr: h(1) }, { pc: h(0x7ffc), ctr: h(0) }));
  out.push(v("bcla always: LR = CIA+4", "bcla", enc("bcla", { bo: 20, bi: 0, bd: 0x200 }), { lr: h(0x1111) }, { pc: h(0x200), lr: h(PC + 4) }));
  out.push(v("bcla not taken: LR still written", "bcla", enc("bcla", { bo: 4, bi: 31, bd: 0x200 }), { cr: h(1), lr: h(0x1111) }, { lr: h(PC + 4) }));
  out.push(v("ba to a negative address (sign-extended LI)", "ba", enc("ba", { li: -0x1000000 }), {}, { pc: h(0xff000000) }));
  out.push(v("bla to 0: LR = CIA+4", "bla", enc("bla", { li: 0 }), { pc: h(0x2000) }, { pc: h(0), lr: h(0x2004) }));
  out.push(v("b backwards past 0 wraps", "b", enc("b", { li: -0x2000 }), {}, { pc: h(0xfffff000) }));
  out.push(v("bc forward, maximum displacement", "bc", enc("bc", { bo: 20, bi: 0, bd: 0x7ffc }), {}, { pc: h(PC + 0x7ffc) }));
  return out;
}

function memory(): Vector[] {
  const out: Vector[] = [];
  // D-form with RA=0: EA = d (below 32 KiB, unreachable in QEMU's user mode)
  out.push(v("lwz ra=0: EA = d", "lwz", enc("lwz", { rt: 3, ra: 0, d: 0x100 }), { gpr: { 0: h(0x5000) }, mem: { [h(0x100)]: "89abcdef" } }, { gpr: { 3: h(0x89abcdef) } }));
  out.push(v("lha ra=0: EA = d", "lha", enc("lha", { rt: 3, ra: 0, d: 0x7ffe }), { gpr: { 0: h(0x5000) }, mem: { [h(0x7ffe)]: "8001" } }, { gpr: { 3: h(0xffff8001) } }));
  out.push(v("lbz ra=0: EA = d", "lbz", enc("lbz", { rt: 3, ra: 0, d: 0x101 }), { gpr: { 0: h(0x5000) }, mem: { [h(0x100)]: "89abcdef" } }, { gpr: { 3: h(0xab) } }));
  out.push(v("lhz ra=0: EA = d", "lhz", enc("lhz", { rt: 3, ra: 0, d: 0x102 }), { gpr: { 0: h(0x5000) }, mem: { [h(0x100)]: "89abcdef" } }, { gpr: { 3: h(0xcdef) } }));
  out.push(v("stw ra=0: EA = d", "stw", enc("stw", { rs: 3, ra: 0, d: 0x200 }), { gpr: { 0: h(0x5000), 3: h(0x01020304) } }, { mem: { [h(0x200)]: "01020304" } }));
  out.push(v("sth ra=0: EA = d", "sth", enc("sth", { rs: 3, ra: 0, d: 0x201 }), { gpr: { 0: h(0x5000), 3: h(0x01020304) } }, { mem: { [h(0x201)]: "0304" } }));
  out.push(v("stb ra=0: EA = d", "stb", enc("stb", { rs: 3, ra: 0, d: 0x203 }), { gpr: { 0: h(0x5000), 3: h(0x01020304) } }, { mem: { [h(0x203)]: "04" } }));
  out.push(v("lmw ra=0: EA = d", "lmw", enc("lmw", { rt: 30, ra: 0, d: 0x100 }), { gpr: { 0: h(0x5000) }, mem: { [h(0x100)]: "0000000a0000000b" } }, { gpr: { 30: h(10), 31: h(11) } }));
  out.push(v("stmw ra=0: EA = d", "stmw", enc("stmw", { rs: 30, ra: 0, d: 0x100 }), { gpr: { 0: h(0x5000), 30: h(10), 31: h(11) } }, { mem: { [h(0x100)]: "0000000a0000000b" } }));
  out.push(v("lswi ra=0: EA = 0", "lswi", enc("lswi", { rt: 3, ra: 0, nb: 6 }), { gpr: { 0: h(0x5000) }, mem: { [h(0)]: "414243444546" } }, { gpr: { 3: h(0x41424344), 4: h(0x45460000) } }));
  out.push(v("stswi ra=0: EA = 0", "stswi", enc("stswi", { rs: 3, ra: 0, nb: 3 }), { gpr: { 0: h(0x5000), 3: h(0x41424344) } }, { mem: { [h(0)]: "414243" } }));
  out.push(v("lfd ra=0: EA = d", "lfd", enc("lfd", { frt: 1, ra: 0, d: 0x108 }), { msr: h(MSR.FP), gpr: { 0: h(0x5000) }, mem: { [h(0x108)]: "400921fb54442d18" } }, { fpr: { 1: "0x400921fb54442d18" } }));
  out.push(v("stfs ra=0: EA = d", "stfs", enc("stfs", { frs: 1, ra: 0, d: 0x10c }), { msr: h(MSR.FP), gpr: { 0: h(0x5000) }, fpr: { 1: "0x3ff8000000000000" } }, { mem: { [h(0x10c)]: "3fc00000" } }));
  // alignment of the reservation instructions (UM p.186)
  const al = (ea: number, msr: number, esr: number): VExpect => ({ ...taken(IVOR.Alignment, msr, esr), dear: h(ea) });
  out.push(v("lwarx misaligned: Alignment", "lwarx", enc("lwarx", { rt: 3, ra: 4, rb: 5 }), withIvors({ msr: h(SUPER), gpr: { 4: h(0x2000), 5: h(2) }, spr: { 62: h(ESR.PTR) } }),
    { ...al(0x2002, SUPER, 0), resv: null }));
  out.push(v("stwcx. misaligned without a reservation: Alignment", "stwcx.", enc("stwcx.", { rs: 3, ra: 4, rb: 5 }), withIvors({ msr: h(SUPER), gpr: { 3: h(1), 4: h(0x2000), 5: h(1) }, resv: null }),
    al(0x2001, SUPER, ESR.ST), "UM p.186: the alignment check comes first (QEMU 7.2 just fails the store, ppc440.md section 0 item 20)"));
  out.push(v("stwcx. to another address than the reservation fails", "stwcx.", enc("stwcx.", { rs: 3, ra: 4, rb: 5 }),
    { gpr: { 3: h(1), 4: h(0x2000), 5: h(8) }, resv: h(0x2010), cr: h(0xf0000000), mem: { [h(0x2008)]: "55555555" } }, { cr: h(0), resv: null },
    "model choice where the architecture allows either: no store, CR0[EQ]=0 (as QEMU)"));
  out.push(v("icbt with CT=2 is a no-op", "icbt", enc("icbt", { ct: 2, ra: 4, rb: 5 }), { gpr: { 4: h(0x2000), 5: h(0x20) } }, {},
    "QEMU 7.2 raises SIGILL for icbt with CT != 0"));
  out.push(v("dcbz at PR=1 zeroes the 32-byte line", "dcbz", enc("dcbz", { ra: 4, rb: 5 }),
    { msr: h(MSR.PR), gpr: { 4: h(0x2000), 5: h(0x45) }, mem: { [h(0x2038)]: "ff".repeat(40) } },
    { mem: { [h(0x2040)]: "00".repeat(32) } }));
  return out;
}

export function manualFamilies(): Map<string, Fam> {
  return new Map<string, Fam>([
    ["trap", { description: "taken traps -> Program/PTR (manual)", vectors: trap() }],
    ["branch", { description: "absolute bca/bcla/ba near 0 and wrap-around (manual)", vectors: branch() }],
    ["memory-misc", { description: "D-form RA=0 accesses, lwarx/stwcx. alignment, cache odds (manual)", vectors: memory() }],
    ["system", { description: "sc, MSR, interrupt returns, privileged and user SPR access, DCRs, TLB, privileged cache ops (manual)", vectors: system() }],
    ["privileged", { description: "every privileged instruction at MSR[PR]=1 -> Program/PPR (manual)", vectors: privileged() }],
    ["illegal", { description: "words that are not 440 instructions -> Program/PIL (manual)", vectors: illegal() }],
    ["fp-unavailable", { description: "every FP instruction with MSR[FP]=0 -> FP Unavailable (manual)", vectors: fpUnavailable() }],
    ["fp-enabled", { description: "enabled FP exceptions -> precise Program/FP (manual)", vectors: fpEnabled() }],
  ]);
}

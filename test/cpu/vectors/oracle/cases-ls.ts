/**
 * Integer loads and stores through the QEMU oracle. All data lives in the 256-byte window at
 * WIN (0xF0000) which every case fills with the same byte pattern; the base register points at
 * its middle. D-form accesses with RA=0 (EA below 32 KiB) are not reachable in QEMU's user
 * mode and are hand-written in manual.ts.
 */
import { SO, h, ins, uniq, type CaseDef, type Family } from "./defs.ts";
import { WIN, WIN_SIZE } from "./qemu.ts";

const MID = WIN + 0x80;
/** The window pattern: every byte distinct, about half of them with the sign bit set. */
const PATTERN = Array.from({ length: WIN_SIZE }, (_, i) => (i * 0x4b + 0x8d) & 0xff);
const MEM = { [WIN]: PATTERN };

function loads(): CaseDef[] {
  const out: CaseDef[] = [];
  const widths: [string, string[]][] = [
    ["lbz", ["lbz", "lbzu", "lbzx", "lbzux"]], ["lhz", ["lhz", "lhzu", "lhzx", "lhzux"]],
    ["lha", ["lha", "lhau", "lhax", "lhaux"]], ["lwz", ["lwz", "lwzu", "lwzx", "lwzux"]],
  ];
  for (const [, mns] of widths) {
    for (const mn of mns) {
      const x = mn.endsWith("x");
      for (const off of [0, 1, 2, 3, 6, -4, -1, 0x7d, -0x80]) {
        if (x) {
          out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `base+${off}`, { gpr: { 4: MID, 5: off >>> 0 }, mem: MEM }));
        } else {
          out.push(ins(mn, { rt: 3, ra: 4, d: off }, `d=${off}`, { gpr: { 4: MID }, mem: MEM }));
        }
      }
      if (x && !mn.endsWith("ux")) {
        out.push(ins(mn, { rt: 3, ra: 0, rb: 5 }, `ra=0 (EA = rb)`, { gpr: { 0: 0x100, 5: MID + 2 }, mem: MEM }));
        out.push(ins(mn, { rt: 5, ra: 4, rb: 5 }, `rt=rb`, { gpr: { 4: MID, 5: 4 }, mem: MEM }));
      }
      if (!x && !mn.endsWith("u")) {
        out.push(ins(mn, { rt: 4, ra: 4, d: 8 }, `rt=ra`, { gpr: { 4: MID }, mem: MEM }));
      }
      // sign-extension edge values
      for (const val of [[0x7f, 0xff, 0x80, 0x00], [0x80, 0x00, 0x7f, 0xff], [0xff, 0xff, 0xff, 0xff]]) {
        out.push(ins(mn, x ? { rt: 3, ra: 4, rb: 5 } : { rt: 3, ra: 4, d: 0 }, `value ${val.map((b) => b.toString(16)).join(" ")}`,
          { gpr: { 4: MID, 5: 0 }, mem: { [MID]: val } }));
      }
    }
  }
  for (const mn of ["lhbrx", "lwbrx"]) {
    for (const off of [0, 1, 2, 3, -2]) out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `base+${off}`, { gpr: { 4: MID, 5: off >>> 0 }, mem: MEM }));
    out.push(ins(mn, { rt: 3, ra: 0, rb: 5 }, `ra=0`, { gpr: { 0: 0x100, 5: MID }, mem: MEM }));
  }
  return out;
}

function stores(): CaseDef[] {
  const out: CaseDef[] = [];
  const mns = ["stb", "stbu", "stbx", "stbux", "sth", "sthu", "sthx", "sthux", "stw", "stwu", "stwx", "stwux", "sthbrx", "stwbrx"];
  for (const mn of mns) {
    const x = mn.endsWith("x");
    for (const off of [0, 1, 2, 3, -1, -6, 0x7c]) {
      for (const val of off === 0 ? [0x12345678, 0x80ff7f01] : [0x9abcdef0]) {
        if (x) out.push(ins(mn, { rs: 3, ra: 4, rb: 5 }, `base+${off} ${h(val)}`, { gpr: { 3: val, 4: MID, 5: off >>> 0 }, mem: MEM }));
        else out.push(ins(mn, { rs: 3, ra: 4, d: off }, `d=${off} ${h(val)}`, { gpr: { 3: val, 4: MID }, mem: MEM }));
      }
    }
    if (x && !mn.endsWith("ux")) out.push(ins(mn, { rs: 3, ra: 0, rb: 5 }, `ra=0`, { gpr: { 0: 0x100, 3: 0x11223344, 5: MID + 1 }, mem: MEM }));
    // RS = RA: the stored value is the register before any update
    out.push(ins(mn, x ? { rs: 4, ra: 4, rb: 5 } : { rs: 4, ra: 4, d: 4 }, `rs=ra`, { gpr: { 4: MID, 5: 4 }, mem: MEM }));
  }
  return out;
}

function multiple(): CaseDef[] {
  const out: CaseDef[] = [];
  const regs = (from: number, v: (n: number) => number) => Object.fromEntries(Array.from({ length: 32 - from }, (_, k) => [from + k, v(from + k)]));
  for (const [rt, d] of [[31, 0], [30, 4], [28, -8], [20, -0x80], [5, 0]] as const) {
    out.push(ins("lmw", { rt, ra: 4, d }, `r${rt}..r31 d=${d}`, { gpr: { 4: MID }, mem: MEM }));
    out.push(ins("stmw", { rs: rt, ra: 4, d }, `r${rt}..r31 d=${d}`, { gpr: { ...regs(rt, (n) => 0x01010101 * n), 4: MID }, mem: MEM }));
  }
  out.push(ins("stmw", { rs: 3, ra: 4, d: -0x7c }, `rs < ra (RA among the stored registers)`, { gpr: { ...regs(3, (n) => 0x11111111 * (n & 15)), 4: MID }, mem: MEM }));
  // strings: byte counts 0 (=32 for the immediate forms), 1..8, 13; r31 -> r0 wrap
  for (const [rt, nb] of [[3, 1], [3, 2], [3, 3], [3, 4], [3, 5], [3, 7], [3, 8], [20, 0], [30, 12], [31, 5], [29, 13]] as const) {
    out.push(ins("lswi", { rt, ra: 10, nb }, `r${rt} nb=${nb}`, { gpr: { 10: MID + 3, 0: 0x77777777, 31: 0x66666666 }, mem: MEM }));
    out.push(ins("stswi", { rs: rt, ra: 10, nb }, `r${rt} nb=${nb}`,
      { gpr: { ...Object.fromEntries(Array.from({ length: 32 }, (_, n) => [n, 0x10203040 + n * 0x01010101])), 10: MID + 1 }, mem: MEM }));
  }
  for (const [rt, n] of [[3, 0], [3, 1], [3, 4], [3, 6], [20, 40], [30, 16], [31, 7], [12, 0x7f & 13]] as const) {
    out.push(ins("lswx", { rt, ra: 10, rb: 11 }, `r${rt} tbc=${n}`, { gpr: { 10: MID - 0x40, 11: 0x21, 0: 0x77777777 }, xer: n | SO, mem: MEM }));
    out.push(ins("stswx", { rs: rt, ra: 10, rb: 11 }, `r${rt} tbc=${n}`,
      { gpr: { ...Object.fromEntries(Array.from({ length: 32 }, (_, k) => [k, 0xa0b0c0d0 + k])), 10: MID - 0x40, 11: 0x21 }, xer: n, mem: MEM }));
  }
  out.push(ins("lswx", { rt: 3, ra: 0, rb: 11 }, `ra=0 tbc=6`, { gpr: { 0: 0x100, 11: MID }, xer: 6, mem: MEM }));
  return out;
}

function reservation(): CaseDef[] {
  const out: CaseDef[] = [];
  out.push(ins("lwarx", { rt: 3, ra: 4, rb: 5 }, `aligned`, { gpr: { 4: MID, 5: 8 }, mem: MEM, expectResv: MID + 8 }));
  out.push(ins("lwarx", { rt: 3, ra: 0, rb: 5 }, `ra=0`, { gpr: { 0: 0x100, 5: MID }, mem: MEM, expectResv: MID }));
  out.push(ins("lwarx", { rt: 3, ra: 4, rb: 5 }, `replaces an older reservation`, { gpr: { 4: MID, 5: 0x10 }, mem: MEM, resv: MID, expectResv: MID + 0x10 }));
  for (const xer of [0, SO]) {
    const so = xer ? " SO" : "";
    out.push(ins("stwcx.", { rs: 3, ra: 4, rb: 5 }, `reservation held: stored${so}`, { gpr: { 3: 0xcafebabe, 4: MID, 5: 4 }, xer, mem: MEM, resv: MID + 4, expectResv: null }));
    out.push(ins("stwcx.", { rs: 3, ra: 4, rb: 5 }, `no reservation: not stored${so}`, { gpr: { 3: 0xcafebabe, 4: MID, 5: 4 }, xer, mem: MEM, cr: 0xffffffff, expectResv: null }));
  }
  out.push(ins("stwcx.", { rs: 3, ra: 0, rb: 5 }, `ra=0, reservation held`, { gpr: { 0: 0x100, 3: 0x01020304, 5: MID }, mem: MEM, resv: MID, expectResv: null }));
  return out;
}

function cache(): CaseDef[] {
  const out: CaseDef[] = [];
  for (const mn of ["dcba", "dcbf", "dcbst", "dcbt", "dcbtst", "icbi", "dcbz"]) {
    out.push(ins(mn, { ra: 4, rb: 5 }, `line at base+0x20`, { gpr: { 4: MID, 5: 0x20 }, mem: MEM }));
    out.push(ins(mn, { ra: 0, rb: 5 }, `ra=0, EA inside a line`, { gpr: { 0: 0x100, 5: MID - 0x40 + 13 }, mem: MEM }));
  }
  out.push(ins("icbt", { ct: 0, ra: 4, rb: 5 }, `ct=0`, { gpr: { 4: MID, 5: 0x20 }, mem: MEM }));
  out.push(ins("icbt", { ct: 0, ra: 0, rb: 5 }, `ct=0 ra=0`, { gpr: { 0: 0x100, 5: MID }, mem: MEM }));
  // (icbt with CT != 0 raises SIGILL in QEMU 7.2: hand-written in manual.ts)
  return out;
}

export function lsFamilies(): Family[] {
  return [
    { name: "load", description: "integer loads: zero/sign extension, update forms, misaligned, byte-reversed", oracle: "qemu", cases: uniq(loads()) },
    { name: "store", description: "integer stores: widths, update forms, misaligned, byte-reversed", oracle: "qemu", cases: uniq(stores()) },
    { name: "multiple", description: "lmw/stmw and the string instructions (byte counts incl. 0, r31->r0 wrap)", oracle: "qemu", cases: uniq(multiple()) },
    { name: "reservation", description: "lwarx/stwcx. (success, failure, CR0)", oracle: "qemu", cases: uniq(reservation()) },
    { name: "cache", description: "user cache-management instructions (no-ops except dcbz)", oracle: "qemu", cases: uniq(cache()) },
  ];
}

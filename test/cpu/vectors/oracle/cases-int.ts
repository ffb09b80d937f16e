/** Integer families run through the QEMU oracle: arithmetic, compare, logical, rotate/shift, CR. */
import { CA, OV, SO, h, ins, rc, uniq, xerName, type CaseDef, type Family } from "./defs.ts";

const variants = (mn: string, oe: boolean): string[] =>
  oe ? [mn, `${mn}.`, `${mn}o`, `${mn}o.`] : [mn, `${mn}.`];

const ADD_PAIRS: [number, number][] = [
  [0, 0], [1, 2], [0x7fffffff, 1], [0x80000000, 0xffffffff], [0xffffffff, 1], [0xffffffff, 0xffffffff],
  [0x80000000, 0x80000000], [0x12345678, 0x9abcdef0], [0x7fffffff, 0x7fffffff], [1, 0xffffffff],
  [0, 0x80000000], [0xfffffffe, 0x7fffffff],
];

function arith(): CaseDef[] {
  const out: CaseDef[] = [];
  const three = ["add", "addc", "adde", "subf", "subfc", "subfe"];
  for (const base of three) {
    const carryIn = base === "adde" || base === "subfe";
    for (const mn of variants(base, true)) {
      for (const [a, b] of ADD_PAIRS) {
        for (const xer of carryIn ? [0, CA] : [0]) {
          out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `${h(a)},${h(b)}${xerName(xer)}`, { gpr: { 0: 0x55, 4: a, 5: b }, xer }));
        }
      }
      // SO stickiness (and XER[TBC] preserved): no overflow here, SO must stay set
      out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `1,1 SO sticky`, { gpr: { 4: 1, 5: 1 }, xer: SO | OV | 0x15 }));
      // SO set and an overflowing result
      out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `overflow with SO set`, { gpr: { 4: 0x80000000, 5: 0x7fffffff }, xer: SO }));
      // aliasing: RT = RA = RB
      out.push(ins(mn, { rt: 4, ra: 4, rb: 4 }, `rt=ra=rb 0x40000000`, { gpr: { 4: 0x40000000 }, xer: CA }));
    }
  }
  const two = ["addme", "addze", "subfme", "subfze", "neg"];
  const ONE = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001, 0x12345678, 0xfffffffe];
  for (const base of two) {
    for (const mn of variants(base, true)) {
      for (const a of ONE) {
        for (const xer of base === "neg" ? [0] : [0, CA]) {
          out.push(ins(mn, { rt: 3, ra: 4 }, `${h(a)}${xerName(xer)}`, { gpr: { 4: a }, xer }));
        }
      }
      out.push(ins(mn, { rt: 3, ra: 4 }, `SO sticky`, { gpr: { 4: 5 }, xer: SO | CA | 0x7f }));
    }
  }
  const MUL: [number, number][] = [
    [0, 0], [3, 5], [0xffffffff, 0xffffffff], [0x7fffffff, 2], [0x80000000, 0xffffffff], [0x80000000, 0x80000000],
    [0x10000, 0x10000], [0x12345678, 0x9abcdef0], [0xffffffff, 1], [0x7fffffff, 0x7fffffff], [0xfffffffe, 0x40000000],
    [0x0000ffff, 0xffff0000],
  ];
  for (const base of ["mullw", "mulhw", "mulhwu"]) {
    for (const mn of variants(base, base === "mullw")) {
      for (const [a, b] of MUL) out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `${h(a)}*${h(b)}`, { gpr: { 4: a, 5: b } }));
      out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `SO sticky`, { gpr: { 4: 2, 5: 3 }, xer: SO | OV | CA }));
    }
  }
  const DIV: [number, number][] = [
    [7, 2], [0xfffffff9, 2], [7, 0xfffffffe], [0xfffffff9, 0xfffffffe], [0, 5], [0x7fffffff, 1], [0x80000000, 1],
    [0x80000000, 2], [0xffffffff, 0xffffffff], [100, 101], [0xffffffff, 2], [0x80000000, 0x7fffffff],
  ];
  for (const base of ["divw", "divwu"]) {
    for (const mn of variants(base, true)) {
      for (const [a, b] of DIV) out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `${h(a)}/${h(b)}`, { gpr: { 4: a, 5: b } }));
      out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `SO sticky`, { gpr: { 4: 9, 5: 3 }, xer: SO | OV }));
      // undefined quotients: only OV/SO (o forms) and CR0[SO] are asserted
      const undef = { gpr: [3], cr: rc(mn) ? 0xe0000000 : 0 };
      const note = "RT is undefined (UM): only XER[OV,SO] and CR0[SO] are asserted";
      for (const [a, b, what] of [[5, 0, "by zero"], [0x80000000, 0, "0x80000000 by zero"], [0, 0, "0/0"]] as const) {
        out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `${what} (undefined RT)`, { gpr: { 4: a, 5: b }, undef, note }));
        out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `${what} with SO set (undefined RT)`, { gpr: { 4: a, 5: b }, xer: SO, undef, note }));
      }
      if (base === "divw") {
        out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `0x80000000/-1 (undefined RT)`, { gpr: { 4: 0x80000000, 5: 0xffffffff }, undef, note }));
      } else {
        out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `0x80000000/0xffffffff`, { gpr: { 4: 0x80000000, 5: 0xffffffff } }));
      }
    }
  }
  // D-form immediates
  for (const [ra, a, si] of [[0, 0, 5], [0, 0, -1], [4, 0x7fffffff, 1], [4, 0xfffffff0, -0x8000], [4, 10, 0x7fff]] as const) {
    out.push(ins("addi", { rt: 3, ra, si }, `r${ra}=${h(a)} + ${si}`, { gpr: { 0: 0x1234, 4: a } }));
    out.push(ins("addis", { rt: 3, ra, si }, `r${ra}=${h(a)} + ${si}<<16`, { gpr: { 0: 0x1234, 4: a } }));
  }
  for (const mn of ["addic", "addic.", "subfic"]) {
    for (const [a, si] of [[0, 0], [0xffffffff, 1], [1, -1], [0x7fffffff, 1], [0x80000000, -1], [5, 3], [3, 5], [0, -0x8000], [0xffff8000, 0x7fff]] as const) {
      out.push(ins(mn, { rt: 3, ra: 4, si }, `${h(a)}, ${si}`, { gpr: { 4: a } }));
    }
    out.push(ins(mn, { rt: 3, ra: 4, si: 1 }, `SO and CA in`, { gpr: { 4: 0xfffffffe }, xer: SO | CA }));
    out.push(ins(mn, { rt: 0, ra: 0, si: 7 }, `rt=ra=r0 (RA is a register here)`, { gpr: { 0: 9 } }));
  }
  for (const [a, si] of [[3, 5], [0xffffffff, -1], [0x7fffffff, 2], [0x80000000, -1], [0x12345678, 0x7fff], [0x10000, -0x8000]] as const) {
    out.push(ins("mulli", { rt: 3, ra: 4, si }, `${h(a)}*${si}`, { gpr: { 4: a }, xer: SO }));
  }
  return uniq(out);
}

function compare(): CaseDef[] {
  const out: CaseDef[] = [];
  const P: [number, number][] = [
    [0, 0], [1, 2], [2, 1], [0xffffffff, 1], [1, 0xffffffff], [0x80000000, 0x7fffffff], [0x7fffffff, 0x80000000],
    [0xffffffff, 0xffffffff], [0x80000000, 0x80000000],
  ];
  for (const [a, b] of P) {
    for (const bf of [0, 3, 7]) {
      out.push(ins("cmp", { bf, ra: 4, rb: 5 }, `cr${bf} ${h(a)} ? ${h(b)}`, { gpr: { 4: a, 5: b }, cr: 0x5a5a5a5a }));
      out.push(ins("cmpl", { bf, ra: 4, rb: 5 }, `cr${bf} ${h(a)} ? ${h(b)}`, { gpr: { 4: a, 5: b }, cr: 0x5a5a5a5a }));
    }
  }
  out.push(ins("cmp", { bf: 2, ra: 4, rb: 5 }, `SO copied`, { gpr: { 4: 1, 5: 1 }, xer: SO | OV | CA }));
  out.push(ins("cmpl", { bf: 2, ra: 4, rb: 5 }, `SO copied`, { gpr: { 4: 1, 5: 0 }, xer: SO }));
  for (const [a, si] of [[0, 0], [5, 7], [7, 5], [0xffffffff, -1], [0xffffffff, 1], [0x80000000, -0x8000], [0xffff8000, -0x8000], [0x7fff, 0x7fff]] as const) {
    for (const bf of [0, 5]) out.push(ins("cmpi", { bf, ra: 4, si }, `cr${bf} ${h(a)} ? ${si}`, { gpr: { 4: a }, cr: 0xffffffff }));
  }
  for (const [a, ui] of [[0, 0], [5, 7], [7, 5], [0xffffffff, 0xffff], [0xffff, 0xffff], [0x10000, 0xffff], [0x8000, 0x8000]] as const) {
    for (const bf of [0, 6]) out.push(ins("cmpli", { bf, ra: 4, ui }, `cr${bf} ${h(a)} ? ${ui}`, { gpr: { 4: a } }));
  }
  out.push(ins("cmpi", { bf: 1, ra: 4, si: 3 }, `SO copied`, { gpr: { 4: 3 }, xer: SO }));
  out.push(ins("cmpli", { bf: 1, ra: 4, ui: 3 }, `SO copied`, { gpr: { 4: 4 }, xer: SO }));
  return uniq(out);
}

function logical(): CaseDef[] {
  const out: CaseDef[] = [];
  const P: [number, number][] = [[0, 0], [0xffffffff, 0], [0xf0f0f0f0, 0xff00ff00], [0x80000000, 0x80000000], [0x12345678, 0xffffffff], [0x7fffffff, 0x00000001]];
  for (const base of ["and", "andc", "nand", "nor", "or", "orc", "xor", "eqv"]) {
    for (const mn of variants(base, false)) {
      for (const [s, b] of P) out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `${h(s)},${h(b)}`, { gpr: { 4: s, 5: b } }));
      out.push(ins(mn, { ra: 4, rs: 4, rb: 4 }, `ra=rs=rb`, { gpr: { 4: 0x0ff0f00f }, xer: SO }));
    }
  }
  const ONE = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345680, 0xffffff7f, 0x80000000, 0xffffffff, 0x00010000, 0x0000ff00];
  for (const base of ["extsb", "extsh", "cntlzw"]) {
    for (const mn of variants(base, false)) {
      for (const s of ONE) out.push(ins(mn, { ra: 3, rs: 4 }, h(s), { gpr: { 4: s } }));
      out.push(ins(mn, { ra: 3, rs: 4 }, `SO copied`, { gpr: { 4: 0x80 }, xer: SO }));
    }
  }
  // dlmzb: every position of the leftmost zero byte, in RS, in RB, none; CR0 and XER[TBC]
  for (const mn of ["dlmzb", "dlmzb."]) {
    const rsBytes = [0x00414243, 0x41004243, 0x41420043, 0x41424300];
    for (const s of rsBytes) out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `zero in RS ${h(s)}`, { gpr: { 4: s, 5: 0 } }));
    for (const b of [0x00444546, 0x44004546, 0x44450046, 0x44454600]) {
      out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `zero in RB ${h(b)}`, { gpr: { 4: 0x41424344, 5: b } }));
    }
    out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `no zero byte`, { gpr: { 4: 0x41424344, 5: 0x45464748 } }));
    out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `no zero byte, SO and old TBC`, { gpr: { 4: 0x01010101, 5: 0xffffffff }, xer: SO | OV | CA | 0x55 }));
    out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `zero in RS, SO set`, { gpr: { 4: 0x41420000, 5: 0 }, xer: SO | 0x7f, cr: 0xffffffff }));
    out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `zero in RB, SO set`, { gpr: { 4: 0x41424344, 5: 0x01000000 }, xer: SO }));
    out.push(ins(mn, { ra: 4, rs: 4, rb: 4 }, `ra=rs=rb`, { gpr: { 4: 0x41420000 } }));
  }
  const IMM: [number, number][] = [[0, 0], [0xffffffff, 0xffff], [0x12345678, 0x0ff0], [0x80008000, 0x8000], [0xffff0000, 0xffff]];
  for (const mn of ["andi.", "andis.", "ori", "oris", "xori", "xoris"]) {
    for (const [s, ui] of IMM) out.push(ins(mn, { ra: 3, rs: 4, ui }, `${h(s)},${ui}`, { gpr: { 4: s } }));
    out.push(ins(mn, { ra: 3, rs: 4, ui: 0x8000 }, `SO copied`, { gpr: { 4: 0x80008000 }, xer: SO }));
  }
  return uniq(out);
}

function rotate(): CaseDef[] {
  const out: CaseDef[] = [];
  const S = 0x80000001, S2 = 0x12345678;
  // mask shapes: mb<=me, mb>me (wrap), mb=me+1 (full mask), single bit, edges
  const MASKS: [number, number][] = [[0, 31], [0, 0], [31, 31], [8, 15], [16, 31], [0, 15], [24, 7], [31, 0], [1, 0], [16, 15], [5, 4], [30, 1], [12, 12]];
  for (const mn of ["rlwinm", "rlwinm.", "rlwimi", "rlwimi."]) {
    for (const [mb, me] of MASKS) {
      for (const sh of [0, 1, 8, 31]) {
        out.push(ins(mn, { ra: 3, rs: 4, sh, mb, me }, `sh=${sh} mb=${mb} me=${me}`, { gpr: { 3: 0xa5a5a5a5, 4: sh & 1 ? S : S2 } }));
      }
    }
    out.push(ins(mn, { ra: 4, rs: 4, sh: 4, mb: 0, me: 27 }, `ra=rs`, { gpr: { 4: 0xf000000f }, xer: SO }));
    out.push(ins(mn, { ra: 3, rs: 4, sh: 0, mb: 0, me: 31 }, `zero result`, { gpr: { 3: 0, 4: 0 }, xer: SO }));
  }
  for (const mn of ["rlwnm", "rlwnm."]) {
    for (const [mb, me] of MASKS) {
      for (const n of [0, 3, 31, 32, 33, 0xffffffe1]) {
        out.push(ins(mn, { ra: 3, rs: 4, rb: 5, mb, me }, `rb=${h(n)} mb=${mb} me=${me}`, { gpr: { 4: S2, 5: n } }));
      }
    }
  }
  const SH = [0, 1, 7, 15, 16, 31, 32, 33, 47, 63, 64, 0xffffffff, 0x80000001, 0x20];
  for (const base of ["slw", "srw", "sraw"]) {
    for (const mn of variants(base, false)) {
      for (const s of [0x80000001, 0x7fffffff, 0xffffffff, 0x12345678, 0x80000000, 0]) {
        for (const n of SH) out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `${h(s)} by ${h(n)}`, { gpr: { 4: s, 5: n }, xer: base === "sraw" && n === 1 ? CA : 0 }));
      }
      out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `SO copied`, { gpr: { 4: 0xffffffff, 5: 4 }, xer: SO | CA }));
    }
  }
  // exhaustive: every shift count 0..63 (RB bits above 0x3f set on odd counts: ignored), every srawi count
  for (let n = 0; n < 64; n++) {
    const rb = n & 1 ? (n | 0xffffffc0) >>> 0 : n;
    for (const mn of ["slw", "srw", "sraw"]) out.push(ins(mn, { ra: 3, rs: 4, rb: 5 }, `sweep 0x87654321 by ${h(rb)}`, { gpr: { 4: 0x87654321, 5: rb } }));
  }
  for (let sh = 0; sh < 32; sh++) out.push(ins("srawi", { ra: 3, rs: 4, sh }, `sweep 0x87654321 by ${sh}`, { gpr: { 4: 0x87654321 } }));
  // exhaustive: every mask shape (all 32x32 mb/me pairs) and every rotate count
  for (let mb = 0; mb < 32; mb++) {
    for (let me = 0; me < 32; me++) out.push(ins("rlwinm", { ra: 3, rs: 4, sh: (mb + me) & 31, mb, me }, `sweep mb=${mb} me=${me}`, { gpr: { 4: 0x87654321 } }));
  }
  for (let sh = 0; sh < 32; sh++) out.push(ins("rlwimi", { ra: 3, rs: 4, sh, mb: 4, me: 27 }, `sweep sh=${sh}`, { gpr: { 3: 0xffffffff, 4: 0x87654321 } }));
  for (const mn of ["srawi", "srawi."]) {
    for (const s of [0x80000001, 0x7fffffff, 0xffffffff, 0x80000000, 0, 0xfffffff0]) {
      for (const sh of [0, 1, 4, 5, 16, 31]) out.push(ins(mn, { ra: 3, rs: 4, sh }, `${h(s)} by ${sh}`, { gpr: { 4: s }, xer: sh === 0 ? CA : 0 }));
    }
    out.push(ins(mn, { ra: 3, rs: 4, sh: 2 }, `SO copied`, { gpr: { 4: 0xfffffff3 }, xer: SO }));
  }
  return uniq(out);
}

function crops(): CaseDef[] {
  const out: CaseDef[] = [];
  const CR = 0x9a5c3e71;
  for (const mn of ["crand", "crandc", "creqv", "crnand", "crnor", "cror", "crorc", "crxor"]) {
    // all four input combinations, different bits; then same bit for all three operands
    for (const [ba, bb] of [[0, 1], [0, 2], [3, 1], [3, 6], [8, 9], [31, 30], [13, 27]]) {
      out.push(ins(mn, { bt: 17, ba: ba!, bb: bb! }, `bt=17 ba=${ba} bb=${bb}`, { cr: CR }));
    }
    out.push(ins(mn, { bt: 5, ba: 5, bb: 5 }, `same bit set`, { cr: 0x04000000 }));
    out.push(ins(mn, { bt: 5, ba: 5, bb: 5 }, `same bit clear`, { cr: 0xfbffffff }));
    out.push(ins(mn, { bt: 0, ba: 31, bb: 31 }, `bt=0 from bit 31`, { cr: 0x00000001 }));
    out.push(ins(mn, { bt: 31, ba: 0, bb: 4 }, `bt=31`, { cr: 0x80000000 }));
  }
  for (const [bf, bfa] of [[0, 7], [7, 0], [3, 3], [1, 6]]) out.push(ins("mcrf", { bf: bf!, bfa: bfa! }, `cr${bf} <- cr${bfa}`, { cr: 0x12345678 }));
  for (const bf of [0, 4, 7]) {
    for (const xer of [SO | OV | CA | 0x45, 0, OV, CA, SO]) out.push(ins("mcrxr", { bf }, `cr${bf}${xerName(xer)}`, { xer, cr: 0xffffffff }));
  }
  for (const cr of [0, 0xffffffff, 0x12345678, 0x80000001]) out.push(ins("mfcr", { rt: 3 }, h(cr), { cr, gpr: { 3: 0xdeadbeef } }));
  for (const [fxm, v] of [[0xff, 0x12345678], [0x00, 0x12345678], [0x80, 0xf0000000], [0x01, 0x0000000f], [0x5a, 0xffffffff], [0xa5, 0]]) {
    out.push(ins("mtcrf", { fxm: fxm!, rs: 4 }, `fxm=${h(fxm!)} ${h(v!)}`, { gpr: { 4: v! }, cr: 0x9abcdef0 }));
  }
  // user SPRs through mfspr/mtspr (PR=1 in QEMU user mode, as in the vectors)
  out.push(ins("mfspr", { rt: 3, spr: 1 }, `XER`, { xer: SO | CA | 0x33 }));
  out.push(ins("mfspr", { rt: 3, spr: 8 }, `LR`, { lr: 0x12345678 }));
  out.push(ins("mfspr", { rt: 3, spr: 9 }, `CTR`, { ctr: 0x87654321 }));
  out.push(ins("mtspr", { spr: 1, rs: 4 }, `XER all bits`, { gpr: { 4: 0xe000007f } }));
  out.push(ins("mtspr", { spr: 1, rs: 4 }, `XER clear`, { gpr: { 4: 0 }, xer: SO | OV | CA | 0x7f }));
  out.push(ins("mtspr", { spr: 8, rs: 4 }, `LR`, { gpr: { 4: 0xcafef00d } }));
  out.push(ins("mtspr", { spr: 9, rs: 4 }, `CTR`, { gpr: { 4: 0xfffffffe } }));
  return uniq(out);
}

function trapNotTaken(): CaseDef[] {
  const out: CaseDef[] = [];
  // TO bits: 16 <, 8 >, 4 =, 2 <u, 1 >u. Pairs where the chosen TO does not trap.
  const cases: [number, number, number][] = [
    [0, 1, 1], [16, 1, 1], [8, 1, 1], [2, 1, 1], [1, 1, 1], [4, 1, 2], [16, 0xffffffff, 0xfffffffe],
    [8, 0xffffffff, 0], [2, 0xffffffff, 0], [1, 0, 0xffffffff], [0x1b, 5, 5], [0x14, 0x7fffffff, 0x80000000],
  ];
  for (const [to, a, b] of cases) {
    out.push(ins("tw", { to, ra: 4, rb: 5 }, `not taken to=${to} ${h(a)},${h(b)}`, { gpr: { 4: a, 5: b } }));
    if ((b >> 15 === 0 || b >> 15 === 0x1ffff)) {
      const si = b > 0x7fffffff ? b - 0x100000000 : b;
      out.push(ins("twi", { to, ra: 4, si }, `not taken to=${to} ${h(a)},${si}`, { gpr: { 4: a } }));
    }
  }
  return uniq(out);
}

function sync(): CaseDef[] {
  return [
    ins("isync", {}, "no architected effect", { gpr: { 3: 1 }, cr: 0x12345678 }),
    ins("msync", {}, "no architected effect", { gpr: { 3: 1 }, xer: SO }),
    ins("mbar", { mo: 0 }, "mo=0", { gpr: { 3: 1 } }),
    ins("mbar", { mo: 1 }, "mo=1", { gpr: { 3: 1 } }),
  ];
}

export function intFamilies(): Family[] {
  return [
    { name: "arith", description: "add/subtract/multiply/divide (XO forms), immediates", oracle: "qemu", cases: arith() },
    { name: "compare", description: "cmp, cmpl, cmpi, cmpli", oracle: "qemu", cases: compare() },
    { name: "logical", description: "logical ops, immediates, extsb/extsh/cntlzw, dlmzb", oracle: "qemu", cases: logical() },
    { name: "rotate", description: "rlwinm/rlwimi/rlwnm mask shapes, slw/srw/sraw/srawi shift counts 0..63", oracle: "qemu", cases: rotate() },
    { name: "cr", description: "CR logical ops, mcrf, mcrxr, mfcr, mtcrf, user mfspr/mtspr", oracle: "qemu", cases: crops() },
    { name: "trap", description: "tw/twi not taken (QEMU)", oracle: "qemu", cases: trapNotTaken() },
    { name: "sync", description: "isync, msync, mbar", oracle: "qemu", cases: sync() },
  ];
}

/** Integer load/store semantics: D and X forms, update forms, byte-reversed, multiple, string,
 * reservation, and the cache-management instructions that touch storage. */

import { S } from "../state.ts";
import { ld16, ld32, ld8, raz, st16, st32, st8, type Emit, type Sem, type SemTable } from "./emit.ts";

type Width = 8 | 16 | 32;
type Form = "d" | "du" | "x" | "xu";

/** EA for the four addressing forms: D (RA|0)+d, DU RA+d, X (RA|0)+RB, XU RA+RB. */
function ea(e: Emit, form: Form): string {
  switch (form) {
    case "d": return `(${raz(e.f.ra)} + ${e.f.d}) | 0`;
    case "du": return `(r[${e.f.ra}] + ${e.f.d}) | 0`;
    case "x": return `(${raz(e.f.ra)} + r[${e.f.rb}]) | 0`;
    case "xu": return `(r[${e.f.ra}] + r[${e.f.rb}]) | 0`;
  }
}
const update = (e: Emit, form: Form) => (form === "du" || form === "xu" ? `r[${e.f.ra}] = ea;` : "");

function load(width: Width, form: Form, signed = false): Sem {
  return (e) => {
    let v = width === 32 ? ld32(e, "ea") : width === 16 ? ld16(e, "ea") : ld8(e, "ea");
    if (signed) v = `(${v} << 16) >> 16`;
    return `{ const ea = ${ea(e, form)}; r[${e.f.rt}] = ${v}; ${update(e, form)} }`;
  };
}
function store(width: Width, form: Form): Sem {
  return (e) => {
    const v = `r[${e.f.rs}]`;
    const s = width === 32 ? st32(e, "ea", v) : width === 16 ? st16(e, "ea", v) : st8(e, "ea", v);
    return `{ const ea = ${ea(e, form)}; ${s} ${update(e, form)} }`;
  };
}

export const LOADSTORE: SemTable = {
  lbz: load(8, "d"), lbzu: load(8, "du"), lbzx: load(8, "x"), lbzux: load(8, "xu"),
  lhz: load(16, "d"), lhzu: load(16, "du"), lhzx: load(16, "x"), lhzux: load(16, "xu"),
  lha: load(16, "d", true), lhau: load(16, "du", true), lhax: load(16, "x", true), lhaux: load(16, "xu", true),
  lwz: load(32, "d"), lwzu: load(32, "du"), lwzx: load(32, "x"), lwzux: load(32, "xu"),
  stb: store(8, "d"), stbu: store(8, "du"), stbx: store(8, "x"), stbux: store(8, "xu"),
  sth: store(16, "d"), sthu: store(16, "du"), sthx: store(16, "x"), sthux: store(16, "xu"),
  stw: store(32, "d"), stwu: store(32, "du"), stwx: store(32, "x"), stwux: store(32, "xu"),

  // byte-reversed
  lhbrx: (e) => `{ const ea = ${ea(e, "x")}; const v = ${ld16(e, "ea")}; r[${e.f.rt}] = ((v & 255) << 8) | (v >>> 8); }`,
  lwbrx: (e) => `{ const ea = ${ea(e, "x")}; r[${e.f.rt}] = H.bswap32(${ld32(e, "ea")}); }`,
  sthbrx: (e) =>
    `{ const ea = ${ea(e, "x")}; const v = r[${e.f.rs}]; const w = ((v & 255) << 8) | ((v >>> 8) & 255); ${st16(e, "ea", "w")} }`,
  stwbrx: (e) => `{ const ea = ${ea(e, "x")}; const w = H.bswap32(r[${e.f.rs}]); ${st32(e, "ea", "w")} }`,

  // multiple: RT..r31 from consecutive words (the EA is computed before any register changes)
  lmw: (e) =>
    `{ let ea = ${ea(e, "d")}; for (let i = ${e.f.rt}; i < 32; i++) { r[i] = ${ld32(e, "ea")}; ea = (ea + 4) | 0; } }`,
  stmw: (e) =>
    `{ let ea = ${ea(e, "d")}; for (let i = ${e.f.rs}; i < 32; i++) { const v = r[i]; ${st32(e, "ea", "v")} ea = (ea + 4) | 0; } }`,

  // string: bytes fill registers from the most significant end, wrapping r31 -> r0
  lswi: (e) => `cpu.loadString(${raz(e.f.ra)}, ${e.f.nb} === 0 ? 32 : ${e.f.nb}, ${e.f.rt}, ${e.pc});`,
  lswx: (e) => `cpu.loadString(${ea(e, "x")}, st[${S.TBC}], ${e.f.rt}, ${e.pc});`,
  stswi: (e) => `cpu.storeString(${raz(e.f.ra)}, ${e.f.nb} === 0 ? 32 : ${e.f.nb}, ${e.f.rs}, ${e.pc});`,
  stswx: (e) => `cpu.storeString(${ea(e, "x")}, st[${S.TBC}], ${e.f.rs}, ${e.pc});`,

  // reservation (word-aligned or Alignment)
  lwarx: (e) =>
    `{ const ea = ${ea(e, "x")}; r[${e.f.rt}] = mem.ldAligned32(ea, ${e.pc}); st[${S.RESV}] = 1; st[${S.RESV_EA}] = ea; }`,
  stwcx: (e) =>
    `{ const ea = ${ea(e, "x")}; if ((ea & 3) !== 0) mem.alignment(ea, ${e.pc}, 0x00800000);` +
    `if (st[${S.RESV}] !== 0 && st[${S.RESV_EA}] === ea) { mem.stAligned32(ea, r[${e.f.rs}], ${e.pc}); cr[0] = 2 | st[${S.SO}]; }` +
    `else cr[0] = st[${S.SO}]; st[${S.RESV}] = 0; }`,

  // cache management: no caches are modelled; the ones that translate may still fault
  dcba: () => ``,
  dcbt: () => ``,
  dcbtst: () => ``,
  icbt: () => ``,
  dcbf: (e) => `mem.touch(${ea(e, "x")}, false, ${e.pc});`,
  dcbst: (e) => `mem.touch(${ea(e, "x")}, false, ${e.pc});`,
  icbi: (e) => `{ const ea = ${ea(e, "x")}; mem.touch(ea, false, ${e.pc}); cpu.icbi(ea); }`,
  dcbz: (e) => `mem.dcbz(${ea(e, "x")}, ${e.pc});`,
  dcbi: (e) => `mem.touch(${ea(e, "x")}, true, ${e.pc});`,
  dccci: () => ``,
  iccci: () => `cpu.icbi(-1);`,
  // No cache arrays exist, so dcread/icread see every line invalid: data and tags read as 0.
  dcread: (e) => `r[${e.f.rt}] = 0; spr[924] = 0; spr[925] = 0;`,
  icread: () => `spr[926] = 0; spr[927] = 0; spr[979] = 0;`,
};

/** Fixed-point semantics: arithmetic, logical, rotate/shift, compare, trap, CR logical. */

import { S } from "../state.ts";
import { cr0, crBit, raz, setCrBit, setOv, type Emit, type SemTable, type Val } from "./emit.ts";

const { SO, OV, CA } = S;

/**
 * RT <- x + y + cin, the one adder behind add/subf/neg and their carrying/extended forms.
 * x and y are signed int32 expressions; cin is "0", "1" or the carry-in expression.
 */
function adder(e: Emit, x: string, y: string, cin: string, carry: boolean): string {
  const { rt } = e.f;
  let s = "";
  if (carry) {
    s += `const u = ((${x}) >>> 0) + ((${y}) >>> 0) + ${cin};`;
    if (e.spec.oe) s += `const t = (${x}) + (${y}) + ${cin};`;
    s += `st[${CA}] = u > 4294967295 ? 1 : 0; r[${rt}] = u;`;
  } else if (e.spec.oe) {
    s += `const t = (${x}) + (${y}) + ${cin}; r[${rt}] = t;`;
  } else {
    s += `r[${rt}] = (${x}) + (${y}) + ${cin};`;
  }
  if (e.spec.oe) s += setOv("t");
  if (e.spec.rc) s += `{ const v = r[${rt}]; ${cr0("v")} }`;
  return s;
}

const ra = (e: Emit) => `r[${e.f.ra}]`;
const rb = (e: Emit) => `r[${e.f.rb}]`;
const nra = (e: Emit) => `~r[${e.f.ra}]`;

/** Rc=1 epilogue for instructions whose result lands in RA. */
const rcRa = (e: Emit) => (e.spec.rc ? `{ const v = r[${e.f.ra}]; ${cr0("v")} }` : "");
const rcRt = (e: Emit) => (e.spec.rc ? `{ const v = r[${e.f.rt}]; ${cr0("v")} }` : "");

function logical(op: (a: string, b: string) => string) {
  return (e: Emit) => `r[${e.f.ra}] = ${op(`r[${e.f.rs}]`, `r[${e.f.rb}]`)};` + rcRa(e);
}

function mask(mb: Val, me: Val): string {
  return typeof mb === "number" && typeof me === "number" ? String(maskValue(mb, me)) : `MASK[${mb} * 32 + ${me}]`;
}
function maskValue(mb: number, me: number): number {
  let m = 0;
  for (let b = mb; ; b = (b + 1) & 31) {
    m |= 1 << (31 - b);
    if (b === me) break;
  }
  return m;
}
function rotl(x: string, n: Val): string {
  if (typeof n === "number") return n === 0 ? `(${x})` : `((${x} << ${n}) | (${x} >>> ${32 - n}))`;
  return `((${x} << ${n}) | (${x} >>> (32 - ${n})))`;
}

function compare(signed: boolean, b: (e: Emit) => string) {
  return (e: Emit) => {
    const a = signed ? `r[${e.f.ra}]` : `(r[${e.f.ra}] >>> 0)`;
    const bv = b(e);
    return `{ const a = ${a}, b = ${bv}; cr[${e.f.bf}] = (a < b ? 8 : a > b ? 4 : 2) | st[${SO}]; }`;
  };
}

function crLogical(op: (a: string, b: string) => string) {
  return (e: Emit) => setCrBit(e.f.bt, `${op(crBit(e.f.ba), crBit(e.f.bb))} & 1`);
}

function trap(b: (e: Emit) => string) {
  return (e: Emit) =>
    `if (H.trapCond(${e.f.to}, r[${e.f.ra}], ${b(e)})) (${e.sync}cpu.program(${e.pc}, 0x02000000));`;
}

export const INTEGER: SemTable = {
  // ---- add / subtract (XO-form: o and . variants via spec.oe / spec.rc) ----
  add: (e) => adder(e, ra(e), rb(e), "0", false),
  addc: (e) => adder(e, ra(e), rb(e), "0", true),
  adde: (e) => adder(e, ra(e), rb(e), `st[${CA}]`, true),
  addme: (e) => adder(e, ra(e), "-1", `st[${CA}]`, true),
  addze: (e) => adder(e, ra(e), "0", `st[${CA}]`, true),
  subf: (e) => adder(e, nra(e), rb(e), "1", false),
  subfc: (e) => adder(e, nra(e), rb(e), "1", true),
  subfe: (e) => adder(e, nra(e), rb(e), `st[${CA}]`, true),
  subfme: (e) => adder(e, nra(e), "-1", `st[${CA}]`, true),
  subfze: (e) => adder(e, nra(e), "0", `st[${CA}]`, true),
  neg: (e) => adder(e, nra(e), "0", "1", false),

  // ---- D-form immediates ----
  addi: (e) => `r[${e.f.rt}] = ${raz(e.f.ra)} + ${e.f.si};`,
  addis: (e) => `r[${e.f.rt}] = ${raz(e.f.ra)} + (${e.f.si} << 16);`,
  addic: (e) =>
    `{ const u = (r[${e.f.ra}] >>> 0) + (${e.f.si} >>> 0); st[${CA}] = u > 4294967295 ? 1 : 0; r[${e.f.rt}] = u; }` + rcRt(e),
  subfic: (e) =>
    `{ const u = (~r[${e.f.ra}] >>> 0) + (${e.f.si} >>> 0) + 1; st[${CA}] = u > 4294967295 ? 1 : 0; r[${e.f.rt}] = u; }`,
  mulli: (e) => `r[${e.f.rt}] = Math.imul(r[${e.f.ra}], ${e.f.si});`,

  // ---- multiply / divide ----
  mullw: (e) =>
    (e.spec.oe ? `{ const ov = H.mulOverflows(r[${e.f.ra}], r[${e.f.rb}]) ? 1 : 0; st[${OV}] = ov; st[${SO}] |= ov; }` : "") +
    `r[${e.f.rt}] = Math.imul(r[${e.f.ra}], r[${e.f.rb}]);` + rcRt(e),
  mulhw: (e) => `r[${e.f.rt}] = H.mulhw(r[${e.f.ra}], r[${e.f.rb}]);` + rcRt(e),
  mulhwu: (e) => `r[${e.f.rt}] = H.mulhwu(r[${e.f.ra}], r[${e.f.rb}]);` + rcRt(e),
  // Division by zero and 0x80000000 / -1 leave RT undefined (UM); like the 440 hardware as
  // QEMU models it we return 0 for divwu by 0 and -1 / 0 (sign of the dividend) for divw.
  divw: (e) =>
    `{ const a = r[${e.f.ra}], b = r[${e.f.rb}]; const bad = b === 0 || (a === -2147483648 && b === -1);` +
    `r[${e.f.rt}] = bad ? (a < 0 ? -1 : 0) : (a / b) | 0;` +
    (e.spec.oe ? `const ov = bad ? 1 : 0; st[${OV}] = ov; st[${SO}] |= ov;` : "") + `}` + rcRt(e),
  divwu: (e) =>
    `{ const a = r[${e.f.ra}] >>> 0, b = r[${e.f.rb}] >>> 0; const bad = b === 0;` +
    `r[${e.f.rt}] = bad ? 0 : (a / b) >>> 0;` +
    (e.spec.oe ? `const ov = bad ? 1 : 0; st[${OV}] = ov; st[${SO}] |= ov;` : "") + `}` + rcRt(e),

  // ---- logical ----
  and: logical((a, b) => `${a} & ${b}`),
  andc: logical((a, b) => `${a} & ~${b}`),
  nand: logical((a, b) => `~(${a} & ${b})`),
  nor: logical((a, b) => `~(${a} | ${b})`),
  or: logical((a, b) => `${a} | ${b}`),
  orc: logical((a, b) => `${a} | ~${b}`),
  xor: logical((a, b) => `${a} ^ ${b}`),
  eqv: logical((a, b) => `~(${a} ^ ${b})`),
  andi: (e) => `r[${e.f.ra}] = r[${e.f.rs}] & ${e.f.ui};` + rcRa(e),
  andis: (e) => `r[${e.f.ra}] = r[${e.f.rs}] & (${e.f.ui} << 16);` + rcRa(e),
  ori: (e) => `r[${e.f.ra}] = r[${e.f.rs}] | ${e.f.ui};`,
  oris: (e) => `r[${e.f.ra}] = r[${e.f.rs}] | (${e.f.ui} << 16);`,
  xori: (e) => `r[${e.f.ra}] = r[${e.f.rs}] ^ ${e.f.ui};`,
  xoris: (e) => `r[${e.f.ra}] = r[${e.f.rs}] ^ (${e.f.ui} << 16);`,
  extsb: (e) => `r[${e.f.ra}] = (r[${e.f.rs}] << 24) >> 24;` + rcRa(e),
  extsh: (e) => `r[${e.f.ra}] = (r[${e.f.rs}] << 16) >> 16;` + rcRa(e),
  cntlzw: (e) => `r[${e.f.ra}] = Math.clz32(r[${e.f.rs}]);` + rcRa(e),
  dlmzb: (e) =>
    `{ const n = H.dlmzb(r[${e.f.rs}], r[${e.f.rb}]); r[${e.f.ra}] = n; st[${S.TBC}] = n;` +
    (e.spec.rc ? `const w = H.dlmzbWhere; cr[0] = (w === 1 ? 4 : w === 2 ? 8 : 2) | st[${SO}];` : "") + `}`,

  // ---- rotate and shift ----
  rlwinm: (e) => `r[${e.f.ra}] = ${rotl(`r[${e.f.rs}]`, e.f.sh)} & ${mask(e.f.mb, e.f.me)};` + rcRa(e),
  rlwnm: (e) => `{ const x = r[${e.f.rs}], n = r[${e.f.rb}] & 31; r[${e.f.ra}] = ${rotl("x", "n")} & ${mask(e.f.mb, e.f.me)}; }` + rcRa(e),
  rlwimi: (e) =>
    `{ const m = ${mask(e.f.mb, e.f.me)}; r[${e.f.ra}] = (${rotl(`r[${e.f.rs}]`, e.f.sh)} & m) | (r[${e.f.ra}] & ~m); }` + rcRa(e),
  slw: (e) => `{ const n = r[${e.f.rb}] & 63; r[${e.f.ra}] = n > 31 ? 0 : r[${e.f.rs}] << n; }` + rcRa(e),
  srw: (e) => `{ const n = r[${e.f.rb}] & 63; r[${e.f.ra}] = n > 31 ? 0 : r[${e.f.rs}] >>> n; }` + rcRa(e),
  sraw: (e) =>
    `{ const n = r[${e.f.rb}] & 63, s = r[${e.f.rs}];` +
    `if (n > 31) { r[${e.f.ra}] = s >> 31; st[${CA}] = s < 0 ? 1 : 0; }` +
    `else { r[${e.f.ra}] = s >> n; st[${CA}] = (s < 0 && (s & ((1 << n) - 1)) !== 0) ? 1 : 0; } }` + rcRa(e),
  srawi: (e) =>
    `{ const s = r[${e.f.rs}]; r[${e.f.ra}] = s >> ${e.f.sh};` +
    `st[${CA}] = (s < 0 && (s & ((1 << ${e.f.sh}) - 1)) !== 0) ? 1 : 0; }` + rcRa(e),

  // ---- compare (L must be 0 on the 440; the 64-bit form is not implemented, L is ignored) ----
  cmp: compare(true, (e) => `r[${e.f.rb}]`),
  cmpi: compare(true, (e) => `${e.f.si}`),
  cmpl: compare(false, (e) => `(r[${e.f.rb}] >>> 0)`),
  cmpli: compare(false, (e) => `${e.f.ui}`),

  // ---- trap ----
  tw: trap((e) => `r[${e.f.rb}]`),
  twi: trap((e) => `${e.f.si}`),

  // ---- condition register ----
  crand: crLogical((a, b) => `(${a} & ${b})`),
  crandc: crLogical((a, b) => `(${a} & ~${b})`),
  creqv: crLogical((a, b) => `~(${a} ^ ${b})`),
  crnand: crLogical((a, b) => `~(${a} & ${b})`),
  crnor: crLogical((a, b) => `~(${a} | ${b})`),
  cror: crLogical((a, b) => `(${a} | ${b})`),
  crorc: crLogical((a, b) => `(${a} | ~${b})`),
  crxor: crLogical((a, b) => `(${a} ^ ${b})`),
  mcrf: (e) => `cr[${e.f.bf}] = cr[${e.f.bfa}];`,
  mcrxr: (e) =>
    `cr[${e.f.bf}] = (st[${SO}] << 3) | (st[${OV}] << 2) | (st[${CA}] << 1); st[${SO}] = 0; st[${OV}] = 0; st[${CA}] = 0;`,
  mfcr: (e) =>
    `r[${e.f.rt}] = (cr[0] << 28) | (cr[1] << 24) | (cr[2] << 20) | (cr[3] << 16) | (cr[4] << 12) | (cr[5] << 8) | (cr[6] << 4) | cr[7];`,
  mtcrf: (e) =>
    `{ const v = r[${e.f.rs}], m = ${e.f.fxm}; for (let i = 0; i < 8; i++) if (m & (128 >> i)) cr[i] = (v >>> (28 - 4 * i)) & 15; }`,
};

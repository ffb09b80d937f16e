/** Pure helpers that emitted semantics call as `H.name(...)` (no CPU state). */

/** rlwinm-style masks: MASK[mb * 32 + me], wrapping when mb > me. */
const MASK = new Int32Array(1024);
for (let mb = 0; mb < 32; mb++) {
  for (let me = 0; me < 32; me++) {
    let m = 0;
    for (let b = mb; ; b = (b + 1) & 31) {
      m |= 1 << (31 - b);
      if (b === me) break;
    }
    MASK[mb * 32 + me] = m;
  }
}

/** High word of the unsigned 64-bit product. */
function mulhwu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lo = al * bl, m1 = ah * bl, m2 = al * bh;
  const carry = ((lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  return (ah * bh + (m1 >>> 16) + (m2 >>> 16) + carry) | 0;
}

/** High word of the signed 64-bit product. */
function mulhw(a: number, b: number): number {
  let h = mulhwu(a, b);
  if (a < 0) h = (h - b) | 0;
  if (b < 0) h = (h - a) | 0;
  return h;
}

/** Does the signed 32x32 product fit in 32 bits? (mullwo) */
function mulOverflows(a: number, b: number): boolean {
  const p = a * b; // exact whenever |p| < 2^53, and |p| >= 2^53 is out of range anyway
  return p > 2147483647 || p < -2147483648;
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** Byte number (1..8) of the leftmost zero byte of RS||RB, 8 if none; `where` 0 none, 1 RS, 2 RB. */
let dlmzbWhere = 0;
function dlmzb(rs: number, rb: number): number {
  for (let i = 0; i < 4; i++) if (((rs >>> (24 - 8 * i)) & 0xff) === 0) { dlmzbWhere = 1; return i + 1; }
  for (let i = 0; i < 4; i++) if (((rb >>> (24 - 8 * i)) & 0xff) === 0) { dlmzbWhere = 2; return i + 5; }
  dlmzbWhere = 0;
  return 8;
}

function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** tw/twi condition (TO bits: 16 <, 8 >, 4 =, 2 <u, 1 >u). */
function trapCond(to: number, a: number, b: number): boolean {
  const ua = a >>> 0, ub = b >>> 0;
  return ((to & 16) !== 0 && a < b) || ((to & 8) !== 0 && a > b) || ((to & 4) !== 0 && a === b) ||
    ((to & 2) !== 0 && ua < ub) || ((to & 1) !== 0 && ua > ub);
}

export const H = {
  MASK,
  mulhw,
  mulhwu,
  mulOverflows,
  rotl,
  dlmzb,
  get dlmzbWhere() { return dlmzbWhere; },
  bswap32,
  trapCond,
};
export type Helpers = typeof H;

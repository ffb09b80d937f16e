/**
 * Exact slow path of the arithmetic instructions: NaN and infinity rules, invalid operations,
 * zero divide, signed zeros, and the exact result (BigInt) handed to {@link roundExact}.
 *
 * The fast paths in index.ts fall back here whenever an operand or the result is not an ordinary
 * normal number, and for the few rounding cases they cannot decide.
 */

import { classifyD, classifyS, isNaNW, isSNaNW } from "./bits.ts";
import {
  DEFAULT_NAN_HI, FI, FPRF, FPRF_QNAN, FR, settle, VE, VXIDI, VXIMZ, VXISI, VXSNAN, VXSQRT,
  VXZDZ, ZE, ZX,
} from "./fpscr.ts";
import { isqrt, roundExact, rounded } from "./round.ts";

/** The FPU state the slow path works on (the Fpu class implements it). */
export interface FpuRegs {
  readonly fpr: Float64Array;
  readonly fprw: Uint32Array;
  fpscr: number;
}

/** Operation codes of {@link slowArith}. */
export const OP_ADD = 0;
export const OP_SUB = 1;
export const OP_MUL = 2;
export const OP_DIV = 3;
export const OP_MADD = 4;
export const OP_MSUB = 5;
export const OP_NMADD = 6;
export const OP_NMSUB = 7;
export const OP_SQRT = 8;
export const OP_RES = 9;
export const OP_RSQRTE = 10;
export const OP_RSP = 11;

const K_INF = 2;
const K_FIN = 1;
const K_ZERO = 0;

/** A decoded non-NaN operand: value = (-1)^neg * m * 2^e, or an infinity, or a zero. */
interface Operand {
  kind: number;
  neg: boolean;
  m: bigint;
  e: number;
}

function decode(hi: number, lo: number): Operand {
  const neg = (hi & 0x80000000) !== 0;
  const be = (hi >>> 20) & 0x7ff;
  const fhi = hi & 0xfffff;
  if (be === 0x7ff) return { kind: K_INF, neg, m: 0n, e: 0 };
  if (be === 0) {
    if (fhi === 0 && lo === 0) return { kind: K_ZERO, neg, m: 0n, e: 0 };
    return { kind: K_FIN, neg, m: BigInt(fhi * 4294967296 + lo), e: -1074 };
  }
  return { kind: K_FIN, neg, m: BigInt((fhi + 0x100000) * 4294967296 + lo), e: be - 1075 };
}

/** Write a result (words) to FRT and update FPSCR: FPRF from the result, FR/FI, exceptions. */
function commit(
  fpu: FpuRegs, t: number, hi: number, lo: number, single: boolean, exc: number, frfi: number,
): void {
  fpu.fprw[2 * t] = lo;
  fpu.fprw[2 * t + 1] = hi;
  const fprf = single ? classifyS(hi, lo) : classifyD(hi, lo);
  const old = fpu.fpscr;
  fpu.fpscr = settle(old, (old & ~(FPRF | FR | FI)) | fprf | frfi | exc);
}

/** An enabled exception that suppresses the result: FRT and FPRF unchanged, FR/FI cleared. */
function suppress(fpu: FpuRegs, exc: number): void {
  const old = fpu.fpscr;
  fpu.fpscr = settle(old, (old & ~(FR | FI)) | exc);
}

/** Invalid operation (exc = the VX* bits): default QNaN if VE=0, else suppressed. */
function invalid(fpu: FpuRegs, t: number, exc: number): void {
  if (fpu.fpscr & VE) suppress(fpu, exc);
  else commit(fpu, t, DEFAULT_NAN_HI, 0, false, exc, 0);
}

/** An exactly representable special result (infinity or zero): FR = FI = 0. */
function exact(fpu: FpuRegs, t: number, neg: boolean, inf: boolean, single: boolean, negate: boolean, exc: number): void {
  const s = neg !== negate ? 0x80000000 : 0;
  commit(fpu, t, (s | (inf ? 0x7ff00000 : 0)) >>> 0, 0, single, exc, 0);
}

/** Round an exact nonzero finite result and deliver it (negated afterwards for fnmadd/fnmsub). */
function deliver(
  fpu: FpuRegs, t: number, neg: boolean, m: bigint, e: number, single: boolean, negate: boolean,
): void {
  roundExact(neg, m, e, single, fpu.fpscr & 3, fpu.fpscr);
  const hi = negate ? (rounded.hi ^ 0x80000000) >>> 0 : rounded.hi;
  commit(fpu, t, hi, rounded.lo, single, rounded.exc, rounded.frfi);
}

/** Exact sum of two finite operands (either may be zero); delivers the rounded result. */
function addExact(
  fpu: FpuRegs, t: number, an: boolean, am: bigint, ae: number, aZero: boolean,
  bn: boolean, bm: bigint, be: number, bZero: boolean, single: boolean, negate: boolean,
): void {
  const rm = (fpu.fpscr & 3) === 3;
  if (aZero && bZero) {
    exact(fpu, t, an === bn ? an : rm, false, single, negate, 0);
    return;
  }
  if (aZero) {
    deliver(fpu, t, bn, bm, be, single, negate);
    return;
  }
  if (bZero) {
    deliver(fpu, t, an, am, ae, single, negate);
    return;
  }
  const e = ae < be ? ae : be;
  const sa = am << BigInt(ae - e);
  const sb = bm << BigInt(be - e);
  const sum = (an ? -sa : sa) + (bn ? -sb : sb);
  if (sum === 0n) {
    exact(fpu, t, rm, false, single, negate, 0);
    return;
  }
  if (sum < 0n) deliver(fpu, t, true, -sum, e, single, negate);
  else deliver(fpu, t, false, sum, e, single, negate);
}

/**
 * Execute an arithmetic instruction exactly. `ia`, `ib`, `ic` are FRA, FRB, FRC (unused ones are
 * ignored); `single` selects rounding to single precision.
 */
export function slowArith(
  fpu: FpuRegs, op: number, single: boolean, t: number, ia: number, ib: number, ic: number,
): void {
  const w = fpu.fprw;
  const useA = op <= OP_NMSUB;
  const useB = op !== OP_MUL;
  const useC = op === OP_MUL || (op >= OP_MADD && op <= OP_NMSUB);
  const aHi = w[2 * ia + 1]!, aLo = w[2 * ia]!;
  const bHi = w[2 * ib + 1]!, bLo = w[2 * ib]!;
  const cHi = w[2 * ic + 1]!, cLo = w[2 * ic]!;
  const fma = op >= OP_MADD && op <= OP_NMSUB;
  const negate = op === OP_NMADD || op === OP_NMSUB;

  // NaN operands: the first NaN of FRA, FRB, FRC (in that order) is the result, quieted.
  const aNaN = useA && isNaNW(aHi, aLo);
  const bNaN = useB && isNaNW(bHi, bLo);
  const cNaN = useC && isNaNW(cHi, cLo);
  if (aNaN || bNaN || cNaN) {
    let exc = 0;
    if ((aNaN && isSNaNW(aHi, aLo)) || (bNaN && isSNaNW(bHi, bLo)) || (cNaN && isSNaNW(cHi, cLo))) {
      exc |= VXSNAN;
    }
    if (fma && !aNaN && !cNaN) {
      // inf * 0 is an invalid operation even when the addend is a NaN
      const a = decode(aHi, aLo), c = decode(cHi, cLo);
      if ((a.kind === K_INF && c.kind === K_ZERO) || (a.kind === K_ZERO && c.kind === K_INF)) exc |= VXIMZ;
    }
    if (exc !== 0 && (fpu.fpscr & VE) !== 0) {
      suppress(fpu, exc);
      return;
    }
    let hi: number, lo: number;
    if (aNaN) { hi = aHi; lo = aLo; }
    else if (bNaN) { hi = bHi; lo = bLo; }
    else { hi = cHi; lo = cLo; }
    hi = (hi | 0x00080000) >>> 0;
    if (single) lo = (lo & 0xe0000000) >>> 0; // single result: NaN bits 0:34 (as frsp)
    fpu.fprw[2 * t] = lo;
    fpu.fprw[2 * t + 1] = hi;
    const old = fpu.fpscr;
    fpu.fpscr = settle(old, (old & ~(FPRF | FR | FI)) | FPRF_QNAN | exc);
    return;
  }

  const a = decode(aHi, aLo);
  const b = decode(bHi, bLo);
  switch (op) {
    case OP_ADD:
    case OP_SUB: {
      const bn = op === OP_SUB ? !b.neg : b.neg;
      if (a.kind === K_INF || b.kind === K_INF) {
        if (a.kind === K_INF && b.kind === K_INF && a.neg !== bn) invalid(fpu, t, VXISI);
        else exact(fpu, t, a.kind === K_INF ? a.neg : bn, true, single, false, 0);
        return;
      }
      addExact(fpu, t, a.neg, a.m, a.e, a.kind === K_ZERO, bn, b.m, b.e, b.kind === K_ZERO, single, false);
      return;
    }
    case OP_MUL: {
      const c = decode(cHi, cLo);
      const neg = a.neg !== c.neg;
      if (a.kind === K_INF || c.kind === K_INF) {
        if (a.kind === K_ZERO || c.kind === K_ZERO) invalid(fpu, t, VXIMZ);
        else exact(fpu, t, neg, true, single, false, 0);
        return;
      }
      if (a.kind === K_ZERO || c.kind === K_ZERO) {
        exact(fpu, t, neg, false, single, false, 0);
        return;
      }
      deliver(fpu, t, neg, a.m * c.m, a.e + c.e, single, false);
      return;
    }
    case OP_DIV:
      divide(fpu, t, a, b, single);
      return;
    case OP_RES:
      divide(fpu, t, { kind: K_FIN, neg: false, m: 1n, e: 0 }, b, true);
      return;
    case OP_MADD:
    case OP_MSUB:
    case OP_NMADD:
    case OP_NMSUB: {
      const c = decode(cHi, cLo);
      const pn = a.neg !== c.neg;
      const bn = op === OP_MSUB || op === OP_NMSUB ? !b.neg : b.neg;
      if (a.kind === K_INF || c.kind === K_INF) {
        if (a.kind === K_ZERO || c.kind === K_ZERO) invalid(fpu, t, VXIMZ);
        else if (b.kind === K_INF && bn !== pn) invalid(fpu, t, VXISI);
        else exact(fpu, t, pn, true, single, negate, 0);
        return;
      }
      if (b.kind === K_INF) {
        exact(fpu, t, bn, true, single, negate, 0);
        return;
      }
      const pZero = a.kind === K_ZERO || c.kind === K_ZERO;
      addExact(fpu, t, pn, a.m * c.m, a.e + c.e, pZero, bn, b.m, b.e, b.kind === K_ZERO, single, negate);
      return;
    }
    case OP_SQRT: {
      if (b.kind === K_ZERO) { exact(fpu, t, b.neg, false, single, false, 0); return; }
      if (b.neg) { invalid(fpu, t, VXSQRT); return; }
      if (b.kind === K_INF) { exact(fpu, t, false, true, single, false, 0); return; }
      let m = b.m, e = b.e;
      if (e & 1) { m <<= 1n; e -= 1; }
      const n = m << 128n; // root has >= 64 bits
      const q = isqrt(n);
      deliver(fpu, t, false, (q << 1n) | (q * q !== n ? 1n : 0n), e / 2 - 64 - 1, single, false);
      return;
    }
    case OP_RSQRTE: {
      if (b.kind === K_ZERO) {
        if (fpu.fpscr & ZE) suppress(fpu, ZX);
        else exact(fpu, t, b.neg, true, false, false, ZX);
        return;
      }
      if (b.neg) { invalid(fpu, t, VXSQRT); return; }
      if (b.kind === K_INF) { exact(fpu, t, false, false, false, false, 0); return; }
      let m = b.m, e = b.e;
      if (e & 1) { m <<= 1n; e -= 1; }
      // 1/sqrt(m * 2^e) = 2^(-e/2) * (2^96 / sqrt(m)) * 2^-96; q = floor(2^96 / sqrt(m))
      const q = isqrt((1n << 192n) / m);
      const sticky = q * q * m !== 1n << 192n ? 1n : 0n;
      deliver(fpu, t, false, (q << 1n) | sticky, -e / 2 - 96 - 1, false, false);
      return;
    }
    case OP_RSP: {
      if (b.kind === K_FIN) deliver(fpu, t, b.neg, b.m, b.e, true, false);
      else exact(fpu, t, b.neg, b.kind === K_INF, true, false, 0);
      return;
    }
  }
}

function divide(fpu: FpuRegs, t: number, a: Operand, b: Operand, single: boolean): void {
  const neg = a.neg !== b.neg;
  if (a.kind === K_INF) {
    if (b.kind === K_INF) invalid(fpu, t, VXIDI);
    else exact(fpu, t, neg, true, single, false, 0);
    return;
  }
  if (b.kind === K_INF) {
    exact(fpu, t, neg, false, single, false, 0);
    return;
  }
  if (b.kind === K_ZERO) {
    if (a.kind === K_ZERO) invalid(fpu, t, VXZDZ);
    else if (fpu.fpscr & ZE) suppress(fpu, ZX);
    else exact(fpu, t, neg, true, single, false, ZX);
    return;
  }
  if (a.kind === K_ZERO) {
    exact(fpu, t, neg, false, single, false, 0);
    return;
  }
  // quotient with >= 67 bits plus a sticky bit
  const num = a.m << 120n;
  const q = num / b.m;
  const sticky = q * b.m !== num ? 1n : 0n;
  deliver(fpu, t, neg, (q << 1n) | sticky, a.e - b.e - 121, single, false);
}

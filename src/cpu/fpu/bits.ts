/**
 * Bit-level helpers for IEEE double/single values held as two 32-bit words (hi, lo).
 *
 * NaN decisions are always taken on bits: a JS number holding a signalling NaN may be quieted by
 * a float32 conversion, so nothing here passes a NaN through Math.fround or a Float32Array.
 */

import {
  FPRF_NEG_DENORM, FPRF_NEG_INF, FPRF_NEG_NORM, FPRF_NEG_ZERO, FPRF_POS_DENORM, FPRF_POS_INF,
  FPRF_POS_NORM, FPRF_POS_ZERO, FPRF_QNAN,
} from "./fpscr.ts";

/** Scratch double shared by the helpers (one per module; JS is single-threaded). */
export const F64 = new Float64Array(1);
/** The same 8 bytes as words: U32[0] = low word, U32[1] = high word (little-endian host). */
export const U32 = new Uint32Array(F64.buffer);
/** Signed view of the same words (int32 reads stay small integers in V8: cheaper on hot paths). */
export const I32 = new Int32Array(F64.buffer);

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("hv440 FPU: a little-endian host is required (FPR word layout)");
}

/** High word of a double's bit pattern. */
export function hiOf(x: number): number {
  F64[0] = x;
  return U32[1]!;
}

/** Build a double from its two words (must not be a NaN the caller cares about). */
export function fromWords(hi: number, lo: number): number {
  U32[1] = hi;
  U32[0] = lo;
  return F64[0]!;
}

/** True if (hi, lo) is a NaN. */
export function isNaNW(hi: number, lo: number): boolean {
  const a = hi & 0x7fffffff;
  return a > 0x7ff00000 || (a === 0x7ff00000 && lo !== 0);
}

/** True if (hi, lo) is a signalling NaN (NaN with fraction bit 12 clear). */
export function isSNaNW(hi: number, lo: number): boolean {
  return isNaNW(hi, lo) && (hi & 0x00080000) === 0;
}

/** FPRF of a double given by words, classified in double format. */
export function classifyD(hi: number, lo: number): number {
  const neg = hi < 0 || hi >= 0x80000000;
  const a = hi & 0x7fffffff;
  if (a >= 0x7ff00000) {
    if (a > 0x7ff00000 || lo !== 0) return FPRF_QNAN;
    return neg ? FPRF_NEG_INF : FPRF_POS_INF;
  }
  if (a >= 0x00100000) return neg ? FPRF_NEG_NORM : FPRF_POS_NORM;
  if (a === 0 && lo === 0) return neg ? FPRF_NEG_ZERO : FPRF_POS_ZERO;
  return neg ? FPRF_NEG_DENORM : FPRF_POS_DENORM;
}

/**
 * FPRF of a double that holds a single-precision value, classified in single format: a value
 * below 2^-126 in magnitude is a single denormal.
 */
export function classifyS(hi: number, lo: number): number {
  const neg = hi < 0 || hi >= 0x80000000;
  const a = hi & 0x7fffffff;
  if (a >= 0x7ff00000) {
    if (a > 0x7ff00000 || lo !== 0) return FPRF_QNAN;
    return neg ? FPRF_NEG_INF : FPRF_POS_INF;
  }
  if (a >= 0x38100000) return neg ? FPRF_NEG_NORM : FPRF_POS_NORM; // >= 2^-126
  if (a === 0 && lo === 0) return neg ? FPRF_NEG_ZERO : FPRF_POS_ZERO;
  return neg ? FPRF_NEG_DENORM : FPRF_POS_DENORM;
}

/** 2^-149, the smallest single denormal. */
const TWO_M149 = 1.401298464324817e-45;

/**
 * Single bits -> double, exactly as lfs does: normal, zero and denormal values convert exactly,
 * infinities and NaNs keep sign and fraction (an sNaN stays signalling). The two result words are
 * left in U32[1] (hi) and U32[0] (lo).
 */
export function singleToDoubleWords(s: number): void {
  const sign = s & 0x80000000;
  const e = (s >>> 23) & 0xff;
  const frac = s & 0x7fffff;
  if (e === 0) {
    if (frac === 0) {
      U32[1] = sign;
      U32[0] = 0;
    } else {
      F64[0] = sign ? -frac * TWO_M149 : frac * TWO_M149; // exact
    }
  } else {
    const de = e === 0xff ? 0x7ff : e + 896;
    U32[1] = sign | (de << 20) | (frac >>> 3);
    U32[0] = (frac << 29) >>> 0;
  }
}

/**
 * Double words -> single bits by the architecture's "store single" algorithm (stfs): no rounding.
 * Exponents above 896, zeros, infinities and NaNs take bits 0:1 and 5:34; exponents 874..896 are
 * denormalized by truncation. Smaller exponents are undefined in the architecture; this
 * implementation keeps shifting, which yields a signed zero.
 */
export function doubleWordsToSingle(hi: number, lo: number): number {
  const e = (hi >>> 20) & 0x7ff;
  if (e > 896 || ((hi & 0x7fffffff) === 0 && lo === 0)) {
    return ((hi & 0xc0000000) | ((hi << 3) & 0x3ffffff8) | (lo >>> 29)) >>> 0;
  }
  const sign = hi & 0x80000000;
  const k = 897 - e; // right shift that brings the exponent to -126
  if (k > 24) return sign >>> 0;
  const m24 = 0x800000 | ((hi & 0xfffff) << 3) | (lo >>> 29);
  return (sign | (m24 >>> k)) >>> 0;
}

/** The double next to finite nonzero `x` that is farther from zero (x must be below max). */
export function stepAway(x: number): number {
  F64[0] = x;
  const lo = I32[0]!;
  if (lo === -1) {
    I32[0] = 0;
    I32[1] = I32[1]! + 1;
  } else {
    I32[0] = lo + 1;
  }
  return F64[0]!;
}

/** The double next to finite nonzero `x` that is closer to zero. */
export function stepTowardZero(x: number): number {
  F64[0] = x;
  const lo = I32[0]!;
  if (lo === 0) {
    I32[0] = -1;
    I32[1] = I32[1]! - 1;
  } else {
    I32[0] = lo - 1;
  }
  return F64[0]!;
}

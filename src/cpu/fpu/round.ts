/**
 * Exact rounding of an exact (or exact-with-sticky-bit) result into double or single format
 * under the four PowerPC rounding modes, with the architecture's overflow and underflow rules:
 *
 * - "Tiny" is detected before rounding: the exact value is nonzero and below the smallest normal.
 * - UE=0: a tiny result is denormalized and rounded; UX is set only if that loses accuracy.
 *   UE=1: UX is set for every tiny result and the exponent is adjusted (+1536 double, +192 single)
 *   before a normal full-precision rounding.
 * - Overflow is detected after rounding with unbounded exponent. OE=0: OX, XX, FI set and the
 *   result is infinity or the largest finite number depending on the mode. OE=1: OX set and the
 *   exponent is adjusted (-1536 / -192) and the result delivered.
 *
 * Mantissas are BigInts: this is the slow path, used only for special and boundary cases.
 */

import { singleToDoubleWords, U32 } from "./bits.ts";
import { FI, FR, OE, OX, UE, UX, XX } from "./fpscr.ts";

/** Output of {@link roundExact}: result words and the FPSCR bits it produced. */
export const rounded = {
  /** high word of the result (double format, also for single results) */
  hi: 0,
  /** low word of the result */
  lo: 0,
  /** exception bits to OR into the FPSCR (OX, UX, XX) */
  exc: 0,
  /** FR and FI for this result */
  frfi: 0,
};

const TWO32 = 4294967296;
const TWO53N = 1n << 53n;

/** Number of significant bits of a non-negative BigInt (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < TWO53N) {
    const n = Number(x);
    if (n < TWO32) return 32 - Math.clz32(n);
    return 64 - Math.clz32(Math.floor(n / TWO32));
  }
  const s = x.toString(16);
  return (s.length - 1) * 4 + 32 - Math.clz32(parseInt(s[0]!, 16));
}

/** floor(sqrt(n)) for a non-negative BigInt. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1); // >= sqrt(n): Newton decreases monotonically
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * Round (-1)^neg * m * 2^e (m > 0) to double (single = false) or single format under `mode`
 * (FPSCR[RN]) and the enables in `fpscr`, writing the result to {@link rounded}. For an inexact
 * quotient or root, m may carry a sticky bit in its least significant position as long as m has
 * at least 3 more bits than the target precision.
 */
export function roundExact(
  neg: boolean, m: bigint, e: number, single: boolean, mode: number, fpscr: number,
): void {
  const P = single ? 24 : 53;
  const EMIN = single ? -126 : -1022;
  const EMAX = single ? 127 : 1023;
  const ADJ = single ? 192 : 1536;
  let exc = 0;
  let E = e + bitLength(m) - 1; // exponent of the leading bit
  if (E < EMIN && (fpscr & UE) !== 0) {
    e += ADJ;
    E += ADJ;
    exc |= UX;
  }
  const tiny = E < EMIN; // (still tiny after an enabled adjustment: denormalize, a choice)
  let lsb = tiny ? EMIN - P + 1 : E - P + 1;
  const sh = lsb - e;
  let q: bigint;
  let inexact = false;
  let up = false;
  if (sh <= 0) {
    q = m << BigInt(-sh);
  } else {
    const bsh = BigInt(sh);
    q = m >> bsh;
    const rem = m - (q << bsh);
    if (rem !== 0n) {
      inexact = true;
      if (mode === 0) {
        const half = 1n << (bsh - 1n);
        up = rem > half || (rem === half && (q & 1n) === 1n);
      } else if (mode === 2) {
        up = !neg;
      } else if (mode === 3) {
        up = neg;
      }
      if (up) {
        q += 1n;
        if (!tiny && bitLength(q) > P) {
          q >>= 1n;
          lsb += 1;
        }
      }
    }
  }

  if (!tiny && lsb + P - 1 > EMAX) {
    let overflowed = true;
    if ((fpscr & OE) !== 0) {
      lsb -= ADJ;
      exc |= OX;
      overflowed = lsb + P - 1 > EMAX; // still out of range (single op on a huge double): a choice
    }
    if (overflowed) {
      const toInf = mode === 0 || (mode === 2 && !neg) || (mode === 3 && neg);
      const s = neg ? 0x80000000 : 0;
      if (toInf) {
        rounded.hi = (s | 0x7ff00000) >>> 0;
        rounded.lo = 0;
      } else if (single) {
        rounded.hi = (s | 0x47efffff) >>> 0;
        rounded.lo = 0xe0000000;
      } else {
        rounded.hi = (s | 0x7fefffff) >>> 0;
        rounded.lo = 0xffffffff;
      }
      rounded.exc = exc | OX | XX;
      rounded.frfi = FI | (toInf ? FR : 0);
      return;
    }
  }

  if (inexact) exc |= XX;
  if (tiny && inexact) exc |= UX;
  rounded.exc = exc;
  rounded.frfi = inexact ? FI | (up ? FR : 0) : 0;

  const sign = neg ? 0x80000000 : 0;
  const qn = Number(q);
  if (single) {
    let sbits: number;
    if (qn >= 0x800000) sbits = sign | ((lsb + 150) << 23) | (qn & 0x7fffff);
    else sbits = sign | qn; // denormal or zero: lsb = -149
    singleToDoubleWords(sbits >>> 0);
    rounded.hi = U32[1]!;
    rounded.lo = U32[0]!;
  } else {
    const qhi = Math.floor(qn / TWO32);
    rounded.lo = qn >>> 0;
    if (qn >= 4503599627370496) rounded.hi = (sign | ((lsb + 1075) << 20) | (qhi & 0xfffff)) >>> 0;
    else rounded.hi = (sign | qhi) >>> 0; // denormal or zero: lsb = -1074
  }
}

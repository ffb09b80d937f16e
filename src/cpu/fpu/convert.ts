/**
 * fctiw / fctiwz: convert to a 32-bit signed integer.
 *
 * The result goes to FRT[32:63]. FRT[0:31] is undefined in the architecture; this implementation
 * writes {@link UNDEFINED_HI}. FPRF is undefined too; it is left unchanged. A NaN, an infinity or
 * a value whose rounded form is outside [-2^31, 2^31 - 1] is an invalid operation (VXCVI, plus
 * VXSNAN for an sNaN): with VE=0 FRT[32:63] = 0x7FFFFFFF (positive) or 0x80000000 (negative or
 * NaN), with VE=1 FRT is unchanged; FR and FI are cleared either way and XX is not touched.
 */

import * as bits from "./bits.ts";
import type { FpuRegs } from "./arith.ts";
import * as fpscr from "./fpscr.ts";

// local copies: see the note in index.ts about CommonJS namespace getters
const { isNaNW, isSNaNW } = bits;
const { FI, FR, settle, UNDEFINED_HI, VE, VXCVI, VXSNAN, XX } = fpscr;

const MAGIC = 6755399441055744; // 1.5 * 2^52: x + MAGIC - MAGIC rounds |x| < 2^51 to an integer, ties to even

/** Execute fctiw (mode = FPSCR[RN]) or fctiwz (mode = 1) on FPR b into FPR t. */
export function convertToInt32(fpu: FpuRegs, t: number, b: number, mode: number): void {
  const x = fpu.fpr[b]!;
  let r: number;
  if (x > -2147483649 && x < 2147483648) {
    // |x| < 2^51 here, so the rounding below is exact
    if (mode === 0) r = x + MAGIC - MAGIC;
    else if (mode === 1) r = Math.trunc(x);
    else if (mode === 2) r = Math.ceil(x);
    else r = Math.floor(x);
    if (r >= -2147483648 && r <= 2147483647) {
      const w = fpu.fprw;
      w[2 * t] = r | 0;
      w[2 * t + 1] = UNDEFINED_HI;
      let f = fpu.fpscr & ~(FR | FI);
      if (r !== x) {
        f |= FI;
        if (Math.abs(r) > Math.abs(x)) f |= FR;
        if ((f & XX) === 0) {
          fpu.fpscr = settle(fpu.fpscr, f | XX);
          return;
        }
      }
      fpu.fpscr = f >>> 0;
      return;
    }
  }
  // invalid conversion
  const hi = fpu.fprw[2 * b + 1]!, lo = fpu.fprw[2 * b]!;
  const nan = isNaNW(hi, lo);
  const exc = VXCVI | (nan && isSNaNW(hi, lo) ? VXSNAN : 0);
  const old = fpu.fpscr;
  if ((old & VE) === 0) {
    fpu.fprw[2 * t] = !nan && x > 0 ? 0x7fffffff : 0x80000000;
    fpu.fprw[2 * t + 1] = UNDEFINED_HI;
  }
  fpu.fpscr = settle(old, (old & ~(FR | FI)) | exc);
}

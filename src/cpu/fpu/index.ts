/**
 * PowerPC 440 FPU (classic PowerPC 32-bit floating-point processor, Book I): 32 FPRs, the FPSCR
 * and every FP instruction's effect on them. Pure TypeScript, no dependency on the rest of the
 * CPU: the interpreter/compiler decodes, checks MSR[FP], does the memory access, copies CR fields
 * (`fcmpu`/`fcmpo`/`mcrfs` return the 4-bit field, {@link Fpu.cr1} gives CR1 for `.` forms) and
 * raises the FP-enabled program interrupt when it sees FPSCR[FEX] (with MSR[FE0,FE1]). With an
 * enabled invalid operation (VE) or zero divide (ZE) FRT and FPRF are left unchanged; with an
 * enabled overflow/underflow (OE/UE) the exponent-adjusted result is written. Memory accesses
 * can use the word view `fprw` directly (fprw[2i] = low word, fprw[2i+1] = high word).
 *
 * Fast path: any rounding mode, finite operands and a normal result well inside the range.
 * The native double operation gives the round-to-nearest result r and an error-free
 * transformation (TwoSum, Dekker's TwoProduct with Veltkamp splitting, exact remainder for
 * division and square root) gives the sign of exact - r, which decides FI, FR, directed
 * rounding and the single-precision rounding (see {@link Fpu.finS}). Everything else (NaN,
 * infinities, zeros, denormals, overflow, underflow, enabled exceptions, undecidable fused
 * multiply-add cases) goes to the exact BigInt path in arith.ts / round.ts.
 *
 * Rules that follow the architecture where QEMU 7.2 does not: FR is set when the delivered
 * result's magnitude exceeds the exact result's; single-precision results are classified in
 * single format (FPRF); compares leave FR, FI and C alone; FX is set only on a 0 -> 1 change of
 * an exception bit (including mtfsb1 of an exception bit). mtfsf/mtfsfi alter FX only when they
 * write field 0, and then FX and OX come from the source; FEX/VX are always recomputed.
 * fnmadd/fnmsub round FRA*FRC+-FRB in the current mode and then negate (QEMU 7.2 negates before
 * rounding, which differs in RP/RM). Tininess is detected before rounding. The NaN result is the first NaN of FRA, FRB, FRC, quieted (a generated one is
 * 0x7FF8000000000000); fnmadd/fnmsub never negate a NaN.
 *
 * Implementation choices where the architecture leaves freedom:
 * - fres = 1/x correctly rounded to single in the current rounding mode; frsqrte = 1/sqrt(x)
 *   correctly rounded to double in the current mode. FR, FI and XX (architecturally undefined
 *   for both) are set as for an exactly rounded result; OX/UX as the single rounding gives them.
 * - FRT[0:31] after mffs/fctiw/fctiwz is {@link UNDEFINED_HI} (0xFFF80000).
 * - fctiw/fctiwz leave FPRF unchanged (architecturally undefined).
 * - A disabled overflow sets FI and XX; FR is 1 when the delivered result is an infinity, 0 when
 *   it is the largest finite number (FR = |delivered| > |exact| throughout).
 * - FPSCR[NI] is stored but results stay IEEE. Reserved bit 20 reads as 0.
 * - Single-precision instructions round the exact result of double operands once to single (the
 *   architecture leaves non-single operands undefined only for OE=1/UE=1; there the adjusted
 *   result is delivered if it fits, else the disabled-style result with OX/UX set).
 * - A fused multiply-add with inf*0 sets VXIMZ even when FRB is a QNaN (result: FRB).
 * - stfs of a value below 2^-149 (architecturally undefined) stores a signed zero.
 * - A NaN result of any single-precision instruction keeps only bits 0:34 of the NaN operand,
 *   as the architecture specifies for frsp (NaN operands not representable in single format are
 *   undefined for the other single-precision instructions; QEMU truncates as well).
 */

import * as bits from "./bits.ts";
import * as arith from "./arith.ts";
import type { FpuRegs } from "./arith.ts";
import * as convert from "./convert.ts";
import * as fpscr from "./fpscr.ts";

export * from "./fpscr.ts";

// Hot-path imports are copied into module-local constants once: when this module graph is loaded
// as CommonJS (e.g. by tsx from a CJS caller) every imported name would otherwise be a getter call
// on a namespace object, which costs ~10x the whole fast path.
const { doubleWordsToSingle, F64, I32, singleToDoubleWords, stepAway, stepTowardZero, U32, isSNaNW } = bits;
const {
  OP_ADD, OP_DIV, OP_MADD, OP_MSUB, OP_MUL, OP_NMADD, OP_NMSUB, OP_RES, OP_RSP, OP_RSQRTE,
  OP_SQRT, OP_SUB, slowArith,
} = arith;
const { convertToInt32 } = convert;
const {
  EXC_ALL, FEX, FI, FPCC, FPRF, FPRF_NEG_NORM, FPRF_NEG_ZERO, FPRF_POS_NORM, FPRF_POS_ZERO,
  FR, FX, settle, summarize, UNDEFINED_HI, VE, VXSNAN, VXVC, XE, XX,
} = fpscr;

const MIN_NORMAL = 2.2250738585072014e-308; // 2^-1022
const MAX_DOUBLE = 1.7976931348623157e308;
const MIN_SINGLE = 1.1754943508222875e-38; // 2^-126
const MAX_SINGLE = 3.4028234663852886e38;
const SPLIT = 134217729; // 2^27 + 1
const T_M960 = 2 ** -960;
const T_M900 = 2 ** -900;
const T_995 = 2 ** 995;
const T_1020 = 2 ** 1020;

/** Error of the product: x*y - p exactly, where p = fl(x*y) (Dekker; needs no under/overflow). */
function prodErr(x: number, y: number, p: number): number {
  let t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLIT * y;
  const yh = t - (t - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

/** The FPU: register file, FPSCR and the instruction semantics. */
export class Fpu implements FpuRegs {
  /** The 32 FPRs as doubles. */
  readonly fpr: Float64Array;
  /** The same storage as words: fprw[2*i] = low 32 bits, fprw[2*i+1] = high 32 bits of FPR i. */
  readonly fprw: Uint32Array;
  /** The FPSCR, as an unsigned 32-bit number. */
  fpscr = 0;

  constructor() {
    this.fpr = new Float64Array(32);
    this.fprw = new Uint32Array(this.fpr.buffer);
  }

  /** Zero all FPRs and the FPSCR. */
  reset(): void {
    this.fpr.fill(0);
    this.fpscr = 0;
  }

  /** CR1 for the record (`.`) forms: FPSCR[FX FEX VX OX]. */
  cr1(): number {
    return this.fpscr >>> 28;
  }

  // ---------------------------------------------------------------- fast-path result delivery

  /**
   * Deliver a double result: r = round-to-nearest(exact), err has the sign of exact - r (0 if
   * exact) and |err| <= ulp(r)/2. Applies `mode`, sets FR/FI/XX/FPRF. Returns false (and changes
   * nothing) unless r is a normal number strictly inside (2^-1022, max).
   */
  private finD(t: number, r: number, err: number, mode: number): boolean {
    const ar = Math.abs(r);
    if (!(ar > MIN_NORMAL && ar < MAX_DOUBLE)) return false;
    let f = this.fpscr & ~(FR | FI | FPRF);
    if (err !== 0) {
      const neg = r < 0;
      const away = err < 0 === neg; // exact is farther from zero than r
      if (mode === 0) {
        if (!away) f |= FR;
      } else if ((mode === 2 && !neg) || (mode === 3 && neg)) {
        f |= FR;
        if (away) r = stepAway(r);
      } else if (!away) {
        r = stepTowardZero(r);
      }
      f |= FI;
      if ((f & XX) === 0) {
        f |= XX | FX;
        if (f & XE) f |= FEX;
      }
    }
    this.fpr[t] = r;
    this.fpscr = (f | (r < 0 ? FPRF_NEG_NORM : FPRF_POS_NORM)) >>> 0;
    return true;
  }

  /**
   * Deliver a single-precision result from the same (r, err) pair as {@link finD}: the single
   * rounding of exact equals that of r unless r lies exactly on a single rounding boundary, where
   * the sign of err decides. Returns false unless the result is a normal single and the exact
   * value is not tiny. (Small on purpose so that it is inlined: r travels to {@link roundS}
   * through the scratch double and err as a sign, because doubles passed to a call that is not
   * inlined are boxed on the heap.)
   */
  private finS(t: number, r: number, err: number, mode: number): boolean {
    if (mode !== 0) {
      F64[0] = r;
      return this.roundS(t, err > 0 ? 1 : err < 0 ? -1 : 0, mode);
    }
    // Round to nearest: fround gives RN(r); only a tie in r (r exactly halfway between two
    // singles, i.e. rs + 2*(r - rs) is a single) can differ from RN(exact), by the sign of err.
    const rs = Math.fround(r);
    const ars = Math.abs(rs);
    if (!(ars > MIN_SINGLE && ars <= MAX_SINGLE)) return false; // tiny, overflow, zero or NaN
    const diff = r - rs; // exact
    let f = this.fpscr & ~(FR | FI | FPRF);
    let res = rs;
    if (diff !== 0 || err !== 0) {
      if (diff !== 0 && err !== 0 && err > 0 === diff > 0) {
        const o = rs + 2 * diff;
        if (Math.fround(o) === o) res = o;
      }
      // FR: |res| > |exact|; exact = r + err and |err| is below any nonzero |res - r|
      const fr = res !== r ? res > r === res > 0 : err < 0 === res > 0;
      f |= fr ? FI | FR : FI;
      if ((f & XX) === 0) {
        f |= XX | FX;
        if (f & XE) f |= FEX;
      }
    }
    this.fpr[t] = res;
    this.fpscr = (f | (res < 0 ? FPRF_NEG_NORM : FPRF_POS_NORM)) >>> 0;
    return true;
  }

  /** Body of {@link finS}; r is in F64[0], es = sign of exact - r. */
  private roundS(t: number, es: number, mode: number): boolean {
    const hi = I32[1]!;
    const lo = I32[0]!;
    const ahi = hi & 0x7fffffff;
    if (!(ahi > 0x38100000 && ahi < 0x47f00000)) return false;
    const neg = hi < 0;
    let s = ((ahi - 0x38000000) << 3) | (lo >>> 29); // truncated single magnitude
    const d = lo & 0x1fffffff; // dropped bits; half = 0x10000000
    let f = this.fpscr & ~(FR | FI | FPRF);
    if (d !== 0 || es !== 0) {
      const away = es !== 0 && es < 0 === neg;
      const toward = es !== 0 && !away;
      let fr: boolean;
      if (mode === 0) {
        if (d > 0x10000000 || (d === 0x10000000 && (away || (es === 0 && (s & 1) !== 0)))) {
          s += 1;
          fr = true;
        } else {
          fr = d === 0 && toward;
        }
      } else if ((mode === 2 && !neg) || (mode === 3 && neg)) {
        fr = true;
        if (d !== 0 || away) s += 1;
      } else {
        fr = false;
        if (d === 0 && toward) s -= 1;
      }
      if (s >= 0x7f800000) return false; // overflow
      f |= fr ? FI | FR : FI;
      if ((f & XX) === 0) {
        f |= XX | FX;
        if (f & XE) f |= FEX;
      }
    }
    const w = this.fprw;
    w[2 * t + 1] = (hi & 0x80000000) | (((s >>> 23) + 896) << 20) | ((s & 0x7fffff) >>> 3);
    w[2 * t] = s << 29;
    this.fpscr = (f | (neg ? FPRF_NEG_NORM : FPRF_POS_NORM)) >>> 0;
    return true;
  }

  /** Deliver an exact zero r (sign already right): FPRF = +-0, FR = FI = 0. */
  private zero(t: number, r: number): void {
    this.fpr[t] = r;
    const f = this.fpscr & ~(FR | FI | FPRF);
    this.fpscr = (f | (1 / r < 0 ? FPRF_NEG_ZERO : FPRF_POS_ZERO)) >>> 0;
  }

  // ---------------------------------------------------------------- add / subtract

  private add(t: number, a: number, b: number, op: number, single: boolean): void {
    const x = this.fpr[a]!;
    const y = op === OP_SUB ? -this.fpr[b]! : this.fpr[b]!;
    const r = x + y;
    const bv = r - x;
    const err = x - (r - bv) + (y - bv);
    const mode = this.fpscr & 3;
    if (single ? this.finS(t, r, err, mode) : this.finD(t, r, err, mode)) return;
    if (r === 0 && mode === 0) this.zero(t, r); // finite operands, exact cancellation
    else slowArith(this, op, single, t, a, b, 0);
  }

  /** fadd: FRT = FRA + FRB. */
  fadd(t: number, a: number, b: number): void {
    this.add(t, a, b, OP_ADD, false);
  }
  /** fadds: FRT = single(FRA + FRB). */
  fadds(t: number, a: number, b: number): void {
    this.add(t, a, b, OP_ADD, true);
  }
  /** fsub: FRT = FRA - FRB. */
  fsub(t: number, a: number, b: number): void {
    this.add(t, a, b, OP_SUB, false);
  }
  /** fsubs: FRT = single(FRA - FRB). */
  fsubs(t: number, a: number, b: number): void {
    this.add(t, a, b, OP_SUB, true);
  }

  // ---------------------------------------------------------------- multiply

  private mul(t: number, a: number, c: number, single: boolean): void {
    const x = this.fpr[a]!;
    const y = this.fpr[c]!;
    const r = x * y;
    const ar = Math.abs(r);
    if (ar > T_M960 && ar < T_1020 && Math.abs(x) < T_995 && Math.abs(y) < T_995) {
      const err = prodErr(x, y, r);
      const mode = this.fpscr & 3;
      if (single ? this.finS(t, r, err, mode) : this.finD(t, r, err, mode)) return;
    } else if (r === 0 && (x === 0 || y === 0)) {
      this.zero(t, r);
      return;
    }
    slowArith(this, OP_MUL, single, t, a, 0, c);
  }

  /** fmul: FRT = FRA * FRC. */
  fmul(t: number, a: number, c: number): void {
    this.mul(t, a, c, false);
  }
  /** fmuls: FRT = single(FRA * FRC). */
  fmuls(t: number, a: number, c: number): void {
    this.mul(t, a, c, true);
  }

  // ---------------------------------------------------------------- divide

  private div(t: number, x: number, y: number, a: number, b: number, op: number, single: boolean): void {
    const q = x / y;
    const ax = Math.abs(x);
    if (ax >= T_M900 && ax < T_1020 && Math.abs(y) < T_995 && Math.abs(q) < T_995) {
      const p = q * y;
      const rem = x - p - prodErr(q, y, p); // exact remainder x - q*y
      const mode = this.fpscr & 3;
      const err = y < 0 ? -rem : rem; // sign of exact - q
      if (single ? this.finS(t, q, err, mode) : this.finD(t, q, err, mode)) return;
    } else if (q === 0 && (x === 0 || Math.abs(y) === Infinity)) {
      this.zero(t, q);
      return;
    }
    slowArith(this, op, single, t, a, b, 0);
  }

  /** fdiv: FRT = FRA / FRB. */
  fdiv(t: number, a: number, b: number): void {
    this.div(t, this.fpr[a]!, this.fpr[b]!, a, b, OP_DIV, false);
  }
  /** fdivs: FRT = single(FRA / FRB). */
  fdivs(t: number, a: number, b: number): void {
    this.div(t, this.fpr[a]!, this.fpr[b]!, a, b, OP_DIV, true);
  }
  /** fres: reciprocal estimate; here 1/FRB correctly rounded to single. */
  fres(t: number, b: number): void {
    this.div(t, 1, this.fpr[b]!, 0, b, OP_RES, true);
  }

  // ---------------------------------------------------------------- fused multiply-add

  private fma(t: number, a: number, c: number, b: number, op: number, single: boolean): void {
    const x = this.fpr[a]!;
    const y = this.fpr[c]!;
    const z = op === OP_MSUB || op === OP_NMSUB ? -this.fpr[b]! : this.fpr[b]!;
    const p = x * y;
    const ap = Math.abs(p);
    let r: number;
    let err: number;
    if (ap > T_M960 && ap < T_1020 && Math.abs(x) < T_995 && Math.abs(y) < T_995 && Math.abs(z) < T_1020) {
      const e = prodErr(x, y, p);
      r = p + z;
      const bv = r - p;
      err = p - (r - bv) + (z - bv);
      if (e !== 0) {
        // exact = r + err + e: renormalize to r' + w + v, then check w + v cannot cross a rounding boundary
        const s = r;
        const u = err + e;
        const bu = u - err;
        const v = err - (u - bu) + (e - bu);
        r = s + u;
        const br = r - s;
        err = s - (r - br) + (u - br);
        if (v !== 0) {
          err += v;
          F64[0] = r;
          const hi = I32[1]!;
          const be = (hi >>> 20) & 0x7ff;
          if (be < 60) {
            slowArith(this, op, single, t, a, b, c);
            return;
          }
          const pow2 = (hi & 0xfffff) === 0 && I32[0] === 0 && err < 0 !== r < 0;
          I32[1] = (be - (pow2 ? 54 : 53)) << 20;
          I32[0] = 0;
          if (!(Math.abs(err) < F64[0]!)) {
            slowArith(this, op, single, t, a, b, c);
            return;
          }
        }
      }
    } else if (p === 0 && (x === 0 || y === 0) && z !== 0) {
      // exact zero product: the result is FRB (rounded for the single forms)
      r = z;
      err = 0;
    } else {
      slowArith(this, op, single, t, a, b, c);
      return;
    }
    let mode = this.fpscr & 3;
    if (op >= OP_NMADD) {
      // round(-(exact)) in the mirrored mode = -(round(exact)) in the mode
      r = -r;
      err = -err;
      mode ^= mode >> 1;
    }
    if (!(single ? this.finS(t, r, err, mode) : this.finD(t, r, err, mode))) slowArith(this, op, single, t, a, b, c);
  }

  /** fmadd: FRT = FRA * FRC + FRB, one rounding. */
  fmadd(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_MADD, false);
  }
  /** fmadds: FRT = single(FRA * FRC + FRB), one rounding. */
  fmadds(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_MADD, true);
  }
  /** fmsub: FRT = FRA * FRC - FRB. */
  fmsub(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_MSUB, false);
  }
  /** fmsubs: FRT = single(FRA * FRC - FRB). */
  fmsubs(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_MSUB, true);
  }
  /** fnmadd: FRT = -(FRA * FRC + FRB) (NaN results are not negated). */
  fnmadd(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_NMADD, false);
  }
  /** fnmadds: FRT = -single(FRA * FRC + FRB). */
  fnmadds(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_NMADD, true);
  }
  /** fnmsub: FRT = -(FRA * FRC - FRB). */
  fnmsub(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_NMSUB, false);
  }
  /** fnmsubs: FRT = -single(FRA * FRC - FRB). */
  fnmsubs(t: number, a: number, c: number, b: number): void {
    this.fma(t, a, c, b, OP_NMSUB, true);
  }

  // ---------------------------------------------------------------- square root and estimates

  private sqrt(t: number, b: number, single: boolean): void {
    const x = this.fpr[b]!;
    if (x >= T_M900 && x < T_1020) {
      const r = Math.sqrt(x);
      const p = r * r;
      const rem = x - p - prodErr(r, r, p); // exact x - r^2: sign of sqrt(x) - r
      const mode = this.fpscr & 3;
      if (single ? this.finS(t, r, rem, mode) : this.finD(t, r, rem, mode)) return;
    } else if (x === 0) {
      this.zero(t, x); // sqrt(+-0) = +-0
      return;
    }
    slowArith(this, OP_SQRT, single, t, 0, b, 0);
  }

  /** fsqrt: FRT = sqrt(FRB). */
  fsqrt(t: number, b: number): void {
    this.sqrt(t, b, false);
  }
  /** fsqrts: FRT = single(sqrt(FRB)). */
  fsqrts(t: number, b: number): void {
    this.sqrt(t, b, true);
  }
  /** frsqrte: reciprocal square root estimate; here 1/sqrt(FRB) correctly rounded to double. */
  frsqrte(t: number, b: number): void {
    slowArith(this, OP_RSQRTE, false, t, 0, b, 0);
  }

  // ---------------------------------------------------------------- rounding and conversion

  /** frsp: round FRB to single precision. */
  frsp(t: number, b: number): void {
    const x = this.fpr[b]!;
    if (this.finS(t, x, 0, this.fpscr & 3)) return;
    if (x === 0) this.zero(t, x);
    else slowArith(this, OP_RSP, true, t, 0, b, 0);
  }
  /** fctiw: convert FRB to a 32-bit integer in FRT[32:63] using FPSCR[RN]. */
  fctiw(t: number, b: number): void {
    convertToInt32(this, t, b, this.fpscr & 3);
  }
  /** fctiwz: convert FRB to a 32-bit integer in FRT[32:63], rounding toward zero. */
  fctiwz(t: number, b: number): void {
    convertToInt32(this, t, b, 1);
  }

  // ---------------------------------------------------------------- select and moves (bits only, no FPSCR)

  /** fsel: FRT = FRA >= 0 (not NaN; -0 counts) ? FRC : FRB. */
  fsel(t: number, a: number, c: number, b: number): void {
    const s = this.fpr[a]! >= 0 ? c : b;
    const w = this.fprw;
    w[2 * t] = w[2 * s]!;
    w[2 * t + 1] = w[2 * s + 1]!;
  }
  /** fmr: FRT = FRB. */
  fmr(t: number, b: number): void {
    const w = this.fprw;
    w[2 * t] = w[2 * b]!;
    w[2 * t + 1] = w[2 * b + 1]!;
  }
  /** fneg: FRT = FRB with the sign bit inverted. */
  fneg(t: number, b: number): void {
    const w = this.fprw;
    w[2 * t] = w[2 * b]!;
    w[2 * t + 1] = w[2 * b + 1]! ^ 0x80000000;
  }
  /** fabs: FRT = FRB with the sign bit cleared. */
  fabs(t: number, b: number): void {
    const w = this.fprw;
    w[2 * t] = w[2 * b]!;
    w[2 * t + 1] = w[2 * b + 1]! & 0x7fffffff;
  }
  /** fnabs: FRT = FRB with the sign bit set. */
  fnabs(t: number, b: number): void {
    const w = this.fprw;
    w[2 * t] = w[2 * b]!;
    w[2 * t + 1] = w[2 * b + 1]! | 0x80000000;
  }

  // ---------------------------------------------------------------- compare

  private compare(a: number, b: number, ordered: boolean): number {
    const x = this.fpr[a]!;
    const y = this.fpr[b]!;
    let c: number;
    if (x < y) c = 8;
    else if (x > y) c = 4;
    else if (x === y) c = 2;
    else {
      const w = this.fprw;
      const snan = isSNaNW(w[2 * a + 1]!, w[2 * a]!) || isSNaNW(w[2 * b + 1]!, w[2 * b]!);
      let exc = snan ? VXSNAN : 0;
      if (ordered && (!snan || (this.fpscr & VE) === 0)) exc |= VXVC;
      const old = this.fpscr;
      this.fpscr = settle(old, (old & ~FPCC) | 0x1000 | exc);
      return 1;
    }
    this.fpscr = ((this.fpscr & ~FPCC) | (c << 12)) >>> 0;
    return c;
  }

  /** fcmpu: unordered compare; sets FPCC and returns the CR field (FL FG FE FU = 8 4 2 1). */
  fcmpu(a: number, b: number): number {
    return this.compare(a, b, false);
  }
  /** fcmpo: ordered compare (a NaN operand also sets VXVC); returns the CR field. */
  fcmpo(a: number, b: number): number {
    return this.compare(a, b, true);
  }

  // ---------------------------------------------------------------- FPSCR instructions

  /** mffs: FRT[32:63] = FPSCR, FRT[0:31] = UNDEFINED_HI. */
  mffs(t: number): void {
    this.fprw[2 * t] = this.fpscr;
    this.fprw[2 * t + 1] = UNDEFINED_HI;
  }

  /**
   * mtfsf/mtfsfi: "FPSCR[FX] is altered only if" field 0 is written, and then FX and OX come from
   * the source (not from the 0 -> 1 rule); FEX and VX are always recomputed, never written.
   */
  private setFields(mask: number, value: number): void {
    this.fpscr = summarize((this.fpscr & ~mask) | (value & mask));
  }

  /** mtfsf: FPSCR fields selected by the 8-bit FLM (0x80 = field 0) from FRB[32:63]. */
  mtfsf(flm: number, b: number): void {
    let mask = 0;
    for (let i = 0; i < 8; i++) if (flm & (0x80 >> i)) mask |= 0xf0000000 >>> (4 * i);
    this.setFields(mask >>> 0, this.fprw[2 * b]!);
  }
  /** mtfsfi: FPSCR field BF (0..7) = U (4 bits). */
  mtfsfi(bf: number, u: number): void {
    const sh = 28 - 4 * bf;
    this.setFields((0xf << sh) >>> 0, ((u & 0xf) << sh) >>> 0);
  }
  /** mtfsb0: clear FPSCR bit BT (FEX and VX cannot be cleared explicitly). */
  mtfsb0(bt: number): void {
    if (bt === 1 || bt === 2) return;
    this.fpscr = summarize(this.fpscr & ~(1 << (31 - bt)));
  }
  /** mtfsb1: set FPSCR bit BT (FEX and VX cannot be set explicitly); an exception bit 0 -> 1 sets FX. */
  mtfsb1(bt: number): void {
    if (bt === 1 || bt === 2) return;
    const old = this.fpscr;
    this.fpscr = settle(old, old | (1 << (31 - bt)));
  }
  /** mcrfs: return FPSCR field BFA (for CR field BF) and clear the exception bits it contains. */
  mcrfs(bfa: number): number {
    const sh = 28 - 4 * bfa;
    const f = this.fpscr;
    const clear = (0xf << sh) & (FX | EXC_ALL);
    this.fpscr = summarize(f & ~clear);
    return (f >>> sh) & 0xf;
  }

  // ---------------------------------------------------------------- loads and stores (no FPSCR effect)

  /** lfs: FRT = the single `bits` converted exactly to double (an sNaN stays signalling). */
  lfs(t: number, bits: number): void {
    const w = this.fprw;
    const e = (bits >>> 23) & 0xff;
    if (e !== 0 && e !== 0xff) {
      w[2 * t + 1] = (bits & 0x80000000) | ((e + 896) << 20) | ((bits & 0x7fffff) >>> 3);
      w[2 * t] = bits << 29;
    } else {
      singleToDoubleWords(bits >>> 0);
      w[2 * t] = U32[0]!;
      w[2 * t + 1] = U32[1]!;
    }
  }
  /** stfs: FPR s as single bits, by the architecture's store-single algorithm (no rounding). */
  stfs(s: number): number {
    return doubleWordsToSingle(this.fprw[2 * s + 1]!, this.fprw[2 * s]!);
  }
  /** stfiwx: the low word of FPR s. */
  stfiwx(s: number): number {
    return this.fprw[2 * s]!;
  }
  /** lfd: FPR t = (hi, lo) raw. */
  lfd(t: number, hi: number, lo: number): void {
    this.fprw[2 * t] = lo;
    this.fprw[2 * t + 1] = hi;
  }
  /** stfd, high word (first word in memory, big-endian guest) of FPR s. */
  stfdHi(s: number): number {
    return this.fprw[2 * s + 1]!;
  }
  /** stfd, low word of FPR s. */
  stfdLo(s: number): number {
    return this.fprw[2 * s]!;
  }
}

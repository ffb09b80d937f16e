/**
 * FPSCR bit masks and the summary-bit rules (PowerPC Book I "Floating-Point Status and Control
 * Register"). IBM numbering: FPSCR bit n is the mask `1 << (31 - n)`.
 *
 * All masks are plain numbers; bit 0 (FX) is 0x80000000, which is above int32 range, so code that
 * builds an FPSCR with `|` must finish with `>>> 0`.
 */

/** bit 0: FP exception summary (sticky; set when an instruction changes an exception bit 0 -> 1, except mtfsf/mtfsfi). */
export const FX = 0x80000000;
/** bit 1: FP enabled exception summary (OR of exception bits ANDed with their enables; never written directly). */
export const FEX = 0x40000000;
/** bit 2: invalid operation exception summary (OR of all VX* bits; never written directly). */
export const VX = 0x20000000;
/** bit 3: overflow exception (sticky). */
export const OX = 0x10000000;
/** bit 4: underflow exception (sticky). */
export const UX = 0x08000000;
/** bit 5: zero divide exception (sticky). */
export const ZX = 0x04000000;
/** bit 6: inexact exception (sticky). */
export const XX = 0x02000000;
/** bit 7: invalid operation: signalling NaN (sticky). */
export const VXSNAN = 0x01000000;
/** bit 8: invalid operation: inf - inf (sticky). */
export const VXISI = 0x00800000;
/** bit 9: invalid operation: inf / inf (sticky). */
export const VXIDI = 0x00400000;
/** bit 10: invalid operation: 0 / 0 (sticky). */
export const VXZDZ = 0x00200000;
/** bit 11: invalid operation: inf * 0 (sticky). */
export const VXIMZ = 0x00100000;
/** bit 12: invalid operation: invalid compare (sticky). */
export const VXVC = 0x00080000;
/** bit 13: fraction rounded (the delivered result's magnitude exceeds the exact result's). Not sticky. */
export const FR = 0x00040000;
/** bit 14: fraction inexact. Not sticky. */
export const FI = 0x00020000;
/** bit 15: result class descriptor (part of FPRF). */
export const C = 0x00010000;
/** bit 16: FPCC "less than or negative" (part of FPRF). */
export const FL = 0x00008000;
/** bit 17: FPCC "greater than or positive" (part of FPRF). */
export const FG = 0x00004000;
/** bit 18: FPCC "equal or zero" (part of FPRF). */
export const FE = 0x00002000;
/** bit 19: FPCC "unordered or NaN" (part of FPRF). */
export const FU = 0x00001000;
/** bits 15:19: floating-point result flags C FL FG FE FU. */
export const FPRF = 0x0001f000;
/** bits 16:19: floating-point condition code FL FG FE FU. */
export const FPCC = 0x0000f000;
/** bit 20: reserved. Writes are ignored and it reads as 0 (implementation choice). */
export const RESERVED = 0x00000800;
/** bit 21: invalid operation: software request (sticky; only set by mtfsf/mtfsfi/mtfsb1). */
export const VXSOFT = 0x00000400;
/** bit 22: invalid operation: square root of a negative number (sticky). */
export const VXSQRT = 0x00000200;
/** bit 23: invalid operation: invalid integer convert (sticky). */
export const VXCVI = 0x00000100;
/** bit 24: invalid operation exception enable. */
export const VE = 0x00000080;
/** bit 25: overflow exception enable. */
export const OE = 0x00000040;
/** bit 26: underflow exception enable. */
export const UE = 0x00000020;
/** bit 27: zero divide exception enable. */
export const ZE = 0x00000010;
/** bit 28: inexact exception enable. */
export const XE = 0x00000008;
/** bit 29: non-IEEE mode. Stored and read back; results stay IEEE (the 440 model defines no non-IEEE behaviour here). */
export const NI = 0x00000004;
/** bits 30:31: rounding control (RN_NEAREST, RN_ZERO, RN_PLUS_INF, RN_MINUS_INF). */
export const RN = 0x00000003;

/** FPSCR[RN] = 0: round to nearest, ties to even. */
export const RN_NEAREST = 0;
/** FPSCR[RN] = 1: round toward zero. */
export const RN_ZERO = 1;
/** FPSCR[RN] = 2: round toward +infinity. */
export const RN_PLUS_INF = 2;
/** FPSCR[RN] = 3: round toward -infinity. */
export const RN_MINUS_INF = 3;

/** All invalid-operation exception bits (their OR is VX). */
export const VX_ALL =
  VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
/** All exception bits: a 0 -> 1 transition of any of them sets FX. */
export const EXC_ALL = OX | UX | ZX | XX | VX_ALL;

/** FPRF value (already shifted into place) for a quiet NaN. */
export const FPRF_QNAN = 0x11000;
/** FPRF value for -infinity. */
export const FPRF_NEG_INF = 0x09000;
/** FPRF value for a negative normalized number. */
export const FPRF_NEG_NORM = 0x08000;
/** FPRF value for a negative denormalized number. */
export const FPRF_NEG_DENORM = 0x18000;
/** FPRF value for -0. */
export const FPRF_NEG_ZERO = 0x12000;
/** FPRF value for +0. */
export const FPRF_POS_ZERO = 0x02000;
/** FPRF value for a positive denormalized number. */
export const FPRF_POS_DENORM = 0x14000;
/** FPRF value for a positive normalized number. */
export const FPRF_POS_NORM = 0x04000;
/** FPRF value for +infinity. */
export const FPRF_POS_INF = 0x05000;

/**
 * High word written to FRT where the architecture leaves FRT[0:31] undefined (mffs, fctiw,
 * fctiwz). 0xFFF80000 is what the classic IBM FPUs deliver (it makes the register a QNaN).
 */
export const UNDEFINED_HI = 0xfff80000;

/** Default QNaN generated by disabled invalid operations, high word (low word 0). */
export const DEFAULT_NAN_HI = 0x7ff80000;

/**
 * Recompute the summary bits VX and FEX of an FPSCR value. Exception bit positions sit 22 bits
 * above their enable bits (VX/VE, OX/OE, UX/UE, ZX/ZE, XX/XE), which the FEX test uses.
 */
export function summarize(f: number): number {
  f &= ~(VX | FEX | RESERVED);
  if (f & VX_ALL) f |= VX;
  if ((f >>> 22) & f & 0xf8) f |= FEX;
  return f >>> 0;
}

/**
 * The FPSCR after an update from `old` to `next` by an instruction that follows the usual rule:
 * FX is set if any exception bit went from 0 to 1; FEX and VX are recomputed.
 */
export function settle(old: number, next: number): number {
  if (next & ~old & EXC_ALL) next |= FX;
  return summarize(next);
}

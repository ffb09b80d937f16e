/**
 * How instruction semantics are written: once, as small functions that return JavaScript source
 * for one instruction. The interpreter generator (cpu/interp.ts) calls them with field *names*
 * (locals decoded from the instruction word at run time); a block compiler calls them with field
 * *values* (numbers), so the same text becomes straight-line code with constants folded.
 *
 * Names in scope of every emitted snippet (bound by the engine):
 *   r (GPRs), cr (CR fields), st (S.* registers), spr, dv/rtag/radd/wtag/wadd (memory fast path),
 *   mem (Memory), fpu (Fpu), fr/fw (FPR values / words), cpu (the Cpu), H (pure helpers).
 */

import type { FieldName, InsnSpec } from "../../isa/types.ts";
import { S } from "../state.ts";
import { TLB_MASK } from "../memory.ts";

/** A field value: a literal (compiled code) or the name of a local holding it (interpreter). */
export type Val = number | string;

export interface Emit {
  readonly spec: InsnSpec;
  /** Operand fields, decoded (sign-extended, SPR halves swapped, branch displacements << 2). */
  readonly f: Readonly<Record<FieldName, Val>>;
  /** Expression for the address of this instruction. */
  readonly pc: string;
  /**
   * Variable receiving the address of the next instruction. Only branch-like instructions
   * (Flag.Branch, rfi/rfci/rfmci, sc) assign it, on every path, and as their last statement.
   */
  readonly next: string;
  /** Statement that ends the current run slice after this instruction (MSR/timer/MMU changes). */
  readonly stop: string;
  /**
   * Prefix (possibly empty, else ending in ", ") for a parenthesised call that may raise: it
   * publishes the engine's counters so that a raise leaves an exact instruction/cycle count.
   * Only slow paths pay for it.
   */
  readonly sync: string;
  /**
   * Statement that leaves the instruction after an exception was recorded (cpu.record*), where
   * the engine has one; absent, semantics raise by throwing FAULT.
   */
  readonly fault?: string;
}

/**
 * Raising an exception from semantics: by a statement when the engine gives one (no throw:
 * V8 charges ~0.6 us per throw, most of a lightweight exit), else by the throwing call.
 */
export function raise(sync: string, fault: string | undefined, record: string, thrower: string): string {
  return fault === undefined ? `(${sync}${thrower});` : `{ (${sync}${record}); ${fault} }`;
}

/** A semantics function: JavaScript statements for one instruction. */
export type Sem = (e: Emit) => string;
export type SemTable = Readonly<Record<string, Sem>>;

/** (RA|0): the value of RA, or 0 when the RA field is 0. */
export function raz(ra: Val): string {
  if (typeof ra === "number") return ra === 0 ? "0" : `r[${ra}]`;
  return `(${ra} === 0 ? 0 : r[${ra}])`;
}

/** CR0 from a signed 32-bit result held in a local or an Int32Array element, plus XER[SO]. */
export function cr0(v: string): string {
  return `cr[0] = (${v} < 0 ? 8 : ${v} > 0 ? 4 : 2) | st[${S.SO}];`;
}

/** OV and SO from a signed sum held exactly as a double. */
export function setOv(t: string): string {
  return `{ const ov = (${t} > 2147483647 || ${t} < -2147483648) ? 1 : 0; st[${S.OV}] = ov; st[${S.SO}] |= ov; }`;
}

// ---- storage: inline software-TLB fast path, slow path in Memory ----
// `ea` must be a side-effect-free identifier.

/** The software-TLB slot of an effective address (Memory's TLB_MASK: the fast path must agree). */
export const IDX = (ea: string) => `((${ea} >>> 12) & ${TLB_MASK})`;

export function ld32(e: Emit, ea: string): string {
  return `(rtag[${IDX(ea)}] === (${ea} & -4093) ? dv.getInt32((${ea} + radd[${IDX(ea)}]) | 0) : (${e.sync}mem.slowLd32(${ea}, ${e.pc})))`;
}
export function ld16(e: Emit, ea: string): string {
  return `(rtag[${IDX(ea)}] === (${ea} & -4095) ? dv.getUint16((${ea} + radd[${IDX(ea)}]) | 0) : (${e.sync}mem.slowLd16(${ea}, ${e.pc})))`;
}
export function ld8(e: Emit, ea: string): string {
  return `(rtag[${IDX(ea)}] === (${ea} & -4096) ? dv.getUint8((${ea} + radd[${IDX(ea)}]) | 0) : (${e.sync}mem.slowLd8(${ea}, ${e.pc})))`;
}
export function st32(e: Emit, ea: string, v: string): string {
  return `if (wtag[${IDX(ea)}] === (${ea} & -4093)) dv.setInt32((${ea} + wadd[${IDX(ea)}]) | 0, ${v}); else (${e.sync}mem.slowSt32(${ea}, ${v}, ${e.pc}));`;
}
export function st16(e: Emit, ea: string, v: string): string {
  return `if (wtag[${IDX(ea)}] === (${ea} & -4095)) dv.setUint16((${ea} + wadd[${IDX(ea)}]) | 0, ${v}); else (${e.sync}mem.slowSt16(${ea}, ${v}, ${e.pc}));`;
}
export function st8(e: Emit, ea: string, v: string): string {
  return `if (wtag[${IDX(ea)}] === (${ea} & -4096)) dv.setUint8((${ea} + wadd[${IDX(ea)}]) | 0, ${v}); else (${e.sync}mem.slowSt8(${ea}, ${v}, ${e.pc}));`;
}

/** A CR bit (0..31, bit 0 = CR0[LT]) as 0/1. */
export function crBit(bi: Val): string {
  if (typeof bi === "number") return `((cr[${bi >> 2}] >>> ${3 - (bi & 3)}) & 1)`;
  return `((cr[${bi} >> 2] >>> (3 - (${bi} & 3))) & 1)`;
}
/** Statement setting CR bit `bt` to the 0/1 value `v`. */
export function setCrBit(bt: Val, v: string): string {
  if (typeof bt === "number") {
    const m = 8 >> (bt & 3);
    return `cr[${bt >> 2}] = (cr[${bt >> 2}] & ${~m & 15}) | ((${v}) ? ${m} : 0);`;
  }
  return `{ const f = ${bt} >> 2, m = 8 >> (${bt} & 3); cr[f] = (cr[f] & ~m) | ((${v}) ? m : 0); }`;
}

/**
 * Instruction encoder for the test vectors: the inverse of `field()` in src/isa/types.ts, driven
 * by the same table rows, so a vector can say `enc("addo.", { rt: 3, ra: 4, rb: 5 })`.
 * Values are given the way the assembler writes them: SPR/DCR numbers unswapped, branch
 * displacements in bytes, signed immediates as negative numbers.
 */
import { byMnemonic } from "../../../src/isa/decode.ts";
import { FIELD_BITS, SIGNED_FIELDS, type FieldName } from "../../../src/isa/types.ts";

export type Fields = Partial<Record<FieldName, number>>;

export function enc(mnemonic: string, fields: Fields = {}): number {
  const spec = byMnemonic(mnemonic);
  if (!spec) throw new Error(`enc: no 440 instruction ${mnemonic}`);
  let w = spec.match;
  for (const [name, value] of Object.entries(fields) as [FieldName, number][]) {
    const [first, last] = FIELD_BITS[name];
    const width = last - first + 1;
    let v = value;
    if (name === "bd" || name === "li") {
      if ((v & 3) !== 0) throw new Error(`enc ${mnemonic}: ${name} ${v} not a multiple of 4`);
      v >>= 2;
    }
    if (name === "spr" || name === "dcrn") v = ((v & 31) << 5) | ((v >>> 5) & 31);
    const lim = 1 << width;
    if (SIGNED_FIELDS.has(name) ? v < -(lim >> 1) || v >= lim : v < 0 || v >= lim) {
      throw new Error(`enc ${mnemonic}: ${name}=${value} out of range`);
    }
    v &= lim - 1;
    w |= v << (31 - last);
  }
  w >>>= 0;
  if (((w & spec.mask) >>> 0) !== spec.match) throw new Error(`enc ${mnemonic}: fields spill into the opcode`);
  return w;
}

/** Hex string of a 32-bit value, 8 digits. */
export const hex32 = (v: number): string => "0x" + (v >>> 0).toString(16).padStart(8, "0");

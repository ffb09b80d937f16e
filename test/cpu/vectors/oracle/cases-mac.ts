/**
 * The MAC / multiply-halfword family. Expectations come from macref.py (the manual's
 * pseudo-code); QEMU runs the same cases and its output is recorded where it differs.
 * Each case names two 16-bit factors; they are placed in the halves the form reads, and the
 * other halves hold a marker (0x5a5a / 0xa5a5) so a wrong halfword selection shows.
 */
import { INSNS } from "../../../../src/isa/table.ts";
import { Flag } from "../../../../src/isa/types.ts";
import { SO, h, ins, uniq, type CaseDef, type Family } from "./defs.ts";

/** [accumulator, x, y] with x, y the 16-bit factors (x from RA, y from RB). */
const MAC_CASES: [number, number, number][] = [
  [100, 3, 5], [100, 0xffff, 2], [0x7fffffff, 1, 1], [0x80000000, 0xffff, 1], [0x80000000, 1, 1],
  [0xffffffff, 1, 1], [0x7ffffff0, 0x7fff, 0x7fff], [0, 0x8000, 0x8000], [0xfffffff0, 0xffff, 0xffff],
  [5, 0x1234, 0], [0x40000000, 0x8000, 0x8000], [0x80000000, 0x8000, 0x7fff],
];
const MUL_CASES: [number, number][] = [[3, 5], [0xffff, 2], [0x8000, 0x8000], [0x7fff, 0x7fff], [0xffff, 0xffff], [0x8000, 0x7fff], [0x1234, 0]];

function place(form: string, x: number, y: number): [number, number] {
  switch (form) {
    case "ch": return [(0x5a5a << 16 | x) >>> 0, (y << 16 | 0xa5a5) >>> 0];
    case "hh": return [(x << 16 | 0x5a5a) >>> 0, (y << 16 | 0xa5a5) >>> 0];
    default: return [(0x5a5a << 16 | x) >>> 0, (0xa5a5 << 16 | y) >>> 0];
  }
}

function cases(): CaseDef[] {
  const out: CaseDef[] = [];
  for (const spec of INSNS) {
    if ((spec.flags & Flag.Mac) === 0) continue;
    const mn = spec.mnemonic;
    const form = /(ch|hh|lh)w/.exec(mn)![1]!;
    if (mn.includes("mac")) {
      for (const [acc, x, y] of MAC_CASES) {
        const [a, b] = place(form, x, y);
        out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `${h(acc)} +- ${x.toString(16)}*${y.toString(16)}`, { gpr: { 3: acc, 4: a, 5: b } }));
      }
      const [a, b] = place(form, 3, 5);
      out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `SO sticky (no overflow)`, { gpr: { 3: 100, 4: a, 5: b }, xer: SO | 0x40000000 }));
      out.push(ins(mn, { rt: 4, ra: 4, rb: 4 }, `rt=ra=rb`, { gpr: { 4: 0x00030002 } }));
    } else {
      for (const [x, y] of MUL_CASES) {
        const [a, b] = place(form, x, y);
        out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `${x.toString(16)}*${y.toString(16)}`, { gpr: { 3: 0xdeadbeef, 4: a, 5: b } }));
      }
      const [a, b] = place(form, 0xffff, 1);
      out.push(ins(mn, { rt: 3, ra: 4, rb: 5 }, `SO copied`, { gpr: { 4: a, 5: b }, xer: SO }));
    }
  }
  return uniq(out);
}

export function macFamily(): Family {
  return {
    name: "mac", oracle: "mac", cases: cases(),
    description: "multiply-accumulate and multiply-halfword (signed/unsigned, saturating, o forms, modulo wrap); expectations from macref.py, QEMU recorded where it diverges",
  };
}

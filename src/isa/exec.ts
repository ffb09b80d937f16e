/**
 * Decoding for execution, which differs from decoding for disassembly. The table's masks follow
 * objdump, which refuses words whose reserved fields are not zero; the 440 does not: "if any bit
 * in a reserved field does not contain 0, the instruction form is invalid ... Unless otherwise
 * noted, the PPC440x5 core will execute all invalid instruction forms without causing an Illegal
 * Instruction exception" (PPC440x5 UM, 9.2). So the core matches only the primary opcode, the
 * extended opcode and the variant bits of each form. (This is also what lets POWER9's mffscrni
 * and mffsl, which glibc's libm executes unconditionally, run as mffs on older cores.)
 */

import { INSNS } from "./table.ts";
import type { Form, InsnSpec } from "./types.ts";

/** Bits that define an instruction, by form: primary opcode plus extended opcode and variant bits. */
const DEFINING: Readonly<Record<Form, number>> = {
  I: 0xfc000003, // AA, LK
  B: 0xfc000003,
  SC: 0xfc000002, // bit 30 is 1
  D: 0xfc000000,
  M: 0xfc000001, // Rc
  A: 0xfc00003f, // XO 26-30, Rc
  X: 0xfc0007ff, // XO 21-30, Rc (dropped below where no row uses Rc)
  XL: 0xfc0007ff,
  XFX: 0xfc0007ff,
  XFL: 0xfc0007ff,
  XO: 0xfc0007ff, // OE, XO 22-30, Rc
};

export interface ExecMatch {
  readonly spec: InsnSpec;
  readonly match: number;
  readonly mask: number;
}

function build(): ExecMatch[] {
  const out: ExecMatch[] = [];
  for (const spec of INSNS) {
    let mask = (spec.mask & DEFINING[spec.form]) >>> 0;
    // bit 31 of an X-form row that exists only with Rc=0 (or only with Rc=1) is reserved
    if ((mask & 1) !== 0 && spec.form !== "M" && spec.form !== "A") {
      const twin = INSNS.some((o) => o !== spec && o.opcd === spec.opcd &&
        ((o.match ^ spec.match) & mask & ~1) === 0 && ((o.match ^ spec.match) & 1) !== 0);
      if (!twin) mask = (mask & ~1) >>> 0;
    }
    out.push({ spec, match: (spec.match & mask) >>> 0, mask });
  }
  // the rule must not make two rows match the same word
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      const a = out[i]!, b = out[j]!, m = a.mask & b.mask;
      if (((a.match ^ b.match) & m) === 0) throw new Error(`exec decode: ${a.spec.mnemonic} overlaps ${b.spec.mnemonic}`);
    }
  }
  return out;
}

export const EXEC: readonly ExecMatch[] = build();
const BY_SPEC = new Map(EXEC.map((e) => [e.spec, e]));

export function execMatch(spec: InsnSpec): ExecMatch {
  return BY_SPEC.get(spec)!;
}

/** Candidates per (primary opcode, low 11 bits) slot, built once. */
const SLOTS: (ExecMatch[] | undefined)[] = [];
for (const e of EXEC) {
  const op = e.match >>> 26, low = e.mask & 0x7ff;
  for (let k = 0; k < 2048; k++) {
    if (((k ^ e.match) & low) !== 0) continue;
    (SLOTS[(op << 11) | k] ??= []).push(e);
  }
}

/** The instruction the 440 executes for `word`, or undefined (an illegal instruction). */
export function decodeExec(word: number): InsnSpec | undefined {
  const w = word >>> 0;
  const list = SLOTS[((w >>> 26) << 11) | (w & 0x7ff)];
  if (list) for (const e of list) if (((w & e.mask) >>> 0) === e.match) return e.spec;
  return undefined;
}

/**
 * The shape of the 440 instruction table. Encodings are data: one `InsnSpec` per assembler
 * mnemonic (every `o`/`.`/`l`/`a` variant is its own row, as in the manual's instruction index),
 * and everything else — the decoder, the disassembler, the interpreter, the block compiler, the
 * hypervisor's exit classifier, the test generators — is derived from the rows.
 *
 * Bit numbering follows the IBM manual (bit 0 = most significant bit of the 32-bit word).
 */

/** Instruction formats of the PowerPC Book E / PPC440 user's manual. */
export type Form = "I" | "B" | "SC" | "D" | "X" | "XL" | "XFX" | "XFL" | "XO" | "A" | "M";

/**
 * Operand fields. Each is a bit range of the instruction word (see FIELD_BITS). The names are
 * the manual's, lower-cased; register fields of FP instructions use the `f` prefix so the
 * disassembler knows the register file.
 */
export type FieldName =
  | "rt" | "rs" | "ra" | "rb"                   // GPRs: 6-10 (rt/rs), 11-15, 16-20
  | "frt" | "frs" | "fra" | "frb" | "frc"        // FPRs: 6-10, 6-10, 11-15, 16-20, 21-25
  | "bf" | "bfa"                                  // CR fields: 6-8, 11-13
  | "bt" | "ba" | "bb"                            // CR bits: 6-10, 11-15, 16-20
  | "bo" | "bi"                                   // branch condition: 6-10, 11-15
  | "bd"                                          // branch displacement 16-29 (<<2, signed)
  | "li"                                          // branch displacement 6-29 (<<2, signed)
  | "si"                                          // signed immediate 16-31
  | "ui"                                          // unsigned immediate 16-31
  | "d"                                           // signed displacement 16-31
  | "to"                                          // trap condition 6-10
  | "sh" | "mb" | "me"                            // 16-20, 21-25, 26-30
  | "nb"                                          // string byte count 16-20
  | "spr" | "dcrn"                                // 11-20 with the two 5-bit halves swapped
  | "fxm"                                         // mtcrf field mask 12-19
  | "flm"                                         // mtfsf field mask 7-14
  | "u"                                           // mtfsfi immediate 16-19
  | "ws"                                          // tlbwe/tlbre word select 16-20
  | "e"                                           // wrteei bit 16
  | "l"                                           // compare L bit 10 (must be 0 on 440)
  | "mo"                                          // mbar 6-10
  | "ct";                                         // icbt cache touch 6-10

/** [first bit, last bit] inclusive, IBM numbering. */
export const FIELD_BITS: Readonly<Record<FieldName, readonly [number, number]>> = {
  rt: [6, 10], rs: [6, 10], ra: [11, 15], rb: [16, 20],
  frt: [6, 10], frs: [6, 10], fra: [11, 15], frb: [16, 20], frc: [21, 25],
  bf: [6, 8], bfa: [11, 13],
  bt: [6, 10], ba: [11, 15], bb: [16, 20],
  bo: [6, 10], bi: [11, 15],
  bd: [16, 29], li: [6, 29],
  si: [16, 31], ui: [16, 31], d: [16, 31],
  to: [6, 10],
  sh: [16, 20], mb: [21, 25], me: [26, 30],
  nb: [16, 20],
  spr: [11, 20], dcrn: [11, 20],
  fxm: [12, 19], flm: [7, 14], u: [16, 19],
  ws: [16, 20], e: [16, 16], l: [10, 10], mo: [6, 10], ct: [6, 10],
};

/** Fields whose raw bits are sign-extended (and, for branches, shifted left by 2). */
export const SIGNED_FIELDS: ReadonlySet<FieldName> = new Set(["si", "d", "bd", "li"]);

/** Extracts a field's value from an instruction word (SPR/DCR halves un-swapped, bd/li << 2). */
export function field(word: number, name: FieldName): number {
  const [first, last] = FIELD_BITS[name];
  const width = last - first + 1;
  let v = (word >>> (31 - last)) & ((1 << width) - 1);
  if (name === "spr" || name === "dcrn") v = ((v & 31) << 5) | (v >>> 5);
  if (name === "bd" || name === "li") v <<= 2;
  if (SIGNED_FIELDS.has(name)) {
    const bits = name === "bd" || name === "li" ? width + 2 : width;
    v = (v << (32 - bits)) >> (32 - bits);
  }
  return v;
}

/** Instruction property bits (InsnSpec.flags). */
export const enum Flag {
  /** Privileged: at MSR[PR]=1 raises Program/PPR (mfspr/mtspr: privileged when SPRN bit 0x10 set, decided at run time). */
  Priv = 1 << 0,
  /** Uses the FPU: MSR[FP]=0 raises FP Unavailable. */
  Fp = 1 << 1,
  /** Loads from storage. */
  Load = 1 << 2,
  /** Stores to storage (dcbz, dcbi count as stores). */
  Store = 1 << 3,
  /** Changes the flow of control (branches, sc, rfi, trap-like instructions excluded). */
  Branch = 1 << 4,
  /** Context synchronising (isync, sc, rfi, rfci, rfmci). */
  Sync = 1 << 5,
  /** A compiled block must end after this instruction (privileged, MSR/PID/TLB writers, sc, isync, traps). */
  EndsBlock = 1 << 6,
  /** Multiply-accumulate / multiply-halfword family (opcode 4). */
  Mac = 1 << 7,
  /** May trap (tw, twi). */
  Trap = 1 << 8,
  /** Cache management (no architectural effect in an emulator without caches, except dcbz). */
  Cache = 1 << 9,
  /** Candidate for paravirtual patching (mfmsr, mtmsr, wrtee(i), mfspr/mtspr, tlbsync). */
  PvPatchable = 1 << 10,
  /** Storage access by string or multiple instructions (variable register count). */
  Multi = 1 << 11,
}

/**
 * Virtual-clock cost class. The cycles per class live in the cpu layer (cpu/cycles.ts), so the
 * instruction set only says what kind of work an instruction is.
 */
export type CostClass =
  | "int" | "mul" | "mulhw" | "div" | "load" | "store" | "multi" | "branch" | "cr"
  | "spr" | "sys" | "tlb" | "cache" | "mac" | "fp" | "fpdivs" | "fpdiv" | "fpsqrts" | "fpsqrt"
  | "fpload" | "fpstore";

/** One row of the instruction table. */
export interface InsnSpec {
  /** Assembler mnemonic exactly as GNU as spells it, including `o`, `.`, `l`, `a` suffixes. */
  readonly mnemonic: string;
  /** The family the semantics are written for (e.g. `add` for add, add., addo, addo.). */
  readonly base: string;
  readonly form: Form;
  /** Primary opcode (bits 0-5). */
  readonly opcd: number;
  /** The instruction matches when `(word & mask) >>> 0 === match`. Both unsigned 32-bit. */
  readonly match: number;
  readonly mask: number;
  /** Operands in assembler order (for the disassembler and tests). */
  readonly operands: readonly FieldName[];
  /** Variant bits: OE (bit 21) set, Rc (bit 31) set, LK set, AA set. */
  readonly oe: boolean;
  readonly rc: boolean;
  readonly lk: boolean;
  readonly aa: boolean;
  /** Flag bits. */
  readonly flags: number;
  readonly cost: CostClass;
}

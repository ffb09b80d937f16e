/**
 * Instruction decoder generated from the table. Built once at module load: for every primary
 * opcode, a 2048-entry table indexed by the low 11 bits of the word (XO + Rc, or the low bits of
 * an immediate for D/I/B forms) holding the few rows that can match there. Decoding a word is one
 * array load and (almost always) one mask compare — no scan of the table.
 *
 * "Decodes" means the same as for GNU objdump -M 440 (see table.ts): besides the mask, a handful
 * of Book E *invalid forms* that objdump refuses (e.g. `lwzu r3,0(r3)`, `bclr` with a BO the
 * architecture reserves) decode as illegal here too; `invalidForm` lists them.
 */
import { INSNS } from "./table.ts";
import { type InsnSpec } from "./types.ts";

/** Bits of a word that select a slot: primary opcode (6 bits) and the low 11 bits. */
export function slotOf(word: number): number {
  return ((word >>> 15) & 0x1f800) | (word & 0x7ff);
}

/** Can some word match both rows? (They agree on every bit both masks care about.) */
export function overlaps(x: InsnSpec, y: InsnSpec): boolean {
  return ((x.match ^ y.match) & x.mask & y.mask) === 0;
}

/** All slot values (0..0x1ffff) a row can occupy: the low-11-bit values its mask allows. */
function slotsOf(spec: InsnSpec): number[] {
  const fixed = spec.mask & 0x7ff;
  const free = ~fixed & 0x7ff;
  const out: number[] = [];
  const hi = spec.opcd << 11;
  // Enumerate the subsets of the free bits (standard subset walk).
  let sub = 0;
  do {
    out.push(hi | (spec.match & fixed) | sub);
    sub = (sub - free) & free;
  } while (sub !== 0);
  return out;
}

function build(): (readonly InsnSpec[] | undefined)[] {
  const slots: (InsnSpec[] | undefined)[] = new Array(64 * 2048).fill(undefined);
  const seen = new Map<string, InsnSpec>();
  for (const spec of INSNS) {
    if (seen.has(spec.mnemonic)) throw new Error(`isa table: duplicate mnemonic ${spec.mnemonic}`);
    seen.set(spec.mnemonic, spec);
    if ((spec.match & ~spec.mask) !== 0) throw new Error(`isa table: ${spec.mnemonic} match has bits outside its mask`);
    if (spec.match >>> 26 !== spec.opcd) throw new Error(`isa table: ${spec.mnemonic} opcd mismatch`);
    for (const s of slotsOf(spec)) {
      const list = (slots[s] ??= []);
      for (const other of list) {
        if (overlaps(spec, other)) throw new Error(`isa table: ${spec.mnemonic} overlaps ${other.mnemonic}`);
      }
      list.push(spec);
    }
  }
  return slots;
}

const SLOTS = build();
const BY_MNEMONIC = new Map(INSNS.map((r) => [r.mnemonic, r] as const));
const BY_BASE = new Map<string, InsnSpec[]>();
for (const r of INSNS) BY_BASE.set(r.base, [...(BY_BASE.get(r.base) ?? []), r]);

/** The row of an assembler mnemonic (`addo.`), or undefined if the 440 has no such instruction. */
export function byMnemonic(mnemonic: string): InsnSpec | undefined {
  return BY_MNEMONIC.get(mnemonic);
}

/** All rows of a semantics family (`add` gives add, add., addo, addo.), in table order. */
export function byBase(base: string): readonly InsnSpec[] {
  return BY_BASE.get(base) ?? [];
}

/** The table row whose mask/match fits the word, ignoring invalid-form checks. */
export function lookup(word: number): InsnSpec | undefined {
  const list = SLOTS[slotOf(word)];
  if (list === undefined) return undefined;
  for (const spec of list) {
    if (((word & spec.mask) >>> 0) === spec.match) return spec;
  }
  return undefined;
}

/** Decodes a word to its table row, or undefined for an illegal instruction on the 440. */
export function decode(word: number): InsnSpec | undefined {
  const spec = lookup(word);
  if (spec === undefined || invalidForm(spec, word)) return undefined;
  return spec;
}

// ---- invalid forms ---------------------------------------------------------------------------

const LOAD_UPDATE = new Set(["lbzu", "lbzux", "lhau", "lhaux", "lhzu", "lhzux", "lwzu", "lwzux"]);
const STORE_UPDATE = new Set([
  "stbu", "stbux", "sthu", "sthux", "stwu", "stwux",
  "lfdu", "lfdux", "lfsu", "lfsux", "stfdu", "stfdux", "stfsu", "stfsux",
]);

/**
 * Book E's rule for BO values (the 440 predates the Power ISA 2.x "at" hints): in `001zy`,
 * `011zy`, `1z00y` and `1z1zz` the z bits must be zero.
 */
export function validBo(bo: number): boolean {
  switch (bo & 0x14) {
    case 0x04: return (bo & 0x02) === 0;
    case 0x10: return (bo & 0x08) === 0;
    case 0x14: return bo === 0x14;
    default: return true;
  }
}

/**
 * Operand combinations that Book E calls invalid and objdump refuses to disassemble, so they are
 * illegal here as well. (On silicon their effect is undefined; no compiler emits them.)
 */
export function invalidForm(spec: InsnSpec, word: number): boolean {
  const rt = (word >>> 21) & 31;
  const ra = (word >>> 16) & 31;
  const rb = (word >>> 11) & 31;
  const base = spec.base;
  if (LOAD_UPDATE.has(base)) return ra === 0 || ra === rt;
  if (STORE_UPDATE.has(base)) return ra === 0;
  switch (base) {
    case "lmw":
      return ra >= rt; // RA may not be among the registers loaded (rt..r31)
    case "lswi":
      return ra === rt; // objdump checks only this part of Book E's "RA in the range" rule
    case "lswx":
      return ra === rt || rb === rt;
    case "bc":
      // BO=1z00y with z=1 still decodes as bdnz/bdz when BI is 0 (objdump's mask ignores z).
      return !validBo(rt) && !((rt & 0x14) === 0x10 && ra === 0) && (rt & 0x14) !== 0x04;
    case "bclr":
    case "bcctr":
      return !validBo(rt);
    case "dcbf":
      return ((word >>> 21) & 3) === 2; // Power ISA L=2 is reserved
    default:
      return false;
  }
}

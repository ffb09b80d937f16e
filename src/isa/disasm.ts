/**
 * Disassembler whose output is exactly the instruction column of `objdump -d -M 440` (GNU
 * binutils 2.40), including objdump's extended mnemonics, its optional-operand elision and its
 * branch-hint suffixes. Branch targets are printed as absolute hex addresses without the
 * `<symbol>` part. Words that do not decode print as `.long 0x...`.
 *
 * The committed fixtures under test/isa/fixtures pin every rule here to objdump's real output.
 */
import { decode } from "./decode.ts";
import { Flag, field, type FieldName, type InsnSpec } from "./types.ts";

/** One printed operand. Optional operands follow objdump's elision rule (see `joinOperands`). */
export interface Operand {
  readonly text: string;
  /** objdump may omit this operand when it (and every later optional one) has its default. */
  readonly optional?: boolean;
  /** Only meaningful for optional operands: the value is the default (zero). */
  readonly isDefault?: boolean;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
const gpr = (n: number): string => `r${n}`;
/** objdump's "RA0" operands: register 0 in an address means the value 0, printed as `0`. */
const gpr0 = (n: number): string => (n === 0 ? "0" : `r${n}`);
const CR_BITS = ["lt", "gt", "eq", "so"] as const;
/** A CR bit as objdump prints it: `eq` for CR0, `4*cr7+gt` otherwise. */
const crBit = (n: number): string => (n >= 4 ? `4*cr${n >>> 2}+` : "") + CR_BITS[n & 3];
const bitsAt = (word: number, first: number, last: number): number =>
  (word >>> (31 - last)) & ((1 << (last - first + 1)) - 1);

const req = (text: string): Operand => ({ text });
const opt = (text: string, value: number): Operand => ({ text, optional: true, isDefault: value === 0 });

/**
 * objdump prints an optional operand unless it and every later optional operand have their
 * default value; non-optional operands are always printed.
 */
export function joinOperands(ops: readonly Operand[]): string {
  let last = -1;
  ops.forEach((o, i) => {
    if (o.optional && !o.isDefault) last = i;
  });
  return ops.filter((o, i) => !o.optional || i <= last).map((o) => o.text).join(",");
}

/** Mnemonic padded the way objdump does it: at least one space, operands from column 8. */
export function formatLine(mnemonic: string, operands: string): string {
  return operands === "" ? mnemonic : `${mnemonic.padEnd(7)} ${operands}`;
}

// ---- generic operands ------------------------------------------------------------------------

/** Instructions whose RA is a plain register even when zero (objdump's RA, not RA0). */
const RA_PLAIN = new Set(["dccci", "iccci", "tlbre", "tlbwe"]);
/** Operands objdump treats as optional, per mnemonic family. */
const OPTIONAL: Readonly<Record<string, readonly FieldName[]>> = {
  tlbre: ["rt", "ra", "ws"],
  tlbwe: ["rs", "ra", "ws"],
  tlbsx: ["rt"],
  dccci: ["ra", "rb"],
  iccci: ["ra", "rb"],
  icbt: ["ct"],
  mbar: ["mo"],
};

/**
 * Bits the 440 reserves but objdump prints as Power ISA operands: [first bit, last bit], printed
 * as a trailing optional operand.
 */
const EXTRA_OPERAND: Readonly<Record<string, readonly [number, number]>> = {
  lwarx: [31, 31], // EH
  mtmsr: [15, 15], // L
  dcbf: [9, 10], // L
  fres: [15, 15], // L
  frsqrte: [15, 15],
  sc: [20, 26], // LEV
  bclr: [19, 20], // BH
  bcctr: [19, 20],
};

/** FPSCR instructions whose BT/BF objdump prints as plain numbers (they name FPSCR fields). */
const NUMERIC_CR = new Set(["mtfsb0", "mtfsb1", "mtfsfi"]);

/** Storage-addressing instructions print RA as objdump's RA0 (`0` for r0). */
function usesRa0(spec: InsnSpec): boolean {
  if (RA_PLAIN.has(spec.base)) return false;
  return spec.base === "tlbsx" || (spec.flags & (Flag.Load | Flag.Store | Flag.Cache)) !== 0;
}

/** Text of one operand field of a decoded word. */
function fieldText(name: FieldName, word: number, pc: number, spec: InsnSpec): string {
  const v = field(word, name);
  if (NUMERIC_CR.has(spec.base)) return String(v);
  switch (name) {
    case "rt": case "rs": case "rb":
      return gpr(v);
    case "ra":
      return usesRa0(spec) ? gpr0(v) : gpr(v);
    case "frt": case "frs": case "fra": case "frb": case "frc":
      return `f${v}`;
    case "bf": case "bfa":
      return `cr${v}`;
    case "bt": case "ba": case "bb": case "bi":
      return crBit(v);
    case "nb":
      return String(v === 0 ? 32 : v);
    case "bd": case "li":
      return hex(spec.aa ? v : pc + v);
    default:
      return String(v); // si/d are already signed; everything else is an unsigned number
  }
}

/** The operands of a row as listed in the table, with objdump's `d(ra)` and optional rules. */
function genericOperands(spec: InsnSpec, word: number, pc: number): Operand[] {
  const optional = OPTIONAL[spec.base] ?? [];
  const out: Operand[] = [];
  const ops = spec.operands;
  for (let i = 0; i < ops.length; i++) {
    const name = ops[i]!;
    if (name === "d" && ops[i + 1] === "ra") {
      out.push(req(`${field(word, "d")}(${fieldText("ra", word, pc, spec)})`));
      i++;
      continue;
    }
    const text = fieldText(name, word, pc, spec);
    out.push(optional.includes(name) ? opt(text, field(word, name)) : req(text));
  }
  const extra = EXTRA_OPERAND[spec.base];
  if (extra !== undefined) {
    const v = bitsAt(word, extra[0], extra[1]);
    out.push(opt(String(v), v));
  }
  return out;
}

/** Operands in objdump's syntax (no mnemonic); reusable by diagnostics. */
export function formatOperands(spec: InsnSpec, word: number, pc = 0): string {
  return joinOperands(genericOperands(spec, word, pc));
}

// ---- extended mnemonics ----------------------------------------------------------------------

type Ext = readonly [mnemonic: string, operands: Operand[]];
type Simplifier = (spec: InsnSpec, word: number, pc: number) => Ext | undefined;

/** The `.` suffix of Rc=1 rows. */
const dot = (spec: InsnSpec): string => (spec.rc ? "." : "");

const TRAP_NAMES: Readonly<Record<number, string>> = {
  1: "lgt", 2: "llt", 4: "eq", 5: "lge", 6: "lle", 8: "gt", 12: "ge", 16: "lt", 20: "le", 24: "ne", 31: "u",
};

/** SPR names objdump -M 440 uses for mfspr/mtspr (it knows some that the 440 lacks). */
const SPR_NAMES: Readonly<Record<number, string>> = {
  1: "xer", 8: "lr", 9: "ctr", 18: "dsisr", 19: "dar", 22: "dec", 25: "sdr1", 26: "srr0", 27: "srr1",
  48: "pid", 58: "csrr0", 59: "csrr1", 61: "dear", 62: "esr", 63: "ivpr", 256: "usprg0", 282: "ear",
  304: "dbsr", 308: "dbcr0", 309: "dbcr1", 310: "dbcr2", 312: "iac1", 313: "iac2", 314: "iac3",
  315: "iac4", 316: "dac1", 317: "dac2", 318: "dvc1", 319: "dvc2", 336: "tsr", 340: "tcr",
  570: "mcsrr0", 571: "mcsrr1", 572: "mcsr",
};
/** Names that exist in only one direction. */
const MFSPR_ONLY: Readonly<Record<number, string>> = {
  4: "rtcu", 5: "rtcl", 268: "tb", 269: "tbu", 286: "pir", 287: "pvr", 573: "mcar",
};
const MTSPR_ONLY: Readonly<Record<number, string>> = {
  20: "rtcu", 21: "rtcl", 54: "decar", 284: "tbl", 285: "tbu",
};

function sprName(spr: number, isMf: boolean): string | undefined {
  if (spr >= 400 && spr <= 415) return `ivor${spr - 400}`;
  return SPR_NAMES[spr] ?? (isMf ? MFSPR_ONLY[spr] : MTSPR_ONLY[spr]);
}

/** SPRs objdump prints with a number operand: SPRGn and the BATs. */
function sprIndexed(spr: number, isMf: boolean): readonly [string, number] | undefined {
  if (spr >= 272 && spr <= 279) return ["sprg", spr - 272];
  if (isMf && spr >= 260 && spr <= 263) return ["sprg", spr - 256];
  if (spr >= 528 && spr <= 543) {
    const n = spr - 528;
    return [`${n & 8 ? "d" : "i"}bat${n & 1 ? "l" : "u"}`, (n >>> 1) & 3];
  }
  return undefined;
}

/** The hint suffix of extended conditional branches (pre-Power4 rule: y bit vs. direction). */
function hint(y: boolean, backward: boolean): string {
  return y !== backward ? "+" : "-";
}

/** Extended mnemonic stem of a conditional branch (without lr/ctr/l/a/hint), or undefined. */
function condStem(bo: number, bi: number): { stem: string; crField: boolean } | undefined {
  switch (bo & 0x14) {
    case 0x00: {
      const ctr = bo & 0x02 ? "bdz" : "bdnz";
      return { stem: `${ctr}${bo & 0x08 ? "t" : "f"}`, crField: false };
    }
    case 0x04: {
      const names = bo & 0x08 ? ["lt", "gt", "eq", "so"] : ["ge", "le", "ne", "ns"];
      return { stem: `b${names[bi & 3]}`, crField: true };
    }
    default:
      return undefined;
  }
}

function branchCond(spec: InsnSpec, word: number, pc: number): Ext {
  const bo = bitsAt(word, 6, 10);
  const bi = bitsAt(word, 11, 15);
  const y = (bo & 1) === 1;
  const lk = spec.lk ? "l" : "";
  const aa = spec.aa ? "a" : "";
  const bd = field(word, "bd");
  const target = req(hex(spec.aa ? bd : pc + bd));
  const backward = bd < 0;
  const cond = condStem(bo, bi);
  if (cond !== undefined) {
    const first = cond.crField ? opt(`cr${bi >>> 2}`, bi >>> 2) : req(crBit(bi));
    return [`${cond.stem}${lk}${aa}${hint(y, backward)}`, [first, target]];
  }
  if ((bo & 0x14) === 0x10 && bi === 0) {
    return [`${bo & 0x02 ? "bdz" : "bdnz"}${lk}${aa}${hint(y, backward)}`, [target]];
  }
  // Plain bc: objdump adds "+" only when y is set and the branch goes forward.
  return [`bc${lk}${aa}${y && !backward ? "+" : ""}`, [req(String(bo)), req(crBit(bi)), target]];
}

function branchReg(spec: InsnSpec, word: number): Ext {
  const bo = bitsAt(word, 6, 10);
  const bi = bitsAt(word, 11, 15);
  const bhBits = bitsAt(word, 19, 20);
  const bh = opt(String(bhBits), bhBits);
  const y = (bo & 1) === 1;
  const reg = spec.base === "bclr" ? "lr" : "ctr";
  const lk = spec.lk ? "l" : "";
  const cond = condStem(bo, bi);
  // bcctr has no decrementing extended forms.
  if (cond !== undefined && (cond.crField || reg === "lr")) {
    const first = cond.crField ? opt(`cr${bi >>> 2}`, bi >>> 2) : req(crBit(bi));
    return [`${cond.stem}${reg}${lk}${y ? "+" : "-"}`, [first, bh]];
  }
  if (bo === 20 && bi === 0) return [`b${reg}${lk}`, [bh]];
  if (reg === "lr" && (bo & 0x14) === 0x10 && bi === 0) {
    return [`${bo & 0x02 ? "bdz" : "bdnz"}lr${lk}${y ? "+" : "-"}`, [bh]];
  }
  return [`bc${reg}${lk}${y ? "+" : ""}`, [req(String(bo)), req(crBit(bi)), bh]];
}

function rlwinm(spec: InsnSpec, word: number): Ext | undefined {
  const ra = req(gpr(field(word, "ra")));
  const rs = req(gpr(field(word, "rs")));
  const sh = field(word, "sh");
  const mb = field(word, "mb");
  const me = field(word, "me");
  const n = (v: number): Operand => req(String(v));
  const d = dot(spec);
  if (mb === 0 && me === 31) return [`rotlwi${d}`, [ra, rs, n(sh)]];
  if (sh === 0 && mb === 0) return [`clrrwi${d}`, [ra, rs, n(31 - me)]];
  if (sh === 0 && me === 31) return [`clrlwi${d}`, [ra, rs, n(mb)]];
  if (mb === 0 && me === 31 - sh) return [`slwi${d}`, [ra, rs, n(sh)]];
  if (me === 31 && sh !== 0 && mb === 32 - sh) return [`srwi${d}`, [ra, rs, n(mb)]];
  return undefined;
}

/** Compare with L=0: cmpw/cmplw/cmpwi/cmplwi with an optional CR field. */
function cmpWord(name: string): Simplifier {
  return (spec, word, pc) => {
    if (field(word, "l") !== 0) return undefined;
    const bf = field(word, "bf");
    const rest = spec.operands.slice(2).map((f) => req(fieldText(f, word, pc, spec)));
    return [name, [opt(`cr${bf}`, bf), ...rest]];
  };
}

function trap(spec: InsnSpec, word: number): Ext | undefined {
  const name = TRAP_NAMES[field(word, "to")];
  const ra = req(gpr(field(word, "ra")));
  if (spec.base === "twi") return name === undefined ? undefined : [`tw${name}i`, [ra, req(String(field(word, "si")))]];
  if (word >>> 0 === 0x7fe00008) return ["trap", []];
  return name === undefined ? undefined : [`tw${name}`, [ra, req(gpr(field(word, "rb")))]];
}

function moveSpr(spec: InsnSpec, word: number): Ext | undefined {
  const isMf = spec.base === "mfspr";
  const spr = field(word, "spr");
  const reg = req(gpr(field(word, isMf ? "rt" : "rs")));
  const name = sprName(spr, isMf);
  const prefix = isMf ? "mf" : "mt";
  if (name !== undefined) return [`${prefix}${name}`, [reg]];
  const indexed = sprIndexed(spr, isMf);
  if (indexed === undefined) return undefined;
  const idx = req(String(indexed[1]));
  return [`${prefix}${indexed[0]}`, isMf ? [reg, idx] : [idx, reg]];
}

const SIMPLIFY: Readonly<Record<string, Simplifier>> = {
  addi: (_s, w) => (field(w, "ra") === 0 ? ["li", [req(gpr(field(w, "rt"))), req(String(field(w, "si")))]] : undefined),
  addis: (_s, w) => (field(w, "ra") === 0 ? ["lis", [req(gpr(field(w, "rt"))), req(String(field(w, "si")))]] : undefined),
  ori: (_s, w) => (w >>> 0 === 0x60000000 ? ["nop", []] : undefined),
  xori: (_s, w) => (w >>> 0 === 0x68000000 ? ["xnop", []] : undefined),
  or: (s, w) => (field(w, "rs") === field(w, "rb") ? [`mr${dot(s)}`, [req(gpr(field(w, "ra"))), req(gpr(field(w, "rs")))]] : undefined),
  nor: (s, w) => (field(w, "rs") === field(w, "rb") ? [`not${dot(s)}`, [req(gpr(field(w, "ra"))), req(gpr(field(w, "rs")))]] : undefined),
  cmp: cmpWord("cmpw"),
  cmpl: cmpWord("cmplw"),
  cmpi: cmpWord("cmpwi"),
  cmpli: cmpWord("cmplwi"),
  rlwinm: (s, w) => rlwinm(s, w),
  rlwnm: (s, w) => (field(w, "mb") === 0 && field(w, "me") === 31
    ? [`rotlw${dot(s)}`, [req(gpr(field(w, "ra"))), req(gpr(field(w, "rs"))), req(gpr(field(w, "rb")))]]
    : undefined),
  creqv: (_s, w) => (sameCrBits(w, 3) ? ["crset", [req(crBit(field(w, "bt")))]] : undefined),
  crxor: (_s, w) => (sameCrBits(w, 3) ? ["crclr", [req(crBit(field(w, "bt")))]] : undefined),
  cror: (_s, w) => (sameCrBits(w, 2) ? ["crmove", [req(crBit(field(w, "bt"))), req(crBit(field(w, "ba")))]] : undefined),
  crnor: (_s, w) => (sameCrBits(w, 2) ? ["crnot", [req(crBit(field(w, "bt"))), req(crBit(field(w, "ba")))]] : undefined),
  mtcrf: (_s, w) => (field(w, "fxm") === 0xff ? ["mtcr", [req(gpr(field(w, "rs")))]] : undefined),
  tw: trap,
  twi: trap,
  mfspr: moveSpr,
  mtspr: moveSpr,
  bc: branchCond,
  bclr: (s, w) => branchReg(s, w),
  bcctr: (s, w) => branchReg(s, w),
};

/** crset/crclr need bt=ba=bb (n=3); crmove/crnot need ba=bb (n=2). */
function sameCrBits(word: number, n: 2 | 3): boolean {
  const ba = field(word, "ba");
  return ba === field(word, "bb") && (n === 2 || ba === field(word, "bt"));
}

// ---- entry points ----------------------------------------------------------------------------

/** Mnemonic and operand text of a decoded instruction, as objdump prints them. */
export function disassembleSpec(spec: InsnSpec, word: number, pc: number): readonly [string, string] {
  const ext = SIMPLIFY[spec.base]?.(spec, word, pc);
  if (ext !== undefined) return [ext[0], joinOperands(ext[1])];
  return [spec.mnemonic, formatOperands(spec, word, pc)];
}

/** One instruction exactly as `objdump -d -M 440` prints it after the address and the bytes. */
export function disassemble(word: number, pc: number): string {
  const spec = decode(word);
  if (spec === undefined) return `.long ${hex(word)}`;
  const [mn, ops] = disassembleSpec(spec, word >>> 0, pc);
  return formatLine(mn, ops);
}

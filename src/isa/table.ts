/**
 * The PPC440 (440EPx: integer, FPU, MAC) instruction table: one row per assembler mnemonic, in
 * the order of the PPC440x5 user's manual chapters. Everything else (decoder, disassembler,
 * interpreter, block compiler, tests) is derived from these rows.
 *
 * Masks: a row's mask covers the primary opcode, the extended opcode and the variant bits (OE,
 * Rc, LK, AA). Reserved fields are normally left out of the mask (the 440 ignores them), but
 * where GNU objdump -M 440 refuses a word whose reserved field is non-zero we include that field
 * (`res`), so that "decodes" means the same thing here and in objdump. Those fields are listed
 * per row; they were found by running objdump 2.40 over every opcode/extended-opcode slot with
 * every combination of bits 6-20, and the committed fixtures (test/isa/fixtures) pin them.
 */
import { Flag, type CostClass, type FieldName, type Form, type InsnSpec } from "./types.ts";

// ---- bit helpers (IBM numbering: bit 0 is the MSB) -------------------------------------------

/** Mask of bits first..last inclusive. */
const bits = (first: number, last: number): number =>
  ((0xffffffff >>> first) & (0xffffffff << (31 - last))) >>> 0;

const RT = bits(6, 10);
const RA = bits(11, 15);
const RB = bits(16, 20);
const RC = bits(21, 25); // the FRC field of A-form instructions
const RA_RB = (RA | RB) >>> 0;
const ALL_6_20 = bits(6, 20);
const OE_BIT = bits(21, 21);
const RC_BIT = bits(31, 31);
const LK_BIT = RC_BIT;
const AA_BIT = bits(30, 30);

const OPCD_MASK = bits(0, 5);
const X_MASK = (OPCD_MASK | bits(21, 31)) >>> 0; // XO in 21-30 plus Rc
const XO_MASK = X_MASK; // XO in 22-30 plus OE and Rc: the same bits
const A_MASK = (OPCD_MASK | bits(26, 31)) >>> 0;
const M_MASK = (OPCD_MASK | RC_BIT) >>> 0;

// ---- flag shorthands -------------------------------------------------------------------------

/** Privileged: traps at MSR[PR]=1 and must end a compiled block. */
const PRIV = Flag.Priv | Flag.EndsBlock;
const BR = Flag.Branch | Flag.EndsBlock;
const LD = Flag.Load;
const ST = Flag.Store;
const FP = Flag.Fp;
const MAC = Flag.Mac;
const CACHE = Flag.Cache;
const PV = Flag.PvPatchable;
const MULTI = Flag.Multi;

// ---- row builders ----------------------------------------------------------------------------

interface Opts {
  /** Semantics family; defaults to the mnemonic without `o`/`.`/`l`/`a` variants. */
  base?: string;
  flags?: number;
  /** Reserved bits that objdump requires to be zero (added to the mask). */
  res?: number;
  form?: Form;
}

interface Variant {
  oe?: boolean;
  rc?: boolean;
  lk?: boolean;
  aa?: boolean;
}

function row(
  mnemonic: string, base: string, form: Form, opcd: number, match: number, mask: number,
  operands: readonly FieldName[], v: Variant, flags: number, cost: CostClass,
): InsnSpec {
  return {
    mnemonic, base, form, opcd, match: match >>> 0, mask: mask >>> 0, operands,
    oe: v.oe ?? false, rc: v.rc ?? false, lk: v.lk ?? false, aa: v.aa ?? false, flags, cost,
  };
}

const op = (opcd: number): number => (opcd << 26) >>> 0;

/** D-form: the primary opcode alone identifies the instruction (one row; `.` only in the name). */
function d(mn: string, opcd: number, ops: readonly FieldName[], cost: CostClass, o: Opts = {}): InsnSpec[] {
  const rc = mn.endsWith(".");
  const base = o.base ?? mn.replace(/\.$/, "");
  return [row(mn, base, o.form ?? "D", opcd, op(opcd), OPCD_MASK, ops, { rc }, o.flags ?? 0, cost)];
}

/** X/XL/XFX/XFL-form with a 10-bit XO in bits 21-30; `rc` adds the `.` row. */
function x(
  mn: string, opcd: number, xo: number, ops: readonly FieldName[], cost: CostClass,
  o: Opts & { rc?: boolean } = {},
): InsnSpec[] {
  const base = o.base ?? mn;
  const match = op(opcd) | (xo << 1);
  const mask = X_MASK | (o.res ?? 0);
  const form = o.form ?? "X";
  const rows = [row(mn, base, form, opcd, match, mask, ops, {}, o.flags ?? 0, cost)];
  if (o.rc) rows.push(row(`${mn}.`, base, form, opcd, match | RC_BIT, mask, ops, { rc: true }, o.flags ?? 0, cost));
  return rows;
}

/** XO-form with a 9-bit XO in bits 22-30; `oe` adds the `o` rows, `rc` the `.` rows. */
function xo(
  mn: string, opcd: number, xo9: number, ops: readonly FieldName[], cost: CostClass,
  o: Opts & { oe?: boolean; rc?: boolean } = {},
): InsnSpec[] {
  const base = o.base ?? mn;
  const match = op(opcd) | (xo9 << 1);
  const mask = XO_MASK | (o.res ?? 0);
  const rows: InsnSpec[] = [];
  for (const oe of o.oe ? [false, true] : [false]) {
    for (const rc of o.rc ? [false, true] : [false]) {
      const name = `${mn}${oe ? "o" : ""}${rc ? "." : ""}`;
      const m = match | (oe ? OE_BIT : 0) | (rc ? RC_BIT : 0);
      rows.push(row(name, base, "XO", opcd, m, mask, ops, { oe, rc }, o.flags ?? 0, cost));
    }
  }
  return rows;
}

/** A-form floating point (5-bit XO in 26-30); every A-form instruction has a `.` variant. */
function a(mn: string, opcd: number, xo5: number, ops: readonly FieldName[], cost: CostClass, res = 0): InsnSpec[] {
  const match = op(opcd) | (xo5 << 1);
  const mask = A_MASK | res;
  return [
    row(mn, mn, "A", opcd, match, mask, ops, {}, FP, cost),
    row(`${mn}.`, mn, "A", opcd, match | RC_BIT, mask, ops, { rc: true }, FP, cost),
  ];
}

/** M-form rotates, with `.` variant. */
function m(mn: string, opcd: number, ops: readonly FieldName[]): InsnSpec[] {
  return [
    row(mn, mn, "M", opcd, op(opcd), M_MASK, ops, {}, 0, "int"),
    row(`${mn}.`, mn, "M", opcd, op(opcd) | RC_BIT, M_MASK, ops, { rc: true }, 0, "int"),
  ];
}

/** Branch rows: `lk` adds the `l` variants and `aa` the `a` variants (b, bl, ba, bla order). */
function br(
  mn: string, form: Form, opcd: number, match: number, mask: number, ops: readonly FieldName[], withAa: boolean,
): InsnSpec[] {
  const rows: InsnSpec[] = [];
  for (const aa of withAa ? [false, true] : [false]) {
    for (const lk of [false, true]) {
      const name = `${mn}${lk ? "l" : ""}${aa ? "a" : ""}`;
      const w = match | (lk ? LK_BIT : 0) | (aa ? AA_BIT : 0);
      rows.push(row(name, mn, form, opcd, w, mask, ops, { lk, aa }, BR, "branch"));
    }
  }
  return rows;
}

const GPR3: readonly FieldName[] = ["rt", "ra", "rb"];
const GPR2: readonly FieldName[] = ["rt", "ra"];
const LOGIC: readonly FieldName[] = ["ra", "rs", "rb"];
const LOGIC1: readonly FieldName[] = ["ra", "rs"];
const LD_D: readonly FieldName[] = ["rt", "d", "ra"];
const ST_D: readonly FieldName[] = ["rs", "d", "ra"];
const LD_X: readonly FieldName[] = ["rt", "ra", "rb"];
const ST_X: readonly FieldName[] = ["rs", "ra", "rb"];
const CACHE_X: readonly FieldName[] = ["ra", "rb"];
const FLD_D: readonly FieldName[] = ["frt", "d", "ra"];
const FST_D: readonly FieldName[] = ["frs", "d", "ra"];
const FLD_X: readonly FieldName[] = ["frt", "ra", "rb"];
const FST_X: readonly FieldName[] = ["frs", "ra", "rb"];
const CRB3: readonly FieldName[] = ["bt", "ba", "bb"];
const MACOPS: readonly FieldName[] = ["rt", "ra", "rb"];

// ---- the table -------------------------------------------------------------------------------

export const INSNS: readonly InsnSpec[] = [
  // ===== Integer arithmetic (UM ch. 9: add..subfze, mul*, div*) =====
  ...xo("add", 31, 266, GPR3, "int", { oe: true, rc: true }),
  ...xo("addc", 31, 10, GPR3, "int", { oe: true, rc: true }),
  ...xo("adde", 31, 138, GPR3, "int", { oe: true, rc: true }),
  ...xo("addme", 31, 234, GPR2, "int", { oe: true, rc: true, res: RB }),
  ...xo("addze", 31, 202, GPR2, "int", { oe: true, rc: true, res: RB }),
  ...xo("subf", 31, 40, GPR3, "int", { oe: true, rc: true }),
  ...xo("subfc", 31, 8, GPR3, "int", { oe: true, rc: true }),
  ...xo("subfe", 31, 136, GPR3, "int", { oe: true, rc: true }),
  ...xo("subfme", 31, 232, GPR2, "int", { oe: true, rc: true, res: RB }),
  ...xo("subfze", 31, 200, GPR2, "int", { oe: true, rc: true, res: RB }),
  ...xo("neg", 31, 104, GPR2, "int", { oe: true, rc: true, res: RB }),
  ...xo("mullw", 31, 235, GPR3, "mul", { oe: true, rc: true }),
  ...xo("mulhw", 31, 75, GPR3, "mul", { rc: true }),
  ...xo("mulhwu", 31, 11, GPR3, "mul", { rc: true }),
  ...xo("divw", 31, 491, GPR3, "div", { oe: true, rc: true }),
  ...xo("divwu", 31, 459, GPR3, "div", { oe: true, rc: true }),

  ...d("addi", 14, ["rt", "ra", "si"], "int"),
  ...d("addis", 15, ["rt", "ra", "si"], "int"),
  ...d("addic", 12, ["rt", "ra", "si"], "int"),
  ...d("addic.", 13, ["rt", "ra", "si"], "int", { base: "addic" }),
  ...d("subfic", 8, ["rt", "ra", "si"], "int"),
  ...d("mulli", 7, ["rt", "ra", "si"], "mul"),

  // ===== Compare =====
  ...x("cmp", 31, 0, ["bf", "l", "ra", "rb"], "int", { res: bits(9, 9) }),
  ...x("cmpl", 31, 32, ["bf", "l", "ra", "rb"], "int", { res: bits(9, 9) }),
  ...d("cmpi", 11, ["bf", "l", "ra", "si"], "int"),
  ...d("cmpli", 10, ["bf", "l", "ra", "ui"], "int"),

  // ===== Logical =====
  ...x("and", 31, 28, LOGIC, "int", { rc: true }),
  ...x("andc", 31, 60, LOGIC, "int", { rc: true }),
  ...x("nand", 31, 476, LOGIC, "int", { rc: true }),
  ...x("nor", 31, 124, LOGIC, "int", { rc: true }),
  ...x("or", 31, 444, LOGIC, "int", { rc: true }),
  ...x("orc", 31, 412, LOGIC, "int", { rc: true }),
  ...x("xor", 31, 316, LOGIC, "int", { rc: true }),
  ...x("eqv", 31, 284, LOGIC, "int", { rc: true }),
  ...x("extsb", 31, 954, LOGIC1, "int", { rc: true, res: RB }),
  ...x("extsh", 31, 922, LOGIC1, "int", { rc: true, res: RB }),
  ...x("cntlzw", 31, 26, LOGIC1, "int", { rc: true, res: RB }),
  // 440-specific: determine leftmost zero byte.
  ...x("dlmzb", 31, 78, LOGIC, "int", { rc: true }),
  ...d("andi.", 28, ["ra", "rs", "ui"], "int", { base: "andi" }),
  ...d("andis.", 29, ["ra", "rs", "ui"], "int", { base: "andis" }),
  ...d("ori", 24, ["ra", "rs", "ui"], "int"),
  ...d("oris", 25, ["ra", "rs", "ui"], "int"),
  ...d("xori", 26, ["ra", "rs", "ui"], "int"),
  ...d("xoris", 27, ["ra", "rs", "ui"], "int"),

  // ===== Rotate and shift =====
  ...m("rlwimi", 20, ["ra", "rs", "sh", "mb", "me"]),
  ...m("rlwinm", 21, ["ra", "rs", "sh", "mb", "me"]),
  ...m("rlwnm", 23, ["ra", "rs", "rb", "mb", "me"]),
  ...x("slw", 31, 24, LOGIC, "int", { rc: true }),
  ...x("srw", 31, 536, LOGIC, "int", { rc: true }),
  ...x("sraw", 31, 792, LOGIC, "int", { rc: true }),
  ...x("srawi", 31, 824, ["ra", "rs", "sh"], "int", { rc: true }),

  // ===== Multiply-accumulate and multiply halfword (opcode 4, UM 5.2 of ppc440.md) =====
  ...xo("macchw", 4, 172, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("macchws", 4, 236, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("macchwsu", 4, 204, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("macchwu", 4, 140, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("machhw", 4, 44, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("machhws", 4, 108, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("machhwsu", 4, 76, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("machhwu", 4, 12, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("maclhw", 4, 428, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("maclhws", 4, 492, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("maclhwsu", 4, 460, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("maclhwu", 4, 396, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("nmacchw", 4, 174, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("nmacchws", 4, 238, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("nmachhw", 4, 46, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("nmachhws", 4, 110, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("nmaclhw", 4, 430, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("nmaclhws", 4, 494, MACOPS, "mac", { oe: true, rc: true, flags: MAC }),
  ...xo("mulchw", 4, 168, MACOPS, "mulhw", { rc: true, flags: MAC }),
  ...xo("mulchwu", 4, 136, MACOPS, "mulhw", { rc: true, flags: MAC }),
  ...xo("mulhhw", 4, 40, MACOPS, "mulhw", { rc: true, flags: MAC }),
  ...xo("mulhhwu", 4, 8, MACOPS, "mulhw", { rc: true, flags: MAC }),
  ...xo("mullhw", 4, 424, MACOPS, "mulhw", { rc: true, flags: MAC }),
  ...xo("mullhwu", 4, 392, MACOPS, "mulhw", { rc: true, flags: MAC }),

  // ===== Branch =====
  ...br("b", "I", 18, op(18), (OPCD_MASK | AA_BIT | LK_BIT) >>> 0, ["li"], true),
  ...br("bc", "B", 16, op(16), (OPCD_MASK | AA_BIT | LK_BIT) >>> 0, ["bo", "bi", "bd"], true),
  // Bits 16-18 are reserved and objdump requires them zero; 19-20 (Power ISA "BH") are ignored.
  ...br("bclr", "XL", 19, op(19) | (16 << 1), X_MASK | bits(16, 18), ["bo", "bi"], false),
  ...br("bcctr", "XL", 19, op(19) | (528 << 1), X_MASK | bits(16, 18), ["bo", "bi"], false),

  // ===== Condition register =====
  ...x("crand", 19, 257, CRB3, "cr", { form: "XL" }),
  ...x("crandc", 19, 129, CRB3, "cr", { form: "XL" }),
  ...x("creqv", 19, 289, CRB3, "cr", { form: "XL" }),
  ...x("crnand", 19, 225, CRB3, "cr", { form: "XL" }),
  ...x("crnor", 19, 33, CRB3, "cr", { form: "XL" }),
  ...x("cror", 19, 449, CRB3, "cr", { form: "XL" }),
  ...x("crorc", 19, 417, CRB3, "cr", { form: "XL" }),
  ...x("crxor", 19, 193, CRB3, "cr", { form: "XL" }),
  ...x("mcrf", 19, 0, ["bf", "bfa"], "cr", { form: "XL", res: bits(9, 10) | bits(14, 20) }),

  // ===== Trap and system call =====
  ...x("tw", 31, 4, ["to", "ra", "rb"], "sys", { flags: Flag.Trap | Flag.EndsBlock }),
  ...d("twi", 3, ["to", "ra", "si"], "sys", { flags: Flag.Trap | Flag.EndsBlock }),
  // sc: bits 6-15 must be zero for objdump; 16-29 are ignored (objdump prints 20-26 as LEV).
  row("sc", "sc", "SC", 17, op(17) | AA_BIT, OPCD_MASK | bits(6, 15) | AA_BIT | LK_BIT, [], {},
    Flag.Sync | Flag.EndsBlock, "sys"),

  // ===== Integer load and store =====
  ...d("lbz", 34, LD_D, "load", { flags: LD }),
  ...d("lbzu", 35, LD_D, "load", { flags: LD }),
  ...x("lbzux", 31, 119, LD_X, "load", { flags: LD }),
  ...x("lbzx", 31, 87, LD_X, "load", { flags: LD }),
  ...d("lha", 42, LD_D, "load", { flags: LD }),
  ...d("lhau", 43, LD_D, "load", { flags: LD }),
  ...x("lhaux", 31, 375, LD_X, "load", { flags: LD }),
  ...x("lhax", 31, 343, LD_X, "load", { flags: LD }),
  ...d("lhz", 40, LD_D, "load", { flags: LD }),
  ...d("lhzu", 41, LD_D, "load", { flags: LD }),
  ...x("lhzux", 31, 311, LD_X, "load", { flags: LD }),
  ...x("lhzx", 31, 279, LD_X, "load", { flags: LD }),
  ...d("lwz", 32, LD_D, "load", { flags: LD }),
  ...d("lwzu", 33, LD_D, "load", { flags: LD }),
  ...x("lwzux", 31, 55, LD_X, "load", { flags: LD }),
  ...x("lwzx", 31, 23, LD_X, "load", { flags: LD }),
  ...d("stb", 38, ST_D, "store", { flags: ST }),
  ...d("stbu", 39, ST_D, "store", { flags: ST }),
  ...x("stbux", 31, 247, ST_X, "store", { flags: ST }),
  ...x("stbx", 31, 215, ST_X, "store", { flags: ST }),
  ...d("sth", 44, ST_D, "store", { flags: ST }),
  ...d("sthu", 45, ST_D, "store", { flags: ST }),
  ...x("sthux", 31, 439, ST_X, "store", { flags: ST }),
  ...x("sthx", 31, 407, ST_X, "store", { flags: ST }),
  ...d("stw", 36, ST_D, "store", { flags: ST }),
  ...d("stwu", 37, ST_D, "store", { flags: ST }),
  ...x("stwux", 31, 183, ST_X, "store", { flags: ST }),
  ...x("stwx", 31, 151, ST_X, "store", { flags: ST }),
  ...x("lhbrx", 31, 790, LD_X, "load", { flags: LD }),
  ...x("lwbrx", 31, 534, LD_X, "load", { flags: LD }),
  ...x("sthbrx", 31, 918, ST_X, "store", { flags: ST }),
  ...x("stwbrx", 31, 662, ST_X, "store", { flags: ST }),
  ...d("lmw", 46, LD_D, "multi", { flags: LD | MULTI }),
  ...d("stmw", 47, ST_D, "multi", { flags: ST | MULTI }),
  ...x("lswi", 31, 597, ["rt", "ra", "nb"], "multi", { flags: LD | MULTI }),
  ...x("lswx", 31, 533, LD_X, "multi", { flags: LD | MULTI }),
  ...x("stswi", 31, 725, ["rs", "ra", "nb"], "multi", { flags: ST | MULTI }),
  ...x("stswx", 31, 661, ST_X, "multi", { flags: ST | MULTI }),
  // lwarx: bit 31 is reserved on the 440; objdump prints it as the Power ISA EH hint.
  row("lwarx", "lwarx", "X", 31, op(31) | (20 << 1), X_MASK & ~RC_BIT, LD_X, {}, LD, "load"),
  row("stwcx.", "stwcx", "X", 31, op(31) | (150 << 1) | RC_BIT, X_MASK, ST_X, { rc: true }, ST, "store"),

  // ===== Cache management =====
  ...x("dcba", 31, 758, CACHE_X, "cache", { flags: CACHE, res: RT }),
  // dcbf: bits 9-10 are the Power ISA L field, which objdump prints; 6-8 must be zero.
  ...x("dcbf", 31, 86, CACHE_X, "cache", { flags: CACHE, res: bits(6, 8) }),
  ...x("dcbi", 31, 470, CACHE_X, "cache", { flags: CACHE | ST | PRIV, res: RT }),
  ...x("dcbst", 31, 54, CACHE_X, "cache", { flags: CACHE, res: RT }),
  ...x("dcbt", 31, 278, CACHE_X, "cache", { flags: CACHE }),
  ...x("dcbtst", 31, 246, CACHE_X, "cache", { flags: CACHE }),
  ...x("dcbz", 31, 1014, CACHE_X, "cache", { flags: CACHE | ST, res: RT }),
  ...x("dccci", 31, 454, CACHE_X, "cache", { flags: CACHE | PRIV, res: RT }),
  ...x("dcread", 31, 486, LD_X, "cache", { flags: CACHE | PRIV }),
  ...x("icbi", 31, 982, CACHE_X, "cache", { flags: CACHE, res: RT }),
  ...x("icbt", 31, 22, ["ct", "ra", "rb"], "cache", { flags: CACHE }),
  ...x("iccci", 31, 966, CACHE_X, "cache", { flags: CACHE | PRIV, res: RT }),
  ...x("icread", 31, 998, CACHE_X, "cache", { flags: CACHE | PRIV, res: RT }),

  // ===== Synchronisation =====
  ...x("isync", 19, 150, [], "sys", { form: "XL", flags: Flag.Sync | Flag.EndsBlock, res: ALL_6_20 }),
  // msync is the sync encoding with every other bit zero (objdump: L=1 is lwsync, not a 440 op).
  ...x("msync", 31, 598, [], "sys", { res: ALL_6_20 }),
  ...x("mbar", 31, 854, ["mo"], "sys"),

  // ===== Processor control =====
  ...x("mfmsr", 31, 83, ["rt"], "spr", { flags: PRIV | PV, res: RA_RB }),
  // mtmsr: bit 15 is the Power ISA L field, printed by objdump; the rest must be zero.
  ...x("mtmsr", 31, 146, ["rs"], "spr", { flags: PRIV | PV, res: bits(11, 14) | RB }),
  ...x("wrtee", 31, 131, ["rs"], "spr", { flags: PRIV | PV, res: RA_RB }),
  ...x("wrteei", 31, 163, ["e"], "spr", { flags: PRIV | PV, res: bits(6, 15) | bits(17, 20) }),
  // mfspr/mtspr privilege depends on the SPR number (bit 0x10), decided at run time.
  ...x("mfspr", 31, 339, ["rt", "spr"], "spr", { form: "XFX", flags: PV }),
  ...x("mtspr", 31, 467, ["spr", "rs"], "spr", { form: "XFX", flags: PV | Flag.EndsBlock }),
  ...x("mfdcr", 31, 323, ["rt", "dcrn"], "spr", { form: "XFX", flags: PRIV }),
  ...x("mtdcr", 31, 451, ["dcrn", "rs"], "spr", { form: "XFX", flags: PRIV }),
  ...x("mfcr", 31, 19, ["rt"], "cr", { res: RA_RB }),
  ...x("mtcrf", 31, 144, ["fxm", "rs"], "cr", { form: "XFX", res: bits(11, 11) | bits(20, 20) }),
  ...x("mcrxr", 31, 512, ["bf"], "cr", { res: bits(9, 20) }),
  ...x("rfi", 19, 50, [], "sys", { form: "XL", flags: PRIV | Flag.Sync, res: ALL_6_20 }),
  ...x("rfci", 19, 51, [], "sys", { form: "XL", flags: PRIV | Flag.Sync, res: ALL_6_20 }),
  ...x("rfmci", 19, 38, [], "sys", { form: "XL", flags: PRIV | Flag.Sync, res: ALL_6_20 }),

  // ===== TLB management =====
  ...x("tlbre", 31, 946, ["rt", "ra", "ws"], "tlb", { flags: PRIV }),
  ...x("tlbwe", 31, 978, ["rs", "ra", "ws"], "tlb", { flags: PRIV }),
  ...x("tlbsx", 31, 914, ["rt", "ra", "rb"], "tlb", { flags: PRIV, rc: true }),
  ...x("tlbsync", 31, 566, [], "tlb", { flags: PRIV | PV, res: ALL_6_20 }),

  // ===== Floating-point load and store =====
  ...d("lfd", 50, FLD_D, "fpload", { flags: FP | LD }),
  ...d("lfdu", 51, FLD_D, "fpload", { flags: FP | LD }),
  ...x("lfdux", 31, 631, FLD_X, "fpload", { flags: FP | LD }),
  ...x("lfdx", 31, 599, FLD_X, "fpload", { flags: FP | LD }),
  ...d("lfs", 48, FLD_D, "fpload", { flags: FP | LD }),
  ...d("lfsu", 49, FLD_D, "fpload", { flags: FP | LD }),
  ...x("lfsux", 31, 567, FLD_X, "fpload", { flags: FP | LD }),
  ...x("lfsx", 31, 535, FLD_X, "fpload", { flags: FP | LD }),
  ...d("stfd", 54, FST_D, "fpstore", { flags: FP | ST }),
  ...d("stfdu", 55, FST_D, "fpstore", { flags: FP | ST }),
  ...x("stfdux", 31, 759, FST_X, "fpstore", { flags: FP | ST }),
  ...x("stfdx", 31, 727, FST_X, "fpstore", { flags: FP | ST }),
  ...d("stfs", 52, FST_D, "fpstore", { flags: FP | ST }),
  ...d("stfsu", 53, FST_D, "fpstore", { flags: FP | ST }),
  ...x("stfsux", 31, 695, FST_X, "fpstore", { flags: FP | ST }),
  ...x("stfsx", 31, 663, FST_X, "fpstore", { flags: FP | ST }),
  ...x("stfiwx", 31, 983, FST_X, "fpstore", { flags: FP | ST }),

  // ===== Floating-point arithmetic =====
  ...a("fadd", 63, 21, ["frt", "fra", "frb"], "fp", RC),
  ...a("fadds", 59, 21, ["frt", "fra", "frb"], "fp", RC),
  ...a("fsub", 63, 20, ["frt", "fra", "frb"], "fp", RC),
  ...a("fsubs", 59, 20, ["frt", "fra", "frb"], "fp", RC),
  ...a("fmul", 63, 25, ["frt", "fra", "frc"], "fp", RB),
  ...a("fmuls", 59, 25, ["frt", "fra", "frc"], "fp", RB),
  ...a("fdiv", 63, 18, ["frt", "fra", "frb"], "fpdiv", RC),
  ...a("fdivs", 59, 18, ["frt", "fra", "frb"], "fpdivs", RC),
  ...a("fmadd", 63, 29, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fmadds", 59, 29, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fmsub", 63, 28, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fmsubs", 59, 28, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fnmadd", 63, 31, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fnmadds", 59, 31, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fnmsub", 63, 30, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fnmsubs", 59, 30, ["frt", "fra", "frc", "frb"], "fp"),
  ...a("fsqrt", 63, 22, ["frt", "frb"], "fpsqrt", RA | RC),
  ...a("fsqrts", 59, 22, ["frt", "frb"], "fpsqrts", RA | RC),
  // fres/frsqrte: bit 15 is ignored by the 440 but printed by objdump (Power ISA "L").
  ...a("fres", 59, 24, ["frt", "frb"], "fp", bits(11, 14) | RC),
  ...a("frsqrte", 63, 26, ["frt", "frb"], "fp", bits(11, 14) | RC),
  ...a("fsel", 63, 23, ["frt", "fra", "frc", "frb"], "fp"),
  ...x("frsp", 63, 12, ["frt", "frb"], "fp", { flags: FP, rc: true, res: RA }),
  ...x("fctiw", 63, 14, ["frt", "frb"], "fp", { flags: FP, rc: true, res: RA }),
  ...x("fctiwz", 63, 15, ["frt", "frb"], "fp", { flags: FP, rc: true, res: RA }),
  ...x("fabs", 63, 264, ["frt", "frb"], "fp", { flags: FP, rc: true, res: RA }),
  ...x("fnabs", 63, 136, ["frt", "frb"], "fp", { flags: FP, rc: true, res: RA }),
  ...x("fneg", 63, 40, ["frt", "frb"], "fp", { flags: FP, rc: true, res: RA }),
  ...x("fmr", 63, 72, ["frt", "frb"], "fp", { flags: FP, rc: true, res: RA }),
  ...x("fcmpu", 63, 0, ["bf", "fra", "frb"], "fp", { flags: FP, res: bits(9, 10) }),
  ...x("fcmpo", 63, 32, ["bf", "fra", "frb"], "fp", { flags: FP, res: bits(9, 10) }),

  // ===== FPSCR =====
  ...x("mffs", 63, 583, ["frt"], "fp", { flags: FP, rc: true, res: RA_RB }),
  // mtfsf: bits 6 and 15 (Power ISA L and W) are ignored by both the 440 and objdump.
  ...x("mtfsf", 63, 711, ["flm", "frb"], "fp", { form: "XFL", flags: FP, rc: true }),
  ...x("mtfsfi", 63, 134, ["bf", "u"], "fp", { flags: FP, rc: true, res: bits(9, 15) | bits(20, 20) }),
  ...x("mtfsb0", 63, 70, ["bt"], "fp", { flags: FP, rc: true, res: RA_RB }),
  ...x("mtfsb1", 63, 38, ["bt"], "fp", { flags: FP, rc: true, res: RA_RB }),
  ...x("mcrfs", 63, 64, ["bf", "bfa"], "fp", { flags: FP, res: bits(9, 10) | bits(14, 20) }),
];

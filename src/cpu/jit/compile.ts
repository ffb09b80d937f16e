/**
 * Source generation for the block compiler: guest instructions -> JavaScript, from the same
 * semantics functions the interpreter is generated from (cpu/sem), called with every field as a
 * literal (sem/emit.ts: "a block compiler calls them with field values"). Nothing here knows what
 * an instruction does; it only knows the Emit contract:
 *
 *   e.pc    the instruction's address, a literal (precise exceptions: every slow path that may
 *           raise passes it to the raise);
 *   e.sync  the counter publication before a call that may raise. In compiled code the retired
 *           instruction count and cycles before the instruction are compile-time constants
 *           relative to the unit's entry, so it is `Y(left - K, n + k, WORD), ` where Y sets
 *             cpu.cycles = JF[0] - (left - K), cpu.insns = JF[1] + n + k, cpu.lastInsn = WORD
 *           with `left`/`n` the budget and count at the unit's entry and JF[0]/JF[1] the run's
 *           bases (see jit.ts). Exactly what the interpreter's SYNC leaves behind; a call keeps
 *           the slow paths short (region functions must stay under V8's optimisation limit).
 *   e.next  `npc`; e.stop  `stopped = 1;` (the unit ends after the instruction and the run
 *           returns RunResult.Stopped).
 *
 * Instructions the interpreter keeps in cold functions may raise without e.sync (their caller
 * publishes first), so the compiler publishes before each of them too. The privilege and FP
 * checks come from the interpreter's own `guards`.
 *
 * Two shapes are generated (both closures over one CPU's state arrays, see `instantiate`):
 *
 *   block   function (left, n) -> next pc | flags      one basic block, straight-line
 *   region  function (pc, left, n) -> next pc | flags  every known block of one page in a
 *           `for (;;) switch (offset)` loop; blocks fall through into the next case, a block
 *           that branches to itself becomes an inner loop, each block checks the budget first.
 *
 * Flags in the low two bits of the returned pc (always word aligned): 0 normal, 1 stopped,
 * 2 budget too short for the next block (the run finishes in the interpreter), 3 code was
 * invalidated under our feet (self-modifying code): return to the dispatcher at once. Units
 * that exit early leave their budget/count in J[0]/J[1] (regions) or the cycles/insns they
 * retired in J[4]/J[5] (blocks).
 */

import { decodeExec } from "../../isa/exec.ts";
import { FIELD_BITS, Flag, field, type FieldName, type InsnSpec } from "../../isa/types.ts";
import { CYCLES } from "../cycles.ts";
import { guards, isCold } from "../interp.ts";
import type { Emit } from "../sem/emit.ts";
import { SEMANTICS, SETS_NEXT_PC } from "../sem/index.ts";

// Markers substituted once the instruction's position in its unit is known.
const SYNC_M = "\u0001SYNC\u0001";
const STOP_M = "\u0001STOP\u0001";
const NEXT_M = "\u0001NEXT\u0001";

/** One decoded guest instruction, ready to be placed in a unit. */
export interface Insn {
  /** Virtual address (int32). */
  readonly pc: number;
  readonly word: number;
  readonly spec: InsnSpec | undefined;
  /** Virtual-clock cycles (CYCLES of its class; 0 for an illegal word, which always raises). */
  readonly cost: number;
  /** A unit must end after it (Flag.EndsBlock, stops, sets the next PC, or illegal). */
  readonly ends: boolean;
  /** Its semantics may stop the run (e.stop). */
  readonly stops: boolean;
  /** Its semantics assign the next PC (e.next). */
  readonly setsNext: boolean;
  /** May change memory or call out (stores, cold instructions): re-check for code invalidation. */
  readonly mayInvalidate: boolean;
  /** Direct branch target (b, bc), or null. */
  readonly target: number | null;
  /** Can execution continue at pc+4 (not an unconditional branch, rfi, sc)? */
  readonly fallsThrough: boolean;
  /** JavaScript with markers. */
  readonly text: string;
}

const TEXT_CACHE = new Map<string, Insn>();

/** Decodes and generates one instruction (memoised by word and address). */
export function analyse(word: number, pc: number): Insn {
  word |= 0;
  pc |= 0;
  const key = `${word}:${pc}`;
  const hit = TEXT_CACHE.get(key);
  if (hit) return hit;
  const insn = build(word, pc);
  if (TEXT_CACHE.size > 200_000) TEXT_CACHE.clear();
  TEXT_CACHE.set(key, insn);
  return insn;
}

function build(word: number, pc: number): Insn {
  const spec = decodeExec(word >>> 0); // what the 440 executes (reserved fields ignored), as the interpreter
  const pcs = String(pc);
  if (spec === undefined) {
    return {
      pc, word, spec, cost: 0, ends: true, stops: false, setsNext: false, mayInvalidate: false,
      target: null, fallsThrough: false, text: `(${SYNC_M}cpu.illegal(${pcs}));`,
    };
  }
  const sem = SEMANTICS[spec.base];
  if (!sem) throw new Error(`no semantics for ${spec.base} (${spec.mnemonic})`);
  const f = new Proxy({} as Record<FieldName, number>, {
    get(_t, k: string) {
      if (!(k in FIELD_BITS)) throw new Error(`${spec.mnemonic}: unknown field ${k}`);
      return field(word >>> 0, k as FieldName);
    },
  });
  const e: Emit = { spec, f, pc: pcs, next: NEXT_M, stop: STOP_M, sync: SYNC_M };
  const cold = isCold(spec);
  // cold instructions: publish the counters first, as the interpreter's cold call does
  const text = (cold ? `(${SYNC_M}0);` : "") + guards(spec, SYNC_M, pcs) + ` /* ${spec.mnemonic} */ ` + sem(e);
  const stops = text.includes(STOP_M);
  const setsNext = text.includes(NEXT_M);
  if (setsNext !== SETS_NEXT_PC.has(spec.base)) throw new Error(`${spec.mnemonic}: next-PC assignment disagrees with SETS_NEXT_PC`);
  let target: number | null = null;
  let fallsThrough = true;
  const bo = (word >>> 21) & 31;
  switch (spec.base) {
    case "b":
      target = spec.aa ? field(word >>> 0, "li") : (pc + field(word >>> 0, "li")) | 0;
      fallsThrough = false;
      break;
    case "bc":
      target = spec.aa ? field(word >>> 0, "bd") : (pc + field(word >>> 0, "bd")) | 0;
      fallsThrough = (bo & 0x14) !== 0x14;
      break;
    case "bclr": case "bcctr":
      fallsThrough = (bo & 0x14) !== 0x14;
      break;
    case "rfi": case "rfci": case "rfmci":
      fallsThrough = false;
      break;
    default:
  }
  // a call's return point and the instruction after `sc` are where execution comes back
  if (spec.lk || spec.base === "sc") fallsThrough = true;
  return {
    pc, word, spec, cost: CYCLES[spec.cost],
    ends: (spec.flags & Flag.EndsBlock) !== 0 || stops || setsNext,
    stops, setsNext,
    mayInvalidate: (spec.flags & Flag.Store) !== 0 || cold,
    target, fallsThrough, text,
  };
}

/** Largest number of instructions in one block unit. */
export const MAX_BLOCK = 128;

/**
 * Reads the instructions of a unit starting at `pc` (host offset `off` in RAM) up to its natural
 * end: an instruction that ends blocks, the end of the page, `max` instructions, or (regions) the
 * next entry point `stopBefore` reports.
 */
export function scan(dv: DataView, off: number, pc: number, max: number, stopBefore?: (pc: number) => boolean): Insn[] {
  const out: Insn[] = [];
  for (;;) {
    const insn = analyse(dv.getInt32(off), pc);
    out.push(insn);
    if (insn.ends || out.length >= max) break;
    pc = (pc + 4) | 0;
    off += 4;
    if ((pc & 0xfff) === 0) break;
    if (stopBefore?.(pc)) break;
  }
  return out;
}

/** Cycles of all but the last instruction: the unit runs whole iff the budget exceeds this. */
export function preCycles(insns: readonly Insn[]): number {
  let c = 0;
  for (let i = 0; i < insns.length - 1; i++) c += insns[i]!.cost;
  return c;
}
export function totalCycles(insns: readonly Insn[]): number {
  let c = 0;
  for (const i of insns) c += i.cost;
  return c;
}

/** The statements of a unit's instructions; `exit(k, cycles, pcAfter)` is the early exit after k insns. */
function body(insns: readonly Insn[], exit: (k: number, cycles: number, next: number) => string): string {
  let s = "";
  let cyc = 0;
  for (let k = 0; k < insns.length; k++) {
    const i = insns[k]!;
    const sync = `Y(left - ${cyc}, n + ${k}, ${i.word}), `;
    // each instruction in its own block: semantics declare consts at their top level
    s += "{ " + i.text.split(SYNC_M).join(sync).split(STOP_M).join("stopped = 1;").split(NEXT_M).join("npc") + " }\n";
    cyc += i.cost;
    if (i.mayInvalidate && k < insns.length - 1) s += `if (J[3] !== 0) { ${exit(k + 1, cyc, (i.pc + 4) | 0)} }\n`;
  }
  return s;
}

/** Where a unit goes after its last instruction: an expression. */
function nextExpr(insns: readonly Insn[]): string {
  const last = insns[insns.length - 1]!;
  return last.setsNext ? "npc" : String((last.pc + 4) | 0);
}

/** A basic-block function. */
export function blockSource(insns: readonly Insn[]): string {
  const last = insns[insns.length - 1]!;
  let s = `function block_${(insns[0]!.pc >>> 0).toString(16)}(left, n) {\nlet npc = 0, stopped = 0;\n`;
  s += body(insns, (k, cyc, next) => `J[4] = ${cyc}; J[5] = ${k}; return ${next} | 3;`);
  s += last.stops ? `return ${nextExpr(insns)} | stopped;\n}` : `return ${nextExpr(insns)};\n}`;
  return s;
}

/** One block of a region: its instructions and whether the next case is its fall-through. */
export interface RegionBlock {
  insns: Insn[];
}

/**
 * A page-region function. `vbase` is the virtual page the code was compiled for; blocks are in
 * address order and do not overlap (each ends at the next one's start at the latest).
 */
export function regionSource(vbase: number, blocks: readonly RegionBlock[]): string {
  // the state arrays as locals of the region (not the closure's): measured 2-3x faster loops
  let s = `function region_${(vbase >>> 0).toString(16)}(pc, left, n) {\n${LOCAL_STATE}\nlet npc = 0, stopped = 0;\n` +
    `for (;;) {\nswitch ((pc ^ ${vbase | 0}) >> 2) {\n`;
  for (let b = 0; b < blocks.length; b++) {
    const insns = blocks[b]!.insns;
    const first = insns[0]!, last = insns[insns.length - 1]!;
    const start = first.pc;
    const nextCase = b + 1 < blocks.length ? blocks[b + 1]!.insns[0]!.pc : null;
    const pre = preCycles(insns), total = totalCycles(insns);
    const selfLoop = last.setsNext && last.target === start;
    const after = nextExpr(insns);
    const exit = (k: number, cyc: number, next: number) =>
      `J[0] = (left - ${cyc}) | 0; J[1] = (n + ${k}) | 0; return ${next} | 3;`;
    const check = `if (left <= ${pre}) { J[0] = left; J[1] = n; return ${start} | 2; }\n`;
    const account = `left = (left - ${total}) | 0; n = (n + ${insns.length}) | 0;\n` +
      (last.stops ? `if (stopped !== 0) { J[0] = left; J[1] = n; return ${after} | 1; }\n` : "");
    s += `case ${(start & 0xfff) >> 2}: {\n`;
    if (selfLoop) {
      s += `for (;;) {\n${check}${body(insns, exit)}${account}if (npc !== ${start}) break;\n}\n`;
    } else {
      s += check + body(insns, exit) + account;
    }
    // continue at the next block: fall into the next case when it is the one, else dispatch
    if (after === "npc") {
      s += nextCase !== null ? `if (npc !== ${nextCase}) { pc = npc; continue; }\n` : `pc = npc; continue;\n`;
    } else if (Number(after) !== nextCase) {
      s += `pc = ${after}; continue;\n`;
    }
    s += `}\n`;
  }
  s += `default: J[0] = left; J[1] = n; return pc;\n}\n}\n}`;
  return s;
}

/** Names every compiled function sees: the CPU's state arrays (as in the interpreter) and J/JF. */
const LOCAL_STATE = "const r = cpu.gpr, cr = cpu.cr, st = cpu.st, spr = cpu.spr, mem = cpu.mem, fpu = cpu.fpu, " +
  "dv = mem.dv, rtag = mem.rtag, radd = mem.radd, wtag = mem.wtag, wadd = mem.wadd, fr = fpu.fpr, fw = fpu.fprw, " +
  "MASK = H.MASK;";
const STATE = LOCAL_STATE + "\n" +
  "const Y = (l, k, w) => { cpu.cycles = JF[0] - l; cpu.insns = JF[1] + k; cpu.lastInsn = w; };";

type Factory = (cpu: unknown, h: unknown, J: Int32Array, JF: Float64Array) => unknown;

/**
 * Factories by source text, shared by every CPU of the process (like the interpreter): the same
 * guest code at the same addresses produces the same source, and closures made by one factory
 * share V8's feedback and optimised code, so a second CPU running the same program (the tests,
 * each benchmark sample, every process of a guest running the same binary) starts with code V8
 * has already optimised. Bounded: cleared when it holds too much source.
 */
const FACTORIES = new Map<string, Factory>();
let factoryBytes = 0;
const MAX_FACTORY_BYTES = 64 << 20;

/** Did the last `instantiate` reuse a factory (no `new Function`)? (statistics) */
export let lastWasShared = false;

/**
 * Turns function source into a function closed over one CPU's state (one `new Function` per
 * distinct source: V8 compiles and optimises each separately, so generated functions stay small).
 */
export function instantiate<T>(fnSource: string, cpu: unknown, helpers: unknown, J: Int32Array, JF: Float64Array): T {
  let make = FACTORIES.get(fnSource);
  lastWasShared = make !== undefined;
  if (make === undefined) {
    make = new Function("cpu", "H", "J", "JF", `"use strict"; ${STATE}\nreturn ${fnSource};`) as Factory;
    if (factoryBytes > MAX_FACTORY_BYTES) {
      FACTORIES.clear();
      factoryBytes = 0;
    }
    FACTORIES.set(fnSource, make);
    factoryBytes += fnSource.length;
  }
  return make(cpu, helpers, J, JF) as T;
}

/**
 * The interpreter, generated once from the instruction table and the semantics (sem/): a
 * `switch` on the primary opcode with nested `switch`es on the extended opcode, each case the
 * instruction's semantics with its operand fields decoded into locals. Rare instruction groups
 * (MAC, FP arithmetic, string, TLB, cache, DCR...) live in separate "cold" functions so the hot
 * loop stays small enough for V8 to optimise.
 *
 * The loop runs until the virtual clock reaches the limit. A synchronous exception leaves PC at
 * the faulting instruction and the details in cpu.exc: program, system-call and privileged-SPR
 * interrupts are recorded and leave by `break fault`; the memory slow path throws the FAULT
 * sentinel, caught inside the loop.
 */

import { INSNS } from "../isa/table.ts";
import { execMatch } from "../isa/exec.ts";
import { FIELD_BITS, Flag, type FieldName, type InsnSpec } from "../isa/types.ts";
import type { Cpu } from "./cpu.ts";
import { CYCLES } from "./cycles.ts";
import { ESR, FAULT } from "./interrupts.ts";
import { SEMANTICS, SETS_NEXT_PC } from "./sem/index.ts";
import { H } from "./sem/helpers.ts";
import { raise, type Emit, type Val } from "./sem/emit.ts";
import { MSR, S } from "./state.ts";

export const enum RunResult {
  /** The virtual clock reached the limit. */
  Budget = 0,
  /** An instruction changed context (MSR, timers, TLB, interrupt sources): re-check interrupts. */
  Stopped = 1,
  /** A synchronous exception is pending in cpu.exc (internal: `Cpu.run` hands it to the sink). */
  Fault = 2,
  /** The owner halted the CPU. */
  Halted = 3,
}

export type Interp = (cpu: Cpu, limit: number) => RunResult;

/** JavaScript expression extracting a field from the local `insn`. */
export function fieldExpr(name: FieldName): string {
  const [first, last] = FIELD_BITS[name];
  const width = last - first + 1;
  const shift = 31 - last;
  switch (name) {
    case "si": case "d": return `((insn << 16) >> 16)`;
    case "bd": return `(((insn << 16) >> 16) & -4)`;
    case "li": return `(((insn << 6) >> 6) & -4)`;
    case "spr": case "dcrn": return `(((insn >>> 16) & 31) | ((insn >>> 6) & 992))`;
    default: return `((insn >>> ${shift}) & ${(2 ** width) - 1})`;
  }
}

/**
 * The instructions compiled into the hot loop: what compiled C code executes most (profiles of
 * glibc, the hash/table kernels and the guest kernel). Everything else is dispatched to a cold
 * function per primary opcode; V8 refuses to optimise functions above ~60 KB of bytecode, so the
 * hot loop must stay small.
 */
const HOT = new Set((
  "addi addis addic addic. subfic mulli ori oris xori xoris andi. andis. rlwinm rlwinm. rlwimi rlwnm " +
  "cmpi cmpli cmp cmpl b bl bc bcl bclr bclrl bcctr bcctrl " +
  "lwz lwzu lwzx lwzux lbz lbzu lbzx lbzux lhz lhzu lhzx lha lhax stw stwu stwx stwux stb stbu stbx sth sthu sthx " +
  "add add. subf subf. subfc subfe adde addze addc neg and and. andc or or. xor nor slw srw sraw srawi srawi. " +
  "cntlzw extsb extsh mullw mulhwu mulhw divwu divw mfspr mtspr mfcr mtcrf crxor cror " +
  "lfd lfs stfd stfs lfdx lfsx stfdx stfsx"
).split(" "));

/**
 * Is the instruction compiled into a cold function? Cold semantics may raise without `e.sync`
 * (their caller publishes the counters first), so the block compiler (cpu/jit) publishes the
 * counters before every cold instruction too.
 */
export function isCold(spec: InsnSpec): boolean {
  return !HOT.has(spec.mnemonic);
}

/**
 * The engine-side checks that precede an instruction's semantics: privilege (Flag.Priv) and FP
 * available (Flag.Fp). Shared by this interpreter and the block compiler (cpu/jit/compile.ts).
 */
export function guards(spec: InsnSpec, sync: string, pc: string, fault?: string): string {
  let s = "";
  if (spec.flags & Flag.Priv) {
    s += `if ((st[${S.MSR}] & ${MSR.PR}) !== 0) ` +
      raise(sync, fault, `cpu.recordProgram(${pc}, ${ESR.PPR})`, `cpu.privileged(${pc})`);
  }
  if (spec.flags & Flag.Fp) {
    s += `if ((st[${S.MSR}] & ${MSR.FP}) === 0) ` +
      raise(sync, fault, `cpu.recordFpUnavailable(${pc})`, `cpu.fpUnavailable(${pc})`);
  }
  return s;
}

interface Ctx {
  /** Variable holding the next PC (hot: the loop's `pc`; cold: `npc`, returned). */
  next: string;
  stop: string;
  /** Emit.fault: leave with the recorded exception (hot: to the loop's fault exit). */
  fault: string;
  cold: boolean;
  /** See Emit.sync: the hot loop publishes its counters before anything that may raise. */
  sync: string;
}

/** Every engine function starts by loading the CPU's state arrays into locals. */
const STATE = "const r = cpu.gpr, cr = cpu.cr, st = cpu.st, ctl = cpu.ctl, spr = cpu.spr, mem = cpu.mem, fpu = cpu.fpu, " +
  "dv = mem.dv, rtag = mem.rtag, radd = mem.radd, wtag = mem.wtag, wadd = mem.wadd, fr = fpu.fpr, fw = fpu.fprw;";

/**
 * The hot loop's counter publication (read back by the FAULT handler in `interp`). It also sets
 * `cpu.cycles`, so whatever the call reads of the virtual clock (mftb, DEC, a device model's
 * event scheduling on an MMIO access) sees the exact time of this instruction, not the start of
 * the run slice: otherwise such reads would depend on where slices begin, and the block compiler
 * (which splits and joins slices differently) could not be exact against the interpreter.
 */
const SYNC = "cpu.cycles = cpu.syncCycles = cyc0 + (left0 - left), cpu.syncInsns = n, cpu.lastInsn = insn, ";

function body(spec: InsnSpec, ctx: Ctx): string {
  const sem = SEMANTICS[spec.base];
  if (!sem) throw new Error(`no semantics for ${spec.base} (${spec.mnemonic})`);
  const used = new Set<FieldName>();
  const f = new Proxy({} as Record<FieldName, Val>, {
    get(_t, k: string) {
      if (!(k in FIELD_BITS)) throw new Error(`${spec.mnemonic}: unknown field ${k}`);
      used.add(k as FieldName);
      return `_${k}`;
    },
  });
  const e: Emit = { spec, f, pc: "pc", next: ctx.next, stop: ctx.stop, sync: ctx.sync, fault: ctx.fault };
  const code = sem(e);
  let s = "{";
  for (const k of used) s += `_${k} = ${fieldExpr(k)};`;
  s += guards(spec, ctx.sync, "pc", ctx.fault);
  s += ` /* ${spec.mnemonic} */ ${code}`;
  const cost = CYCLES[spec.cost];
  if (ctx.cold) {
    s += `cpu.coldCost = ${cost};`;
  } else {
    s += `left -= ${cost}; n++;`;
    if (!SETS_NEXT_PC.has(spec.base)) s += `pc = (pc + 4) | 0;`;
  }
  return s + "break; }";
}

const illegal = (ctx: Ctx) => `(${ctx.sync}cpu.illegal(pc));`;

/**
 * A switch over the extended-opcode bits (within the low 11 bits: XO, OE, Rc, AA, LK) that the
 * given specs actually test, for one primary opcode. `fallback` is the statement for keys no
 * spec claims.
 */
function dispatch(specs: readonly InsnSpec[], ctx: Ctx, fallback: string): string {
  let used = 0;
  for (const s of specs) used |= execMatch(s).mask & 0x7ff;
  const byBody = new Map<string, number[]>();
  // every key that is a sub-mask of `used`
  for (let key = used; ; key = (key - 1) & used) {
    const cands = specs.filter((s) => ((key ^ execMatch(s).match) & execMatch(s).mask & used) === 0);
    if (cands.length > 0) {
      let code: string;
      if (cands.length === 1 && (execMatch(cands[0]!).mask & 0x03fff800) === 0) {
        code = body(cands[0]!, ctx);
      } else {
        code = cands.map((c) => `if ((insn & ${execMatch(c).mask | 0}) === ${execMatch(c).match | 0}) ${body(c, ctx)}`).join(" else ")
          + ` ${fallback} break;`;
      }
      const keys = byBody.get(code);
      if (keys) keys.push(key); else byBody.set(code, [key]);
    }
    if (key === 0) break;
  }
  let s = `switch (insn & ${used}) {`;
  for (const [code, keys] of byBody) s += keys.sort((a, b) => a - b).map((k) => `case ${k}:`).join("") + code;
  return s + `default: ${fallback} }`;
}

function generate(): string {
  const fieldLocals = `let ${Object.keys(FIELD_BITS).map((k) => `_${k} = 0`).join(", ")};`;
  const byOp = new Map<number, InsnSpec[]>();
  for (const s of INSNS) {
    const l = byOp.get(s.opcd);
    if (l) l.push(s); else byOp.set(s.opcd, [s]);
  }
  const hot: Ctx = { next: "pc", stop: "stopped = true;", fault: "break fault;", cold: false, sync: SYNC };
  const cold: Ctx = { next: "npc", stop: "cpu.coldStop = true;", fault: "cpu.coldStop = cpu.coldFault = true; return npc;", cold: true, sync: "" };
  let coldFns = "";
  let cases = "";
  const coldCall = (op: number) =>
    `pc = (${SYNC}cold${op}(cpu, insn, pc)); left -= cpu.coldCost; n++; if (cpu.coldStop) { cpu.coldStop = false; if (cpu.coldFault) { cpu.coldFault = false; break fault; } stopped = true; } break;`;
  for (const [op, specs] of [...byOp].sort((a, b) => a[0] - b[0])) {
    const hotSpecs = specs.filter((s) => !isCold(s));
    const coldSpecs = specs.filter(isCold);
    if (coldSpecs.length > 0) {
      const inner = coldSpecs.length === 1 && (execMatch(coldSpecs[0]!).mask & 0x03ffffff) === 0
        ? body(coldSpecs[0]!, cold) : dispatch(coldSpecs, cold, illegal(cold));
      coldFns += `function cold${op}(cpu, insn, pc) { ${STATE} ${fieldLocals} let npc = (pc + 4) | 0; switch (0) { default: ${inner} } return npc; }\n`;
    }
    const fallback = coldSpecs.length > 0 ? coldCall(op) : illegal(hot);
    if (hotSpecs.length === 0) {
      cases += `case ${op}: ${coldCall(op)}\n`;
    } else if (hotSpecs.length === 1 && coldSpecs.length === 0 && (execMatch(hotSpecs[0]!).mask & 0x03ffffff) === 0) {
      cases += `case ${op}: ${body(hotSpecs[0]!, hot)}\n`;
    } else {
      cases += `case ${op}: ${dispatch(hotSpecs, hot, fallback)} break;\n`;
    }
  }
  return `
const MASK = H.MASK;
${coldFns}
return loop;

// Whatever may raise is called through SYNC, so the handler finds exact counters. The handler is
// inside the loop's function: a function that leaves by a throw never reaches V8's tier-up
// check (taken at returns and loop back-edges), so a guest trapping every few instructions kept
// this loop in the baseline tier with every throw unwinding through it (5x the cost per exit).
// A try around the loop costs nothing measurable in the optimised code.
function loop(cpu, limit) {
  // one function for every CPU (compiled and optimised once); state in locals, not closure slots
  ${STATE}
  const cyc0 = cpu.cycles;
  let left = Math.min(limit - cyc0, 0x3fffffff) | 0;
  const left0 = left;
  let pc = st[${S.PC}] | 0, n = 0, insn = 0, stopped = false;
  let fbase = 1, fadd = 0, fle = false;
  ${fieldLocals}
  try {
  // an instruction that recorded an exception (Emit.fault) leaves by \`break fault\`
  fault: {
  while (left > 0 && !stopped && ctl[0] === 0) {
    if ((pc & -4096) !== fbase) { fadd = (${SYNC}mem.fetchAddend(pc)); fbase = pc & -4096; fle = mem.fetchLE; }
    // an E=1 page holds byte-reversed words; a constant endianness argument keeps the load inlined
    insn = fle ? dv.getInt32((pc + fadd) | 0, true) : dv.getInt32((pc + fadd) | 0);
    switch (insn >>> 26) {
${cases}
      default: ${illegal(hot)}
    }
  }
  st[${S.PC}] = pc; cpu.cycles = cyc0 + (left0 - left); cpu.insns += n;
  return stopped || ctl[0] !== 0 ? ${RunResult.Stopped} : ${RunResult.Budget};
  }
  } catch (e) {
    if (e !== FAULT) throw e;
  }
  cpu.st[${S.PC}] = cpu.exc.pc; cpu.cycles = cpu.syncCycles; cpu.insns += cpu.syncInsns;
  return ${RunResult.Fault};
}`;
}

let source: string | undefined;
let compiled: Interp | undefined;

/** The generated interpreter's source (for inspection and tests). */
export function interpreterSource(): string {
  return (source ??= generate());
}

/** The interpreter, compiled once per process and shared by every CPU. */
export function getInterpreter(): Interp {
  return (compiled ??= new Function("H", "FAULT", interpreterSource())(H, FAULT) as Interp);
}

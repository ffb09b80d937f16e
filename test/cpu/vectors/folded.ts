/**
 * Runs a vector through the semantics' *constant-folded* form: the sem functions called with
 * field values (numbers) instead of local names, as a block compiler calls them (sem/emit.ts).
 * The interpreter only ever exercises the named-field form, so without this the literal paths
 * (folded masks, BO conditions resolved at generation time, raz(0) -> "0", ...) go untested.
 *
 * One instruction becomes one function; the privilege / FP-available checks mirror the
 * interpreter's (interp.ts body()); a raise (FAULT) is delivered like Cpu.step does.
 */
import type { Cpu } from "../../../src/cpu/cpu.ts";
import { FAULT } from "../../../src/cpu/interrupts.ts";
import { SEMANTICS, SETS_NEXT_PC } from "../../../src/cpu/sem/index.ts";
import { H } from "../../../src/cpu/sem/helpers.ts";
import type { Emit } from "../../../src/cpu/sem/emit.ts";
import { MSR, S } from "../../../src/cpu/state.ts";
import { decodeExec as lookup } from "../../../src/isa/exec.ts";
import { FIELD_BITS, Flag, field, type FieldName } from "../../../src/isa/types.ts";
import { check, setup, type Vector } from "./runner.ts";

type Step = (cpu: Cpu, h: typeof H, fault: typeof FAULT) => void;

/** JavaScript for one instruction at a known address, every field a literal. */
export function foldedSource(word: number, pc: number): string | undefined {
  const spec = lookup(word);
  if (!spec) return undefined;
  const sem = SEMANTICS[spec.base];
  if (!sem) throw new Error(`no semantics for ${spec.base}`);
  const f = new Proxy({} as Record<FieldName, number>, {
    get(_t, k: string) {
      if (!(k in FIELD_BITS)) throw new Error(`${spec.mnemonic}: unknown field ${k}`);
      return field(word, k as FieldName);
    },
  });
  const e: Emit = { spec, f, pc: String(pc | 0), next: "npc", stop: "stopped = true;", sync: "" };
  let s = "";
  if (spec.flags & Flag.Priv) s += `if ((st[${S.MSR}] & ${MSR.PR}) !== 0) cpu.privileged(${pc | 0});`;
  if (spec.flags & Flag.Fp) s += `if ((st[${S.MSR}] & ${MSR.FP}) === 0) cpu.fpUnavailable(${pc | 0});`;
  s += sem(e);
  if (!SETS_NEXT_PC.has(spec.base) && /\bnpc\s*=/.test(s)) throw new Error(`${spec.mnemonic} assigns next PC but is not in SETS_NEXT_PC`);
  return s;
}

const PROLOGUE = `
    const r = cpu.gpr, cr = cpu.cr, st = cpu.st, spr = cpu.spr, mem = cpu.mem, fpu = cpu.fpu;
    const dv = mem.dv, rtag = mem.rtag, radd = mem.radd, wtag = mem.wtag, wadd = mem.wadd;
    const fr = fpu.fpr, fw = fpu.fprw, MASK = H.MASK;
    void fr; void spr; void dv; void rtag; void radd; void wtag; void wadd; void MASK; void mem; void fw;`;

function stepBody(v: Vector): string {
  const word = Number.parseInt(v.words[0]!, 16) >>> 0;
  const pc = v.init.pc !== undefined ? Number.parseInt(v.init.pc, 16) : 0x1000;
  const src = foldedSource(word, pc);
  return src === undefined
    ? `cpu.illegal(${pc | 0});`
    : `let npc = ${(pc + 4) | 0}; let stopped = false; ${src} st[${S.PC}] = npc; void stopped;`;
}

const compiled = new WeakMap<Vector, Step>();

/**
 * Compiles the folded step functions of many vectors with one `new Function` (V8 parses the
 * inner functions lazily, so this is much cheaper than one Function per vector).
 */
export function compileFolded(vs: readonly Vector[]): void {
  const fns = vs.map((v) => `function (cpu, H, FAULT) { ${PROLOGUE} ${stepBody(v)} }`);
  const all = new Function(`return [${fns.join(",\n")}];`)() as Step[];
  vs.forEach((v, i) => compiled.set(v, all[i]!));
}

export function runFolded(v: Vector): string[] {
  let fn = compiled.get(v);
  if (!fn) {
    compileFolded([v]);
    fn = compiled.get(v)!;
  }
  const cpu = setup(v);
  try {
    fn(cpu, H, FAULT);
  } catch (err) {
    if (err !== FAULT) throw err;
    cpu.st[S.PC] = cpu.exc.pc;
    cpu.deliverPending();
  }
  return check(v, cpu).map((m) => `[folded] ${m}`);
}

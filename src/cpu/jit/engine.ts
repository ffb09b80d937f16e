/**
 * Which execution engine a CPU uses:
 *   interp  the generated interpreter (cpu/interp.ts): the reference, single-step traces;
 *   jit     the block compiler (cpu/jit): per-block, then per-page-region JavaScript, exact
 *           against the interpreter (same instructions, counts, cycles, exceptions);
 *   check   both in lockstep: every span of execution runs compiled, then again in the
 *           interpreter from the same state, and the first divergence is reported.
 *
 * The default is `jit`. The environment variable HV440_ENGINE overrides it for every CPU created
 * afterwards (the test matrix runs the suites once per engine that way; the CLI's --engine sets
 * it explicitly).
 */

export type Engine = "interp" | "jit" | "check";
export const ENGINES: readonly Engine[] = ["interp", "jit", "check"];

let dflt: Engine | null = null;

export function isEngine(s: unknown): s is Engine {
  return s === "interp" || s === "jit" || s === "check";
}

/** The engine new CPUs get. */
export function defaultEngine(): Engine {
  if (dflt !== null) return dflt;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.HV440_ENGINE;
  if (env !== undefined && env !== "") {
    if (!isEngine(env)) throw new Error(`HV440_ENGINE=${env}: expected one of ${ENGINES.join(", ")}`);
    return env;
  }
  return "jit";
}

/** Sets the engine new CPUs get (null: back to HV440_ENGINE or `jit`). */
export function setDefaultEngine(e: Engine | null): void {
  dflt = e;
}

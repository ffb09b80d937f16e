/** `hv440 user [options] program [args...]`: run a static Linux/PowerPC program (like qemu-ppc). */

import * as fs from "node:fs";
import * as path from "node:path";
import { disassemble } from "../../isa/disasm.ts";
import { runUser } from "../../user/runner.ts";
import { UserError } from "../../util/errors.ts";
import { stderrStream, stdinStream, stdoutStream, warn } from "../io.ts";
import { parseOptions, type OptSpec } from "../options.ts";
import { ENGINES, setDefaultEngine, type Engine } from "../../cpu/jit/engine.ts";
import { lastJit } from "../../cpu/jit/jit.ts";

export const USER_OPTIONS: readonly OptSpec[] = [
  { name: "strace", type: "boolean", help: "print each system call (qemu-user -strace format) on stderr" },
  { name: "max-insns", type: "number", arg: "N", help: "stop after N guest instructions (exit code 124)" },
  { name: "env", short: "E", type: "string", multiple: true, arg: "VAR=VALUE", help: "set a variable in the guest environment" },
  { name: "unset", short: "U", type: "string", multiple: true, arg: "VAR", help: "remove a variable from the guest environment" },
  { name: "clear-env", type: "boolean", help: "start from an empty environment instead of hv440's own" },
  { name: "seed", type: "number", help: "seed for AT_RANDOM and getrandom (default 0x440)" },
  { name: "stats", type: "boolean", help: "print instructions, virtual cycles and host MIPS on stderr at exit (and the block compiler's statistics)" },
  { name: "engine", type: "string", arg: "interp|jit|check", choices: ENGINES, help: "execution engine: the interpreter, the block compiler (default), or both in lockstep, reporting the first divergence" },
  { name: "d", type: "string", arg: "jit", choices: ["jit"], multiple: true, help: "log items: jit (block compiler statistics on stderr at exit)" },
];

export function cmdUser(argv: readonly string[]): number {
  const { opts, positionals } = parseOptions("user", USER_OPTIONS, argv, true);
  const prog = positionals[0];
  if (!prog) throw new UserError("user: missing program (usage: hv440 user [options] program [args...])");
  let image: Uint8Array;
  try {
    image = fs.readFileSync(prog);
  } catch (e) {
    throw new UserError(`${prog}: ${(e as { code?: string }).code === "ENOENT" ? "no such file" : String((e as Error).message)}`);
  }
  const env = new Map<string, string>();
  if (!opts["clear-env"]) for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env.set(k, v);
  for (const u of (opts.unset as string[] | undefined) ?? []) env.delete(u);
  for (const kv of (opts.env as string[] | undefined) ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UserError(`user: -E expects VAR=VALUE, got '${kv}'`);
    env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  if (opts.engine !== undefined) setDefaultEngine(opts.engine as Engine);
  const t0 = performance.now();
  const r = runUser({
    image, exePath: path.resolve(prog), argv: positionals, env: [...env].map(([k, v]) => `${k}=${v}`),
    cwd: process.cwd(), stdin: stdinStream, stdout: stdoutStream, stderr: stderrStream,
    ...(opts.strace ? { strace: (l: string) => warn(l + "\n") } : {}),
    ...(opts["max-insns"] !== undefined ? { maxInsns: opts["max-insns"] as number } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed as number } : {}),
    ...(process.getuid ? { uid: process.getuid(), gid: process.getgid!() } : {}),
  });
  const ms = performance.now() - t0;
  if (opts.stats) {
    warn(`hv440: ${r.insns} instructions, ${r.cycles} cycles, ${ms.toFixed(0)} ms, ${(r.insns / ms / 1000).toFixed(1)} MIPS\n`);
  }
  const jit = lastJit();
  if (opts.stats || (opts.d as string[] | undefined)?.includes("jit")) {
    warn((jit ? `${jit.summary()} (${(100 * jit.stats.compileMs / ms).toFixed(1)}% of ${ms.toFixed(0)} ms)` : "jit: not used (engine interp)") + "\n");
  }
  const at = (pc: number, word?: number) =>
    `pc 0x${(pc >>> 0).toString(16).padStart(8, "0")}` +
    (word !== undefined ? ` (0x${(word >>> 0).toString(16).padStart(8, "0")}: ${disassemble(word, pc).replace(/\s+/, " ")})` : "");
  switch (r.kind) {
    case "exit": return r.status;
    case "signal":
      warn(`hv440: ${prog}: terminated by signal ${r.signal} (${r.name}) at ${at(r.pc, r.word)}\n`);
      return 128 + r.signal;
    case "budget":
      warn(`hv440: ${prog}: stopped after ${r.insns} instructions (--max-insns) at ${at(r.pc, r.word)}\n`);
      return 124;
    case "fatal":
      warn(`hv440: ${prog}: ${r.message}\n`);
      return 1;
  }
}

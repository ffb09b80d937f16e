/**
 * `hv440 user`: run a static Linux/PowerPC program the way qemu-ppc does — load it, give it a
 * stack, execute it on the 440 core and implement its system calls — and report how it ended.
 */

import * as path from "node:path";
import { Cpu } from "../cpu/cpu.ts";
import { DEFAULT_CLOCK_HZ } from "../cpu/cycles.ts";
import { MSR, S } from "../cpu/state.ts";
import { parseElf } from "../util/elf.ts";
import { loadElf } from "./loader.ts";
import type { Stream } from "./fds.ts";
import { Process } from "./process.ts";
import { SIGNAL_NAMES } from "./signals.ts";

export interface UserRunOptions {
  /** The program's bytes and the path it was loaded from (for errors and /proc/self/exe). */
  image: Uint8Array;
  exePath: string;
  argv: readonly string[];
  env: readonly string[];
  cwd: string;
  stdin: Stream;
  stdout: Stream;
  stderr: Stream;
  strace?: (line: string) => void;
  /** Stop after this many guest instructions. */
  maxInsns?: number;
  /** Guest RAM backing the process (frames are allocated on first touch). */
  ramBytes?: number;
  seed?: number;
  uid?: number;
  gid?: number;
}

export type UserExit =
  | { kind: "exit"; status: number; insns: number; cycles: number }
  | { kind: "signal"; signal: number; name: string; pc: number; word?: number; insns: number; cycles: number }
  | { kind: "budget"; pc: number; word?: number; insns: number; cycles: number }
  | { kind: "fatal"; message: string; insns: number; cycles: number };

const SLICE = 1 << 22;

export function runUser(o: UserRunOptions): UserExit {
  const img = parseElf(o.image, o.exePath);
  const cpu = new Cpu({ ramSize: o.ramBytes ?? 1 << 30 });
  const proc = new Process(cpu, {
    exePath: path.resolve(o.exePath), // /proc/self/exe is absolute (glibc asserts it)
    cwd: o.cwd, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr,
    ...(o.strace ? { strace: o.strace } : {}),
    seed: o.seed ?? 0x440, uid: o.uid ?? 1000, gid: o.gid ?? 1000, clockHz: DEFAULT_CLOCK_HZ,
  });
  const random = proc.randomBytes(16);
  const start = loadElf(proc.space, img, o.exePath, {
    argv: o.argv, env: o.env, execFn: o.exePath, uid: proc.uid, gid: proc.gid, random,
  });
  cpu.gpr[1] = start.sp;
  cpu.st[S.PC] = start.entry;
  cpu.setMsr(MSR.PR | MSR.EE | MSR.ME | MSR.FP);

  const max = o.maxInsns ?? Infinity;
  while (!proc.done) {
    const left = max - cpu.insns;
    if (left <= 0) return { kind: "budget", pc: cpu.pc, ...wordAt(proc, cpu.pc), insns: cpu.insns, cycles: cpu.cycles };
    cpu.run(cpu.cycles + Math.min(SLICE, left));
  }
  proc.fds.closeAll();
  const common = { insns: cpu.insns, cycles: cpu.cycles };
  if (proc.fatalMessage !== null) return { kind: "fatal", message: proc.fatalMessage, ...common };
  if (proc.killedBy !== null) {
    return {
      kind: "signal", signal: proc.killedBy, name: SIGNAL_NAMES[proc.killedBy] ?? `signal ${proc.killedBy}`,
      pc: proc.faultPc, ...wordAt(proc, proc.faultPc), ...common,
    };
  }
  return { kind: "exit", status: proc.exitStatus!, ...common };
}

/** The instruction word at `pc`, if it is readable (for error messages). */
function wordAt(p: Process, pc: number): { word?: number } {
  try {
    return { word: p.space.read32(pc >>> 0) };
  } catch {
    return {};
  }
}

// The user-mode test programs (guest-images/user) for tests of `hv440 user`: how to run each one
// (programs.json) and how to compare its output with the recorded expectation.
//
// Expected-output conventions (see guest-images/README.md):
//   "UNDEF: <label> -> <values>"  values the 440 manual leaves undefined: only "UNDEF: <label>"
//                                 must match.
//   "QEMU-DIVERGES(<items>): <label> <field>=<qemu value> manual=<manual value>"
//                                 QEMU 7.2 is wrong here. mode "manual" (a faithful 440): the
//                                 actual line must carry the manual value in <field>; mode
//                                 "qemu": the line must match exactly.
//   every other line              must match exactly.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GUEST_IMAGES } from "./manifest-check.ts";

export const USER_DIR = join(GUEST_IMAGES, "user");

export interface UserProgram {
  /** run name; expected/<name>.out and expected/<name>.status */
  name: string;
  /** image path relative to guest-images/user, e.g. "bin/hello.elf"; argv[0] is its path */
  image: string;
  args: string[];
  /** the complete environment of the program */
  env: Record<string, string>;
  stdin: string;
  status: number;
  expected: "qemu" | "model";
  model?: string;
  /** long benchmark run: leave out of unit tests */
  slow: boolean;
  proves: string;
}

export interface UserPrograms {
  schema: number;
  qemu: string[];
  programs: UserProgram[];
}

export function loadUserPrograms(): UserPrograms {
  return JSON.parse(readFileSync(join(USER_DIR, "programs.json"), "utf8")) as UserPrograms;
}

export function imagePath(p: UserProgram): string {
  return join(USER_DIR, p.image);
}

export function expectedOutput(p: UserProgram): string {
  return readFileSync(join(USER_DIR, "expected", `${p.name}.out`), "utf8");
}

export function expectedStatus(p: UserProgram): number {
  return Number(readFileSync(join(USER_DIR, "expected", `${p.name}.status`), "utf8").trim());
}

const DIVERGES = /^QEMU-DIVERGES\(([^)]+)\): (.*) ([\w/.-]+)=(\S+) manual=(\S+)$/;
const UNDEF = /^(UNDEF: .*?) -> /;

export interface Mismatch {
  line: number;
  expected: string;
  actual: string;
}

/**
 * Compare a program's stdout with its expected output. Returns the mismatching lines (empty
 * when equal). mode "manual": QEMU-DIVERGES lines must show the manual's value; "qemu": exact.
 */
export function compareUserOutput(expected: string, actual: string,
  mode: "manual" | "qemu" = "manual"): Mismatch[] {
  const exp = expected.split("\n");
  const act = actual.split("\n");
  const out: Mismatch[] = [];
  const n = Math.max(exp.length, act.length);
  for (let i = 0; i < n; i++) {
    const e = exp[i];
    const a = act[i];
    if (e === undefined || a === undefined) {
      out.push({ line: i + 1, expected: e ?? "<end of output>", actual: a ?? "<end of output>" });
      continue;
    }
    if (mode === "qemu") {
      if (e !== a) out.push({ line: i + 1, expected: e, actual: a });
      continue;
    }
    const u = UNDEF.exec(e);
    if (u) {
      if (!a.startsWith(`${u[1]} -> `)) out.push({ line: i + 1, expected: e, actual: a });
      continue;
    }
    const d = DIVERGES.exec(e);
    if (d) {
      const [, items, label, field, , manual] = d;
      const want = `QEMU-DIVERGES(${items}): ${label} ${field}=${manual} manual=${manual}`;
      if (a !== want) out.push({ line: i + 1, expected: want, actual: a });
      continue;
    }
    if (e !== a) out.push({ line: i + 1, expected: e, actual: a });
  }
  return out;
}

/** A readable summary of the first mismatches, for assertion messages. */
export function describeMismatches(name: string, m: Mismatch[], max = 10): string {
  const lines = m.slice(0, max).map((x) =>
    `${name}:${x.line}\n  expected: ${x.expected}\n  actual:   ${x.actual}`);
  if (m.length > max) lines.push(`... and ${m.length - max} more`);
  return lines.join("\n");
}

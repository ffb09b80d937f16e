// The bare-metal self-test fixtures (guest-images/bare) for tests that run the images: what a
// 440 that follows the manual prints (`expectedOutput`), what QEMU 7.2 printed (`qemuOutput`),
// how each program is run (`barePrograms`), and a line-by-line comparison (`diffOutput`).
//
// Running an image on hv440 and checking it is then:
//   const p = bareProgram("mmu");
//   const out = <run p.imagePath with p.ramMiB MiB of RAM (and p.diskPath, a copy, when set)>;
//   expect(diffOutput("mmu", out)).toEqual([]);
// UART output is compared byte for byte after removing any CR (the guests write LF only).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const BARE_DIR = join(import.meta.dirname, "..", "..", "guest-images", "bare");

export type StopReason = "dbcr0-reset" | "watchdog-reset";

export interface BareProgram {
  name: string;
  /** relative to guest-images/bare */
  image: string;
  /** absolute path of the ELF image */
  imagePath: string;
  qemu: { run: boolean; icount?: boolean; why?: string };
  ramMiB: number;
  disk: { image: string; readonly: boolean; sectors: number; note?: string } | null;
  /** absolute path of the disk image the program expects (attach a copy: it is written to) */
  diskPath: string | null;
  /** how the program ends on a manual-faithful 440 (see programs.json) */
  stop: StopReason;
  maxInstructions: number;
  proves: string;
}

interface ProgramsJson {
  schema: number;
  qemu: { binary: string; args: string[]; icountArgs: string[]; timeoutSeconds: number };
  programs: Omit<BareProgram, "imagePath" | "diskPath">[];
}

export function programsJson(): ProgramsJson {
  return JSON.parse(readFileSync(join(BARE_DIR, "programs.json"), "utf8")) as ProgramsJson;
}

export function barePrograms(): BareProgram[] {
  return programsJson().programs.map((p) => ({
    ...p,
    imagePath: join(BARE_DIR, p.image),
    diskPath: p.disk ? join(BARE_DIR, p.disk.image) : null,
  }));
}

export function bareProgram(name: string): BareProgram {
  const p = barePrograms().find((q) => q.name === name);
  if (!p) throw new Error(`no bare-metal program ${name} in guest-images/bare/programs.json`);
  return p;
}

/** The UART0 output of a 440 that follows the manual (guest-images/bare/expected/<name>.expected). */
export function expectedOutput(name: string): string {
  return readFileSync(join(BARE_DIR, "expected", `${name}.expected`), "latin1");
}

/** What QEMU 7.2 printed (expected/<name>.qemu), or undefined for a program QEMU cannot run. */
export function qemuOutput(name: string): string | undefined {
  const f = join(BARE_DIR, "expected", `${name}.qemu`);
  return existsSync(f) ? readFileSync(f, "latin1") : undefined;
}

export interface OutputLine {
  /** PASS / FAIL: a check; BEGIN / DONE: program start and end; TEXT: anything else */
  kind: "PASS" | "FAIL" | "BEGIN" | "DONE" | "TEXT";
  /** check name (PASS/FAIL), program name (BEGIN/DONE), the whole line (TEXT) */
  name: string;
  detail: string;
  line: string;
}

export function parseOutput(text: string): OutputLine[] {
  const lines = text.replace(/\r/g, "").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => {
    let m = /^(PASS) (\S+)$/.exec(line) ?? /^(FAIL) ([^:\s]+): ?(.*)$/.exec(line);
    if (m) return { kind: m[1] as "PASS" | "FAIL", name: m[2]!, detail: m[3] ?? "", line };
    m = /^(BEGIN|DONE) (\S+)$/.exec(line);
    if (m) return { kind: m[1] as "BEGIN" | "DONE", name: m[2]!, detail: "", line };
    return { kind: "TEXT", name: line, detail: "", line };
  });
}

/**
 * Differences between an actual UART0 output and expected/<name>.expected, one readable string
 * per line that differs (empty when the output is exactly the expected one, CRs ignored).
 */
export function diffOutput(name: string, actual: string): string[] {
  const want = expectedOutput(name).replace(/\r/g, "").split("\n");
  const got = actual.replace(/\r/g, "").split("\n");
  const out: string[] = [];
  const n = Math.max(want.length, got.length);
  for (let i = 0; i < n; i++) {
    const w = want[i], g = got[i];
    if (w === g) continue;
    if (g === undefined) out.push(`line ${i + 1}: missing, want ${JSON.stringify(w)}`);
    else if (w === undefined) out.push(`line ${i + 1}: extra ${JSON.stringify(g)}`);
    else out.push(`line ${i + 1}: got ${JSON.stringify(g)}, want ${JSON.stringify(w)}`);
  }
  return out;
}

export interface DivergenceEntry {
  items?: number[];
  new?: string;
  reason: string;
}

export interface DivergencesJson {
  schema: number;
  section0: Record<string, string>;
  new: Record<string, { area: string; manual: string; qemu: string }>;
  informational: Record<string, Record<string, string>>;
  notRecordedOnQemu: Record<string, string>;
  programs: Record<string, Record<string, DivergenceEntry>>;
}

export function divergences(): DivergencesJson {
  return JSON.parse(readFileSync(join(BARE_DIR, "divergences.json"), "utf8")) as DivergencesJson;
}

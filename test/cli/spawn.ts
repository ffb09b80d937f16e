// Runs the real command line (`node --import tsx src/cli/main.ts ...`) in a child process, for
// tests of what a user sees: stdout, stderr and the exit status.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
const MAIN = join(ROOT, "src", "cli", "main.ts");

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** bytes for stdin (default: none, stdin is /dev/null) */
  input?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** a module to load before the CLI (`node --import`), e.g. one that injects a fault */
  preload?: string;
}

const argv = (args: readonly string[], preload?: string) => ["--import", "tsx", ...(preload ? ["--import", preload] : []), MAIN, ...args];

/** `hv440 args...`, waiting for it to end. */
export function hv440(args: readonly string[], o: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, argv(args, o.preload), {
    cwd: ROOT,
    encoding: "latin1",
    input: o.input ?? "",
    timeout: o.timeoutMs ?? 60_000,
    maxBuffer: 256 << 20,
    env: { ...process.env, HV440_DEBUG: "", ...o.env },
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `hv440 args...` whose stdout reader goes away after the first `bytes` bytes, as `| head -c N`
 * does.
 */
export function hv440ClosingStdout(args: readonly string[], bytes: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv(args), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HV440_DEBUG: "" } });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("latin1");
      if (stdout.length >= bytes) child.stdout.destroy();
    });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString("latin1"); });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** The lines of stderr that are hv440's own (`hv440: ...`). */
export const errorLines = (r: CliResult): string[] => r.stderr.split("\n").filter((l) => l.startsWith("hv440:"));

/** What a host stack trace looks like on stderr (must never appear). */
export const STACK_TRACE = /^\s+at .+\(?.*:\d+:\d+\)?$|^(Type|Range|Reference)Error/m;

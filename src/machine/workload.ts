/**
 * Running a catalog entry (src/machine/catalog.ts) to the end and reporting what it did:
 *
 *   runWorkload(name, { mode, size, profile, seed, pv, clock, perturb, maxInsns, onConsole }): WorkloadRun
 *
 * (`name` may also be a ResolvedWorkload: a catalog entry's with another command line, say.)
 *
 * It builds the bamboo board (RAM, the root disk read-only, the command line), runs it bare or under
 * the hypervisor until the guest powers off (or the run stops otherwise: see `stop`), and returns
 * the console, how the program ended (init's report), its checksum lines, the measured region
 * (init brackets the program with hv440_mark 1/2: the measure DCR; for `boot` the region is reset
 * to the prompt), cycles and instructions, and under the hypervisor the exit statistics of the
 * measured region (mark 1 clears them, mark 2 freezes them).
 *
 * Deterministic with clock "virtual" (the default): the same entry, size and options give the
 * same console, marks and statistics. clock "host" only changes `seconds`, which is then the
 * host's wall time between the marks instead of the guest's virtual time.
 */

import { readFileSync } from "node:fs";
import { SPR } from "../cpu/spr.ts";
import { loadProfile, type CostProfile } from "../hv/profile.ts";
import type { StatsSnapshot } from "../hv/stats.ts";
import { MemoryBlockBackend } from "../devices/virtio-blk.ts";
import { parseElf } from "../util/elf.ts";
import { UserError } from "../util/errors.ts";
import { BambooBoard } from "./bamboo.ts";
import { resolveWorkload, type ResolvedWorkload, type WorkloadSize } from "./catalog.ts";
import { Machine, type Marks, type StopReason } from "./machine.ts";

export interface WorkloadOptions {
  mode?: "bare" | "virt";
  size?: WorkloadSize;
  /** virt: cost profile name, file, or a loaded profile (default sequoia-2008). */
  profile?: string | CostProfile;
  /** virt: seed of the cost model (default 1). */
  seed?: number;
  /** virt: paravirtualization mode, passed to the hypervisor as is. */
  pv?: string;
  /** What `seconds` measures: the guest's virtual time (default) or the host's wall time. */
  clock?: "virtual" | "host";
  /**
   * Seeded perturbation for repeated measurements (0 or absent: none, the run is exactly the
   * unperturbed one): each disk request's latency is scaled by U(0.5, 1.5) (the device's timing, so
   * the guest's timer interrupts fall elsewhere relative to its work), and under the hypervisor
   * the host tick's first expiry is at a random phase and the cost model's seed is mixed with it.
   */
  perturb?: number;
  /** Stop after this many guest instructions (default: no limit). */
  maxInsns?: number;
  /** Console output as it is printed ("\r\n" already turned into "\n"). */
  onConsole?: (text: string) => void;
  /** Called with the machine before it runs (to look at guest memory or the hypervisor afterwards). */
  onMachine?: (machine: Machine) => void;
}

/** How the program started by `run=` ended, from init's report. */
export type ProgramEnd = { exited: number } | { signal: number; name: string };

export interface WorkloadRun {
  workload: ResolvedWorkload;
  mode: "bare" | "virt";
  /** Whole console, "\r\n" turned into "\n". */
  console: string;
  /** The program's own output (between init's command echo and its report), or null. */
  output: string | null;
  /** How the program ended; null for runs without one (boot) or when init never reported. */
  end: ProgramEnd | null;
  /** Exit status when it exited, else null. */
  exitStatus: number | null;
  /** The lines of the output (console for boot) that carry the run's checksum. */
  checksums: string[];
  /** Why the machine stopped: `reset` (power off) is a normal end. */
  stop: StopReason;
  /** Core cycles at the marks; start 0 when the guest set none (boot measures from reset). */
  marks: Marks;
  cycles: number;
  insns: number;
  /** Length of the measured region in seconds, on `clock`. */
  seconds: number;
  clock: "virtual" | "host";
  /** virt: exit statistics of the measured region. */
  stats?: StatsSnapshot;
  /** Host wall time of the whole run. */
  hostMs: number;
}

/** Lines that carry timings and so differ between runs: the workloads' own and init's. */
export const TIMING_LINE = /^(time: |init: run time )/;

export function withoutTimingLines(text: string): string {
  return text.split("\n").filter((l) => !TIMING_LINE.test(l)).join("\n");
}

/** The lines between init's echo of the command (`# PATH ...`) and its report on PATH. */
export function programOutput(console: string, path: string): string | null {
  const lines = console.split("\n");
  const start = lines.findIndex((l) => l.startsWith("# ") && l.slice(2).split(" ")[0] === path);
  const end = lines.findIndex((l, i) => i > start && l.startsWith(`init: ${path} `));
  if (start < 0 || end < 0) return null;
  return lines.slice(start + 1, end).map((l) => l + "\n").join("");
}

/** How init reported the end of PATH (`init: PATH exited with status N` / `killed by signal N (name)`). */
export function programEnd(console: string, path: string): ProgramEnd | null {
  const esc = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`^init: ${esc} (?:exited with status (\\d+)|killed by signal (\\d+) \\(([^)]*)\\))$`, "m").exec(console);
  if (!m) return null;
  return m[1] !== undefined ? { exited: Number(m[1]) } : { signal: Number(m[2]), name: m[3]! };
}

const images = new Map<string, Uint8Array>();
function image(path: string): Uint8Array {
  let b = images.get(path);
  if (!b) {
    try { b = readFileSync(path); } catch { throw new UserError(`${path}: no such file`); }
    images.set(path, b);
  }
  return b;
}

/** A xorshift32 stream in [0, 1) for the perturbation seed (its own, apart from the cost model's). */
function perturbation(seed: number): () => number {
  let x = (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

export function runWorkload(name: string | ResolvedWorkload, o: WorkloadOptions = {}): WorkloadRun {
  const w = typeof name === "string" ? resolveWorkload(name, o.size ?? "default") : name;
  const mode = o.mode ?? "bare";
  const clock = o.clock ?? "virtual";
  const kernelBytes = image(w.kernel);
  const elf = parseElf(kernelBytes, w.kernel);
  // read-only (the guest's writable filesystem is its tmpfs): the cached bytes stay as committed
  const drive = w.disk ? new MemoryBlockBackend(image(w.disk), true) : undefined;
  const board = new BambooBoard({
    ramBytes: w.ramMiB << 20,
    ...(drive ? { drive } : {}),
    ...(w.append ? { append: w.append } : {}),
  });
  const boot = board.boot(elf, w.kernel);
  const profile = typeof o.profile === "object" ? o.profile : loadProfile(o.profile);
  const rand = o.perturb ? perturbation(o.perturb) : null;
  const seed = rand ? (Math.imul((o.seed ?? 1) ^ 0x9e3779b9, 0x85ebca6b) ^ o.perturb!) >>> 0 || 1 : o.seed ?? 1;
  const machine = new Machine(board, boot, {}, mode === "virt"
    ? { profile, seed, ...(o.pv !== undefined ? { pv: o.pv } : {}) }
    : undefined);
  if (o.maxInsns !== undefined) machine.maxInsns = o.maxInsns;
  o.onMachine?.(machine);
  if (rand) {
    if (board.blk) board.blk.latencyJitter = () => 0.5 + rand();
    // the host's tick (the Machine armed DEC for a full period) first fires at a random phase
    if (machine.vcpu) board.timers.write(board.cpu, SPR.DEC, Math.max(1, Math.round(board.timers.readDec() * rand())));
  }

  // host timestamps of the marks, next to the machine's own (cycles)
  const hostMarks: { start: number | null; end: number | null } = { start: null, end: null };
  const onMark = board.measure.onMark;
  board.measure.onMark = (m) => {
    onMark?.(m);
    if (m === 1) { hostMarks.start = performance.now(); hostMarks.end = null; }
    else if (hostMarks.end === null) hostMarks.end = performance.now();
  };

  const bytes: number[] = [];
  let flushed = 0;
  board.uart0.onOutput = (b) => { bytes.push(b); };
  const flush = () => {
    if (!o.onConsole || flushed === bytes.length) return;
    // hold back a trailing "\r" so a "\r\n" split over two slices still becomes one "\n"
    const upto = bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    if (upto > flushed) o.onConsole(Buffer.from(bytes.slice(flushed, upto)).toString("latin1").replace(/\r\n/g, "\n"));
    flushed = upto;
  };

  const t0 = performance.now();
  let stop: StopReason | null = null;
  while (!stop) {
    stop = machine.run(50_000_000);
    flush();
  }
  const hostMs = performance.now() - t0;
  const tail = bytes.length - flushed;
  if (o.onConsole && tail > 0) o.onConsole(Buffer.from(bytes.slice(flushed)).toString("latin1").replace(/\r\n/g, "\n"));

  const cpu = board.cpu;
  const console = Buffer.from(bytes).toString("latin1").replace(/\r\n/g, "\n");
  const output = w.program ? programOutput(console, w.program) : null;
  const end = w.program ? programEnd(console, w.program) : null;
  const marks: Marks = { start: machine.marks.start ?? 0, end: machine.marks.end };
  const measuredEnd = marks.end ?? cpu.cycles;
  const seconds = clock === "host"
    ? ((hostMarks.end ?? t0 + hostMs) - (hostMarks.start ?? t0)) / 1000
    : (measuredEnd - marks.start!) / board.clockHz;
  const text = output ?? console;
  return {
    workload: w,
    mode,
    console,
    output,
    end,
    exitStatus: end && "exited" in end ? end.exited : null,
    checksums: w.checksum ? text.split("\n").filter((l) => w.checksum!.test(l)) : [],
    stop,
    marks,
    cycles: cpu.cycles,
    insns: cpu.insns,
    seconds,
    clock,
    ...(machine.vcpu ? { stats: machine.vcpu.stats.snapshot() } : {}),
    hostMs,
  };
}

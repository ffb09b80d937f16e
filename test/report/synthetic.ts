// Hand-made result sets for the report layer's tests: exit statistics built from (count, min,
// max, sum, sum of squares) per type, runs with chosen measured regions and `time:` lines — no
// guest involved, so every number in an expected table is known in advance.
import { EXIT_COUNT, EXIT_NAMES, SIDE_COUNTERS, type SideCounter } from "../../src/hv/exits.ts";
import type { StatsRow, StatsSnapshot } from "../../src/hv/stats.ts";
import type { ResultSet, RunRecord, RunSpec } from "../../src/report/results.ts";

export type RowSpec = [count: number, min: number, max: number, sum: number, sumSquared?: bigint];

/** A snapshot with the given rows (others untouched, as KVM leaves them). */
export function snapshot(rows: Partial<Record<(typeof EXIT_NAMES)[number], RowSpec>>): StatsSnapshot {
  const out: StatsRow[] = Array.from({ length: EXIT_COUNT }, () => ({ count: 0, min: 0xffffffff, max: 0, sum: 0, sumSquared: 0n }));
  for (const [t, r] of Object.entries(rows)) {
    const [count, min, max, sum, sq] = r!;
    // default sum of squares: every sample at the mean (stddev 0) rounded to integers
    out[EXIT_NAMES.indexOf(t as (typeof EXIT_NAMES)[number])] = { count, min, max, sum, sumSquared: sq ?? BigInt(Math.round((sum * sum) / count)) };
  }
  return { ticksPerUs: 667, rows: out, side: Object.fromEntries(SIDE_COUNTERS.map((c) => [c, 0])) as Record<SideCounter, number> };
}

export function run(spec: Partial<RunSpec> & { workload: string; mode: "bare" | "virt" }, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    pv: "off", size: "small", profile: spec.mode === "bare" ? "-" : "sequoia-2008", seed: spec.mode === "bare" ? 0 : 1, perturb: 0, clock: "virtual", rep: 0,
    ...spec,
    seconds: 0.01, cycles: 6_670_000, insns: 1_000_000, clockHz: 667_000_000, exitStatus: 0, stop: "reset", checksums: [`${spec.workload}: ok`], timeLines: [],
    ...extra,
  };
}

/** Exit statistics whose sum of time matches a virtualized region of `ms` milliseconds. */
export function virtStats(ms: number, emul: number): StatsSnapshot {
  const total = Math.round(ms * 1000);
  const mmio = Math.round(total * 0.1), tlb = Math.round(total * 0.05), em = Math.min(emul, total - mmio - tlb);
  return snapshot({
    MMIO: [Math.max(1, Math.round(mmio / 180)), 44, 900, mmio],
    DTLBVIRT: [Math.max(1, Math.round(tlb / 23)), 18, 55, tlb],
    EMULINST: [Math.max(1, Math.round(em / 7.4)), 7, 12, em],
    TIMEINGUEST: [5000, 0, 4000, total - mmio - tlb - em],
  });
}

/** The five seed workloads bare, virtualized and with PV, plus the environment's microbenchmarks and reps. */
export function syntheticSet(): ResultSet {
  const runs: RunRecord[] = [];
  const seedMs: Record<string, [number, number, number]> = {
    boot: [10, 12.5, 11], hashes: [100, 103.6, 103], lame: [50, 59.2, 57], fhourstone: [20, 335.6, 300], find: [5, 81.8, 70],
  };
  for (const [w, [bare, virt, pv]] of Object.entries(seedMs)) {
    runs.push(run({ workload: w, mode: "bare" }, { seconds: bare / 1000 }));
    runs.push(run({ workload: w, mode: "virt" }, { seconds: virt / 1000, stats: virtStats(virt, 400) }));
    runs.push(run({ workload: w, mode: "virt", pv: "host-patch" }, { seconds: pv / 1000, stats: virtStats(pv, 150) }));
  }
  const micro: Record<string, (f: number) => string[]> = {
    "null-syscall": (f) => [`time: nullcall ${(300 * f).toFixed(1)} ns/call`],
    yield: (f) => [`time: yield ${(1.5 * f).toFixed(2)} us/yield`],
    "page-touch": (f) => [`time: pagetouch 4096-byte pages: ${(1200 * f).toFixed(0)} ns/page first touch, mmap 900 ns, munmap 5000 ns per round`],
    stream: (f) => ["copy", "scale", "add", "triad"].map((k, i) => `time: stream ${k.padEnd(5)} ${((2400 - 100 * i) / f).toFixed(1).padStart(10)} MB/s  avg 0.000132 s  min 0.000132 s  max 0.000132 s`),
  };
  for (const [w, lines] of Object.entries(micro)) {
    runs.push(run({ workload: w, mode: "bare" }, { timeLines: lines(1) }));
    runs.push(run({ workload: w, mode: "virt" }, { timeLines: lines(40), stats: virtStats(10, 100) }));
    runs.push(run({ workload: w, mode: "virt", pv: "host-patch" }, { timeLines: lines(25), stats: virtStats(10, 50) }));
  }
  for (let k = 1; k <= 3; k++) {
    for (const w of ["hashes", "null-syscall"]) {
      runs.push(run({ workload: w, mode: "bare", perturb: k }, { seconds: (100 + k) / 1000 }));
      runs.push(run({ workload: w, mode: "virt", perturb: k }, { seconds: (110 + 2 * k) / 1000, stats: virtStats(110 + 2 * k, 300) }));
    }
  }
  return { options: { tables: ["speed", "timing", "env", "scoreboard"], workloads: Object.keys(seedMs), size: "small", pv: "host-patch", clock: "virtual", reps: 3 }, runs };
}

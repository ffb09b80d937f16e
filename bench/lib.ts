/**
 * A thin wrapper over benchmark.js (kept so that switching libraries touches one file): runs
 * cases, prints benchmark.js's own lines, and returns median seconds per case so callers can
 * derive guest MIPS and ratios.
 */

import Benchmark from "benchmark";

export interface CaseResult {
  name: string;
  /** Median seconds per run. */
  median: number;
  samples: number;
  rme: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

let sink: unknown;
export const keep = (v: unknown) => { sink = v; return sink; };

/** Runs `cases` (each a synchronous function doing one full run) and reports medians. */
export function runSuite(title: string, cases: readonly { name: string; fn: () => unknown }[], minSamples = 5): CaseResult[] {
  const out: CaseResult[] = [];
  const suite = new Benchmark.Suite(title);
  for (const c of cases) {
    suite.add(c.name, () => keep(c.fn()), { minSamples, maxTime: 1, minTime: 0 });
  }
  suite.on("cycle", (e: Benchmark.Event) => {
    const t = e.target as unknown as Benchmark;
    console.log(String(t));
    out.push({ name: t.name ?? "?", median: median(t.stats.sample), samples: t.stats.sample.length, rme: t.stats.rme });
  });
  console.log(`# ${title}`);
  suite.run({ async: false });
  return out;
}

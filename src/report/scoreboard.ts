/**
 * The VMI performance scoreboard (shared/seeds/000): per benchmark the ratio of the virtualized
 * score to the bare one with both raw scores in brackets ("1.02 [137/134]"), and a second table
 * with the width of the 95% confidence interval around each mean as a percentage of the mean.
 * Scores are the measured region in milliseconds (latencies: lower is better, so a ratio above 1
 * is the virtualization overhead). Repetitions differ by their perturbation seed on the virtual
 * clock and by nothing but the host on the host clock; the interval is Student's t over them.
 */

import { fixed, sig3, type Table } from "./format.ts";
import { ms, type ResultSet } from "./results.ts";
import { round, workloadOrder } from "./speed.ts";

/** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t95(df: number): number {
  if (df < 1) return Infinity;
  if (df <= 30) return T95[df - 1]!;
  return 1.96 + 2.4 / df; // within 0.003 of the exact value above 30
}

export interface Sample {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  /** Width of the 95% confidence interval of the mean, as % of the mean (NaN for n < 2). */
  ciWidthPercent: number;
}

export function sample(xs: readonly number[]): Sample {
  const n = xs.length;
  const mean = xs.reduce((a, x) => a + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (t95(n - 1) * sd) / Math.sqrt(n) : NaN;
  return { n, mean, sd, ciWidthPercent: mean !== 0 ? (100 * 2 * half) / mean : NaN };
}

export interface ScoreRow {
  workload: string;
  bare: Sample;
  virt: Sample;
  ratio: number;
  /** The two intervals do not overlap: the difference is outside the noise. */
  outside: boolean;
}

export const SCOREBOARD_GROUPS: { title: string; names: readonly string[] }[] = [
  { title: "Seed workloads (exit timing, seed 001)", names: ["boot", "hashes", "lame", "fhourstone", "find"] },
  { title: "Microbenchmarks", names: ["null-syscall", "ctxsw", "yield", "page-touch", "stream"] },
];

export function scoreRows(set: ResultSet): ScoreRow[] {
  const by = new Map<string, { bare: number[]; virt: number[] }>();
  for (const r of set.runs) {
    // the repetitions only (perturbation seeds 1..N, or host-clock repeats 1..N)
    if ((r.mode === "virt" && r.pv !== "off") || (r.perturb === 0 && r.rep === 0)) continue;
    const e = by.get(r.workload) ?? { bare: [], virt: [] };
    e[r.mode].push(ms(r));
    by.set(r.workload, e);
  }
  const order = workloadOrder(by.keys(), SCOREBOARD_GROUPS.flatMap((g) => g.names));
  return order.filter((w) => by.get(w)!.bare.length && by.get(w)!.virt.length).map((w) => {
    const bare = sample(by.get(w)!.bare), virt = sample(by.get(w)!.virt);
    const hb = (bare.ciWidthPercent / 200) * bare.mean, hv = (virt.ciWidthPercent / 200) * virt.mean;
    const outside = Number.isFinite(hb) && Number.isFinite(hv) && (virt.mean - hv > bare.mean + hb || virt.mean + hv < bare.mean - hb);
    return { workload: w, bare, virt, ratio: virt.mean / bare.mean, outside };
  });
}

const pctCell = (v: number) => (Number.isFinite(v) ? `${fixed(v, 1)}%` : "-");

function grouped(rows: ScoreRow[], cells: (r: ScoreRow) => string[]): string[][] {
  const out: string[][] = [];
  const known = SCOREBOARD_GROUPS.flatMap((g) => g.names);
  const groups = [...SCOREBOARD_GROUPS, { title: "Other", names: rows.map((r) => r.workload).filter((w) => !known.includes(w)) }];
  for (const g of groups) {
    const rs = rows.filter((r) => g.names.includes(r.workload));
    if (!rs.length) continue;
    out.push([g.title, ...cells(rs[0]!).map(() => "")]);
    for (const r of rs) out.push([`  ${r.workload}`, ...cells(r)]);
  }
  return out;
}

export function scoreboardTable(rows: ScoreRow[], clock: string): Table {
  const n = rows[0]?.bare.n ?? 0;
  return {
    title: `hv440 virtualization performance scoreboard: latency (measured region, ms) -> LOWER IS BETTER -> lower ratio is better`,
    columns: [{ title: "benchmark" }, { title: "virt/bare [virt/bare]", align: "left" }, { title: "comments", align: "left" }],
    rows: grouped(rows, (r) => [`${fixed(r.ratio, 2)} [${sig3(r.virt.mean)}/${sig3(r.bare.mean)}]`,
      r.outside ? "outside both 95% confidence intervals" : "within the 95% confidence intervals"]),
    notes: [`Scores are means over ${n} repetitions on the ${clock} clock; ${clock === "virtual"
      ? "repetition k runs with perturbation seed k (device timing, host-tick phase, cost-model draws)."
      : "repetitions differ only by the host."}`],
  };
}

export function ciTable(rows: ScoreRow[]): Table {
  return {
    title: "95% confidence interval width around the mean, in % of the mean",
    columns: [{ title: "benchmark" }, { title: "bare" }, { title: "virt" }],
    rows: grouped(rows, (r) => [pctCell(r.bare.ciWidthPercent), pctCell(r.virt.ciWidthPercent)]),
  };
}

export function scoreboardJson(rows: ScoreRow[]): object[] {
  const s = (x: Sample) => ({ n: x.n, meanMs: round(x.mean, 6), sdMs: round(x.sd, 6), ci95WidthPercent: Number.isFinite(x.ciWidthPercent) ? round(x.ciWidthPercent, 4) : null });
  return rows.map((r) => ({ workload: r.workload, ratio: round(r.ratio, 4), bare: s(r.bare), virt: s(r.virt), outsideCi: r.outside }));
}

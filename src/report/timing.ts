/**
 * Each workload's exit-timing table in the seed's summary format (report/summary.ts), under the
 * seed's heading for it, in the seed's order (boot guest, Hashes, Lame, Fhourstone, find); runs
 * with paravirtualization follow their unpatched twin. Also CSV/Markdown/JSON forms of the same
 * numbers and the "dominant exit types" digest that docs/tables.md compares with the seed.
 */

import type { StatsSnapshot } from "../hv/stats.ts";
import { fixed, tableCsv, tableMarkdown, type Table } from "./format.ts";
import type { ResultSet } from "./results.ts";
import { SEED_HEADINGS, SEED_WORKLOADS, type SeedRow } from "./seed.ts";
import { pickRuns, round, workloadOrder } from "./speed.ts";
import { formatSummary, summarize } from "./summary.ts";

export interface TimingSection {
  workload: string;
  pv: string;
  heading: string;
  stats: StatsSnapshot;
}

export function timingSections(set: ResultSet): TimingSection[] {
  const by = pickRuns(set);
  const out: TimingSection[] = [];
  for (const w of workloadOrder(by.keys(), SEED_WORKLOADS)) {
    const e = by.get(w)!;
    for (const r of [e.virt, e.pv]) {
      if (!r?.stats) continue;
      const base = SEED_HEADINGS[w] ?? w;
      out.push({ workload: w, pv: r.pv, heading: r.pv === "off" ? base : `${base} (paravirtualization: ${r.pv})`, stats: r.stats });
    }
  }
  return out;
}

export function timingText(sections: TimingSection[]): string {
  return sections.map((s) => `${s.heading}\n\n${formatSummary(s.stats)}`).join("\n");
}

export function summaryTable(stats: StatsSnapshot, title?: string): Table {
  const sm = summarize(stats);
  return {
    ...(title ? { title } : {}),
    columns: ["type", "count", "min", "max", "sum", "avg", "stddev", "%"].map((t, i) => ({ title: t, align: i === 0 ? "left" as const : "right" as const })),
    rows: sm.rows.map((r) => [r.type, String(r.count), String(r.min), String(r.max), String(r.sum), fixed(r.avg, 4), fixed(r.stddev, 3), fixed(r.percent, 2)]),
    notes: [`sum of time ${sm.sumOfTime}`],
  };
}

export function timingCsv(sections: TimingSection[]): string {
  return sections.map((s, i) => tableCsv(summaryTable(s.stats), [{ title: "workload", value: s.workload }, { title: "pv", value: s.pv }], i === 0)).join("");
}

export function timingMarkdown(sections: TimingSection[]): string {
  return sections.map((s) => tableMarkdown(summaryTable(s.stats, s.heading))).join("\n");
}

export function timingJsonOf(sections: TimingSection[]): object[] {
  return sections.map((s) => {
    const sm = summarize(s.stats);
    return {
      workload: s.workload, pv: s.pv, unit: "us", sumOfTime: sm.sumOfTime,
      rows: sm.rows.map((r) => ({ ...r, avg: round(r.avg, 4), stddev: round(r.stddev, 3), percent: round(r.percent, 2) })),
    };
  });
}

/** Exit types by share of the total time, TIMEINGUEST left out, largest first. */
export function dominantTypes(stats: StatsSnapshot, n = 3): { type: string; percent: number }[] {
  return summarize(stats).rows.filter((r) => r.type !== "TIMEINGUEST")
    .sort((a, b) => b.sum - a.sum || a.type.localeCompare(b.type)).slice(0, n)
    .map((r) => ({ type: r.type, percent: r.percent }));
}

/** The same digest for one of the seed's tables. */
export function seedDominantTypes(rows: readonly SeedRow[], n = 3): { type: string; percent: number }[] {
  return rows.filter((r) => r[0] !== "TIMEINGUEST").sort((a, b) => b[4] - a[4]).slice(0, n).map((r) => ({ type: r[0], percent: r[7] }));
}

export const guestShare = (stats: StatsSnapshot): number => summarize(stats).rows.find((r) => r.type === "TIMEINGUEST")?.percent ?? 0;

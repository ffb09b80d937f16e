/**
 * The seed's exit-timing summary (001_...: "sum of time", then per type count, min, max, sum,
 * avg, stddev and % of the total, for types with count > 0), computed from the kernel's raw
 * counters the way the post-processing script did: avg = sum/count, stddev = sqrt(sum_squared/
 * count - avg^2) (population), % = 100 * sum / sum of time. A userspace view, not KVM's file.
 */

import { EXIT_NAMES } from "../hv/exits.ts";
import type { StatsSnapshot } from "../hv/stats.ts";

export interface SummaryRow {
  type: string;
  count: number;
  min: number;
  max: number;
  sum: number;
  avg: number;
  stddev: number;
  percent: number;
}

export interface Summary {
  sumOfTime: number;
  rows: SummaryRow[];
}

export function summarize(s: StatsSnapshot): Summary {
  const sumOfTime = s.rows.reduce((a, r) => a + r.sum, 0);
  const rows: SummaryRow[] = [];
  s.rows.forEach((r, i) => {
    if (r.count === 0) return;
    const avg = r.sum / r.count;
    const meanSq = Number(r.sumSquared) / r.count;
    rows.push({
      type: EXIT_NAMES[i]!, count: r.count, min: r.min, max: r.max, sum: r.sum, avg,
      stddev: Math.sqrt(Math.max(0, meanSq - avg * avg)),
      percent: sumOfTime > 0 ? (100 * r.sum) / sumOfTime : 0,
    });
  });
  return { sumOfTime, rows };
}

/** The seed's text layout (column widths as in 001_...). */
export function formatSummary(s: StatsSnapshot): string {
  const sm = summarize(s);
  let out = `sum of time ${sm.sumOfTime}\n`;
  out += `${"type".padStart(12)}${"count".padStart(9)}${"min".padStart(9)}${"max".padStart(9)}${"sum".padStart(13)}` +
    `${"avg".padStart(17)}${"stddev".padStart(13)}${"%".padStart(6)}\n`;
  for (const r of sm.rows) {
    out += `${(r.type + ":").padStart(12)}${String(r.count).padStart(9)}${String(r.min).padStart(9)}${String(r.max).padStart(9)}` +
      `${String(r.sum).padStart(13)}${r.avg.toFixed(4).padStart(17)}${r.stddev.toFixed(3).padStart(13)}${r.percent.toFixed(2).padStart(6)}\n`;
  }
  return out;
}

/** Self-describing JSON (every metric names its unit), with the raw counters. */
export function timingJson(s: StatsSnapshot): object {
  const sm = summarize(s);
  return {
    unit: "us",
    ticksPerUs: s.ticksPerUs,
    sumOfTime: sm.sumOfTime,
    rows: sm.rows.map((r, i) => ({ ...r, sumSquared: String(s.rows[EXIT_NAMES.indexOf(r.type as (typeof EXIT_NAMES)[number])]!.sumSquared), index: i })),
    side: s.side,
  };
}

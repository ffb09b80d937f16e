/**
 * Two virtualized runs side by side, as the seed presented paravirtualization against none:
 * each run's table in the seed's PV layout ("sum of time N => ~m:ss runtime", the second with
 * "(~N% net improvement)"), then per exit type the counts and summed times of both with Δ and
 * Δ% (B − A), and the totals: exits, sum of time, time in guest (TIMEINGUEST), time in exit
 * handling, and the measured region.
 */

import { EXIT_NAMES } from "../hv/exits.ts";
import { fixed, sig3, signed, tableCsv, tableMarkdown, tableText, type Table } from "./format.ts";
import { ms, specLabel, type RunRecord } from "./results.ts";
import { round } from "./speed.ts";
import { summarize, type Summary } from "./summary.ts";

/** "~2:24" for 144837890 us, as the seed wrote it (whole seconds, truncated); below a minute "~0.362 s". */
export function runtime(us: number): string {
  if (us < 60e6) return `~${sig3(us / 1e6)} s`;
  const s = Math.floor(us / 1e6);
  return `~${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The seed's PV-section layout (name %11s, count %9, min %5, max %7, sum %10, avg %8.2f, stddev %9.3f, % %7.2f). */
export function pvLayout(sm: Summary, improvementOver?: Summary): string {
  const w = [11, 9, 5, 7, 10, 8, 9, 7];
  const cell = (s: string, i: number) => s.padStart(Math.max(w[i]!, s.length + (i === 0 ? 0 : 1)));
  let head = `sum of time ${sm.sumOfTime} => ${runtime(sm.sumOfTime)} runtime`;
  if (improvementOver && improvementOver.sumOfTime > 0) {
    const imp = (100 * (improvementOver.sumOfTime - sm.sumOfTime)) / improvementOver.sumOfTime;
    head += ` (~${Math.round(Math.abs(imp))}% net ${imp >= 0 ? "improvement" : "slowdown"})`;
  }
  let out = `${head}\n${["", "count", "min", "max", "sum", "avg", "stddev", "%"].map(cell).join("")}\n`;
  for (const r of sm.rows) {
    out += [r.type, String(r.count), String(r.min), String(r.max), String(r.sum), fixed(r.avg, 2), fixed(r.stddev, 3), fixed(r.percent, 2)].map(cell).join("") + "\n";
  }
  return out;
}

export interface DeltaRow {
  name: string;
  countA: number | null;
  countB: number | null;
  a: number;
  b: number;
}

export interface Comparison {
  a: RunRecord;
  b: RunRecord;
  rows: DeltaRow[];
}

export function compareRuns(a: RunRecord, b: RunRecord): Comparison {
  if (!a.stats || !b.stats) throw new Error("compareRuns needs two virtualized runs");
  const sa = summarize(a.stats), sb = summarize(b.stats);
  const rows: DeltaRow[] = [];
  for (const t of EXIT_NAMES) {
    if (t === "TIMEINGUEST") continue;
    const ra = sa.rows.find((r) => r.type === t), rb = sb.rows.find((r) => r.type === t);
    if (!ra && !rb) continue;
    rows.push({ name: t, countA: ra?.count ?? 0, countB: rb?.count ?? 0, a: ra?.sum ?? 0, b: rb?.sum ?? 0 });
  }
  const exits = (s: Summary) => s.rows.filter((r) => r.type !== "TIMEINGUEST").reduce((x, r) => x + r.count, 0);
  const guest = (s: Summary) => s.rows.find((r) => r.type === "TIMEINGUEST")?.sum ?? 0;
  rows.push(
    { name: "total exits", countA: exits(sa), countB: exits(sb), a: sa.sumOfTime - guest(sa), b: sb.sumOfTime - guest(sb) },
    { name: "time in guest", countA: null, countB: null, a: guest(sa), b: guest(sb) },
    { name: "sum of time", countA: null, countB: null, a: sa.sumOfTime, b: sb.sumOfTime },
    { name: "measured region", countA: null, countB: null, a: Math.round(ms(a) * 1000), b: Math.round(ms(b) * 1000) },
  );
  return { a, b, rows };
}

const pct = (a: number, b: number) => (a === 0 ? (b === 0 ? "0.00%" : "-") : `${signed((100 * (b - a)) / a, 2)}%`);
const num = (v: number | null) => (v === null ? "" : String(v));
const dnum = (a: number | null, b: number | null) => (a === null || b === null ? "" : signed(b - a, 0));

export function deltaTable(c: Comparison): Table {
  return {
    title: "Δ = B − A (times in us; \"total exits\" sums every type but TIMEINGUEST)",
    columns: [{ title: "type" }, { title: "count A" }, { title: "count B" }, { title: "Δcount" }, { title: "Δcount%" },
      { title: "sum A" }, { title: "sum B" }, { title: "Δsum" }, { title: "Δsum%" }],
    rows: c.rows.map((r) => [
      r.name, num(r.countA), num(r.countB), dnum(r.countA, r.countB), r.countA === null ? "" : pct(r.countA, r.countB!),
      String(r.a), String(r.b), signed(r.b - r.a, 0), pct(r.a, r.b),
    ]),
  };
}

export function compareText(c: Comparison): string {
  const sa = summarize(c.a.stats!), sb = summarize(c.b.stats!);
  return `A: ${specLabel(c.a)}\n\n${pvLayout(sa)}\nB: ${specLabel(c.b)}\n\n${pvLayout(sb, sa)}\n${tableText(deltaTable(c))}`;
}

export function compareCsv(c: Comparison): string {
  return tableCsv(deltaTable(c));
}

export function compareMarkdown(c: Comparison): string {
  const sa = summarize(c.a.stats!), sb = summarize(c.b.stats!);
  return `**A**: ${specLabel(c.a)}\n\n\`\`\`\n${pvLayout(sa)}\`\`\`\n\n**B**: ${specLabel(c.b)}\n\n\`\`\`\n${pvLayout(sb, sa)}\`\`\`\n\n${tableMarkdown(deltaTable(c))}`;
}

export function compareJson(c: Comparison): object {
  return {
    a: specLabel(c.a), b: specLabel(c.b), unit: "us",
    rows: c.rows.map((r) => ({
      type: r.name, ...(r.countA !== null ? { countA: r.countA, countB: r.countB } : {}), sumA: r.a, sumB: r.b, delta: r.b - r.a,
      deltaPercent: r.a === 0 ? null : round((100 * (r.b - r.a)) / r.a, 4),
    })),
  };
}

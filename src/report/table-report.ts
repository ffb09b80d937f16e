/**
 * Everything `hv440 table` prints or writes, from a result set: which tables depends on what the
 * set was run for (`options.tables`: speed + timing by default, env, scoreboard). Text, CSV,
 * Markdown and JSON renderings of the same tables, and the charts plus the HTML report for
 * `--out`. Pure: same result set, same bytes.
 */

import { exitBreakdownChart, envChart, pvChart, renderSvg, scoreboardChart, speedChart, type Chart } from "./charts.ts";
import { envJson, envRows, envTable } from "./env.ts";
import { tableCsv, tableMarkdown, tableText, type Format, type Table } from "./format.ts";
import { htmlReport, type ReportSection } from "./html.ts";
import { resultSetToJson, type ResultSet } from "./results.ts";
import { ciTable, scoreboardJson, scoreboardTable, scoreRows } from "./scoreboard.ts";
import { speedJson, speedRows, speedTable } from "./speed.ts";
import { timingCsv, timingJsonOf, timingSections, timingText } from "./timing.ts";
import { formatSummary } from "./summary.ts";

export const TABLE_KINDS = ["speed", "timing", "env", "scoreboard"] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export function kindsOf(set: ResultSet): TableKind[] {
  const t = set.options.tables;
  const list = Array.isArray(t) ? t : typeof t === "string" ? t.split(",") : ["speed", "timing"];
  return TABLE_KINDS.filter((k) => list.includes(k));
}

/** One line saying what was run (no host facts, no dates). */
export function headline(set: ResultSet): string {
  const o = set.options;
  const parts = ["workloads", "size", "profile", "seed", "clock", "pv", "reps"].filter((k) => o[k] !== undefined)
    .map((k) => `${k} ${Array.isArray(o[k]) ? (o[k] as string[]).join(",") : String(o[k])}`);
  return `hv440 table: ${parts.join("; ")}`;
}

const TIMING_TITLE = "Exit timing per workload (the seed's summary format; times in us on the virtual clock)";

/** The tables of the set, in print order (timing is text in the seed's layout, so not here). */
function tables(set: ResultSet, kinds: TableKind[]): { kind: TableKind; table: Table }[] {
  const out: { kind: TableKind; table: Table }[] = [];
  if (kinds.includes("speed")) out.push({ kind: "speed", table: speedTable(speedRows(set)) });
  if (kinds.includes("env")) {
    const e = envRows(set);
    out.push({ kind: "env", table: envTable(e.rows, e.pvMode) });
  }
  if (kinds.includes("scoreboard")) {
    const rows = scoreRows(set);
    out.push({ kind: "scoreboard", table: scoreboardTable(rows, String(set.options.clock ?? "virtual")) }, { kind: "scoreboard", table: ciTable(rows) });
  }
  return out;
}

export function renderTables(set: ResultSet, format: Format): string {
  const kinds = kindsOf(set);
  const ts = tables(set, kinds);
  const sections = kinds.includes("timing") ? timingSections(set) : [];
  switch (format) {
    case "text": {
      const parts = [`${headline(set)}\n`, ...ts.map((t) => tableText(t.table))];
      if (sections.length) parts.push(`${TIMING_TITLE}\n\n${timingText(sections)}`);
      return parts.join("\n");
    }
    case "csv": {
      const parts = ts.map((t) => tableCsv(t.table));
      if (sections.length) parts.push(timingCsv(sections));
      return parts.join("\n");
    }
    case "md": {
      const parts = [`## ${headline(set)}\n`, ...ts.map((t) => tableMarkdown(t.table))];
      if (sections.length) {
        parts.push(`### ${TIMING_TITLE}\n\n${sections.map((s) => `#### ${s.heading}\n\n\`\`\`\n${formatSummary(s.stats)}\`\`\`\n`).join("\n")}`);
      }
      return parts.join("\n");
    }
    case "json": {
      const t: Record<string, unknown> = {};
      if (kinds.includes("speed")) t.speed = speedJson(speedRows(set));
      if (sections.length) t.timing = timingJsonOf(sections);
      if (kinds.includes("env")) { const e = envRows(set); t.env = envJson(e.rows, e.pvMode); }
      if (kinds.includes("scoreboard")) t.scoreboard = scoreboardJson(scoreRows(set));
      return JSON.stringify(resultSetToJson(set, { tables: t }), null, 2) + "\n";
    }
  }
}

export function charts(set: ResultSet): Chart[] {
  const kinds = kindsOf(set);
  const out: Chart[] = [];
  if (kinds.includes("speed")) out.push(speedChart(speedRows(set)));
  if (kinds.includes("timing")) {
    const sections = timingSections(set);
    if (sections.length) {
      out.push(exitBreakdownChart(sections), exitBreakdownChart(sections, true));
      const pv = pvChart(sections);
      if (pv) out.push(pv);
    }
  }
  if (kinds.includes("env")) {
    const e = envRows(set);
    const c = envChart(e.rows, e.pvMode);
    if (c) out.push(c);
  }
  if (kinds.includes("scoreboard")) {
    const c = scoreboardChart(scoreRows(set));
    if (c) out.push(c);
  }
  return out;
}

export interface RenderedReport {
  /** `<chart>.svg` → SVG text. */
  svgs: Map<string, string>;
  html: string;
}

export async function renderReport(set: ResultSet): Promise<RenderedReport> {
  const cs = charts(set);
  const svgs = new Map<string, string>();
  for (const c of cs) svgs.set(`${c.name}.svg`, await renderSvg(c));
  const svg = (name: string) => (svgs.has(`${name}.svg`) ? [svgs.get(`${name}.svg`)!] : []);
  const kinds = kindsOf(set);
  const ts = tables(set, kinds);
  const sections: ReportSection[] = [];
  if (kinds.includes("speed")) {
    sections.push({ title: "% of bare-metal speed", svgs: svg("speed"), tables: ts.filter((t) => t.kind === "speed").map((t) => t.table) });
  }
  if (kinds.includes("timing")) {
    const tsec = timingSections(set);
    sections.push({
      title: "Exit timing per workload",
      intro: "Where the measured region's time goes under the hypervisor, by exit type (TIMEINGUEST: time running the guest).",
      svgs: [...svg("exit-breakdown"), ...svg("exit-time"), ...svg("pv")],
      pre: timingText(tsec),
    });
  }
  if (kinds.includes("env")) sections.push({ title: "Environment comparison", svgs: svg("env"), tables: ts.filter((t) => t.kind === "env").map((t) => t.table) });
  if (kinds.includes("scoreboard")) sections.push({ title: "Scoreboard", svgs: svg("scoreboard"), tables: ts.filter((t) => t.kind === "scoreboard").map((t) => t.table) });
  const o = set.options;
  const meta: [string, string][] = Object.keys(o).sort().map((k) => [k, Array.isArray(o[k]) ? (o[k] as string[]).join(", ") : String(o[k])]);
  return { svgs, html: htmlReport({ title: "hv440 tables", meta, sections }) };
}

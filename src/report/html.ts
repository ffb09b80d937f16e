/**
 * A self-contained HTML report: the charts inline as SVG, the tables as HTML tables, the seed-format
 * exit-timing tables as preformatted text. No script, no external file, no date: it opens anywhere
 * and regenerates byte for byte.
 */

import type { Table } from "./format.ts";

export interface ReportSection {
  title: string;
  intro?: string;
  /** SVG documents, shown in order. */
  svgs?: string[];
  tables?: Table[];
  /** Preformatted text (the seed's layouts). */
  pre?: string;
}

export interface Report {
  title: string;
  meta: [string, string][];
  sections: ReportSection[];
}

export const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function tableHtml(t: Table): string {
  const align = (i: number) => (t.columns[i]!.align ?? (i === 0 ? "left" : "right"));
  let out = "<table>\n";
  if (t.title) out += `<caption>${esc(t.title)}</caption>\n`;
  out += `<thead><tr>${t.columns.map((c, i) => `<th class="${align(i)}">${esc(c.title)}</th>`).join("")}</tr></thead>\n<tbody>\n`;
  for (const r of t.rows) out += `<tr>${r.map((c, i) => `<td class="${align(i)}">${esc(c)}</td>`).join("")}</tr>\n`;
  out += "</tbody>\n</table>\n";
  for (const n of t.notes ?? []) out += `<p class="note">${esc(n)}</p>\n`;
  return out;
}

const STYLE = `body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{padding:.2em .7em;border-bottom:1px solid #e5e5e5}th{background:#f4f4f4}.right{text-align:right}.left{text-align:left}
pre{background:#f8f8f8;padding:.8em;overflow-x:auto;font-size:.8em}.chart{margin:1em 0}.note{color:#555;font-size:.85em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}`;

export function htmlReport(r: Report): string {
  let out = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${esc(r.title)}</title>\n<style>\n${STYLE}\n</style>\n</head>\n<body>\n`;
  out += `<h1>${esc(r.title)}</h1>\n<dl>\n${r.meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("\n")}\n</dl>\n`;
  for (const s of r.sections) {
    out += `<section>\n<h2>${esc(s.title)}</h2>\n`;
    if (s.intro) out += `<p>${esc(s.intro)}</p>\n`;
    for (const svg of s.svgs ?? []) out += `<div class="chart">\n${svg.replace(/^<\?xml[^>]*>\s*/, "")}\n</div>\n`;
    for (const t of s.tables ?? []) out += tableHtml(t);
    if (s.pre) out += `<pre>${esc(s.pre)}</pre>\n`;
    out += "</section>\n";
  }
  return out + "</body>\n</html>\n";
}

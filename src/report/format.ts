/**
 * A plain table (title, columns, rows of already formatted cells, notes) and its text, CSV and
 * Markdown renderings. Our own padStart/padEnd code rather than a table library: fixed layouts
 * that people can regex and golden files can hold byte for byte.
 */

export type Align = "left" | "right";

export interface Column {
  title: string;
  align?: Align;
}

export interface Table {
  title?: string;
  columns: Column[];
  rows: string[][];
  /** Lines printed under the table (text, Markdown) — never in CSV. */
  notes?: string[];
}

export const FORMATS = ["text", "csv", "json", "md"] as const;
export type Format = (typeof FORMATS)[number];

function pad(s: string, w: number, a: Align | undefined): string {
  return a === "left" ? s.padEnd(w) : s.padStart(w);
}

/** Columns separated by two spaces, the first left-aligned unless said otherwise; no trailing blanks. */
export function tableText(t: Table): string {
  const widths = t.columns.map((c, i) => Math.max(c.title.length, ...t.rows.map((r) => (r[i] ?? "").length)));
  const align = (i: number) => t.columns[i]!.align ?? (i === 0 ? "left" : "right");
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, align(i))).join("  ").trimEnd();
  let out = t.title ? `${t.title}\n` : "";
  out += line(t.columns.map((c) => c.title)) + "\n";
  for (const r of t.rows) out += line(r) + "\n";
  for (const n of t.notes ?? []) out += `${n}\n`;
  return out;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180: a header row, then the rows; `leading` columns are prepended (e.g. the workload). */
export function tableCsv(t: Table, leading: { title: string; value: string }[] = [], header = true): string {
  let out = header ? [...leading.map((l) => l.title), ...t.columns.map((c) => c.title)].map(csvCell).join(",") + "\n" : "";
  for (const r of t.rows) out += [...leading.map((l) => l.value), ...r].map(csvCell).join(",") + "\n";
  return out;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

export function tableMarkdown(t: Table, level = 3): string {
  let out = t.title ? `${"#".repeat(level)} ${t.title}\n\n` : "";
  out += `| ${t.columns.map((c) => mdCell(c.title)).join(" | ")} |\n`;
  out += `|${t.columns.map((c, i) => ((c.align ?? (i === 0 ? "left" : "right")) === "left" ? "---" : "---:")).join("|")}|\n`;
  for (const r of t.rows) out += `| ${r.map(mdCell).join(" | ")} |\n`;
  if (t.notes?.length) out += `\n${t.notes.join("\n")}\n`;
  return out;
}

/** Fixed decimals, with a thin guard against "-0.00". */
export function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** Three significant digits the way the VMI scoreboard wrote raw scores (0.17, 2.14, 137, 6681). */
export function sig3(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return String(Math.round(v));
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return "0";
  return v.toPrecision(3);
}

export function signed(v: number, digits: number): string {
  const s = fixed(v, digits);
  return v > 0 && s !== fixed(0, digits) ? `+${s}` : s;
}

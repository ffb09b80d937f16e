/**
 * `hv440 compare A B`: two virtualized runs side by side, the way the seed set paravirtualization
 * against none — both exit-timing tables, then Δ and Δ% per exit type, exits, time in guest, sum
 * of time and the measured region. A and B are workload specs, run now:
 *     NAME[:key=value,...]      keys: pv, size, profile, seed, perturb, clock
 * or saved results (`hv440 table --format json`, `hv440 compare --format json`), optionally with a
 * selector:
 *     FILE[#NAME[:key=value,...]]
 * `hv440 compare --pv MODE NAME` is short for `hv440 compare NAME NAME:pv=MODE`.
 */

import * as fs from "node:fs";
import { findEntry, isSize, SIZES } from "../../machine/catalog.ts";
import { compareCsv, compareJson, compareMarkdown, compareRuns, compareText } from "../../report/compare.ts";
import { FORMATS, type Format } from "../../report/format.ts";
import { RESULTS_SCHEMA, recordToJson, resultSetFromJson, specLabel, type RunRecord, type RunSpec } from "../../report/results.ts";
import { UserError } from "../../util/errors.ts";
import { say } from "../io.ts";
import { parseOptions, parseNumber, type OptSpec } from "../options.ts";
import { collectRuns, progress, PV_CHOICES } from "./table.ts";

export const COMPARE_OPTIONS: readonly OptSpec[] = [
  { name: "format", short: "f", type: "string", arg: "text|csv|json|md", choices: FORMATS, help: "output format (default text)" },
  { name: "pv", type: "string", arg: "MODE", choices: PV_CHOICES, help: "with one workload: compare it without and with this paravirtualization mode" },
  { name: "size", type: "string", arg: "small|default|full", choices: SIZES, help: "default size of workload specs (default: default)" },
  { name: "profile", type: "string", arg: "NAME|FILE", help: "default cost profile of workload specs (default sequoia-2008)" },
  { name: "seed", type: "number", help: "default cost-model seed of workload specs (default 1)" },
  { name: "clock", type: "string", arg: "virtual|host", choices: ["virtual", "host"], help: "default clock of workload specs (default virtual)" },
  { name: "quiet", short: "q", type: "boolean", help: "no progress bar" },
];

const KEYS = ["pv", "size", "profile", "seed", "perturb", "clock", "rep", "mode"] as const;
type Key = (typeof KEYS)[number];

/** `NAME[:k=v,...]` → name and settings. */
export function parseSpecText(text: string, what: string): { name: string; set: Partial<Record<Key, string>> } {
  const colon = text.indexOf(":");
  const name = colon < 0 ? text : text.slice(0, colon);
  const set: Partial<Record<Key, string>> = {};
  if (colon >= 0) {
    for (const kv of text.slice(colon + 1).split(",").filter(Boolean)) {
      const eq = kv.indexOf("=");
      const k = (eq < 0 ? kv : kv.slice(0, eq)) as Key;
      if (!KEYS.includes(k) || eq < 0) throw new UserError(`compare: ${what}: '${kv}' is not KEY=VALUE with KEY one of ${KEYS.join(", ")}`);
      set[k] = kv.slice(eq + 1);
    }
  }
  if (!name) throw new UserError(`compare: ${what}: no workload name`);
  return { name, set };
}

const num = (v: string | undefined, k: string, what: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = parseNumber(v);
  if (n === undefined) throw new UserError(`compare: ${what}: ${k}=${v} is not a number`);
  return n;
};

/** A workload spec to run, with the command's defaults. */
function runSpecOf(text: string, what: string, d: Record<string, unknown>): RunSpec {
  const { name, set } = parseSpecText(text, what);
  const e = findEntry(name);
  if (!e) throw new UserError(`compare: ${what}: '${name}' is neither a saved result nor a workload of the catalog (see 'hv440 list')`);
  if (set.mode !== undefined && set.mode !== "virt") throw new UserError(`compare: ${what}: only virtualized runs have exit statistics (mode=virt)`);
  if (set.rep !== undefined) throw new UserError(`compare: ${what}: rep= selects in a saved result; to vary a run use perturb=`);
  const size = set.size ?? String(d.size ?? "default");
  if (!isSize(size)) throw new UserError(`compare: ${what}: size must be one of ${SIZES.join(", ")}`);
  const pv = set.pv ?? "off";
  if (!(PV_CHOICES as readonly string[]).includes(pv)) throw new UserError(`compare: ${what}: pv must be one of ${PV_CHOICES.join(", ")}`);
  const clock = set.clock ?? String(d.clock ?? "virtual");
  if (clock !== "virtual" && clock !== "host") throw new UserError(`compare: ${what}: clock must be virtual or host`);
  return {
    workload: e.name, mode: "virt", pv, size, profile: set.profile ?? String(d.profile ?? "sequoia-2008"),
    seed: num(set.seed, "seed", what) ?? (d.seed as number | undefined) ?? 1, perturb: num(set.perturb, "perturb", what) ?? 0, clock, rep: 0,
  };
}

/** One virtualized run of a saved result, chosen by an optional selector. */
function savedRun(file: string, selector: string | undefined, what: string): RunRecord {
  let text: string;
  try { text = fs.readFileSync(file, "utf8"); } catch { throw new UserError(`compare: ${what}: ${file}: cannot read it`); }
  const set = resultSetFromJson(text, file);
  let runs = set.runs.filter((r) => r.stats);
  if (selector) {
    const { name, set: want } = parseSpecText(selector, what);
    const canonical = findEntry(name)?.name ?? name;
    runs = runs.filter((r) => r.workload === canonical && KEYS.every((k) => want[k] === undefined || String(r[k]) === want[k]));
  }
  if (runs.length > 1) {
    // unless asked otherwise: the plain run (no PV, no perturbation, first repetition)
    const plain = runs.filter((r) => r.pv === "off" && r.perturb === 0 && r.rep === 0);
    if (plain.length === 1) runs = plain;
  }
  if (runs.length === 0) throw new UserError(`compare: ${what}: ${file} has no virtualized run${selector ? ` matching '${selector}'` : ""}`);
  if (runs.length > 1) {
    throw new UserError(`compare: ${what}: ${file} has ${runs.length} matching runs (${runs.slice(0, 4).map(specLabel).join("; ")}${runs.length > 4 ? "; ..." : ""}): add a selector, e.g. ${file}#${runs[0]!.workload}:pv=${runs[0]!.pv}`);
  }
  return runs[0]!;
}

function isSaved(text: string): { file: string; selector?: string } | null {
  const hash = text.indexOf("#");
  const file = hash < 0 ? text : text.slice(0, hash);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
  return hash < 0 ? { file } : { file, selector: text.slice(hash + 1) };
}

export async function cmdCompare(argv: readonly string[]): Promise<number> {
  const { opts, positionals } = parseOptions("compare", COMPARE_OPTIONS, argv);
  let args = positionals;
  if (opts.pv !== undefined) {
    if (args.length !== 1) throw new UserError("compare: --pv takes one workload (compared without and with PV)");
    if (opts.pv === "off") throw new UserError("compare: --pv off compares a run with itself");
    args = [args[0]!, `${args[0]}${args[0]!.includes(":") ? "," : ":"}pv=${String(opts.pv)}`];
  }
  if (args.length !== 2) throw new UserError("compare: give two runs, A and B (usage: hv440 compare [options] A B)");
  const format = String(opts.format ?? "text") as Format;

  const saved = args.map((a) => isSaved(a));
  const records: (RunRecord | null)[] = saved.map((s, i) => (s ? savedRun(s.file, s.selector, i === 0 ? "A" : "B") : null));
  const toRun = args.map((a, i) => (saved[i] ? null : runSpecOf(a, i === 0 ? "A" : "B", opts)));
  const specs = toRun.filter((s): s is RunSpec => s !== null);
  if (specs.length) {
    const bar = progress(specs.length, opts.quiet === true);
    let ran: RunRecord[];
    try {
      ran = collectRuns(specs, {}, bar).runs;
    } finally {
      bar.stop();
    }
    let k = 0;
    toRun.forEach((s, i) => { if (s) records[i] = ran[k++]!; });
  }
  const [a, b] = records as [RunRecord, RunRecord];
  if (a.checksums.join("\n") !== b.checksums.join("\n") && a.workload === b.workload && a.size === b.size) {
    throw new UserError(`compare: A and B printed different results (${a.checksums[0] ?? "-"} vs ${b.checksums[0] ?? "-"}): the guest did not compute the same thing`);
  }
  const c = compareRuns(a, b);
  switch (format) {
    case "text": say(compareText(c)); break;
    case "csv": say(compareCsv(c)); break;
    case "md": say(compareMarkdown(c)); break;
    case "json":
      say(JSON.stringify({ schema: RESULTS_SCHEMA, options: { compare: [specLabel(a), specLabel(b)] }, runs: [recordToJson(a), recordToJson(b)], comparison: compareJson(c) }, null, 2) + "\n");
      break;
  }
  return 0;
}

/**
 * `hv440 table`: regenerates the seed's tables. Runs the catalog's workloads bare and under the
 * hypervisor (and with paravirtualization when --pv names a mode), then prints
 *   default         % of bare-metal speed + each workload's exit-timing table (seed 001)
 *   --env           the environment comparison bare / virt / virt+PV (seed 003)
 *   --scoreboard    virt/bare ratios with raw scores and 95% CI widths over --reps runs (seed 000)
 *   --all           all of them
 * on stdout in --format text|csv|json|md; --out DIR also writes every format, the charts (SVG)
 * and a self-contained HTML report; --from FILE re-renders a saved JSON result without running.
 * Progress goes to stderr as a bar, only when stderr is a terminal.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import cliProgress from "cli-progress";
import { DEFAULT_CLOCK_HZ } from "../../cpu/cycles.ts";
import { findEntry, isSize, SIZES, type WorkloadSize } from "../../machine/catalog.ts";
import { runWorkload, type WorkloadRun } from "../../machine/workload.ts";
import { ENV_WORKLOADS } from "../../report/env.ts";
import { FORMATS, type Format } from "../../report/format.ts";
import { resultSetFromJson, sameSpec, specLabel, type ResultSet, type RunRecord, type RunSpec } from "../../report/results.ts";
import { SCOREBOARD_GROUPS } from "../../report/scoreboard.ts";
import { SEED_WORKLOADS } from "../../report/seed.ts";
import { kindsOf, renderReport, renderTables, type TableKind } from "../../report/table-report.ts";
import { UserError } from "../../util/errors.ts";
import { say } from "../io.ts";
import { parseOptions, type OptSpec } from "../options.ts";

/** Paravirtualization modes of the hypervisor (src/hv/pv). */
export const PV_CHOICES = ["off", "host-patch", "magic-page"] as const;

export const TABLE_OPTIONS: readonly OptSpec[] = [
  { name: "format", short: "f", type: "string", arg: "text|csv|json|md", choices: FORMATS, help: "what stdout gets (default text)" },
  { name: "out", short: "o", type: "string", arg: "DIR", help: "also write every format, the charts (SVG) and an HTML report (tables.html, env.html, scoreboard.html or all.html) into DIR" },
  { name: "workloads", short: "w", type: "string", arg: "LIST", help: "comma-separated catalog names (default: the seed's five; --env: its microbenchmarks)" },
  { name: "size", type: "string", arg: "small|default|full", choices: SIZES, help: "workload size (default: default)" },
  { name: "profile", type: "string", arg: "NAME|FILE", help: "host cost profile (default sequoia-2008)" },
  { name: "clock", type: "string", arg: "virtual|host", choices: ["virtual", "host"], help: "what the measured region's length is measured on (default virtual)" },
  { name: "pv", type: "string", arg: "MODE", choices: PV_CHOICES, help: "also run virtualized with this paravirtualization mode (default off)" },
  { name: "seed", type: "number", help: "seed of the cost model (default 1)" },
  { name: "env", type: "boolean", help: "the environment comparison (null call, yield, page touch, STREAM, boot time)" },
  { name: "scoreboard", type: "boolean", help: "the VMI-style scoreboard over --reps repetitions" },
  { name: "all", type: "boolean", help: "every table: speed, exit timing, environments, scoreboard" },
  { name: "reps", type: "number", help: "scoreboard repetitions (default 5)" },
  { name: "from", type: "string", arg: "FILE", help: "render a saved --format json result instead of running" },
  { name: "quiet", short: "q", type: "boolean", help: "no progress bar" },
];

export interface TablePlan {
  kinds: TableKind[];
  workloads: string[];
  size: WorkloadSize;
  profile: string;
  clock: "virtual" | "host";
  pv: string;
  seed: number;
  reps: number;
}

export const SCOREBOARD_WORKLOADS = SCOREBOARD_GROUPS.flatMap((g) => g.names);

/** The runs a plan needs, each once, in a stable order. */
export function planRuns(p: TablePlan): RunSpec[] {
  const specs: RunSpec[] = [];
  const add = (workload: string, mode: "bare" | "virt", pv: string, perturb: number, rep: number) => {
    const s: RunSpec = { workload, mode, pv, size: p.size, profile: mode === "bare" ? "-" : p.profile, seed: mode === "bare" ? 0 : p.seed, perturb, clock: p.clock, rep };
    if (!specs.some((x) => sameSpec(x, s))) specs.push(s);
  };
  const columns = (w: string, perturb: number, rep: number) => {
    add(w, "bare", "off", perturb, rep);
    add(w, "virt", "off", perturb, rep);
    if (p.pv !== "off" && perturb === 0) add(w, "virt", p.pv, perturb, rep);
  };
  if (p.kinds.includes("speed") || p.kinds.includes("timing")) for (const w of p.workloads) columns(w, 0, 0);
  if (p.kinds.includes("env")) for (const w of p.kinds.length === 1 ? p.workloads : ENV_WORKLOADS) columns(w, 0, 0);
  if (p.kinds.includes("scoreboard")) {
    const ws = p.kinds.length === 1 ? p.workloads : SCOREBOARD_WORKLOADS;
    for (let k = 1; k <= p.reps; k++) {
      for (const w of ws) {
        // virtual clock: repetition k is perturbation seed k; host clock: the same run again
        columns(w, p.clock === "virtual" ? k : 0, p.clock === "virtual" ? 0 : k);
      }
    }
  }
  return specs;
}

function describeStop(r: WorkloadRun): string {
  const s = r.stop;
  switch (s.kind) {
    case "reset": return r.end && "signal" in r.end ? `the program was killed by signal ${r.end.signal} (${r.end.name})` : `the program exited with status ${r.exitStatus}`;
    case "budget": return `stopped after ${s.insns} instructions`;
    case "idle": case "checkstop": return s.message;
    case "emulation-failed": return `emulation failed at pc 0x${(s.pc >>> 0).toString(16)}: ${s.reason}`;
  }
}

export function toRecord(spec: RunSpec, r: WorkloadRun): RunRecord {
  const ok = r.stop.kind === "reset" && (r.exitStatus === 0 || (r.end === null && r.workload.program === undefined));
  if (!ok) throw new UserError(`table: ${specLabel(spec)}: ${describeStop(r)}`);
  const text = r.output ?? r.console;
  return {
    ...spec,
    seconds: r.seconds,
    cycles: (r.marks.end ?? r.cycles) - (r.marks.start ?? 0),
    insns: r.insns,
    clockHz: DEFAULT_CLOCK_HZ,
    exitStatus: r.exitStatus,
    stop: r.stop.kind,
    checksums: r.checksums,
    timeLines: text.split("\n").filter((l) => l.startsWith("time:")),
    ...(r.stats ? { stats: r.stats } : {}),
  };
}

/** Runs every spec (synchronously, one after the other) and checks the guests agree. */
export function collectRuns(specs: readonly RunSpec[], options: ResultSet["options"], onRun?: (i: number, spec: RunSpec) => void): ResultSet {
  const runs: RunRecord[] = [];
  specs.forEach((s, i) => {
    onRun?.(i, s);
    const r = runWorkload(s.workload, {
      mode: s.mode, size: s.size as WorkloadSize, clock: s.clock,
      ...(s.mode === "virt" ? { profile: s.profile, seed: s.seed, ...(s.pv !== "off" ? { pv: s.pv } : {}) } : {}),
      ...(s.perturb ? { perturb: s.perturb } : {}),
    });
    runs.push(toRecord(s, r));
  });
  // the guest must compute the same thing wherever it runs
  for (const r of runs) {
    const ref = runs.find((x) => x.workload === r.workload && x.mode === "bare");
    if (ref && ref.checksums.join("\n") !== r.checksums.join("\n")) {
      throw new UserError(`table: ${specLabel(r)} printed other results than ${specLabel(ref)}: ${r.checksums[0] ?? "(none)"} vs ${ref.checksums[0] ?? "(none)"}`);
    }
  }
  onRun?.(specs.length, specs[specs.length - 1]!);
  return { options, runs };
}

export function planOptions(p: TablePlan): ResultSet["options"] {
  const o: ResultSet["options"] = { tables: p.kinds, workloads: p.workloads, size: p.size, profile: p.profile, seed: p.seed, clock: p.clock, pv: p.pv };
  if (p.kinds.includes("scoreboard")) o.reps = p.reps;
  return o;
}

export function parsePlan(opts: Record<string, unknown>): TablePlan {
  const kinds: TableKind[] = opts.all ? ["speed", "timing", "env", "scoreboard"]
    : opts.env && opts.scoreboard ? ["env", "scoreboard"] : opts.env ? ["env"] : opts.scoreboard ? ["scoreboard"] : ["speed", "timing"];
  const single = kinds.length === 1 ? kinds[0] : undefined;
  const defaults = single === "env" ? ENV_WORKLOADS : single === "scoreboard" ? SCOREBOARD_WORKLOADS : [...SEED_WORKLOADS];
  if (opts.workloads !== undefined && opts.all) throw new UserError("table: --workloads does not go with --all (each table has its own set)");
  const workloads = opts.workloads !== undefined ? String(opts.workloads).split(",").filter(Boolean) : [...defaults];
  if (!workloads.length) throw new UserError("table: --workloads is empty");
  for (const w of workloads) {
    if (!findEntry(w)) throw new UserError(`table: '${w}' is not a workload of the catalog (see 'hv440 list')`);
  }
  const size = String(opts.size ?? "default");
  if (!isSize(size)) throw new UserError(`table: --size must be one of ${SIZES.join(", ")}`);
  const reps = (opts.reps as number | undefined) ?? 5;
  if (opts.reps !== undefined && !kinds.includes("scoreboard")) throw new UserError("table: --reps needs --scoreboard or --all");
  if (!Number.isInteger(reps) || reps < 2 || reps > 100) throw new UserError("table: --reps must be between 2 and 100 (a confidence interval needs two runs)");
  return {
    kinds, workloads: workloads.map((w) => findEntry(w)!.name), size, profile: String(opts.profile ?? "sequoia-2008"),
    clock: opts.clock === "host" ? "host" : "virtual", pv: String(opts.pv ?? "off"), seed: (opts.seed as number | undefined) ?? 1, reps,
  };
}

/** A bar on stderr while the runs go, only on a terminal (nothing at all otherwise). */
export function progress(total: number, quiet: boolean): ((i: number, s: RunSpec) => void) & { stop(): void } {
  const tty = process.stderr.isTTY === true && !quiet;
  const bar = tty ? new cliProgress.SingleBar({
    format: "{bar} {value}/{total} runs | {run}",
    barCompleteChar: process.env.NO_COLOR || process.env.TERM === "dumb" ? "#" : "\u2588",
    barIncompleteChar: process.env.NO_COLOR || process.env.TERM === "dumb" ? "." : "\u2591",
    hideCursor: true, clearOnComplete: true, stream: process.stderr, fps: 5,
  }) : null;
  bar?.start(total, 0, { run: "" });
  const f = (i: number, s: RunSpec) => bar?.update(i, { run: i >= total ? "done" : specLabel(s) });
  return Object.assign(f, { stop: () => bar?.stop() });
}

const BASENAME: Record<string, string> = { "speed,timing": "tables", env: "env", scoreboard: "scoreboard" };

/** Every format, the charts and the HTML report into `dir`; returns the files written. */
export async function writeOutputs(dir: string, set: ResultSet): Promise<string[]> {
  const base = BASENAME[kindsOf(set).join(",")] ?? "all";
  try { fs.mkdirSync(dir, { recursive: true }); } catch (e) { throw new UserError(`table: cannot create ${dir}: ${(e as Error).message}`); }
  const files: [string, string][] = FORMATS.map((f) => [`${base}.${f === "text" ? "txt" : f}`, renderTables(set, f)]);
  const rep = await renderReport(set);
  for (const [name, svg] of rep.svgs) files.push([name, svg]);
  files.push([`${base}.html`, rep.html]);
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  return files.map(([n]) => path.join(dir, n));
}

export async function cmdTable(argv: readonly string[]): Promise<number> {
  const { opts, positionals } = parseOptions("table", TABLE_OPTIONS, argv);
  if (positionals.length) throw new UserError(`table: unexpected argument '${positionals[0]}'`);
  const format = String(opts.format ?? "text") as Format;
  let set: ResultSet;
  if (opts.from !== undefined) {
    const conflicting = TABLE_OPTIONS.map((o) => o.name).filter((n) => !["from", "format", "out", "quiet"].includes(n) && opts[n] !== undefined);
    if (conflicting.length) throw new UserError(`table: --${conflicting[0]} does not go with --from (the saved result says what was run)`);
    let text: string;
    try { text = fs.readFileSync(String(opts.from), "utf8"); } catch { throw new UserError(`${String(opts.from)}: no such file`); }
    set = resultSetFromJson(text, String(opts.from));
  } else {
    const plan = parsePlan(opts);
    const specs = planRuns(plan);
    const bar = progress(specs.length, opts.quiet === true);
    try {
      set = collectRuns(specs, planOptions(plan), bar);
    } finally {
      bar.stop();
    }
  }
  say(renderTables(set, format));
  if (opts.out !== undefined) await writeOutputs(String(opts.out), set);
  return 0;
}

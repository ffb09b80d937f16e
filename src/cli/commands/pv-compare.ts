/**
 * `hv440 pv-compare NAME`: one catalog workload under the hypervisor three times — without
 * paravirtualization, with the seed's host patching and with the magic page — and what it
 * changed: the exit-timing tables side by side with Δ of the summed time per exit type, the net
 * improvement (sum of time, as the seed measured it, and the measured region), whether the
 * program's results were identical, and the list of patched kernel instructions of each flavour
 * (address, original, replacement, function), read from guest RAM against the kernel ELF.
 */

import { readFileSync } from "node:fs";
import { EXIT_NAMES } from "../../hv/exits.ts";
import { loadProfile } from "../../hv/profile.ts";
import { formatPatches, patchedText, type TextPatch } from "../../hv/pv/sites.ts";
import { findEntry, isSize, SIZES } from "../../machine/catalog.ts";
import { runWorkload, withoutTimingLines, type WorkloadRun } from "../../machine/workload.ts";
import { fixed, signed, tableText, type Table } from "../../report/format.ts";
import { pvLayout } from "../../report/compare.ts";
import { summarize, type Summary } from "../../report/summary.ts";
import { parseElf } from "../../util/elf.ts";
import { UserError } from "../../util/errors.ts";
import { say, warn } from "../io.ts";
import { parseOptions, type OptSpec } from "../options.ts";

export const PV_COMPARE_OPTIONS: readonly OptSpec[] = [
  { name: "size", type: "string", arg: "small|default|full", choices: SIZES, help: "workload size (default: default)" },
  { name: "profile", type: "string", arg: "NAME|FILE", help: "host cost profile (default sequoia-2008)" },
  { name: "seed", type: "number", help: "seed of the cost model (default 1)" },
  { name: "tables", type: "boolean", help: "also print each run's full exit-timing table in the seed's layout" },
  { name: "no-sites", type: "boolean", help: "leave out the lists of patched instructions" },
];

const FLAVOURS = ["off", "host-patch", "magic-page"] as const;
type Flavour = (typeof FLAVOURS)[number];

export interface PvRun {
  pv: Flavour;
  run: WorkloadRun;
  summary: Summary;
  /** Kernel text words that differ from the ELF at the end of the run. */
  patches: TextPatch[];
}

/** Runs `name` virtualized with each flavour. */
export function runPvComparison(name: string, o: { size?: string; profile?: string; seed?: number; onRun?: (pv: Flavour) => void } = {}): PvRun[] {
  const size = o.size ?? "default";
  if (!isSize(size)) throw new UserError(`pv-compare: --size must be one of ${SIZES.join(", ")}`);
  const profile = loadProfile(o.profile);
  return FLAVOURS.map((pv) => {
    o.onRun?.(pv);
    let ram: DataView | null = null;
    const run = runWorkload(name, {
      mode: "virt", size, profile, seed: o.seed ?? 1, pv,
      onMachine: (m) => { ram = m.board.cpu.mem.dv; },
    });
    const img = parseElf(readFileSync(run.workload.kernel), run.workload.kernel);
    return { pv, run, summary: summarize(run.stats!), patches: patchedText(img, ram!) };
  });
}

const pct = (base: number, v: number) => (base === 0 ? "-" : `${signed((100 * (v - base)) / base, 1)}%`);
/** Improvement of `v` over `base` in percent (positive: less time). */
export const improvement = (base: number, v: number) => (base === 0 ? 0 : (100 * (base - v)) / base);

/** The three runs' exit rows side by side: count and summed us, with Δ of the sum against off. */
export function sideBySide(runs: readonly PvRun[]): Table {
  const [off] = runs;
  const row = (s: Summary, t: string) => s.rows.find((r) => r.type === t);
  const rows: string[][] = [];
  for (const t of EXIT_NAMES) {
    if (!runs.some((r) => row(r.summary, t))) continue;
    const base = row(off!.summary, t)?.sum ?? 0;
    rows.push([t, ...runs.flatMap((r, i) => {
      const x = row(r.summary, t);
      const cells = [String(x?.count ?? 0), String(x?.sum ?? 0)];
      return i === 0 ? cells : [...cells, pct(base, x?.sum ?? 0)];
    })]);
  }
  const total = off!.summary.sumOfTime;
  rows.push(["sum of time", ...runs.flatMap((r, i) => (i === 0 ? ["", String(total)] : ["", String(r.summary.sumOfTime), pct(total, r.summary.sumOfTime)]))]);
  const region = off!.run.seconds;
  rows.push(["measured (ms)", ...runs.flatMap((r, i) => {
    const v = fixed(r.run.seconds * 1000, 3);
    return i === 0 ? ["", v] : ["", v, pct(region, r.run.seconds)];
  })]);
  return {
    columns: [{ title: "type" }, ...runs.flatMap((r, i) => [
      { title: `${r.pv} count` }, { title: "sum us" }, ...(i === 0 ? [] : [{ title: "Δsum" }]),
    ])],
    rows,
  };
}

/** The program's results must not depend on the flavour: outputs without timing lines, exit status. */
export function resultsIdentical(runs: readonly PvRun[]): boolean {
  const key = (r: WorkloadRun) => JSON.stringify([r.output === null ? null : withoutTimingLines(r.output), r.end, r.checksums, r.stop.kind]);
  return runs.every((r) => key(r.run) === key(runs[0]!.run));
}

export async function cmdPvCompare(argv: readonly string[]): Promise<number> {
  const { opts, positionals } = parseOptions("pv-compare", PV_COMPARE_OPTIONS, argv);
  const name = positionals[0];
  if (!name) throw new UserError("pv-compare: missing workload (usage: hv440 pv-compare [options] NAME; 'hv440 list' shows the names)");
  if (positionals.length > 1) throw new UserError(`pv-compare: unexpected argument '${positionals[1]}'`);
  if (!findEntry(name)) throw new UserError(`pv-compare: '${name}' is not a workload of the catalog (see 'hv440 list')`);
  const size = String(opts.size ?? "default");
  const runs = runPvComparison(name, {
    size, ...(opts.profile !== undefined ? { profile: String(opts.profile) } : {}), ...(opts.seed !== undefined ? { seed: opts.seed as number } : {}),
    onRun: (pv) => warn(`pv-compare: running ${name} (${size}) with --pv ${pv}\n`),
  });
  const [off, hp, mp] = runs as [PvRun, PvRun, PvRun];
  const profile = String(opts.profile ?? "sequoia-2008"), seed = (opts.seed as number | undefined) ?? 1;
  let out = `pv-compare ${name} (size ${size}, profile ${profile}, seed ${seed}): exit timing of the measured region, us\n\n`;
  out += tableText(sideBySide(runs));
  out += "\nnet improvement over --pv off (sum of time; measured region):\n";
  for (const r of [hp, mp]) {
    out += `  ${r.pv.padEnd(10)}  ${signed(improvement(off.summary.sumOfTime, r.summary.sumOfTime), 1)}%; ${signed(improvement(off.run.seconds, r.run.seconds), 1)}%\n`;
  }
  const same = resultsIdentical(runs);
  out += `results: ${same ? "identical with every flavour" : "DIFFERENT (see each run's output)"}\n`;
  if (opts.tables) for (const r of runs) out += `\n--pv ${r.pv}\n${pvLayout(r.summary, r === off ? undefined : off.summary)}`;
  if (!opts["no-sites"]) {
    for (const r of [hp, mp]) {
      const who = r.pv === "host-patch" ? "rewritten by the hypervisor at their first trap" : "rewritten by the guest kernel's own patcher";
      out += `\npatched sites, --pv ${r.pv}: ${r.patches.length} (${who})\n${formatPatches(r.patches)}`;
    }
  }
  say(out);
  return same ? 0 : 1;
}

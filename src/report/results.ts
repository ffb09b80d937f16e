/**
 * What the tables are made of: one record per guest run (workload, mode, options, measured region,
 * exit statistics) and a result set of such runs with the options that produced it. This is also
 * the JSON that `hv440 table --format json` prints and `hv440 compare` reads back, so it carries
 * everything a table needs and nothing that changes between identical runs (no host times, no
 * dates): a saved result regenerates the same tables.
 */

import { EXIT_COUNT, EXIT_NAMES, SIDE_COUNTERS, type SideCounter } from "../hv/exits.ts";
import type { StatsRow, StatsSnapshot } from "../hv/stats.ts";
import { UserError } from "../util/errors.ts";

export type Mode = "bare" | "virt";
export type Clock = "virtual" | "host";

/** The options that identify a run (and a column of a table). */
export interface RunSpec {
  workload: string;
  mode: Mode;
  /** Paravirtualization mode ("off" without). */
  pv: string;
  size: string;
  /** Cost profile name ("-" bare). */
  profile: string;
  /** Cost-model seed. */
  seed: number;
  /** Perturbation seed (0: none; see `runWorkload`'s `perturb`). */
  perturb: number;
  clock: Clock;
  /** Repetition index (scoreboard; 0 otherwise): with the host clock, repeats differ by nothing else. */
  rep: number;
}

export interface RunRecord extends RunSpec {
  /** Length of the measured region (between the guest's marks), on `clock`. */
  seconds: number;
  /** Core cycles of the measured region (virtual clock, whatever `clock` says). */
  cycles: number;
  /** Guest instructions of the whole run. */
  insns: number;
  /** Core clock, to turn guest-measured nanoseconds into cycles. */
  clockHz: number;
  /** The program's exit status (null for boot). */
  exitStatus: number | null;
  /** How the machine stopped ("reset" is a normal power-off). */
  stop: string;
  /** The output lines that carry the run's checksum. */
  checksums: string[];
  /** The program's own `time:` lines (what it measured itself, on the guest's clock). */
  timeLines: string[];
  /** virt: exit statistics of the measured region. */
  stats?: StatsSnapshot;
}

export interface ResultSet {
  /** Options of the whole set (what `hv440 table` was asked). */
  options: Record<string, string | number | boolean | string[]>;
  runs: RunRecord[];
}

export const RESULTS_SCHEMA = "hv440-results/1";

export function specLabel(r: RunSpec): string {
  const pv = r.mode === "virt" && r.pv !== "off" ? `+pv=${r.pv}` : "";
  const extra = [r.seed !== 1 ? `seed ${r.seed}` : "", r.perturb ? `perturb ${r.perturb}` : ""].filter(Boolean).join(", ");
  return `${r.workload} (${r.mode}${pv}, ${r.size}${extra ? `, ${extra}` : ""})`;
}

export function sameSpec(a: RunSpec, b: RunSpec): boolean {
  return a.workload === b.workload && a.mode === b.mode && a.pv === b.pv && a.size === b.size && a.profile === b.profile &&
    a.seed === b.seed && a.perturb === b.perturb && a.clock === b.clock && a.rep === b.rep;
}

/** The measured region in milliseconds. */
export const ms = (r: RunRecord) => r.seconds * 1000;

// ---- JSON ----------------------------------------------------------------------------------

interface JsonRow { type: string; count: number; min: number; max: number; sum: number; sumSquared: string }
interface JsonStats { ticksPerUs: number; rows: JsonRow[]; side: Record<string, number> }

/** Rows with count 0 are left out (they hold KVM's untouched min 4294967295 and zeros). */
export function statsToJson(s: StatsSnapshot): JsonStats {
  const rows: JsonRow[] = [];
  s.rows.forEach((r, i) => {
    if (r.count > 0) rows.push({ type: EXIT_NAMES[i]!, count: r.count, min: r.min, max: r.max, sum: r.sum, sumSquared: String(r.sumSquared) });
  });
  return { ticksPerUs: s.ticksPerUs, rows, side: { ...s.side } };
}

export function statsFromJson(j: JsonStats, where: string): StatsSnapshot {
  const rows: StatsRow[] = Array.from({ length: EXIT_COUNT }, () => ({ count: 0, min: 0xffffffff, max: 0, sum: 0, sumSquared: 0n }));
  if (!j || !Array.isArray(j.rows)) throw new UserError(`${where}: stats without rows`);
  for (const r of j.rows) {
    const i = (EXIT_NAMES as readonly string[]).indexOf(r.type);
    if (i < 0) throw new UserError(`${where}: unknown exit type '${r.type}'`);
    if (![r.count, r.min, r.max, r.sum].every((v) => typeof v === "number" && Number.isFinite(v)) || !/^\d+$/.test(String(r.sumSquared))) {
      throw new UserError(`${where}: bad numbers in the ${r.type} row`);
    }
    rows[i] = { count: r.count, min: r.min, max: r.max, sum: r.sum, sumSquared: BigInt(r.sumSquared) };
  }
  const side = Object.fromEntries(SIDE_COUNTERS.map((c) => [c, Number(j.side?.[c] ?? 0)])) as Record<SideCounter, number>;
  return { ticksPerUs: Number(j.ticksPerUs), rows, side };
}

export function recordToJson(r: RunRecord): object {
  const { stats, ...rest } = r;
  return stats ? { ...rest, stats: statsToJson(stats) } : rest;
}

const SPEC_FIELDS: Record<keyof RunSpec, "string" | "number"> = {
  workload: "string", mode: "string", pv: "string", size: "string", profile: "string", seed: "number", perturb: "number", clock: "string",
  rep: "number",
};

export function recordFromJson(j: Record<string, unknown>, where: string): RunRecord {
  for (const [k, t] of Object.entries(SPEC_FIELDS)) {
    if (typeof j[k] !== t) throw new UserError(`${where}: run without a ${t} "${k}"`);
  }
  for (const k of ["seconds", "cycles", "insns", "clockHz"]) {
    if (typeof j[k] !== "number") throw new UserError(`${where}: run without a number "${k}"`);
  }
  if (j.mode !== "bare" && j.mode !== "virt") throw new UserError(`${where}: mode must be bare or virt`);
  const r = { ...j, checksums: (j.checksums as string[]) ?? [], timeLines: (j.timeLines as string[]) ?? [] } as unknown as RunRecord;
  if (j.stats !== undefined) r.stats = statsFromJson(j.stats as JsonStats, `${where} (${String(j.workload)} ${String(j.mode)})`);
  else delete r.stats;
  return r;
}

export function resultSetToJson(s: ResultSet, extra: Record<string, unknown> = {}): object {
  return { schema: RESULTS_SCHEMA, options: s.options, runs: s.runs.map(recordToJson), ...extra };
}

/** A saved `hv440 table --format json` (or `compare --format json`) result, or a single run. */
export function resultSetFromJson(text: string, where: string): ResultSet {
  let j: unknown;
  try { j = JSON.parse(text); } catch (e) { throw new UserError(`${where}: not JSON (${(e as Error).message})`); }
  const o = j as Record<string, unknown>;
  if (o && typeof o === "object" && o.schema === RESULTS_SCHEMA && Array.isArray(o.runs)) {
    return { options: (o.options ?? {}) as ResultSet["options"], runs: o.runs.map((r, i) => recordFromJson(r as Record<string, unknown>, `${where}: run ${i + 1}`)) };
  }
  if (o && typeof o === "object" && typeof o.workload === "string") return { options: {}, runs: [recordFromJson(o, where)] };
  throw new UserError(`${where}: not an hv440 result (expected "schema": "${RESULTS_SCHEMA}")`);
}

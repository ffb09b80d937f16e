/**
 * The seed's "% of bare metal speed" table: per workload, the measured region's length bare
 * divided by its length under the hypervisor (and with paravirtualization, when the set has it),
 * next to the seed's own figure. The seed's rows come first in its order (hashes, lame, boot,
 * find, fhourstone), so the two columns read side by side; other workloads follow in run order.
 */

import { fixed, type Table } from "./format.ts";
import { ms, type ResultSet, type RunRecord } from "./results.ts";
import { SEED_SPEED, SEED_SPEED_ORDER } from "./seed.ts";

export interface SpeedRow {
  workload: string;
  bareMs: number;
  virtMs: number;
  /** 100 * bare / virt. */
  percent: number;
  pv?: { mode: string; ms: number; percent: number };
  seedPercent: number | null;
}

/**
 * The set's first repetition without perturbation, by workload and column; only the workloads
 * the set was asked for (`options.workloads`) when it says (`--all` also holds the other tables' runs).
 */
export function pickRuns(set: ResultSet): Map<string, { bare?: RunRecord; virt?: RunRecord; pv?: RunRecord }> {
  const by = new Map<string, { bare?: RunRecord; virt?: RunRecord; pv?: RunRecord }>();
  const only = Array.isArray(set.options.workloads) ? set.options.workloads : null;
  for (const r of set.runs) {
    if (r.perturb !== 0 || r.rep !== 0 || (only && !only.includes(r.workload))) continue;
    const e = by.get(r.workload) ?? {};
    if (r.mode === "bare") e.bare ??= r;
    else if (r.pv === "off") e.virt ??= r;
    else e.pv ??= r;
    by.set(r.workload, e);
  }
  return by;
}

/** Workload names in table order: the seed's order first. */
export function workloadOrder(names: Iterable<string>, seedOrder: readonly string[] = SEED_SPEED_ORDER): string[] {
  const all = [...names];
  return [...seedOrder.filter((n) => all.includes(n)), ...all.filter((n) => !seedOrder.includes(n))];
}

export function speedRows(set: ResultSet): SpeedRow[] {
  const by = pickRuns(set);
  const rows: SpeedRow[] = [];
  for (const w of workloadOrder(by.keys())) {
    const e = by.get(w)!;
    if (!e.bare || !e.virt) continue;
    const row: SpeedRow = {
      workload: w, bareMs: ms(e.bare), virtMs: ms(e.virt), percent: (100 * e.bare.seconds) / e.virt.seconds,
      seedPercent: SEED_SPEED[w] ?? null,
    };
    if (e.pv) row.pv = { mode: e.pv.pv, ms: ms(e.pv), percent: (100 * e.bare.seconds) / e.pv.seconds };
    rows.push(row);
  }
  return rows;
}

export function speedTable(rows: SpeedRow[]): Table {
  const withPv = rows.some((r) => r.pv);
  const seedCell = (r: SpeedRow) => (r.seedPercent === null ? "-" : r.workload === "boot" ? "~80%" : `${fixed(r.seedPercent, 2)}%`);
  return {
    title: "% of bare-metal speed (measured region, bare time / virtualized time)",
    columns: [
      { title: "workload" }, { title: "% of bare metal speed" }, ...(withPv ? [{ title: "with PV" }] : []),
      { title: "bare ms" }, { title: "virt ms" }, ...(withPv ? [{ title: "virt+PV ms" }] : []), { title: "seed (Sequoia 2008)" },
    ],
    rows: rows.map((r) => [
      r.workload, `${fixed(r.percent, 2)}%`, ...(withPv ? [r.pv ? `${fixed(r.pv.percent, 2)}%` : "-"] : []),
      fixed(r.bareMs, 3), fixed(r.virtMs, 3), ...(withPv ? [r.pv ? fixed(r.pv.ms, 3) : "-"] : []), seedCell(r),
    ]),
  };
}

export function speedJson(rows: SpeedRow[]): object[] {
  return rows.map((r) => ({
    workload: r.workload, percentOfBare: round(r.percent, 4), bareMs: round(r.bareMs, 6), virtMs: round(r.virtMs, 6),
    ...(r.pv ? { pv: r.pv.mode, pvMs: round(r.pv.ms, 6), pvPercentOfBare: round(r.pv.percent, 4) } : {}),
    seedPercentOfBare: r.seedPercent,
  }));
}

export const round = (v: number, digits: number) => Number(v.toFixed(digits));

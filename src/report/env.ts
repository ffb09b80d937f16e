/**
 * The environment comparison of the HermitCore seed (shared/seeds/003), with our three
 * environments as columns — bare metal, virtualized, virtualized with paravirtualization — and
 * its rows: null system call, sched_yield and first write access to a page in core cycles per
 * operation, STREAM bandwidth in MB/s, and boot time in ms. Like HermitCore's benchmarks, the
 * microbenchmarks time themselves (their `time:` lines, on the guest's clock: under the
 * hypervisor that clock includes the exits' host time, as a real guest's timebase would); boot
 * time is the `boot` workload's measured region (reset to the first prompt).
 */

import { fixed, type Table } from "./format.ts";
import type { ResultSet, RunRecord } from "./results.ts";
import { round } from "./speed.ts";

export interface EnvMetric {
  key: string;
  label: string;
  unit: string;
  workload: string;
  /** The value from a run, or null when its output does not carry it. */
  value(r: RunRecord): number | null;
  digits: number;
}

const line = (r: RunRecord, re: RegExp): number | null => {
  for (const l of r.timeLines) {
    const m = re.exec(l);
    if (m) return Number(m[1]);
  }
  return null;
};
const cycles = (r: RunRecord, v: number | null, perSecond: number) => (v === null ? null : (v * r.clockHz) / perSecond);

export const ENV_METRICS: EnvMetric[] = [
  { key: "null-syscall", label: "null system call (getppid)", unit: "cycles/op", workload: "null-syscall", digits: 0,
    value: (r) => cycles(r, line(r, /^time: nullcall ([\d.]+) ns\/call/), 1e9) },
  { key: "yield", label: "sched_yield (2 processes)", unit: "cycles/op", workload: "yield", digits: 0,
    value: (r) => cycles(r, line(r, /^time: yield ([\d.]+) us\/yield/), 1e6) },
  { key: "page-touch", label: "page touch (first write access)", unit: "cycles/op", workload: "page-touch", digits: 0,
    value: (r) => cycles(r, line(r, /^time: pagetouch \d+-byte pages: ([\d.]+) ns\/page first touch/), 1e9) },
  ...(["Copy", "Scale", "Add", "Triad"] as const).map((k): EnvMetric => ({
    key: `stream-${k.toLowerCase()}`, label: `STREAM ${k}`, unit: "MB/s", workload: "stream", digits: 1,
    value: (r) => line(r, new RegExp(`^time: stream ${k.toLowerCase()}\\s+([\\d.]+) MB/s`)),
  })),
  { key: "boot", label: "boot time", unit: "ms", workload: "boot", digits: 2, value: (r) => r.seconds * 1000 },
];

/** The workloads the table needs. */
export const ENV_WORKLOADS = [...new Set(ENV_METRICS.map((m) => m.workload))];

export interface EnvRow {
  metric: EnvMetric;
  bare: number | null;
  virt: number | null;
  pv: number | null;
}

export function envRows(set: ResultSet): { rows: EnvRow[]; pvMode: string | null } {
  const find = (w: string, mode: string, pv: (p: string) => boolean) =>
    set.runs.find((r) => r.workload === w && r.mode === mode && pv(r.pv) && r.perturb === 0 && r.rep === 0);
  const pvMode = set.runs.find((r) => r.mode === "virt" && r.pv !== "off")?.pv ?? null;
  const val = (m: EnvMetric, r: RunRecord | undefined) => (r ? m.value(r) : null);
  const rows = ENV_METRICS.map((m) => ({
    metric: m,
    bare: val(m, find(m.workload, "bare", () => true)),
    virt: val(m, find(m.workload, "virt", (p) => p === "off")),
    pv: val(m, find(m.workload, "virt", (p) => p !== "off")),
  }));
  return { rows, pvMode };
}

export function envTable(rows: EnvRow[], pvMode: string | null): Table {
  const cell = (v: number | null, d: number) => (v === null ? "-" : fixed(v, d));
  return {
    title: "Environments (HermitCore's comparison, seed 003): bare metal, virtualized, virtualized with PV",
    columns: [{ title: "activity" }, { title: "unit", align: "left" }, { title: "bare" }, { title: "virt" }, { title: pvMode ? `virt+PV (${pvMode})` : "virt+PV" }],
    rows: rows.map((r) => [r.metric.label, r.metric.unit, cell(r.bare, r.metric.digits), cell(r.virt, r.metric.digits), cell(r.pv, r.metric.digits)]),
    notes: [
      "cycles/op and MB/s as the guest program measured them on its own clock (the timebase); boot time: reset to the first prompt.",
      ...(pvMode ? [] : ["virt+PV: not run (give --pv MODE)."]),
    ],
  };
}

export function envJson(rows: EnvRow[], pvMode: string | null): object {
  const v = (x: number | null, d: number) => (x === null ? null : round(x, d));
  return {
    pv: pvMode,
    rows: rows.map((r) => ({ key: r.metric.key, activity: r.metric.label, unit: r.metric.unit, bare: v(r.bare, 3), virt: v(r.virt, 3), pv: v(r.pv, 3) })),
  };
}

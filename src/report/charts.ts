/**
 * The tables' pictures as Vega-Lite specifications, rendered to SVG in Node by Vega's own
 * renderer (no browser, no canvas: text widths are Vega's estimates, so the SVG is the same on
 * every machine). Each function returns a spec; `renderSvg` turns one into an SVG string.
 *
 *   exit-breakdown   per workload, the share of the measured region's time per exit type (stacked)
 *   exit-time        the same in absolute milliseconds
 *   speed            % of bare-metal speed per workload, hv440 next to the seed
 *   pv               per exit type, time without and with paravirtualization
 *   env              the environment comparison, each activity relative to bare metal
 *   scoreboard       virt/bare ratio per benchmark with its 95% confidence interval
 */

import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";
import { EXIT_NAMES } from "../hv/exits.ts";
import type { EnvRow } from "./env.ts";
import type { ScoreRow } from "./scoreboard.ts";
import type { SpeedRow } from "./speed.ts";
import { summarize } from "./summary.ts";
import type { TimingSection } from "./timing.ts";

export interface Chart {
  /** File stem (`<name>.svg`). */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

const CONFIG = {
  font: "DejaVu Sans, Helvetica, Arial, sans-serif",
  background: "white",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start" as const },
};

/**
 * One fixed colour per exit type (so a type looks the same in every chart): TLB exits in greens,
 * emulated instructions in reds/oranges/purples, heavyweight exits in blues, time in guest grey.
 */
const TYPE_COLOURS: Record<string, string> = {
  MMIO: "#1f77b4", DCR: "#aec7e8", SIGNAL: "#393b79", ITLBREAL: "#98df8a", ITLBVIRT: "#2ca02c", DTLBREAL: "#dbdb8d",
  DTLBPV: "#17becf", DTLBVIRT: "#bcbd22", SYSCALL: "#9edae5", HCALL: "#637939", ISI: "#c49c94", DSI: "#8c564b",
  EMULINST: "#d62728", EMUL_WAIT: "#7f7f7f", EMUL_CORE: "#ff9896", EMUL_MTSPR: "#ff7f0e", EMUL_MFSPR: "#ffbb78",
  EMUL_MTMSR: "#9467bd", EMUL_MFMSR: "#c5b0d5", EMUL_TLBSX: "#e377c2", EMUL_TLBWE: "#843c39", EMUL_RFI: "#f7b6d2",
  DEC: "#e7ba52", EXTINT: "#8ca252", FP_UNAVAIL: "#5254a3", USR_PR_INST: "#ce6dbd", ALIGN: "#6b6ecf", MCHECK: "#000000",
  DEBUG: "#bd9e39", TIMEINGUEST: "#e5e5e5",
};

function typeScale(types: readonly string[]) {
  const domain = EXIT_NAMES.filter((t) => types.includes(t));
  return { domain, range: domain.map((t) => TYPE_COLOURS[t] ?? "#333333") };
}

function breakdownData(sections: TimingSection[]) {
  return sections.flatMap((s) => summarize(s.stats).rows.map((r) => ({
    workload: s.heading, type: r.type, order: EXIT_NAMES.indexOf(r.type as (typeof EXIT_NAMES)[number]),
    percent: Number(r.percent.toFixed(4)), ms: r.sum / 1000, count: r.count,
  })));
}

export function exitBreakdownChart(sections: TimingSection[], absolute = false): Chart {
  const values = breakdownData(sections);
  const scale = typeScale(values.map((v) => v.type));
  return {
    name: absolute ? "exit-time" : "exit-breakdown",
    title: absolute ? "Exit time per workload (ms, stacked by exit type)" : "Exit-time breakdown per workload (% of the sum of time, stacked by exit type)",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      config: CONFIG,
      width: 620,
      height: { step: 28 },
      data: { values },
      mark: { type: "bar", stroke: "white", strokeWidth: 0.5 },
      encoding: {
        y: { field: "workload", type: "nominal", sort: null, title: null },
        x: absolute
          ? { field: "ms", type: "quantitative", aggregate: "sum", stack: "zero", title: "time (ms, virtual clock)" }
          : { field: "percent", type: "quantitative", aggregate: "sum", stack: "normalize", title: "share of the sum of time", axis: { format: "%" } },
        color: { field: "type", type: "nominal", title: "exit type", scale, sort: scale.domain },
        order: { field: "order", type: "quantitative" },
        tooltip: [{ field: "workload" }, { field: "type" }, { field: "count", type: "quantitative" }, { field: "ms", type: "quantitative", format: ".3f" }, { field: "percent", type: "quantitative", format: ".2f" }],
      },
    },
  };
}

export function speedChart(rows: SpeedRow[]): Chart {
  const values = rows.flatMap((r) => [
    { workload: r.workload, series: "hv440 virt", percent: Number(r.percent.toFixed(4)) },
    ...(r.pv ? [{ workload: r.workload, series: `hv440 virt+PV (${r.pv.mode})`, percent: Number(r.pv.percent.toFixed(4)) }] : []),
    ...(r.seedPercent !== null ? [{ workload: r.workload, series: "seed: Sequoia 2008", percent: r.seedPercent }] : []),
  ]);
  const series = [...new Set(values.map((v) => v.series))];
  return {
    name: "speed",
    title: "% of bare-metal speed per workload",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      config: CONFIG,
      width: 520,
      height: { step: 14 },
      data: { values },
      mark: "bar",
      encoding: {
        y: { field: "workload", type: "nominal", sort: null, title: null },
        yOffset: { field: "series", type: "nominal", sort: series },
        x: { field: "percent", type: "quantitative", title: "% of bare-metal speed", scale: { domain: [0, 100] } },
        color: { field: "series", type: "nominal", title: null, sort: series, scale: { range: ["#4e79a7", "#59a14f", "#bab0ac"] } },
        tooltip: [{ field: "workload" }, { field: "series" }, { field: "percent", type: "quantitative", format: ".2f" }],
      },
    },
  };
}

/** Without and with PV for every workload that has both. */
export function pvChart(sections: TimingSection[]): Chart | null {
  const values: object[] = [];
  for (const pv of sections.filter((s) => s.pv !== "off")) {
    const base = sections.find((s) => s.workload === pv.workload && s.pv === "off");
    if (!base) continue;
    for (const [s, series] of [[base, "no PV"], [pv, `PV (${pv.pv})`]] as const) {
      for (const r of summarize(s.stats).rows) {
        values.push({ workload: base.heading, type: r.type, series, ms: r.sum / 1000, order: EXIT_NAMES.indexOf(r.type as (typeof EXIT_NAMES)[number]) });
      }
    }
  }
  if (!values.length) return null;
  return {
    name: "pv",
    title: "Paravirtualization: time per exit type without and with PV (ms)",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      config: CONFIG,
      data: { values },
      facet: { row: { field: "workload", type: "nominal", title: null, sort: null } },
      resolve: { scale: { y: "independent" } },
      spec: {
        width: 680,
        height: 160,
        mark: "bar",
        encoding: {
          x: { field: "type", type: "nominal", sort: { field: "order" }, title: null, axis: { labelAngle: -45 } },
          xOffset: { field: "series", type: "nominal" },
          y: { field: "ms", type: "quantitative", title: "time (ms)" },
          color: { field: "series", type: "nominal", title: null, scale: { range: ["#4e79a7", "#59a14f"] } },
          tooltip: [{ field: "type" }, { field: "series" }, { field: "ms", type: "quantitative", format: ".3f" }],
        },
      },
    },
  };
}

/** Each activity relative to bare metal (bare = 1; "slower" is up for costs and for bandwidth alike). */
export function envChart(rows: EnvRow[], pvMode: string | null): Chart | null {
  const values: object[] = [];
  for (const r of rows) {
    if (r.bare === null || r.bare === 0) continue;
    const higherIsBetter = r.metric.unit === "MB/s";
    for (const [v, series] of [[r.virt, "virt"], [r.pv, `virt+PV${pvMode ? ` (${pvMode})` : ""}`]] as const) {
      if (v === null || v === 0) continue;
      values.push({ activity: r.metric.label, series, slowdown: Number((higherIsBetter ? r.bare / v : v / r.bare).toFixed(6)) });
    }
  }
  if (!values.length) return null;
  return {
    name: "env",
    title: "Environments: cost relative to bare metal (bare = 1, higher is slower)",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      config: CONFIG,
      width: 520,
      height: { step: 14 },
      data: { values },
      mark: "bar",
      encoding: {
        y: { field: "activity", type: "nominal", sort: null, title: null },
        yOffset: { field: "series", type: "nominal" },
        x: { field: "slowdown", type: "quantitative", scale: { type: "log" }, title: "× bare metal (log scale)" },
        color: { field: "series", type: "nominal", title: null, scale: { range: ["#4e79a7", "#59a14f"] } },
        tooltip: [{ field: "activity" }, { field: "series" }, { field: "slowdown", type: "quantitative", format: ".3f" }],
      },
    },
  };
}

export function scoreboardChart(rows: ScoreRow[]): Chart | null {
  // the ratio's interval from the two relative half-widths (first-order propagation)
  const values = rows.map((r) => {
    const rel = Math.hypot(r.bare.ciWidthPercent / 200 || 0, r.virt.ciWidthPercent / 200 || 0);
    return { benchmark: r.workload, ratio: Number(r.ratio.toFixed(6)), lo: Number((r.ratio * (1 - rel)).toFixed(6)), hi: Number((r.ratio * (1 + rel)).toFixed(6)) };
  });
  if (!values.length) return null;
  return {
    name: "scoreboard",
    title: "Scoreboard: virt/bare ratio with its 95% confidence interval",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      config: CONFIG,
      width: 520,
      height: { step: 22 },
      data: { values },
      layer: [
        { mark: { type: "bar", color: "#4e79a7" }, encoding: { x: { field: "ratio", type: "quantitative", title: "virt / bare (measured region)" } } },
        { mark: { type: "rule", color: "black" }, encoding: { x: { field: "lo", type: "quantitative" }, x2: { field: "hi" } } },
      ],
      encoding: { y: { field: "benchmark", type: "nominal", sort: null, title: null } },
    },
  };
}

/** Renders a spec to a standalone SVG document. */
export async function renderSvg(c: Chart): Promise<string> {
  const spec = { ...c.spec, title: c.title } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

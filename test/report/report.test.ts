// The report layer on hand-made statistics (test/report/synthetic.ts): the tables' numbers and
// layouts, the seed's PV presentation reproduced from the seed's own numbers, the scoreboard's
// statistics, the environment table's parsing, JSON round trips and the charts.
import { describe, expect, it } from "vitest";
import { charts, renderReport, renderTables } from "../../src/report/table-report.ts";
import { compareRuns, compareText, deltaTable, pvLayout, runtime } from "../../src/report/compare.ts";
import { envRows, envTable } from "../../src/report/env.ts";
import { sig3, tableCsv, tableMarkdown, tableText } from "../../src/report/format.ts";
import { resultSetFromJson, statsFromJson, statsToJson } from "../../src/report/results.ts";
import { ciTable, sample, scoreboardTable, scoreRows, t95 } from "../../src/report/scoreboard.ts";
import { SEED_TIMING } from "../../src/report/seed.ts";
import { speedRows, speedTable } from "../../src/report/speed.ts";
import { summarize } from "../../src/report/summary.ts";
import { dominantTypes, seedDominantTypes, timingSections, timingText } from "../../src/report/timing.ts";
import { renderSvg } from "../../src/report/charts.ts";
import { UserError } from "../../src/util/errors.ts";
import { run, snapshot, syntheticSet } from "./synthetic.ts";

describe("plain tables", () => {
  const t = { title: "T", columns: [{ title: "name" }, { title: "value" }], rows: [["a|b", "1"], ["c,\"d\"", "22"]], notes: ["note"] };
  it("text: first column left, others right, two spaces apart, no trailing blanks", () => {
    expect(tableText(t)).toBe("T\nname   value\na|b        1\nc,\"d\"     22\nnote\n");
  });
  it("CSV quotes commas and quotes; Markdown escapes pipes", () => {
    expect(tableCsv(t)).toBe("name,value\na|b,1\n\"c,\"\"d\"\"\",22\n");
    expect(tableMarkdown(t)).toContain("| a\\|b | 1 |\n");
    expect(tableMarkdown(t)).toContain("|---|---:|\n");
  });
  it("raw scores with three significant digits, as the VMI scoreboard", () => {
    expect([0.17, 2.144, 30.44, 137.4, 6681, 0.0123].map(sig3)).toEqual(["0.170", "2.14", "30.4", "137", "6681", "0.0123"]);
  });
});

describe("% of bare-metal speed", () => {
  const rows = speedRows(syntheticSet());
  it("is bare time over virtualized time, in the seed's row order, with PV and the seed's figure", () => {
    expect(rows.map((r) => r.workload)).toEqual(["hashes", "lame", "boot", "find", "fhourstone"]);
    expect(rows[0]!.percent).toBeCloseTo((100 * 100) / 103.6, 10);
    expect(rows[0]!.pv!.percent).toBeCloseTo((100 * 100) / 103, 10);
    expect(rows.map((r) => r.seedPercent)).toEqual([96.49, 84.47, 80, 6.11, 5.96]);
  });
  it("prints one line per workload", () => {
    const text = tableText(speedTable(rows));
    expect(text.split("\n")[1]).toBe("workload    % of bare metal speed  with PV  bare ms  virt ms  virt+PV ms  seed (Sequoia 2008)");
    expect(text).toContain("hashes                     96.53%   97.09%  100.000  103.600     103.000               96.49%\n");
    expect(text).toContain("boot                       80.00%   90.91%   10.000   12.500      11.000                 ~80%\n");
  });
  it("leaves out a workload that has no bare or no virtualized run", () => {
    const set = syntheticSet();
    set.runs = set.runs.filter((r) => !(r.workload === "lame" && r.mode === "bare"));
    expect(speedRows(set).map((r) => r.workload)).not.toContain("lame");
  });
});

describe("exit-timing tables", () => {
  const sections = timingSections(syntheticSet());
  it("come in the seed's order under its headings, PV after its twin", () => {
    expect(sections.map((s) => s.heading)).toEqual([
      "boot guest", "boot guest (paravirtualization: host-patch)", "Hashes", "Hashes (paravirtualization: host-patch)",
      "Lame", "Lame (paravirtualization: host-patch)", "Fhourstone", "Fhourstone (paravirtualization: host-patch)",
      "find", "find (paravirtualization: host-patch)",
    ]);
  });
  it("use the seed's summary layout", () => {
    const text = timingText(sections.slice(0, 1));
    expect(text).toBe(
      "boot guest\n\nsum of time 12500\n" +
      "        type    count      min      max          sum              avg       stddev     %\n" +
      "       MMIO:        7       44      900         1250         178.5714        0.000 10.00\n" +
      "   DTLBVIRT:       27       18       55          625          23.1481        0.123  5.00\n" +
      "   EMULINST:       54        7       12          400           7.4074        0.026  3.20\n" +
      "TIMEINGUEST:     5000        0     4000        10225           2.0450        0.000 81.80\n");
  });
  it("digest the dominant exit types like the seed's tables", () => {
    expect(dominantTypes(sections[0]!.stats, 2).map((d) => d.type)).toEqual(["MMIO", "DTLBVIRT"]);
    expect(seedDominantTypes(SEED_TIMING.boot!, 3).map((d) => d.type)).toEqual(["EMUL_WAIT", "MMIO", "EMUL_CORE"]);
    expect(seedDominantTypes(SEED_TIMING.fhourstone!, 3).map((d) => d.type)).toEqual(["EMUL_TLBWE", "EMULINST", "EMUL_MFSPR"]);
  });
});

describe("compare: the seed's PV / no-PV presentation", () => {
  // the seed's own two tables as snapshots (sum of squares from its stddev)
  const fromSeed = (name: string) => {
    const rows: Record<string, [number, number, number, number, bigint]> = {};
    for (const [t, count, min, max, sum, , sd] of SEED_TIMING[name]!) {
      rows[t] = [count, min, max, sum, BigInt(Math.round(count * sd * sd + (sum * sum) / count))];
    }
    return snapshot(rows);
  };
  const nopv = run({ workload: "boot", mode: "virt" }, { seconds: 144.83789, stats: fromSeed("boot-nopv") });
  const pv = run({ workload: "boot", mode: "virt", pv: "host-patch" }, { seconds: 92.20651, stats: fromSeed("boot-pv") });

  it("prints the seed's tables (avg and stddev to within their last digit: the seed's own rounding varies)", () => {
    for (const [name, r] of [["boot-nopv", nopv], ["boot-pv", pv]] as const) {
      const lines = pvLayout(summarize(r.stats!)).trimEnd().split("\n");
      expect(lines[1]).toBe("               count  min    max       sum     avg   stddev      %");
      const seedRows = SEED_TIMING[name]!;
      expect(lines.length).toBe(2 + seedRows.length);
      seedRows.forEach((row, i) => {
        const line = lines[2 + i]!;
        expect(line.length, line).toBe(11 + 9 + 5 + 7 + 10 + 8 + 9 + 7);
        const [type, count, min, max, sum, avg, sd, pct] = line.trim().split(/\s+/);
        expect([type, count, min, max, sum, pct].join(" ")).toBe([row[0], row[1], row[2], row[3], row[4], row[7].toFixed(2)].join(" "));
        expect(Math.abs(Number(avg) - row[5]), line).toBeLessThanOrEqual(0.0101);
        expect(Math.abs(Number(sd) - row[6]), line).toBeLessThanOrEqual(0.0021);
      });
    }
    expect(pvLayout(summarize(nopv.stats!)).split("\n")[0]).toBe("sum of time 144837890 => ~2:24 runtime");
  });
  it("states the net improvement (the seed rounded 36.3% to ~37%)", () => {
    expect(pvLayout(summarize(pv.stats!), summarize(nopv.stats!)).split("\n")[0]).toBe("sum of time 92206510 => ~1:32 runtime (~36% net improvement)");
    expect(runtime(361589)).toBe("~0.362 s");
  });
  it("gives Δ and Δ% per exit type and for the totals", () => {
    const c = compareRuns(nopv, pv);
    const row = (n: string) => deltaTable(c).rows.find((r) => r[0] === n)!;
    expect(row("EMULINST")).toEqual(["EMULINST", "5683356", "2567245", "-3116111", "-54.83%", "79339467", "40501314", "-38838153", "-48.95%"]);
    expect(row("DTLBPV")).toEqual(["DTLBPV", "0", "30086", "+30086", "-", "0", "653556", "+653556", "-"]);
    expect(row("sum of time")).toEqual(["sum of time", "", "", "", "", "144837890", "92206510", "-52631380", "-36.34%"]);
    expect(row("time in guest")).toEqual(["time in guest", "", "", "", "", "10330742", "6316079", "-4014663", "-38.86%"]);
    expect(row("measured region")?.slice(5)).toEqual(["144837890", "92206510", "-52631380", "-36.34%"]);
    expect(compareText(c)).toMatch(/^A: boot \(virt, small\)\n\nsum of time 144837890/);
  });
});

describe("scoreboard statistics", () => {
  it("Student's t and the 95% interval width in % of the mean", () => {
    expect([t95(1), t95(4), t95(30)]).toEqual([12.706, 2.776, 2.042]);
    expect(t95(1000)).toBeCloseTo(1.962, 3);
    const s = sample([1, 2, 3]);
    expect(s.mean).toBe(2);
    expect(s.sd).toBe(1);
    expect(s.ciWidthPercent).toBeCloseTo((100 * 2 * 4.303) / Math.sqrt(3) / 2, 10);
    expect(Number.isNaN(sample([5]).ciWidthPercent)).toBe(true);
  });
  it("ratio of means with raw scores, over the perturbed repetitions only", () => {
    const rows = scoreRows(syntheticSet());
    expect(rows.map((r) => r.workload)).toEqual(["hashes", "null-syscall"]);
    const h = rows.find((r) => r.workload === "hashes")!;
    expect([h.bare.n, h.bare.mean, h.virt.mean, h.ratio]).toEqual([3, 102, 114, 114 / 102]);
    expect(h.outside).toBe(true);
    const text = tableText(scoreboardTable(rows, "virtual"));
    expect(text).toContain("  hashes                                1.12 [114/102]         outside both 95% confidence intervals\n");
    expect(tableText(ciTable(rows))).toContain(`  hashes                                ${(100 * 2 * 4.303 / Math.sqrt(3) / 102).toFixed(1)}%`);
  });
});

describe("environment comparison", () => {
  it("turns the programs' own time lines into cycles per operation, MB/s and ms", () => {
    const { rows, pvMode } = envRows(syntheticSet());
    expect(pvMode).toBe("host-patch");
    const by = Object.fromEntries(rows.map((r) => [r.metric.key, r]));
    expect(by["null-syscall"]!.bare).toBeCloseTo(200.1, 6); // 300 ns at 667 MHz
    expect(by["null-syscall"]!.virt).toBeCloseTo(8004, 6);
    expect(by["page-touch"]!.bare).toBeCloseTo(800.4, 6);
    expect(by["yield"]!.virt).toBeCloseTo(40020, 6);
    expect(by["stream-copy"]!.bare).toBe(2400);
    expect(by["stream-triad"]!.virt).toBeCloseTo(2100 / 40, 1);
    expect(by.boot!.bare).toBeCloseTo(10, 10);
    const text = tableText(envTable(rows, pvMode));
    expect(text).toContain("null system call (getppid)       cycles/op     200   8004                  5003\n");
  });
  it("shows '-' where a run or its line is missing", () => {
    const set = syntheticSet();
    set.runs = set.runs.filter((r) => !(r.workload === "stream" && r.mode === "virt"));
    const { rows } = envRows(set);
    expect(rows.find((r) => r.metric.key === "stream-add")!.virt).toBeNull();
  });
});

describe("JSON", () => {
  it("a saved result renders the same tables again", () => {
    const set = syntheticSet();
    const again = resultSetFromJson(renderTables(set, "json"), "saved.json");
    for (const f of ["text", "csv", "md", "json"] as const) expect(renderTables(again, f)).toBe(renderTables(set, f));
  });
  it("exit statistics survive a round trip, sum of squares as an exact integer", () => {
    const s = snapshot({ EMULINST: [3, 7, 9, 24, 2n ** 70n], TIMEINGUEST: [3, 0, 5, 6] });
    expect(statsFromJson(statsToJson(s), "x")).toEqual(s);
  });
  it("bad files are user errors with one line", () => {
    expect(() => resultSetFromJson("{", "a.json")).toThrow(UserError);
    expect(() => resultSetFromJson("{\"schema\":\"other\"}", "a.json")).toThrow(/a.json: not an hv440 result/);
    expect(() => resultSetFromJson(JSON.stringify({ schema: "hv440-results/1", runs: [{ workload: "x" }] }), "a.json")).toThrow(/run 1: run without a string "mode"/);
    expect(() => statsFromJson({ ticksPerUs: 1, rows: [{ type: "NOPE", count: 1, min: 1, max: 1, sum: 1, sumSquared: "1" }], side: {} }, "s")).toThrow(/unknown exit type 'NOPE'/);
  });
});

describe("charts", () => {
  it("every table has its chart; each renders to the same SVG twice", async () => {
    const cs = charts(syntheticSet());
    expect(cs.map((c) => c.name)).toEqual(["speed", "exit-breakdown", "exit-time", "pv", "env", "scoreboard"]);
    for (const c of cs) {
      const a = await renderSvg(c), b = await renderSvg(c);
      expect(a.startsWith("<svg"), c.name).toBe(true);
      expect(a, c.name).toContain(c.title);
      expect(b).toBe(a);
    }
  });
  it("the HTML report holds every chart inline and no script or external reference", async () => {
    const r = await renderReport(syntheticSet());
    expect((r.html.match(/<svg /g) ?? []).length).toBe(6);
    expect(r.html).not.toMatch(/<script|<link|src="http/);
    expect(r.html).toContain("Hashes (paravirtualization: host-patch)");
  });
});

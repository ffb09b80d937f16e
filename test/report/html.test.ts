// The HTML report in a real browser: headless Chromium (Debian's package; installed by
// test/report/chromium.ts when missing and we are root) loads the report with a probe script
// appended (test-only: the report itself has no script), which measures every chart's SVG and
// counts its drawn marks; then a screenshot must show ink in many colours, not a blank page.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultSetFromJson } from "../../src/report/results.ts";
import { charts, renderReport } from "../../src/report/table-report.ts";
import { chromium, ensureChromium } from "./chromium.ts";
import { decodePng, inkStats } from "./png.ts";
import { syntheticSet } from "./synthetic.ts";

const browser = ensureChromium();
const skip = "skip" in browser ? browser.skip : null;
const GOLDEN_JSON = join(import.meta.dirname, "golden", "tables-small.json");

const PROBE = `<script>
addEventListener("load", () => {
  const charts = [...document.querySelectorAll("div.chart > svg")].map((svg) => {
    const box = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll("g.mark-rect.role-mark path, g.mark-rule.role-mark line")]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0.5 || r.height > 0.5; });
    return { width: box.width, height: box.height, marks: drawn.length, text: svg.textContent };
  });
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(charts);
  document.body.appendChild(pre);
});
</script>`;

interface Probe { width: number; height: number; marks: number; text: string }

describe.skipIf(skip !== null)(`HTML report in headless Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let dir = "";
  const path = "path" in browser ? browser.path : "";
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hv440-html-")); });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  function probe(html: string, name: string): Probe[] {
    const file = join(dir, `${name}-probe.html`);
    writeFileSync(file, html.replace("</body>", `${PROBE}\n</body>`));
    const r = chromium(path, ["--dump-dom", `file://${file}`]);
    const m = /<pre id="probe">([^<]*)<\/pre>/.exec(r.stdout);
    expect(m, `no probe output; chromium said: ${r.stderr.slice(-500)}`).not.toBeNull();
    return JSON.parse(m![1]!.replace(/&quot;/g, "\"").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">")) as Probe[];
  }

  it("draws every chart of a full report (speed, breakdowns, PV, environments, scoreboard)", async () => {
    const set = syntheticSet();
    const rep = await renderReport(set);
    const got = probe(rep.html, "synthetic");
    const titles = charts(set).map((c) => c.title);
    expect(got.length).toBe(titles.length);
    got.forEach((c, i) => {
      expect(c.text, titles[i]).toContain(titles[i]!.slice(0, 30));
      expect(c.width, titles[i]).toBeGreaterThan(300);
      expect(c.height, titles[i]).toBeGreaterThan(80);
    });
    // bars: speed 5 workloads x 3 series; breakdown 10 sections x 4 exit types (twice);
    // PV 5 workloads x 2 series x 4 types; env 8 activities x 2 series; scoreboard 2 bars + 2 rules
    expect(got.map((c) => c.marks)).toEqual([15, 40, 40, 40, 16, 4]);
  }, 180_000);

  it("draws the committed golden tables' charts and the page is not blank", async () => {
    expect(existsSync(GOLDEN_JSON)).toBe(true);
    const rep = await renderReport(resultSetFromJson(readFileSync(GOLDEN_JSON, "utf8"), GOLDEN_JSON));
    const got = probe(rep.html, "golden");
    expect(got.length).toBe(3);
    for (const c of got) expect(c.marks).toBeGreaterThanOrEqual(10);

    const html = join(dir, "golden.html"), png = join(dir, "golden.png");
    writeFileSync(html, rep.html);
    const r = chromium(path, [`--screenshot=${png}`, "--window-size=1200,1600", `file://${html}`]);
    expect(existsSync(png), r.stderr.slice(-500)).toBe(true);
    const ink = inkStats(decodePng(readFileSync(png)));
    expect(ink.ink).toBeGreaterThan(0.05);
    expect(ink.colours).toBeGreaterThan(20);
  }, 180_000);
});

// hv440 pv-compare: the three runs side by side (Δ of the summed time per exit type against
// --pv off), identical results, and the patched sites named by the kernel's symbols.
import { describe, expect, it } from "vitest";
import { improvement, resultsIdentical, runPvComparison, sideBySide } from "../../src/cli/commands/pv-compare.ts";
import { formatPatches } from "../../src/hv/pv/sites.ts";
import { tableText } from "../../src/report/format.ts";

describe("pv-compare", () => {
  const runs = runPvComparison("boot", { size: "small" });
  const [off, hp, mp] = runs;

  it("runs off, host-patch and magic-page with identical results", () => {
    expect(runs.map((r) => r.pv)).toEqual(["off", "host-patch", "magic-page"]);
    expect(resultsIdentical(runs)).toBe(true);
  });

  it("lays the exit rows side by side with Δ against off, HCALL and DTLBPV only with PV", () => {
    const t = sideBySide(runs);
    expect(t.columns.map((c) => c.title)).toEqual([
      "type", "off count", "sum us", "host-patch count", "sum us", "Δsum", "magic-page count", "sum us", "Δsum"]);
    const row = (name: string) => t.rows.find((r) => r[0] === name)!;
    expect(row("HCALL").slice(1, 3)).toEqual(["0", "0"]);
    expect(row("HCALL")[3]).toBe("2");
    expect(row("HCALL")[6]).toBe("2");
    expect(Number(row("DTLBPV")[6])).toBeGreaterThan(0);
    const total = row("sum of time");
    expect(total[2]).toBe(String(off!.summary.sumOfTime));
    expect(total[8]).toMatch(/^[+-]?\d+\.\d%$/);
    expect(tableText(t)).toContain("measured (ms)");
    // the magic page removes nearly all wrtee/wrteei traps
    expect(improvement(Number(row("EMUL_CORE")[2]), Number(row("EMUL_CORE")[7]))).toBeGreaterThan(90);
  });

  it("lists the patched sites of each flavour with their function", () => {
    expect(off!.patches).toEqual([]);
    expect(hp!.patches.length).toBeGreaterThan(10);
    expect(mp!.patches.length).toBeGreaterThan(hp!.patches.length);
    for (const p of [...hp!.patches, ...mp!.patches]) expect(p.symbol).toMatch(/^[A-Za-z_][\w.]*(\+0x[0-9a-f]+)?$/);
    const lines = formatPatches(mp!.patches);
    expect(lines).toMatch(/^ {2}0xc00001b8 {2}7d7d0aa6 mfdear r11 +-> 8160f054 lwz r11,-4012\(0\) +vector_13\+0x18$/m);
    expect(lines).toMatch(/wrteei 0 +-> 48[0-9a-f]{6} b 0xc[0-9a-f]{7} +exc_return$/m);
  });
});

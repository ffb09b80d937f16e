// Paravirtualization must not change what the guest computes: every workload of the catalog, at
// its small size, gives the same results under the hypervisor with --pv off, host-patch and
// magic-page (program output without its timing lines, how it ended, its checksum lines; for
// boot the whole console but the lines that report the hypervisor's offer).
import { describe, expect, it } from "vitest";
import { listCatalog } from "../../src/machine/catalog.ts";
import { withoutTimingLines } from "../../src/machine/workload.ts";
import { runPv, withoutPvLines, type PvRun } from "./pv-run.ts";

const WORKLOADS = listCatalog().filter((e) => !e.name.startsWith("linux")).map((e) => e.name);

function results(r: PvRun): unknown {
  const w = r.run;
  return {
    stop: w.stop.kind,
    output: w.output === null ? withoutPvLines(withoutTimingLines(w.console)) : withoutTimingLines(w.output),
    end: w.end,
    checksums: w.checksums,
  };
}

describe("identical results with every flavour (small size)", () => {
  it("covers the whole catalog but the external Linux", () => {
    expect(WORKLOADS).toEqual(expect.arrayContaining(["boot", "hashes", "fhourstone", "lame", "find", "null-syscall", "ctxsw", "yield", "page-touch", "stream", "ktest"]));
  });

  for (const name of WORKLOADS) {
    it(name, () => {
      const off = runPv(name, "off");
      expect(off.run.stop.kind).toBe("reset");
      if (off.run.end) expect(off.run.end).toEqual({ exited: 0 });
      for (const pv of ["host-patch", "magic-page"] as const) {
        const r = runPv(name, pv);
        expect(results(r), pv).toEqual(results(off));
        expect(r.patches.length, pv).toBeGreaterThan(0); // it really ran paravirtualized
      }
    }, 600_000);
  }
});

// Transparent paravirtualization (the VMI seed's rule): the PV-capable kernel on bare metal, where
// there is no /hypervisor node, probes, finds nothing, patches nothing and runs at ratio 1.00
// against the same kernel with PV disabled (the `nopv` boot option); and under a hypervisor that
// offers PV, `nopv` leaves the kernel exactly as unparavirtualized as --pv off.
import { describe, expect, it } from "vitest";
import { runPv, withoutPvLines } from "./pv-run.ts";

describe("transparent PV", () => {
  it("bare metal: no paravirt line, nothing patched, the measured region as long as with nopv", () => {
    const pv = runPv("hello", "bare");
    const nopv = runPv("hello", "bare", { append: "quiet nopv run=/bin/hello" });
    expect(pv.run.stop.kind).toBe("reset");
    expect(pv.run.console).not.toContain("paravirt");
    expect(pv.patches).toEqual([]);
    expect(nopv.patches).toEqual([]);
    expect(nopv.run.output).toBe(pv.run.output);
    const ratio = (pv.run.marks.end! - pv.run.marks.start!) / (nopv.run.marks.end! - nopv.run.marks.start!);
    expect(ratio.toFixed(2)).toBe("1.00");
  });

  it("bare boot: the same log as with nopv but for the command line", () => {
    const pv = runPv("boot", "bare");
    const nopv = runPv("boot", "bare", { append: "nopv" });
    const strip = (c: string) => c.replace(/^Kernel command line: .*$/m, "");
    expect(strip(nopv.run.console)).toBe(strip(pv.run.console));
    expect(pv.run.console).toContain("\nhypervisor: none\n");
  });

  it("under --pv magic-page, nopv: no hypercall, nothing patched, the exits of --pv off", () => {
    const off = runPv("boot", "off");
    const nopv = runPv("boot", "magic-page", { append: "nopv" });
    expect(nopv.run.console).toContain("\nparavirt: disabled (nopv)\n");
    expect(nopv.count("HCALL")).toBe(0);
    expect(nopv.count("DTLBPV")).toBe(0);
    expect(nopv.patches).toEqual([]);
    expect(withoutPvLines(nopv.run.console).replace(/^Kernel command line: .*$/m, "")).toBe(withoutPvLines(off.run.console).replace(/^Kernel command line: .*$/m, ""));
    // the same traps as without PV (the two console lines about the hypervisor add a few irq_save
    // calls and shift interrupts a little; paravirtualized, these rows drop by 90% and more)
    for (const t of ["EMULINST", "EMUL_CORE", "EMUL_MFMSR", "EMUL_MFSPR"] as const) {
      expect(Math.abs(nopv.count(t) - off.count(t)), t).toBeLessThanOrEqual(off.count(t) * 0.05);
    }
  });
});

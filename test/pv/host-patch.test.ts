// The seed's prototype (--pv host-patch): the guest kernel donates a page by hypercall, the
// hypervisor rewrites each patchable site at its first trap into a load or store on that page,
// so each site traps exactly once, and drops compiled copies of the word so that the block
// compiler never runs the old instruction again.
import { describe, expect, it } from "vitest";
import { hostPatchReplacement } from "../../src/hv/pv/host-patch.ts";
import { runPv } from "./pv-run.ts";

const EMUL = new Set(["EMULINST", "EMUL_MTSPR", "EMUL_MFSPR", "EMUL_MFMSR"]);

/** Privileged-instruction traps per guest PC once the page was donated (the last hypercall). */
function trapsAfterDonation(exits: { type: string; pc: number }[]): Map<number, number> {
  const from = exits.map((e) => e.type).lastIndexOf("HCALL");
  const traps = new Map<number, number>();
  for (const e of exits.slice(from + 1)) if (EMUL.has(e.type)) traps.set(e.pc, (traps.get(e.pc) ?? 0) + 1);
  return traps;
}

describe("host-patch rewrites", () => {
  it("encodes the prototype's replacements (page at 0xFFFFF000, fields of KVM's shared struct)", () => {
    expect(hostPatchReplacement(0x7ca000a6)).toBe(0x80a0f05c); // mfmsr r5 -> lwz r5,-4004(0): msr
    expect(hostPatchReplacement(0x7cb142a6)).toBe(0x80a0f02c); // mfspr r5,SPRG1 -> lwz r5,sprg1
    expect(hostPatchReplacement(0x7cb343a6)).toBe(0x90a0f03c); // mtspr SPRG3,r5 -> stw r5,sprg3
    expect(hostPatchReplacement(0x7c1e0aa6)).toBe(0x8000f0c8); // mfspr r0,ESR -> lwz r0,esr
    expect(hostPatchReplacement(0x7c1d0ba6)).toBe(0x9000f054); // mtspr DEAR,r0 -> stw r0,dar
    // the prototype left SPRG0, SRR0/1, mtmsr and wrtee trapping
    for (const w of [0x7d5043a6, 0x7c1a02a6, 0x7c1b03a6, 0x7ca00124, 0x7fe00106, 0x7c000146]) expect(hostPatchReplacement(w), w.toString(16)).toBeNull();
  });
});

describe("--pv host-patch on the guest kernel", () => {
  it("boots: two hypercalls, DTLBPV exits, every rewritten site trapped exactly once, its compiled copies dropped", () => {
    const invalidated: number[] = [];
    const r = runPv("boot", "host-patch", {
      before: (m) => {
        const cpu = m.board.cpu, orig = cpu.invalidateCode.bind(cpu);
        cpu.invalidateCode = (pa, len) => { invalidated.push(pa, len); orig(pa, len); };
      },
    });
    expect(r.run.stop.kind).toBe("reset");
    expect(r.run.console).toMatch(/\nparavirt: host patching, page 0x[0-9a-f]{8}\n/);
    expect(r.count("HCALL")).toBe(2); // FEATURES, then the page donation
    expect(r.count("DTLBPV")).toBeGreaterThan(0);
    const sites = r.machine.pv!.sites;
    expect(sites.length).toBeGreaterThan(10);
    expect(new Set(sites.map((s) => s.ea)).size).toBe(sites.length);
    // with the default engine (the block compiler) a stale copy of a site would trap again
    const traps = trapsAfterDonation(r.exits);
    for (const s of sites) expect(traps.get(s.ea), `site 0x${s.ea.toString(16)}`).toBe(1);
    // what guest RAM holds is what the hypervisor wrote (besides the hypercall stub the kernel patched)
    const text = new Map(r.patches.map((p) => [p.ea, p]));
    for (const s of sites) expect(text.get(s.ea)).toMatchObject({ original: s.original, replacement: s.replacement });
    expect(r.patches.filter((p) => !sites.some((s) => s.ea === p.ea)).map((p) => p.symbol)).toEqual([
      "pv_hcall_insns", "pv_hcall_insns+0x4", "pv_hcall_insns+0x8",
    ]);
    expect(invalidated).toEqual(sites.flatMap((s) => [s.pa, 4]));
  });

  it("compiled code never runs a rewritten word stale: the lockstep checker (compiled vs interpreted from memory) agrees", () => {
    // the checker throws JitDivergence at the first instruction whose compiled execution differs
    const r = runPv("boot", "host-patch", { before: (m) => { m.board.cpu.engine = "check"; } });
    expect(r.run.stop.kind).toBe("reset");
    expect(r.machine.pv!.sites.length).toBeGreaterThan(10);
  });

  it("--pv off offers nothing: no /hypervisor node, no hypercall, nothing patched", () => {
    const r = runPv("boot", "off");
    expect(r.run.console).toContain("\nhypervisor: none\n");
    expect(r.count("HCALL")).toBe(0);
    expect(r.count("DTLBPV")).toBe(0);
    expect(r.patches).toEqual([]);
  });
});

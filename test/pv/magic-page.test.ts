// The mainline ABI on the 440 (--pv magic-page): FEATURES and MAP_MAGIC_PAGE hypercalls, the
// page at 0xFFFFF000 mapped by the hypervisor for guest supervisor mode only, and the guest
// kernel patching itself — loads and stores on the page for the SPR and MSR reads and writes,
// branches to per-site templates for mtmsr/wrtee/wrteei that follow the critical-section and
// int_pending protocol. Also: user mode cannot reach the page, and EE can be toggled in a tight
// loop while timers and the UART interrupt without losing, advancing or corrupting anything.
import { describe, expect, it } from "vitest";
import { runPv, type Flavour, type PvRun } from "./pv-run.ts";

const TRAPS = new Set(["EMULINST", "EMUL_CORE", "EMUL_MTSPR", "EMUL_MFSPR", "EMUL_MTMSR", "EMUL_MFMSR"]);

let boots: Partial<Record<Flavour, PvRun>> = {};
const boot = (f: Flavour) => (boots[f] ??= runPv("boot", f));

describe("--pv magic-page", () => {
  it("boots: FEATURES and MAP_MAGIC_PAGE, DTLBPV exits, and the kernel reports what it patched", () => {
    const r = boot("magic-page");
    expect(r.run.stop.kind).toBe("reset");
    expect(r.count("HCALL")).toBe(2);
    expect(r.count("DTLBPV")).toBeGreaterThan(0);
    const m = /\nparavirt: magic page, (\d+) sites patched\n/.exec(r.run.console);
    expect(m).not.toBeNull();
    // every patched word, besides the three words of the hypercall sequence (the fourth is a nop either way)
    const sites = r.patches.filter((p) => !p.symbol.startsWith("pv_hcall_insns"));
    expect(sites.length).toBe(Number(m![1]));
    expect(r.patches.length - sites.length).toBe(3);
    const kinds = (re: RegExp) => sites.filter((p) => re.test((p.replacement >>> 26).toString())).length;
    expect(kinds(/^32$/)).toBeGreaterThan(10); // lwz (mfmsr, mfspr)
    expect(kinds(/^36$/)).toBeGreaterThan(10); // stw (mtspr)
    expect(kinds(/^18$/)).toBeGreaterThan(10); // b to a template (mtmsr, wrtee, wrteei)
  });

  it("no patched site traps once the kernel has patched itself (the patcher's own first instructions aside)", () => {
    const r = boot("magic-page");
    const patched = new Map(r.patches.map((p) => [p.ea, p.symbol]));
    const from = r.exits.map((e) => e.type).lastIndexOf("HCALL");
    const after = r.exits.slice(from + 1).filter((e) => TRAPS.has(e.type) && patched.has(e.pc));
    // pv_init traps on its own irq_save and probe before it has patched them
    expect(after.filter((e) => !patched.get(e.pc)!.startsWith("pv_init")).map((e) => patched.get(e.pc))).toEqual([]);
    expect(after.length).toBeLessThanOrEqual(3);
  });

  it("turns wrtee/wrteei and SPR accesses into a small fraction of their traps", () => {
    const off = boot("off"), mp = boot("magic-page");
    for (const t of ["EMULINST", "EMUL_CORE", "EMUL_MFMSR"] as const) {
      expect(mp.count(t), t).toBeLessThan(off.count(t) / 10);
    }
    expect(off.count("EMUL_CORE")).toBeGreaterThan(100);
  });

  it("the lockstep checker agrees with the compiled code of the self-patched kernel", () => {
    const r = runPv("boot", "magic-page", { before: (m) => { m.board.cpu.engine = "check"; } });
    expect(r.run.stop.kind).toBe("reset");
    expect(r.run.console).toMatch(/\nparavirt: magic page, \d+ sites patched\n/);
  });
});

describe("the shared page is the guest kernel's only", () => {
  it("a user-mode load and store at 0xFFFFF000 get SIGSEGV, bare and with every flavour", () => {
    const want = "ktest: pvpage load: SIGSEGV at 0xfffff05c\nktest: pvpage store: SIGSEGV at 0xfffff000\n";
    for (const f of ["bare", "off", "host-patch", "magic-page"] as const) {
      const r = runPv("ktest", f, { append: "quiet run=/bin/ktest pvpage" });
      expect(r.run.output, f).toBe(want);
      expect(r.run.end, f).toEqual({ exited: 0 });
    }
  }, 300_000);
});

describe("EE stress (boot option pvstress=MS)", () => {
  // batches of wrteei/wrtee/mtmsr toggles, the UART's transmit interrupt pending at each batch's
  // first enable, DEC every 4 ms and the FIT every 2^21 timebase ticks landing anywhere
  for (const f of ["bare", "host-patch", "magic-page"] as const) {
    it(`no lost or early interrupt, no corrupted register (${f})`, () => {
      const r = runPv("boot", f, { append: "quiet pvstress=60" });
      const line = /\npvstress: (\w+): (\d+) iterations, (\d+) ticks \((\d+) expected\), (\d+) FIT \((\d+) expected\), (\d+) UART interrupts, (\d+) early, (\d+) wrong EE, (\d+) bad registers\n/.exec(r.run.console);
      expect(line, r.run.console.slice(-400)).not.toBeNull();
      const [, verdict, iterations, ticks, , fits, , uart, early, wrongEe, badRegs] = line!;
      expect({ verdict, early, wrongEe, badRegs }).toEqual({ verdict: "ok", early: "0", wrongEe: "0", badRegs: "0" });
      expect(Number(iterations)).toBeGreaterThan(100);
      expect(Number(ticks)).toBeGreaterThanOrEqual(14);
      expect(Number(fits)).toBeGreaterThanOrEqual(18);
      expect(Number(uart)).toBeGreaterThan(10);
      if (f === "magic-page") expect(r.count("EMUL_CORE")).toBeLessThan(Number(iterations)); // the toggles did not trap
    }, 300_000);
  }
});

// The workload catalog (src/machine/catalog.ts, src/machine/workload.ts) at the small size: every
// guest-kernel workload runs to power-off bare and under the hypervisor, the program exits with 0
// and prints what qemu-ppc printed for the same arguments (guest-images/workloads/expected), and
// the two consoles are identical apart from the lines that carry timings. Also the catalog's
// names, sizes and recordings, the path fallback, and `hv440 list` / `hv440 run NAME` through the
// CLI. (`ktest` is left to test/kernel, which checks its 52 system-call checks.)
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CLOCK_HZ } from "../../src/cpu/cycles.ts";
import { EXIT_NAMES } from "../../src/hv/exits.ts";
import {
  GUEST_IMAGES, GUEST_KERNEL, ROOT_DISK, SIZES, findEntry, listCatalog, resolveWorkload, runAppend,
} from "../../src/machine/catalog.ts";
import { runWorkload, withoutTimingLines, type WorkloadRun } from "../../src/machine/workload.ts";
import { UserError } from "../../src/util/errors.ts";

const REPO = join(import.meta.dirname, "..", "..");
const SEED = ["boot", "hashes", "fhourstone", "lame", "find"];
const MICRO = ["null-syscall", "ctxsw", "yield", "page-touch", "stream"];

/** The entries that run our guest kernel (the Linux entry's kernel lives outside the repository). */
const ours = listCatalog().filter((e) => {
  try { return e.resolve("small").kernel === GUEST_KERNEL; } catch { return false; }
});
const RUN = ours.filter((e) => e.name !== "ktest");

const exitCounts = (r: WorkloadRun) => Object.fromEntries(EXIT_NAMES.map((n, i) => [n, r.stats!.rows[i]!.count]));

describe("the catalog", () => {
  it("has the seed's five workloads, the microbenchmarks and hello, each with a summary and what it stresses", () => {
    const names = listCatalog().map((e) => e.name);
    for (const n of [...SEED, ...MICRO, "hello"]) expect(names, n).toContain(n);
    expect(new Set(names).size).toBe(names.length);
    for (const e of listCatalog()) {
      expect(e.summary, e.name).toMatch(/\S/);
      expect(e.stresses, e.name).toMatch(/\S/);
      expect(e.seedName, e.name).toMatch(/\S/);
      expect(e.sizes.length, e.name).toBeGreaterThan(0);
    }
    for (const n of SEED.slice(1)) expect(findEntry(n)!.sizes, n).toEqual([...SIZES]);
    expect(findEntry("getppid")?.name).toBe("null-syscall");
  });

  it("has a qemu-ppc recording for every size of every workload, and the sizes differ where the programs.json says", () => {
    for (const e of ours) {
      for (const s of e.sizes) {
        const w = e.resolve(s);
        expect(w.kernel).toBe(GUEST_KERNEL);
        expect(w.disk).toBe(ROOT_DISK);
        if (w.program === undefined) { expect(w.append).toBe(""); continue; } // boot
        expect(w.append).toBe(runAppend(w.program, w.args));
        expect(w.append).toMatch(/^quiet run=\/bin\/\w+/);
        if (e.name !== "ktest") expect(existsSync(w.expected!), `${e.name} ${s}: ${w.expected}`).toBe(true);
      }
    }
    expect(resolveWorkload("hashes", "small").append).toBe("quiet run=/bin/hashes 40000");
    expect(resolveWorkload("hashes", "full").append).toBe("quiet run=/bin/hashes");
    expect(resolveWorkload("fhourstone", "default").expected).toMatch(/fhourstone-default\.out$/);
    expect(resolveWorkload("find", "full").args).toEqual(["/data", "*.wav*"]);
    expect(resolveWorkload("lame", "small").args[1]).toBe("/tmp/M1F1-synth.hvl");
  });

  it("runs a file that is not a name as an image, and says so when it is neither", () => {
    const hello = join(GUEST_IMAGES, "bare", "bin", "hello.elf");
    expect(resolveWorkload(hello)).toMatchObject({ kernel: hello, args: [] });
    expect(resolveWorkload(hello).disk).toBeUndefined();
    const r = runWorkload(hello, { mode: "virt" });
    expect(r.console).toContain("PASS hello.uart");
    expect(r.stop).toMatchObject({ kind: "reset" });
    expect(() => resolveWorkload("no-such-workload")).toThrow(UserError);
    expect(() => resolveWorkload("stream", "bogus" as "small")).toThrow(/no bogus size/);
  });
});

describe.each(RUN.map((e) => [e.name]))("workload %s (small)", (name) => {
  let bare: WorkloadRun | undefined;
  const bareRun = () => (bare ??= runWorkload(name, { size: "small" }));

  it("runs bare to power-off with the output qemu-ppc recorded", () => {
    const r = bareRun();
    expect(r.stop).toMatchObject({ kind: "reset", how: "dbcr0" });
    expect(r.console).toMatch(/\nreboot: Power down\n$/);
    expect(r.console).not.toMatch(/Kernel panic|Oops|segfault/);
    expect(r.checksums.length, "checksum lines").toBeGreaterThan(0);
    if (r.workload.program) {
      expect(r.end).toEqual({ exited: 0 });
      expect(r.exitStatus).toBe(0);
      const expected = readFileSync(r.workload.expected!, "utf8");
      expect(withoutTimingLines(r.output!)).toBe(withoutTimingLines(expected));
      for (const c of r.checksums) expect(expected.split("\n"), c).toContain(c);
      expect(r.marks.start).toBeGreaterThan(0); // init's mark 1, after the boot
    } else {
      expect(r.marks.start).toBe(0); // boot: measured from reset
      expect(r.exitStatus).toBeNull();
    }
    expect(r.marks.end).toBeGreaterThan(r.marks.start!);
    expect(r.marks.end).toBeLessThanOrEqual(r.cycles);
    expect(r.seconds).toBe((r.marks.end! - r.marks.start!) / DEFAULT_CLOCK_HZ);
    expect(r.stats).toBeUndefined();
  });

  it("prints the same under the hypervisor apart from timing lines, with exit statistics of the measured region", () => {
    const v = runWorkload(name, { size: "small", mode: "virt" });
    expect(v.stop).toMatchObject({ kind: "reset" });
    expect(withoutTimingLines(v.console)).toBe(withoutTimingLines(bareRun().console));
    expect(v.checksums).toEqual(bareRun().checksums);
    expect(v.exitStatus).toBe(bareRun().exitStatus);
    const counts = exitCounts(v);
    // the workload's own system calls are exits of the measured region; the boot's TLB writes
    // happen before mark 1 for a program (cleared), inside the region for `boot`
    if (v.workload.program) expect(counts.SYSCALL).toBeGreaterThan(0);
    else expect(counts.EMUL_TLBWE).toBeGreaterThan(0);
    expect(counts.TIMEINGUEST).toBeGreaterThan(0);
    expect(v.seconds).toBeGreaterThan(bareRun().seconds);
  });
});

describe("runWorkload", () => {
  it("reports a program killed by a signal, and measures host time on request", () => {
    const segv = {
      ...resolveWorkload("ktest", "small"), append: runAppend("/bin/ktest", ["segv"]), args: ["segv"], checksum: /segfault/,
    };
    const chunks: string[] = [];
    const r = runWorkload(segv, { clock: "host", onConsole: (t) => chunks.push(t) });
    expect(r.end).toEqual({ signal: 11, name: "Segmentation fault" });
    expect(r.exitStatus).toBeNull();
    expect(r.checksums[0]).toMatch(/^ktest\[2\]: segfault: unhandled signal 11/);
    expect(chunks.join("")).toBe(r.console);
    expect(r.clock).toBe("host");
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.seconds * 1000).toBeLessThanOrEqual(r.hostMs);
  });

  it("is deterministic: the same run twice gives the same console, marks and statistics", () => {
    const a = runWorkload("hello", { mode: "virt", seed: 7 });
    const b = runWorkload("hello", { mode: "virt", seed: 7 });
    expect(a.stats!.rows.some((r) => r.count > 0)).toBe(true);
    expect(b.console).toBe(a.console);
    expect(b.marks).toEqual(a.marks);
    expect(b.stats).toEqual(a.stats);
  });
});

describe("the CLI", () => {
  const hv440 = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO, "bin", "hv440.mjs"), ...args], { encoding: "utf8", cwd: REPO, timeout: 110_000 });

  it("hv440 list shows every name of the catalog", () => {
    const r = hv440("list");
    expect(r.status).toBe(0);
    for (const e of listCatalog()) expect(r.stdout).toMatch(new RegExp(`^  ${e.name}\\b`, "m"));
    const l = hv440("list", "--long");
    expect(l.stdout).toContain("    default  /bin/fhourstone 4 1\n");
    const j = JSON.parse(hv440("list", "--json").stdout) as { name: string }[];
    expect(j.map((e) => e.name)).toEqual(listCatalog().map((e) => e.name));
  });

  it("hv440 run hashes --size small --mode virt runs by name and prints the exit timing", () => {
    const r = hv440("run", "hashes", "--size", "small", "--mode", "virt", "--timing", "summary");
    expect(r.stderr).toMatch(/^sum of time \d+\n/);
    expect(r.stderr).toMatch(/^\s+SYSCALL:\s+\d+/m);
    expect(r.status).toBe(0);
    const expected = readFileSync(join(GUEST_IMAGES, "workloads", "expected", "hashes.out"), "utf8");
    const out = r.stdout.replace(/\r\n/g, "\n");
    expect(out).toContain(expected.split("\n").find((l) => l.startsWith("hashes: "))! + "\n");
    expect(out).toContain("init: /bin/hashes exited with status 0\n");
  });

  it("hv440 run says in one line what is wrong with a name or a size", () => {
    const r = hv440("run", "no-such-workload");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("hv440: no-such-workload: not a workload of the catalog (see 'hv440 list') and no such file\n");
    const s = hv440("run", join(GUEST_IMAGES, "bare", "bin", "hello.elf"), "--size", "small");
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/^hv440: run: --size needs a workload of the catalog .*\n$/);
    const z = hv440("run", "hashes", "--size", "huge");
    expect(z.status).toBe(2);
    expect(z.stderr.split("\n").length).toBe(2);
  });
});

// What a user of `hv440 run --mode virt` and `hv440 stat` sees: the timing views, the debugfs
// mirror, determinism, the host clock, an emulation failure report, and kvm_stat's layouts.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_NAMES, SIDE_COUNTERS } from "../../src/hv/exits.ts";
import { formatBatch, formatScreen, logBanner, logLine } from "../../src/cli/commands/stat.ts";
import { errorLines, hv440, STACK_TRACE } from "../cli/spawn.ts";

const EXITS = "guest-images/hvtests/bin/exits.elf";
const EMUFAIL = "guest-images/hvtests/bin/emufail.elf";
const dir = mkdtempSync(join(tmpdir(), "hv440-hv-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hv440 run --mode virt", () => {
  const raw = hv440(["run", "--mode", "virt", "--timing", "raw", "--debugfs", dir, EXITS]);

  it("prints the guest's console on stdout and KVM's raw timing file on stderr", () => {
    expect(raw.status).toBe(0);
    expect(raw.stdout).toContain("exits: SdiFPtPlATETTPpPpPpPpPpPpDSIMM\n");
    const lines = raw.stderr.split("\n").filter((l) => !l.startsWith("npm "));
    const at = lines.indexOf("type\tcount\tmin\tmax\tsum\tsum_squared");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at + 1, at + 1 + EXIT_NAMES.length).map((l) => l.split("\t")[0]!.trim())).toEqual([...EXIT_NAMES]);
  });

  it("is deterministic: the same image and options give the same bytes", () => {
    const again = hv440(["run", "--mode", "virt", "--timing", "raw", EXITS]);
    expect(again.stdout).toBe(raw.stdout);
    expect(again.stderr).toBe(raw.stderr);
  });

  it("mirrors the debugfs tree: the timing file is the raw view, side counters one number each", () => {
    const kvm = join(dir, "kvm");
    const names = readdirSync(kvm).sort();
    const timing = names.filter((n) => /^vm\d+_vcpu0_timing$/.test(n));
    expect(timing.length).toBe(1);
    expect(names).toEqual([...SIDE_COUNTERS, timing[0]!].sort());
    expect(raw.stderr).toContain(readFileSync(join(kvm, timing[0]!), "latin1"));
    for (const c of SIDE_COUNTERS) expect(readFileSync(join(kvm, c), "latin1")).toMatch(/^\d+\n$/);
  });

  it("--timing summary prints the seed's table, --timing json a self-describing one", () => {
    const s = hv440(["run", "--mode", "virt", "--profile", "ideal", "--timing", "summary", EXITS]);
    expect(s.stderr).toMatch(/^sum of time \d+\n {8}type {4}count {6}min {6}max {10}sum {14}avg {7}stddev {5}%\n/m);
    expect(s.stderr).toMatch(/^TIMEINGUEST: +\d+/m);
    const j = hv440(["run", "--mode", "virt", "--timing", "json", EMUFAIL.replace("emufail", "exits")]);
    const json = JSON.parse(j.stderr.slice(j.stderr.indexOf("{"))) as { unit: string; rows: { type: string }[] };
    expect(json.unit).toBe("us");
    expect(json.rows.map((r) => r.type)).toContain("EMUL_WAIT");
  });

  it("--clock host stamps exits with the host's clock: same guest, same counts, other times", () => {
    const h = hv440(["run", "--mode", "virt", "--clock", "host", "--timing", "raw", EXITS]);
    expect(h.status).toBe(0);
    expect(h.stdout).toBe(raw.stdout); // the guest lives on the virtual clock either way
    const counts = (t: string) => t.split("\n").filter((l) => /^ *[A-Z_]+\t/.test(l)).map((l) => l.split("\t")[1]);
    expect(counts(h.stderr)).toEqual(counts(raw.stderr));
  });

  it("rejects virt options without --mode virt, and bad clocks, on one line", () => {
    for (const args of [["--clock", "host"], ["--mode", "virt", "--clock", "wall"]]) {
      const r = hv440(["run", ...args, EXITS]);
      expect(r.status).toBe(2);
      expect(errorLines(r).length).toBe(1);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
  });

  it("an instruction the hypervisor cannot emulate stops the VM with KVM's report and exit 1", () => {
    const bare = hv440(["run", EMUFAIL]);
    expect(bare.status).toBe(0);
    expect(bare.stdout).toBe("emufail: begin\nemufail: end\n");
    const r = hv440(["run", "--mode", "virt", EMUFAIL]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("emufail: begin\n");
    expect(errorLines(r)[0]).toMatch(/emulation failed at pc 0x0001004c: instruction 0xbffe0004 \(stmw r31,4\(r30\)\), guest MSR 0x00001000: MMIO access at 0xef600304/);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).not.toContain("internal error");
  });
});

describe("hv440 stat", () => {
  it("--once: kvm_stat's batch lines, run to the end (deterministic)", () => {
    const a = hv440(["stat", "--once", EXITS]), b = hv440(["stat", "-1", EXITS]);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.slice(0, 42).trim())).toEqual([...SIDE_COUNTERS].sort());
    for (const l of lines) expect(l).toMatch(/^[a-z_]+ +\d+ +\d+$/);
    expect(lines.every((l) => l.length === 62)).toBe(true);
    expect(a.stdout).toMatch(/^mmio {38} {7}446/m);
  });

  it("--debugfs DIR reads a saved tree (the same counters the run had)", () => {
    const d = hv440(["stat", "--debugfs", dir]);
    expect(d.status).toBe(0);
    const once = hv440(["stat", "--once", EXITS]);
    const totals = (t: string) => t.trimEnd().split("\n").map((l) => l.slice(0, 52));
    expect(totals(d.stdout)).toEqual(totals(once.stdout));
  });

  it("--log: the names, then one line of deltas per interval of virtual time; --csv: one header", () => {
    const l = hv440(["stat", "--log", "-s", "0.05", EXITS]);
    const lines = l.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`${[...SIDE_COUNTERS].sort().join(" ")} `);
    expect(lines.slice(1).map((x) => x.slice(0, 19).trim())).toEqual(["0.050000", "0.100000", "0.150000", "0.200000", expect.stringMatching(/^0\.2\d+$/)]);
    const c = hv440(["stat", "--log", "--csv", "-z", "-s", "0.05", "-f", "^(mmio|sig)$", EXITS]);
    expect(c.stdout.split("\n")[0]).toBe("timestamp,mmio,sig");
    expect(c.stdout.trimEnd().split("\n").slice(1).every((x) => /^\d+\.\d{6},\d+,\d+$/.test(x) && !x.endsWith(",0,0"))).toBe(true);
  });

  it("rejects bad combinations on one line", () => {
    for (const args of [["--csv", EXITS], ["-f", "(", EXITS], ["--debugfs", join(dir, "nope")], ["--log", "--debugfs", dir], ["no-such-thing"]]) {
      const r = hv440(["stat", ...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(errorLines(r).length).toBe(1);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
  });
});

describe("kvm_stat layouts", () => {
  const keys = ["dcr", "exit(MMIO)", "mmio", "sig"];
  const prev = new Map([["dcr", 1], ["exit(MMIO)", 10], ["mmio", 10], ["sig", 0]]);
  const cur = new Map([["dcr", 3], ["exit(MMIO)", 30], ["mmio", 30], ["sig", 0]]);

  it("batch: %-42s%10d%10d", () => {
    expect(formatBatch(["dcr", "mmio"], cur, prev)).toBe(`${"dcr".padEnd(42)}         3         2\n${"mmio".padEnd(42)}        30        20\n`);
  });
  it("log: names with a trailing space; a 19-wide timestamp and ' %9d' per event; CSV", () => {
    expect(logBanner(["dcr", "mmio"], false)).toBe("dcr mmio \n");
    expect(logLine(1.5, ["dcr", "mmio"], cur, prev, false)).toBe("           1.500000         2        20\n");
    expect(logBanner(["dcr", "mmio"], true)).toBe("timestamp,dcr,mmio\n");
    expect(logLine(1.5, ["dcr", "mmio"], cur, prev, true)).toBe("1.500000,2,20\n");
  });
  it("screen: title, header, rows by interval then total, child events outside %Total, Total row", () => {
    expect(formatScreen("kvm statistics - summary", keys, cur, prev, 2).split("\n")).toEqual([
      "kvm statistics - summary",
      "",
      ` ${"Event".padEnd(40)}      Total %Total CurAvg/s`,
      ` ${"exit(MMIO)".padEnd(40)}         30   90.9       10`,
      ` ${"mmio".padEnd(40)}         30   90.9       10`,
      ` ${"dcr".padEnd(40)}          3    9.1        1`,
      ` ${"Total".padEnd(40)}         33${" ".repeat(8)}      11`, // '%-40s %10d        %8s'
      "",
    ]);
  });
});

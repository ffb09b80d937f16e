// KVM's exit-timing statistics (kvm440.md section 2): the accounting rule, the raw debugfs file
// byte for byte, the debugfs tree's read/clear semantics, kvm_stat's side counters, and the
// seed's summary layout.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT_NAMES, Exit, SIDE_COUNTERS } from "../../src/hv/exits.ts";
import { ExitStats, type StatsSnapshot } from "../../src/hv/stats.ts";
import { formatTimingFile } from "../../src/hv/timing-file.ts";
import { DebugFsError, KvmDebugFs } from "../../src/hv/debugfs.ts";
import { formatSummary } from "../../src/report/summary.ts";

const T = 667; // timebase ticks per microsecond at 667 MHz
const idx = (n: (typeof EXIT_NAMES)[number]) => EXIT_NAMES.indexOf(n);

/** Drives the accounting like the vCPU does: exit(stamp), type assignment, enter(stamp). */
function cycle(s: ExitStats, exitAt: number, type: Exit, enterAt: number): void {
  s.exit(exitAt);
  s.current = type;
  s.enter(enterAt);
}

describe("the accounting rule (kvm440.md 2.2)", () => {
  it("charges exit->entry to the previous exit's type and entry->exit to TIMEINGUEST; the first cycle is not counted", () => {
    const s = new ExitStats(T);
    s.enter(0); // vCPU created, guest entered
    cycle(s, 100 * T, Exit.EMULINST, 107 * T); // first exit: only its stamp is recorded
    expect(s.snapshot().rows.every((r) => r.count === 0)).toBe(true);
    cycle(s, 110 * T, Exit.MMIO, 290 * T); // charges EMULINST 7 us, TIMEINGUEST 3 us
    cycle(s, 300 * T, Exit.EMUL_MFMSR, 308 * T); // charges MMIO 180 us, TIMEINGUEST 10 us
    const r = s.snapshot().rows;
    expect(r[Exit.EMULINST]).toMatchObject({ count: 1, min: 7, max: 7, sum: 7, sumSquared: 49n });
    expect(r[Exit.MMIO]).toMatchObject({ count: 1, min: 180, max: 180, sum: 180, sumSquared: 32400n });
    expect(r[Exit.TIMEINGUEST]).toMatchObject({ count: 2, min: 3, max: 10, sum: 13, sumSquared: 109n });
    expect(r[Exit.EMUL_MFMSR]!.count).toBe(0); // its cycle is not complete yet
  });

  it("converts each sample to whole microseconds before accumulating (variant A: truncation)", () => {
    const s = new ExitStats(T);
    s.enter(0);
    cycle(s, 1, Exit.DEC, 1 + 2 * T - 1); // 1.998 us -> 1
    cycle(s, 3 * T, Exit.DEC, 3 * T + T - 1); // 0.998 us -> 0
    cycle(s, 10 * T, Exit.DEC, 11 * T);
    const dec = s.snapshot().rows[Exit.DEC]!;
    expect(dec).toMatchObject({ count: 2, min: 0, max: 1, sum: 1, sumSquared: 1n });
  });

  it("drops a sample above 0xFFFFFFFF us, as KVM did (count not bumped)", () => {
    const s = new ExitStats(1);
    s.enter(0);
    cycle(s, 5, Exit.EMUL_WAIT, 5 + 2 ** 32); // 2^32 us blocked
    cycle(s, 2 ** 32 + 10, Exit.EMULINST, 2 ** 32 + 20);
    const r = s.snapshot().rows;
    expect(r[Exit.EMUL_WAIT]!.count).toBe(0);
    expect(r[Exit.TIMEINGUEST]!.count).toBe(1);
  });

  it("keeps sum_squared exact past 2^53 (KVM's u64), and min/max/sum per row", () => {
    const s = new ExitStats(1);
    s.enter(0);
    let t = 0, big = 0n;
    for (const us of [2 ** 31 + 1, 3, 2 ** 30 - 7, 2 ** 31 + 1, 94906267]) {
      cycle(s, t + 1, Exit.MMIO, t + 1 + us);
      t += 2 + us;
    }
    cycle(s, t + 1, Exit.EMULINST, t + 2);
    for (const us of [2 ** 31 + 1, 3, 2 ** 30 - 7, 2 ** 31 + 1, 94906267]) big += BigInt(us) * BigInt(us);
    expect(s.snapshot().rows[Exit.MMIO]).toMatchObject({ count: 5, min: 3, max: 2 ** 31 + 1, sumSquared: big });
  });

  it("the type charged is the type at entry: the last assignment wins", () => {
    const s = new ExitStats(T);
    s.enter(0);
    s.exit(T);
    s.current = Exit.EMULINST; // the load/store emulator's first guess ...
    s.current = Exit.MMIO; // ... overridden by the miss handler
    s.enter(200 * T);
    cycle(s, 201 * T, Exit.EMULINST, 208 * T);
    const r = s.snapshot().rows;
    expect(r[Exit.MMIO]!.count).toBe(1);
    expect(r[Exit.EMULINST]!.count).toBe(0);
  });

  it("after a clear the next exit only records its stamp; the statistics resume one exit later", () => {
    const s = new ExitStats(T);
    s.enter(0);
    for (let i = 1; i <= 5; i++) cycle(s, i * 100 * T, Exit.SYSCALL, (i * 100 + 6) * T);
    expect(s.snapshot().rows[Exit.SYSCALL]!.count).toBe(4);
    s.clear();
    expect(formatTimingFile(s.snapshot())).toBe(formatTimingFile(new ExitStats(T).snapshot()));
    cycle(s, 1000 * T, Exit.ISI, 1006 * T); // not counted (incomplete cycle)
    expect(s.snapshot().rows.every((r) => r.count === 0)).toBe(true);
    cycle(s, 1100 * T, Exit.DSI, 1107 * T);
    expect(s.snapshot().rows[Exit.ISI]).toMatchObject({ count: 1, sum: 6 });
    expect(s.snapshot().rows[Exit.TIMEINGUEST]).toMatchObject({ count: 1, sum: 94 });
  });
});

describe("the raw timing file (kvm440.md 2.5)", () => {
  const fresh = formatTimingFile(new ExitStats(T).snapshot());

  it("is a TAB-separated header and every row in order, with KVM's fixed widths", () => {
    const lines = fresh.split("\n");
    expect(lines[0]).toBe("type\tcount\tmin\tmax\tsum\tsum_squared");
    expect(lines.length).toBe(EXIT_NAMES.length + 2); // header, rows, final newline
    expect(lines.at(-1)).toBe("");
    EXIT_NAMES.forEach((n, i) => {
      const cols = lines[i + 1]!.split("\t");
      expect(cols.map((c) => c.length)).toEqual([12, 10, 10, 10, 20, 20]);
      expect(cols[0]!.trim()).toBe(n);
    });
  });

  it("prints an untouched row exactly as KVM's file did (min 4294967295)", () => {
    // kvm440.md 2.5's first example line, TABs for the arrows
    expect(fresh.split("\n")[1]).toBe("        MMIO\t         0\t4294967295\t         0\t                   0\t                   0");
    for (const l of fresh.split("\n").slice(1, -1)) expect(l).toMatch(/^ *[A-Z_]+\t {9}0\t4294967295\t {9}0\t {19}0\t {19}0$/);
  });

  it("prints counted rows like KVM's example", () => {
    const snap: StatsSnapshot = new ExitStats(T).snapshot();
    snap.rows[idx("ITLBVIRT")] = { count: 1234, min: 21, max: 310, sum: 40000, sumSquared: 1500000n };
    snap.rows[idx("TIMEINGUEST")] = { count: 5000, min: 0, max: 9000, sum: 123456, sumSquared: 99999999n };
    const lines = formatTimingFile(snap).split("\n");
    expect(lines[1 + idx("ITLBVIRT")]).toBe("    ITLBVIRT\t      1234\t        21\t       310\t               40000\t             1500000");
    expect(lines[1 + idx("TIMEINGUEST")]).toBe(" TIMEINGUEST\t      5000\t         0\t      9000\t              123456\t            99999999");
    // sum_squared beyond 2^53 stays exact
    snap.rows[0] = { count: 1, min: 1, max: 1, sum: 1, sumSquared: 2n ** 64n - 1n };
    expect(formatTimingFile(snap).split("\n")[1]!.endsWith("\t18446744073709551615")).toBe(true);
  });
});

describe("the debugfs tree (kvm440.md 2.4, 2.7, 1.4)", () => {
  function tree() {
    const a = new ExitStats(T), b = new ExitStats(T);
    a.enter(0);
    cycle(a, 10 * T, Exit.MMIO, 200 * T);
    cycle(a, 300 * T, Exit.DCR, 350 * T);
    a.bump("mmio");
    b.bump("mmio");
    b.bump("dcr");
    return { a, b, fs: new KvmDebugFs(4242, [a, b]) };
  }

  it("names a timing file per vCPU (vm<pid>_vcpu<id>_timing) and the kvm_stat counters", () => {
    const { fs } = tree();
    expect(fs.list()).toEqual(["kvm/vm4242_vcpu0_timing", "kvm/vm4242_vcpu1_timing", ...SIDE_COUNTERS.map((c) => `kvm/${c}`)]);
    expect(SIDE_COUNTERS).toEqual(["mmio", "dcr", "sig", "itlb_r", "itlb_v", "dtlb_r", "dtlb_v", "sysc", "isi", "dsi", "inst_emu", "dec", "ext_intr", "halt_wakeup"]);
  });

  it("reads the raw file, and side counters summed over vCPUs", () => {
    const { a, fs } = tree();
    expect(fs.read("kvm/vm4242_vcpu0_timing")).toBe(formatTimingFile(a.snapshot()));
    expect(fs.read("kvm/mmio")).toBe("2\n");
    expect(fs.read("kvm/dcr")).toBe("1\n");
    expect(fs.read("kvm/halt_wakeup")).toBe("0\n");
    expect(() => fs.read("kvm/nope")).toThrow(DebugFsError);
  });

  it("clears with exactly the one byte 'c' (echo -n c); anything else is EINVAL and changes nothing", () => {
    const { a, b, fs } = tree();
    const before = fs.read("kvm/vm4242_vcpu0_timing");
    const einval = (data: string) => {
      try {
        fs.write("kvm/vm4242_vcpu0_timing", Buffer.from(data));
      } catch (e) {
        return (e as DebugFsError).errno;
      }
      return "ok";
    };
    expect(einval("c\n")).toBe("EINVAL"); // echo c
    expect(einval("x")).toBe("EINVAL");
    expect(einval("")).toBe("EINVAL");
    expect(einval("cc")).toBe("EINVAL");
    expect(fs.read("kvm/vm4242_vcpu0_timing")).toBe(before);
    expect(fs.write("kvm/vm4242_vcpu0_timing", Buffer.from("c"))).toBe(1);
    expect(fs.read("kvm/vm4242_vcpu0_timing")).toBe(formatTimingFile(new ExitStats(T).snapshot()));
    expect(b.snapshot().rows.every((r) => r.count === 0)).toBe(true); // vcpu1 had no cycles anyway
    // the clear resets the rows, not kvm_stat's counters (those are separate files)
    expect(fs.read("kvm/mmio")).toBe("2\n");
    void a;
  });

  it("refuses writes to the side counters and to unknown files", () => {
    const { fs } = tree();
    expect(() => fs.write("kvm/mmio", Buffer.from("c"))).toThrow(expect.objectContaining({ errno: "EACCES" }));
    expect(() => fs.write("kvm/vm1_vcpu0_timing", Buffer.from("c"))).toThrow(expect.objectContaining({ errno: "ENOENT" }));
  });
});

describe("the seed's summary (001_..., a userspace view of the raw counters)", () => {
  const seed = readFileSync(new URL("./fixtures/seed-001-boot.txt", import.meta.url), "utf8");

  it("reproduces the seed's boot table byte for byte from its own counters", () => {
    // rebuild raw counters from the seed's rows: sum_squared = count * (stddev^2 + avg^2)
    const snap = new ExitStats(T).snapshot();
    for (const line of seed.split("\n").slice(2).filter(Boolean)) {
      const [name, count, min, max, sum, , stddev] = line.trim().split(/\s+/);
      const n = Number(count), s = Number(sum), sd = Number(stddev);
      const sq = Math.round(n * (sd * sd + (s / n) ** 2));
      snap.rows[idx(name!.replace(":", "") as (typeof EXIT_NAMES)[number])] = { count: n, min: Number(min), max: Number(max), sum: s, sumSquared: BigInt(sq) };
    }
    expect(formatSummary(snap)).toBe(seed);
  });
});

// The default cost profile is what its description says: the seed's Sequoia numbers, drawn so
// that KVM-style truncated samples average the seed's means.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_NAMES, type ExitName, Exit } from "../../src/hv/exits.ts";
import { CostModel, listProfiles, loadProfile, tailFor } from "../../src/hv/profile.ts";
import { UserError } from "../../src/util/errors.ts";

const seed = new Map(readFileSync(new URL("./fixtures/seed-001-boot.txt", import.meta.url), "utf8").split("\n").slice(2).filter(Boolean)
  .map((l) => l.trim().split(/\s+/)).map(([n, , min, max, , avg]) => [n!.replace(":", ""), { min: Number(min), mean: Number(avg), max: Number(max) }]));
const p = loadProfile("sequoia-2008");

describe("sequoia-2008", () => {
  /** Rows its description says come from elsewhere than the boot table, and why. */
  const ELSEWHERE = new Set(["EMUL_WAIT", "EMUL_TLBWE", "SIGNAL", "TIMEINGUEST"]);

  it("copies min, mean and max of every row of the seed's boot table (but the documented ones)", () => {
    for (const [name, s] of seed) {
      if (ELSEWHERE.has(name)) continue;
      expect(p.exits[name as ExitName], name).toEqual({ min: s.min, mean: Math.round(s.mean * 100) / 100, max: s.max });
    }
    expect(p.clockHz).toBe(667_000_000);
  });

  it("takes SIGNAL from the 'No paravirtualization' table, and says where each row comes from", () => {
    expect(p.exits.SIGNAL).toEqual({ min: 65, mean: 129.16, max: 3755 });
    for (const n of ["EMUL_TLBWE", "EMUL_WAIT", "SIGNAL", "DTLBPV", "HCALL", "FP_UNAVAIL", "USR_PR_INST", "ALIGN", "MCHECK", "DEBUG"]) {
      expect(p.description, n).toContain(n);
    }
  });

  it("prices every exit row", () => {
    expect(EXIT_NAMES.filter((n) => n !== "TIMEINGUEST" && !p.exits[n])).toEqual([]);
  });

  it("draws costs whose truncated microseconds average each row's mean, within [min, max]", () => {
    const m = new CostModel(p, 12345);
    const N = 100_000;
    EXIT_NAMES.forEach((n, i) => {
      const c = p.exits[n];
      if (!c) return;
      let sum = 0, lo = Infinity, hi = 0;
      for (let k = 0; k < N; k++) {
        const us = Math.floor(m.cost(i as Exit) / 667);
        sum += us;
        lo = Math.min(lo, us);
        hi = Math.max(hi, us);
      }
      const sd = tailFor(c) + 0.5; // the exponential tail's spread, and the uniform's
      expect(Math.abs(sum / N - c.mean), n).toBeLessThan(5 * sd / Math.sqrt(N) + 0.005);
      expect(lo, n).toBe(c.min);
      expect(hi, n).toBeLessThanOrEqual(c.max);
    });
  });

  it("is deterministic for a seed, and a different seed draws differently", () => {
    const a = new CostModel(p, 1), b = new CostModel(p, 1), c = new CostModel(p, 2);
    const draw = (m: CostModel) => Array.from({ length: 50 }, () => m.cost(Exit.MMIO));
    const da = draw(a);
    expect(draw(b)).toEqual(da);
    expect(draw(c)).not.toEqual(da);
  });
});

describe("tailFor", () => {
  it("is mean - min when the cap does not bind, and solves the capped case", () => {
    expect(tailFor({ min: 8, mean: 8.3, max: 62 })).toBeCloseTo(0.3, 9);
    const t = tailFor({ min: 6, mean: 6.79, max: 7 });
    expect(t * (1 - Math.exp(-1 / t))).toBeCloseTo(0.79, 9);
    expect(tailFor({ min: 19, mean: 19, max: 19 })).toBe(0);
  });
});

describe("loading profiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "hv440-profile-"));
  const file = (name: string, body: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, typeof body === "string" ? body : JSON.stringify(body));
    return f;
  };
  it("names the built-in ones, and reads a user's file", () => {
    expect(listProfiles()).toEqual(["sequoia-2008", "ideal"]);
    expect(loadProfile("ideal").exits).toEqual({});
    const f = file("mine.json", { name: "mine", clockHz: 400e6, hostHz: 100, exits: { MMIO: { min: 1, mean: 2, max: 3 } } });
    expect(loadProfile(f)).toMatchObject({ name: "mine", signalPeriodMs: 100, perShadowInvalidate: 0 });
  });
  it("rejects what is not a profile with a user error", () => {
    const bad = [
      "no-such-profile",
      file("broken.json", "{"),
      file("nohz.json", { name: "x", hostHz: 1, exits: {} }),
      file("row.json", { name: "x", clockHz: 1, hostHz: 1, exits: { HALT: { min: 1, mean: 1, max: 1 } } }),
      file("order.json", { name: "x", clockHz: 1, hostHz: 1, exits: { MMIO: { min: 5, mean: 1, max: 9 } } }),
    ];
    for (const b of bad) expect(() => loadProfile(b), b).toThrow(UserError);
    rmSync(dir, { recursive: true, force: true });
  });
});

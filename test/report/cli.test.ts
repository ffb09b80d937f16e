// `hv440 table` and `hv440 compare` as a user runs them (a child process, stdout and stderr not
// terminals): re-rendering the committed golden result, --out, the compare selectors, and bad input
// as one line on stderr with exit code 2. No guest runs here (the golden test has those).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cmdCompare } from "../../src/cli/commands/compare.ts";
import { cmdTable } from "../../src/cli/commands/table.ts";
import { UserError } from "../../src/util/errors.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const GOLDEN = join(import.meta.dirname, "golden");
const SAVED = join(GOLDEN, "tables-small.json");

function hv(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), ...args],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("hv440 table --from (a saved result)", () => {
  const dir = mkdtempSync(join(tmpdir(), "hv440-table-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the golden tables again, byte for byte, with nothing on stderr when it is not a terminal", () => {
    for (const [fmt, ext] of [["text", "txt"], ["json", "json"]]) {
      const r = hv("table", "--from", SAVED, "--format", fmt!);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(join(GOLDEN, `tables-small.${ext}`), "utf8"));
    }
  }, 120_000);

  it("--out writes every format, the charts and the HTML report", () => {
    const out = join(dir, "report");
    const r = hv("table", "--from", SAVED, "--out", out);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["exit-breakdown.svg", "exit-time.svg", "speed.svg", "tables.csv", "tables.html", "tables.json", "tables.md", "tables.txt"]);
    expect(readFileSync(join(out, "tables.txt"), "utf8")).toBe(r.out);
    for (const svg of ["speed", "exit-breakdown", "exit-time"]) expect(readFileSync(join(out, `${svg}.svg`), "utf8")).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>$/);
    // a second time: the same bytes
    const again = join(dir, "again");
    hv("table", "--from", SAVED, "--out", again);
    for (const f of readdirSync(out)) expect(readFileSync(join(again, f), "utf8"), f).toBe(readFileSync(join(out, f), "utf8"));
  }, 120_000);
});

describe("hv440 compare", () => {
  it("two runs of a saved result side by side, selected by workload", () => {
    const r = hv("compare", `${SAVED}#boot`, `${SAVED}#find`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^A: boot \(virt, small\)\n\nsum of time \d+ => ~[\d.]+ s runtime\n/);
    expect(r.out).toMatch(/\nB: find \(virt, small\)\n\nsum of time \d+ => ~[\d.]+ s runtime \(~\d+% net (improvement|slowdown)\)\n/);
    expect(r.out).toMatch(/\ntype +count A +count B +Δcount +Δcount% +sum A +sum B +Δsum +Δsum%\n/);
    expect(r.out).toMatch(/\nsum of time +\d+ +\d+ +[+-]\d+ +[+-][\d.]+%\n/);
    const j = JSON.parse(hv("compare", "--format", "json", `${SAVED}#boot`, `${SAVED}#find`).out) as { runs: unknown[]; comparison: { rows: { type: string }[] } };
    expect(j.runs.length).toBe(2);
    expect(j.comparison.rows.map((x) => x.type)).toContain("time in guest");
  }, 120_000);
});

describe("bad input", () => {
  it("is one line on stderr and exit code 2 (the command line's rule for UserError)", () => {
    const r = hv("table", "--workloads", "nope");
    expect(r.err).toBe("hv440: table: 'nope' is not a workload of the catalog (see 'hv440 list')\n");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
  }, 60_000);

  // the rest in-process: each must be a UserError (never a stack trace) with this message
  const table: [string[], RegExp][] = [
    [["--format", "xml"], /^table: --format: 'xml' is not one of text, csv, json, md$/],
    [["--from", "/nonexistent.json"], /^\/nonexistent.json: no such file$/],
    [["--from", SAVED, "--size", "small"], /^table: --size does not go with --from/],
    [["--reps", "3"], /^table: --reps needs --scoreboard or --all$/],
    [["--scoreboard", "--reps", "1"], /^table: --reps must be between 2 and 100/],
    [["--size", "huge"], /^table: --size: 'huge' is not one of small, default, full$/],
    [["--all", "--workloads", "boot"], /^table: --workloads does not go with --all/],
    [["extra"], /^table: unexpected argument 'extra'$/],
  ];
  it.each(table)("table %j", async (args, msg) => {
    await expect(cmdTable(args)).rejects.toThrow(UserError);
    await expect(cmdTable(args)).rejects.toThrow(msg);
  });
  const compare: [string[], RegExp][] = [
    [[SAVED, SAVED], /^compare: A: .* has 5 matching runs \(.*\): add a selector, e\.g\. .*#boot:pv=off$/],
    [[`${SAVED}#boot:pv=host-patch`, `${SAVED}#boot`], /^compare: A: .* has no virtualized run matching 'boot:pv=host-patch'$/],
    [["nope", "boot"], /^compare: A: 'nope' is neither a saved result nor a workload of the catalog/],
    [["boot:colour=red", "boot"], /^compare: A: 'colour=red' is not KEY=VALUE/],
    [["boot:mode=bare", "boot"], /^compare: A: only virtualized runs have exit statistics/],
    [["boot"], /^compare: give two runs, A and B/],
    [["--pv", "host-patch", "boot", "find"], /^compare: --pv takes one workload/],
  ];
  it.each(compare)("compare %j", async (args, msg) => {
    await expect(cmdCompare(args)).rejects.toThrow(UserError);
    await expect(cmdCompare(args)).rejects.toThrow(msg);
  });
});

// The workloads and microbenchmarks (guest-images/workloads) at their small (test) size under
// `hv440 user` print what they printed under `qemu-ppc -cpu 440epx` — apart from the lines that
// start with "time:" — and exit with status 0. Also: the recorded expectations belong to the
// committed images and data files (re-record with `make -C guest-images/workloads expected`).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runUser } from "../../src/user/runner.ts";
import { GUEST_IMAGES, readManifest } from "../images/manifest-check.ts";

const WL = join(GUEST_IMAGES, "workloads");

interface Run { args: string[] }
interface Workload {
  name: string;
  image: string;
  seed: string;
  small: Run;
  default?: Run;
  full?: Run;
  needs: string[];
  stresses: string;
}
interface Spec { schema: number; qemu: string[]; env: Record<string, string>; programs: Workload[] }
interface Recorded {
  qemu: string;
  runs: Record<string, { image: string; args: string[]; imageSha256: string; inputsSha256: string; outSha256: string }>;
}

const spec = JSON.parse(readFileSync(join(WL, "programs.json"), "utf8")) as Spec;
const recorded = JSON.parse(readFileSync(join(WL, "expected", "recorded.json"), "utf8")) as Recorded;
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/**
 * What `hv440 user` cannot run yet, by the `needs` entry of programs.json. Those runs are
 * skipped here (their expectations are still checked); delete the entry when the runner gains
 * the facility and the test will hold it to QEMU's output.
 */
const RUNNER_GAPS: Record<string, string> = {
  fork: "hv440 user has no fork: clone (120) and wait4 (114) return ENOSYS",
};
const gapOf = (w: Workload) => w.needs.map((n) => RUNNER_GAPS[n]).find((g) => g !== undefined);

/** Output without its "time:" lines (the convention of every workload). */
function dropTimeLines(text: string): string {
  return text.split("\n").filter((l) => !l.startsWith("time:")).join("\n");
}

/** Same recipe as tools/record.mjs: the data files and the tree generator a run depends on. */
function inputsHash(w: Workload): string {
  const h = createHash("sha256");
  for (const need of w.needs) {
    if (/^audio\/./.test(need)) h.update(readFileSync(join(WL, "data", need)));
    if (need === "audio/") {
      for (const f of ["M1F1-synth.wav", "stereo-short.wav"]) h.update(readFileSync(join(WL, "data", "audio", f)));
    }
    if (need === "tree/") h.update(readFileSync(join(WL, "tools", "mktree.mjs")));
  }
  return h.digest("hex");
}

describe("guest-images/workloads/programs.json and expected/", () => {
  const manifest = readManifest(GUEST_IMAGES);

  it("names each run once and uses only built images", () => {
    const names = spec.programs.map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
    for (const w of spec.programs) {
      expect(manifest.images, w.name).toHaveProperty([`workloads/${w.image}`]);
      expect(Array.isArray(w.small.args) && Array.isArray(w.needs), w.name).toBe(true);
      expect(w.stresses, w.name).toMatch(/\S/);
    }
    const images = Object.keys(manifest.images).filter((i) => i.startsWith("workloads/"));
    for (const i of images) expect(spec.programs.some((w) => `workloads/${w.image}` === i), i).toBe(true);
  });

  const outputs = spec.programs.flatMap((w) => [
    [w.name, w, "small"] as const,
    ...(["default", "full"] as const).filter((s) => w[s]).map((s) => [`${w.name}-${s}`, w, s] as const),
  ]);
  it.each(outputs)("%s was recorded from the current image and inputs, not edited since", (out, w, size) => {
    const r = recorded.runs[out];
    const again = "make -C guest-images/workloads expected";
    expect(r, `no recording of ${out}: ${again}`).toBeDefined();
    expect(r?.args, `programs.json changed the arguments of ${out}: ${again}`).toEqual(w[size]?.args);
    expect(r?.imageSha256, `${w.image} changed after ${out} was recorded: ${again}`)
      .toBe(sha256(readFileSync(join(WL, w.image))));
    expect(r?.inputsSha256, `the data files of ${out} changed after it was recorded: ${again}`)
      .toBe(inputsHash(w));
    const text = readFileSync(join(WL, "expected", `${out}.out`), "utf8");
    expect(r?.outSha256, `expected/${out}.out was edited by hand`).toBe(sha256(text));
    expect(text.endsWith("\n") && !/^time:/m.test(text), out).toBe(true);
  });
});

describe("workloads under hv440 user (small size)", () => {
  let data = "";
  beforeAll(() => {
    // {data}: the committed audio files and the generated tree, as `make data` builds them
    data = mkdtempSync(join(tmpdir(), "hv440-wl-data-"));
    cpSync(join(WL, "data", "audio"), join(data, "audio"), { recursive: true });
    const g = spawnSync(process.execPath, [join(WL, "tools", "mktree.mjs"), join(data, "tree")],
      { encoding: "utf8" });
    if (g.status !== 0) throw new Error(`mktree.mjs failed: ${g.stderr}`);
  }, 60_000);
  afterAll(() => {
    if (data) rmSync(data, { recursive: true, force: true });
  });

  for (const w of spec.programs) {
    const gap = gapOf(w);
    it.skipIf(gap !== undefined)(`${w.name} ${w.small.args.join(" ")}${gap ? ` (skipped: ${gap})` : ""}`, () => {
      const tmp = mkdtempSync(join(tmpdir(), `hv440-wl-${w.name}-`));
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      try {
        const image = join(WL, w.image);
        const args = w.small.args.map((a) => a.replaceAll("{data}", data).replaceAll("{tmp}", tmp));
        const r = runUser({
          image: readFileSync(image), exePath: image, argv: [image, ...args],
          env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`), cwd: tmp,
          stdin: { read: () => new Uint8Array(0) },
          stdout: { write: (b) => { out.push(Buffer.from(b)); return b.length; } },
          stderr: { write: (b) => { err.push(Buffer.from(b)); return b.length; } },
          maxInsns: 1e9,
        });
        const text = Buffer.concat(out).toString("utf8");
        expect(existsSync(join(WL, "expected", `${w.name}.out`))).toBe(true);
        const expected = readFileSync(join(WL, "expected", `${w.name}.out`), "utf8");
        expect(dropTimeLines(text)).toBe(dropTimeLines(expected));
        expect(Buffer.concat(err).toString("utf8")).toBe("");
        expect(r).toMatchObject({ kind: "exit", status: 0 });
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});

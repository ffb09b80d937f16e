// The recorded expectations of the user-mode test programs are complete and belong to the
// committed images (re-record with `make -C guest-images expected` after a rebuild).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUEST_IMAGES, readManifest } from "./manifest-check.ts";
import {
  USER_DIR, compareUserOutput, expectedOutput, expectedStatus, imagePath, loadUserPrograms,
} from "./user-programs.ts";

const spec = loadUserPrograms();
const manifest = readManifest(GUEST_IMAGES);
const recorded = JSON.parse(readFileSync(join(USER_DIR, "expected", "recorded.json"), "utf8")) as {
  qemu: string;
  runs: Record<string, { image: string; imageSha256: string; outSha256: string; status: number }>;
};
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const hasPython = spawnSync("python3", ["--version"]).status === 0;

describe("guest-images/user/programs.json", () => {
  it("names each run once and uses only built images", () => {
    const names = spec.programs.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of spec.programs) {
      expect(manifest.images, p.name).toHaveProperty([`user/${p.image}`]);
      expect(existsSync(imagePath(p)), p.image).toBe(true);
      expect(Array.isArray(p.args) && typeof p.env === "object", p.name).toBe(true);
      expect(["qemu", "model"], p.name).toContain(p.expected);
    }
  });

  it("has a run for every image of guest-images/user", () => {
    const images = Object.keys(manifest.images).filter((i) => i.startsWith("user/"));
    for (const i of images) {
      expect(spec.programs.some((p) => `user/${p.image}` === i), i).toBe(true);
    }
  });
});

describe.each(spec.programs.map((p) => [p.name, p] as const))("expected output of %s", (name, p) => {
  it("exists, with the exit status programs.json gives", () => {
    expect(expectedStatus(p)).toBe(p.status);
    expect(expectedOutput(p).endsWith("\n")).toBe(true);
  });

  it("was recorded from the current image and not edited since", () => {
    const r = recorded.runs[name];
    expect(r, `no recording of ${name}: make -C guest-images expected`).toBeDefined();
    expect(r?.imageSha256, `${p.image} changed after ${name} was recorded: ` +
      "make -C guest-images expected").toBe(sha256(readFileSync(imagePath(p))));
    expect(r?.outSha256, `expected/${name}.out was edited by hand`).toBe(
      sha256(readFileSync(join(USER_DIR, "expected", `${name}.out`))));
  });

  it("uses the UNDEF / QEMU-DIVERGES conventions correctly", () => {
    for (const line of expectedOutput(p).split("\n")) {
      if (line.startsWith("UNDEF:")) expect(line).toMatch(/^UNDEF: .+ -> \S/);
      if (line.startsWith("QEMU-DIVERGES")) {
        expect(line).toMatch(/^QEMU-DIVERGES\([^)]+\): .* [\w/.-]+=\S+ manual=\S+$/);
      }
    }
  });

  if (p.expected === "model") it.runIf(hasPython)("equals what its reference model prints now", () => {
    const r = spawnSync("python3", [join(GUEST_IMAGES, p.model ?? "")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout === expectedOutput(p), `${p.model} output differs from expected/${name}.out`)
      .toBe(true);
  });
});

describe("compareUserOutput", () => {
  const fp = spec.programs.find((p) => p.name === "fpops");
  const exp = fp ? expectedOutput(fp) : "";

  it("accepts QEMU's own output in qemu mode, and rejects it in manual mode", () => {
    expect(compareUserOutput(exp, exp, "qemu")).toEqual([]);
    // lines where QEMU's value differs from the manual's (on a few, QEMU happens to agree)
    const diverging = exp.split("\n").filter((l) => {
      const m = /^QEMU-DIVERGES\(.*=(\S+) manual=(\S+)$/.exec(l);
      return m !== null && m[1] !== m[2];
    }).length;
    expect(diverging).toBeGreaterThan(0);
    expect(compareUserOutput(exp, exp, "manual").length).toBe(diverging);
  });

  it("accepts a faithful 440's output (manual values, other undefined values) in manual mode", () => {
    const faithful = exp.split("\n").map((l) => l
      .replace(/^(QEMU-DIVERGES\([^)]+\): .* [\w/.-]+=)(\S+)( manual=)(\S+)$/, "$1$4$3$4")
      .replace(/^(UNDEF: .*? -> ).*$/, "$1whatever")).join("\n");
    expect(compareUserOutput(exp, faithful, "manual")).toEqual([]);
  });

  it("reports changed, missing and extra lines", () => {
    expect(compareUserOutput("a\nb\n", "a\nc\n")).toEqual([{ line: 2, expected: "b", actual: "c" }]);
    expect(compareUserOutput("a\nb\n", "a\n").map((m) => m.line)).toEqual([2, 3]);
    expect(compareUserOutput("UNDEF: x -> 1\n", "UNDEF: y -> 1\n").length).toBe(1);
  });
});

// Guest images are committed build products: fail when one is stale against its sources, was
// modified or is missing, or when a source file in an image folder is covered by no image.
// Fix: `make -C guest-images` (needs the cross toolchain; this test does not).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GUEST_IMAGES, checkManifest, readManifest } from "./manifest-check.ts";

const problems = checkManifest(GUEST_IMAGES);
const manifest = readManifest(GUEST_IMAGES);
const explain = (list: { message: string }[]) => list.map((p) => p.message).join("\n");

describe("guest-images/manifest.json against the working tree", () => {
  it("has a schema-1 manifest with images", () => {
    expect(manifest.schema).toBe(1);
    expect(Object.keys(manifest.images).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(manifest.images))("%s is up to date with its sources", (image) => {
    const mine = problems.filter((p) => p.image === image);
    expect(mine, explain(mine)).toEqual([]);
  });

  it("covers every source file of every image folder, and every file in bin/", () => {
    const other = problems.filter((p) => !(p.image in manifest.images));
    expect(other, explain(other)).toEqual([]);
  });

  it("records the toolchain and flags of every image", () => {
    for (const [image, e] of Object.entries(manifest.images)) {
      expect(e.toolchain, image).toMatch(/\S/);
      expect(e.sha256, image).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(e.sources).length, image).toBeGreaterThan(0);
    }
  });
});

// The mechanism itself, on a scratch tree: the real manifest.mjs writes the manifest (with a
// dummy compiler, so no toolchain is needed), the checker must then notice every kind of change.
describe("stale-image detection (scratch tree)", () => {
  const root = mkdtempSync(join(tmpdir(), "hv440-manifest-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (rel: string, text: string) => {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const record = () => {
    const r = spawnSync(process.execPath, [
      join(GUEST_IMAGES, "tools", "manifest.mjs"), "update", "--root", root, "--folder", "demo",
      "--cc", "true", "--flags", "-O2", "bin/a.elf",
    ], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  };
  const files = () => checkManifest(root).map((p) => `${p.image} ${p.file}`);

  put("tools/image.mk", "# shared rules\n");
  put("demo/Makefile", "IMAGES := a\ninclude ../tools/image.mk\n");
  put("demo/src/a.c", "int main(void) { return 0; }\n");
  put("demo/src/common.h", "#define X 1\n");
  put("demo/bin/a.elf", "ELF image bytes");
  put("demo/build/a.elf.deps",
    "build/a.o: src/a.c \\\n src/common.h\nsrc/common.h:\nbin/a.elf: Makefile ../tools/image.mk\n");

  it("a fresh manifest has no problems and lists all dependencies", () => {
    record();
    expect(files()).toEqual([]);
    const e = readManifest(root).images["demo/bin/a.elf"];
    expect(Object.keys(e?.sources ?? {})).toEqual(
      ["demo/Makefile", "demo/src/a.c", "demo/src/common.h", "tools/image.mk"]);
  });

  it("names the image and the file when a source changes", () => {
    put("demo/src/common.h", "#define X 2\n");
    expect(files()).toEqual(["demo/bin/a.elf demo/src/common.h"]);
    put("demo/src/common.h", "#define X 1\n");
    put("tools/image.mk", "# shared rules, changed\n");
    expect(files()).toEqual(["demo/bin/a.elf tools/image.mk"]);
    put("tools/image.mk", "# shared rules\n");
    expect(files()).toEqual([]);
  });

  it("notices a modified or missing image", () => {
    put("demo/bin/a.elf", "ELF image bytes, patched");
    expect(files()).toEqual(["demo/bin/a.elf demo/bin/a.elf"]);
    unlinkSync(join(root, "demo/bin/a.elf"));
    expect(files()).toEqual(["demo/bin/a.elf demo/bin/a.elf"]);
    put("demo/bin/a.elf", "ELF image bytes");
    expect(files()).toEqual([]);
  });

  it("notices sources and images no manifest entry covers", () => {
    put("demo/src/new.c", "int unused;\n");
    put("demo/bin/b.elf", "stray");
    expect(files()).toEqual(["demo demo/src/new.c", "demo/bin/b.elf demo/bin/b.elf"]);
    unlinkSync(join(root, "demo/src/new.c"));
    unlinkSync(join(root, "demo/bin/b.elf"));
    put("other/Makefile", "IMAGES := c\n");
    expect(files()).toEqual(["other other/Makefile", "other other/Makefile"]);
    rmSync(join(root, "other"), { recursive: true });
    expect(files()).toEqual([]);
  });

  it("a rebuild (new manifest) clears the problems", () => {
    put("demo/src/a.c", "int main(void) { return 1; }\n");
    expect(files()).toEqual(["demo/bin/a.elf demo/src/a.c"]);
    record();
    expect(files()).toEqual([]);
  });
});

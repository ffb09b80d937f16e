// Consistency of the bare-metal self-test fixtures (guest-images/bare): programs.json, the
// expected outputs of a manual-faithful 440 (.expected), QEMU's recorded outputs (.qemu) and the
// divergence list that explains every difference. Needs no cross toolchain and no QEMU.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  BARE_DIR, type OutputLine, barePrograms, divergences, expectedOutput, parseOutput,
  programsJson, qemuOutput,
} from "./expected.ts";

const REFERENCE = "/work/shared/reference/ppc440.md";
const programs = barePrograms();
const div = divergences();
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const checks = (lines: OutputLine[]) => lines.filter((l) => l.kind === "PASS" || l.kind === "FAIL");

describe("guest-images/bare/programs.json", () => {
  it("lists each program once, with its image, fixtures and machine options", () => {
    expect(programsJson().schema).toBe(1);
    const names = programs.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(
      ["hello", "mmu", "interrupts", "timers", "uic-uart", "virtio-blk", "watchdog-reset"]));
    for (const p of programs) {
      expect(existsSync(p.imagePath), p.image).toBe(true);
      expect(existsSync(join(BARE_DIR, "expected", `${p.name}.expected`)), p.name).toBe(true);
      expect(qemuOutput(p.name) !== undefined, `${p.name}: .qemu exists iff qemu.run`).toBe(p.qemu.run);
      if (!p.qemu.run) expect(div.notRecordedOnQemu[p.name], p.name).toMatch(/\S/);
      expect(["dbcr0-reset", "watchdog-reset"]).toContain(p.stop);
      expect(p.ramMiB).toBeGreaterThanOrEqual(128);
      expect(p.maxInstructions).toBeGreaterThan(0);
      if (p.disk) {
        expect(existsSync(p.diskPath!), p.disk.image).toBe(true);
        expect(readFileSync(p.diskPath!).length).toBe(p.disk.sectors * 512);
      }
    }
  });

  it("registers every image in guest-images/manifest.json (stale-image test)", () => {
    const manifest = JSON.parse(readFileSync(join(BARE_DIR, "..", "manifest.json"), "utf8")) as {
      images: Record<string, unknown>;
    };
    for (const p of programs) expect(manifest.images, p.image).toHaveProperty([`bare/${p.image}`]);
  });

  it("has the disk image that disk/mkdisk.mjs generates", async () => {
    const mod = (await import(pathToFileURL(join(BARE_DIR, "disk", "mkdisk.mjs")).href)) as {
      image: () => Buffer;
    };
    for (const p of programs.filter((q) => q.disk)) {
      expect(readFileSync(p.diskPath!).equals(mod.image()), p.disk!.image).toBe(true);
    }
  });
});

describe.each(programs.map((p) => [p.name, p] as const))("expected/%s.expected", (name, p) => {
  const lines = parseOutput(expectedOutput(name));

  it("starts with BEGIN and ends as the program's stop reason says", () => {
    expect(lines[0]).toMatchObject({ kind: "BEGIN", name });
    const last = lines[lines.length - 1]!;
    if (p.stop === "dbcr0-reset") expect(last).toMatchObject({ kind: "DONE", name });
    else expect(lines.some((l) => l.kind === "DONE")).toBe(false);
  });

  it("has only PASS lines, apart from explained informational lines", () => {
    for (const l of lines) {
      if (l.kind === "BEGIN" || l.kind === "DONE" || l.kind === "PASS") continue;
      expect(l.kind, l.line).toBe("TEXT");
      expect(div.informational[name]?.[l.line], `unexplained line ${JSON.stringify(l.line)}`)
        .toMatch(/\S/);
    }
    expect(checks(lines).length).toBeGreaterThan(0);
  });

  it("names every check once", () => {
    const names = checks(lines).map((l) => l.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe.each(programs.filter((p) => p.qemu.run).map((p) => [p.name, p] as const))(
  "expected/%s.qemu against .expected", (name) => {
    const exp = parseOutput(expectedOutput(name));
    const qemu = parseOutput(qemuOutput(name)!);
    const entries = div.programs[name] ?? {};

    // the check names (and DONE) whose line differs between the two outputs
    const differing = (): string[] => {
      const e = new Map(checks(exp).map((l) => [l.name, l.kind]));
      const q = new Map(checks(qemu).map((l) => [l.name, l.kind]));
      const out = [...new Set([...e.keys(), ...q.keys()])].filter((n) => e.get(n) !== q.get(n));
      if (exp.some((l) => l.kind === "DONE") !== qemu.some((l) => l.kind === "DONE")) out.push("DONE");
      return out.sort();
    };

    it("prints the same non-check lines and the common checks in the same order", () => {
      const other = (ls: OutputLine[]) => ls.filter((l) => l.kind === "TEXT" || l.kind === "BEGIN")
        .map((l) => l.line);
      expect(other(qemu)).toEqual(other(exp));
      const inBoth = new Set(checks(qemu).map((l) => l.name));
      expect(checks(qemu).map((l) => l.name))
        .toEqual(checks(exp).map((l) => l.name).filter((n) => inBoth.has(n)).concat(
          checks(qemu).map((l) => l.name).filter((n) => !checks(exp).some((l) => l.name === n))));
    });

    it("explains every difference in divergences.json, and lists nothing else", () => {
      expect(Object.keys(entries).sort()).toEqual(differing());
    });

    it("maps each difference to a section 0 item or a documented new divergence", () => {
      for (const [check, e] of Object.entries(entries)) {
        expect(e.reason, check).toMatch(/\S/);
        expect(Boolean(e.items?.length) || Boolean(e.new), `${check}: items or new`).toBe(true);
        for (const item of e.items ?? []) expect(div.section0, `${check}: item ${item}`).toHaveProperty([String(item)]);
        if (e.new) expect(div.new, `${check}: new ${e.new}`).toHaveProperty([e.new]);
      }
    });
  });

describe("guest-images/bare/divergences.json", () => {
  it("describes every new divergence and uses each one", () => {
    const used = new Set(Object.values(div.programs).flatMap((m) => Object.values(m))
      .map((e) => e.new).filter(Boolean));
    for (const [k, n] of Object.entries(div.new)) {
      expect(n.area, k).toMatch(/\S/);
      expect(n.manual, k).toMatch(/\S/);
      expect(n.qemu, k).toMatch(/\S/);
      expect(used.has(k), `${k} is used`).toBe(true);
    }
  });

  it.skipIf(!existsSync(REFERENCE))("section0 matches the table in ppc440.md section 0", () => {
    const text = readFileSync(REFERENCE, "utf8");
    const start = text.indexOf("## 0."), end = text.indexOf("\n## 1.", start);
    const table: Record<string, string> = {};
    for (const m of text.slice(start, end).matchAll(/^\| (\d+) \| ([^|]+) \|/gm)) {
      table[m[1]!] = m[2]!.trim();
    }
    for (const [n, area] of Object.entries(div.section0)) expect(table[n], `item ${n}`).toBe(area);
  });
});

describe("guest-images/bare/expected/recorded.json", () => {
  const recorded = JSON.parse(readFileSync(join(BARE_DIR, "expected", "recorded.json"), "utf8")) as {
    qemu: string;
    programs: Record<string, { command: string; image_sha256: string; output_sha256: string }>;
  };

  it.each(programs.filter((p) => p.qemu.run).map((p) => [p.name, p] as const))(
    "%s.qemu was recorded from the current image, unedited", (name, p) => {
      const r = recorded.programs[name];
      expect(r, name).toBeDefined();
      expect(r!.image_sha256, `${name}: re-record with make -C guest-images/bare expected`)
        .toBe(sha256(readFileSync(p.imagePath)));
      expect(r!.output_sha256).toBe(sha256(readFileSync(join(BARE_DIR, "expected", `${name}.qemu`))));
      expect(r!.command).toContain(p.qemu.icount ? "-icount shift=0" : "-kernel");
      if (!p.qemu.icount) expect(r!.command).not.toContain("-icount");
    });
});

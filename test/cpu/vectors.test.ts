/**
 * Per-instruction test vectors (test/cpu/vectors/*.json, format in test/cpu/vectors/README.md):
 * initial state -> one instruction -> expected state, on a fresh CPU each. Expected states come
 * from QEMU 7.2 where it is a faithful oracle, from an independent reference model (MAC), or
 * from the manual (interrupts, privileged state); each vector names its oracle.
 * Regenerate with `npx tsx test/cpu/vectors/oracle/gen.ts` (needs the cross toolchain and QEMU).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INSNS } from "../../src/isa/table.ts";
import { decodeExec as lookup } from "../../src/isa/exec.ts";
import { runVector, type Vector, type VectorFile } from "./vectors/runner.ts";
import { compileFolded, runFolded } from "./vectors/folded.ts";

const DIR = join(import.meta.dirname, "vectors");
const files: VectorFile[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")) as VectorFile);
const all: Vector[] = files.flatMap((f) => f.vectors);

describe.each(files.map((f) => [f.family, f] as const))("%s", (_family, file) => {
  compileFolded(file.vectors);
  // each vector runs through the generated interpreter and through the constant-folded form of
  // the same semantics (what a block compiler emits); mismatches of the latter say [folded]
  it.each(file.vectors.map((v) => [`${v.insn}: ${v.name}`, v] as const))("%s", (_title, v) => {
    expect([...runVector(v), ...runFolded(v)]).toEqual([]);
  });
});

describe("vector set", () => {
  it("has at least one vector for every mnemonic in INSNS", () => {
    const have = new Set(all.map((v) => v.insn));
    const missing = INSNS.map((s) => s.mnemonic).filter((m) => !have.has(m));
    expect(missing).toEqual([]);
  });

  it("names the mnemonic its first word encodes (\"illegal\": no row matches)", () => {
    const wrong = all
      .filter((v) => (lookup(Number.parseInt(v.words[0]!, 16) >>> 0)?.mnemonic ?? "illegal") !== v.insn)
      .map((v) => `${v.name}: ${v.words[0]}`);
    expect(wrong).toEqual([]);
  });

  it("has unique names within each family", () => {
    for (const f of files) {
      const names = f.vectors.map((v) => v.name);
      expect(names.length, f.family).toBe(new Set(names).size);
    }
  });
});

// `hv440 disasm` through the real command line: objdump's layout for a function, and one-line
// errors for images and arguments it cannot use.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EM, makeElf } from "./elf-bytes.ts";
import { ROOT, STACK_TRACE, hv440 } from "./spawn.ts";

const HELLO = "guest-images/bare/bin/hello.elf";
const dir = mkdtempSync(join(tmpdir(), "hv440-cli-disasm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hv440 disasm", () => {
  it("prints what `objdump -d -M 440` prints", () => {
    const r = hv440(["disasm", "--symbol", "main", HELLO]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 7)).toEqual(["", `${HELLO}:     file format elf32-powerpc`, "", "", "Disassembly of section .text:", "", "0001031c <main>:"]);
    expect(lines[7]).toBe("   1031c:\t94 21 ff f0 \tstwu    r1,-16(r1)");
    expect(r.stdout).toMatch(/\tbl      [0-9a-f]+ <bprintf>\n/); // branch targets with their symbol
    const objdump = spawnSync("powerpc-linux-gnu-objdump", ["-d", "-M", "440", HELLO], { cwd: ROOT, encoding: "utf8" });
    if (objdump.status === 0) {
      // where the cross toolchain is installed: the whole image, byte for byte (labels, `...` runs)
      const all = hv440(["disasm", HELLO]);
      expect(all.stdout).toBe(objdump.stdout);
    }
  });

  it("refuses what it cannot read in one line", () => {
    const x86 = join(dir, "x86.elf");
    writeFileSync(x86, makeElf({ machine: EM.X86_64, cls: 2, data: 1 }));
    for (const [args, msg] of [
      [["disasm", x86], `hv440: ${x86}: ELF for another machine (x86-64, 64-bit, little-endian); hv440 runs 32-bit big-endian PowerPC`],
      [["disasm", "--symbol", "nope", HELLO], `hv440: disasm: no symbol 'nope' in ${HELLO}`],
      [["disasm", "--start", "zz", HELLO], "hv440: disasm: bad address 'zz'"],
    ] as const) {
      const r = hv440(args);
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(r.stderr).toBe(`${msg}\n`);
      expect(r.status).toBe(2);
    }
  });
});

// `hv440 run` as a user runs it: the hello image greets and exits 0, and every -d item writes
// QEMU-like lines (to stderr, or to the -D file) — compared with QEMU 7.2's own output where a
// fixture of it is committed (guest-images/bare/expected, see qemu-trace.mjs).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { compareTraces, traceBlocks } from "../../src/machine/trace.ts";
import { ROOT, STACK_TRACE, hv440 } from "./spawn.ts";

const dir = mkdtempSync(join(tmpdir(), "hv440-cli-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BARE = "guest-images/bare";
const HELLO = `${BARE}/bin/hello.elf`;
const expected = (f: string) => readFileSync(join(ROOT, BARE, "expected", f));

describe("hv440 run guest-images/bare/bin/hello.elf", () => {
  it("prints the greeting and exits 0", () => {
    const r = hv440(["run", HELLO]);
    expect(r.stdout).toBe(expected("hello.expected").toString("latin1"));
    expect(r.stdout).toContain("Hello from a bare-metal PowerPC 440 (PVR 200008d0)\n");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("-d cpu -D FILE: the state trace", () => {
  const log = join(dir, "hello-cpu.log");
  const r = hv440(["run", "-d", "cpu", "-D", log, HELLO]);

  it("goes to the file, not to the console or stderr", () => {
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected("hello.expected").toString("latin1"));
    expect(r.stderr).toBe("");
    expect(readFileSync(log, "latin1")).toMatch(/^NIP 00010248   LR 00000000 CTR 00000000 XER 00000000 CPU#0\nMSR 00000000 HID0 00000000  HF 00000000 iidx 1 didx 1\nTB /);
  });

  it("diffs clean against QEMU's -singlestep -d nochain,cpu of the same image (the README's recipe)", () => {
    const qemu = traceBlocks(gunzipSync(expected("hello.qemu-trace.gz")).toString("latin1"));
    const ours = traceBlocks(readFileSync(log, "latin1"));
    expect(compareTraces(qemu, ours)).toBeNull();
    const d = spawnSync(process.execPath, [join(BARE, "qemu-trace.mjs"), "diff", join(BARE, "expected", "hello.qemu-trace.gz"), log], { cwd: ROOT, encoding: "utf8" });
    expect(d.stdout).toBe("4498 instructions agree\n");
    expect(d.status).toBe(0);
  });
});

describe("-d int,unimp", () => {
  const r = hv440(["run", "-d", "int,unimp", `${BARE}/bin/interrupts.elf`]);
  const lines = r.stderr.split("\n");

  it("names each interrupt as QEMU does, at the instruction that raised it, with ESR/DEAR and the symbol", () => {
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    // QEMU 7.2 -d int,unimp of this image prints the same sequence (with its internal error=
    // codes instead of ESR/DEAR, and HV_EMU (96) for the illegal instruction)
    expect(lines.slice(0, 11)).toEqual([
      "invalid/unsupported opcode: 00 - 00 - 00 - 00 (00000000) 00010358",
      "Raise exception at 00010358 => PROGRAM (6) ESR 08000000 <l_illegal>",
      "Raise exception at 00010374 => PROGRAM (6) ESR 04000000 <l_u_mfmsr>",
      "Raise exception at 00011ef0 => SYSCALL (8) <run_as_sc>",
      "Raise exception at 00010360 => PROGRAM (6) ESR 02000000 <l_trap>",
      "Trying to read invalid spr 259 (0x103) at 0001037c",
      "Raise exception at 0001037c => PROGRAM (6) ESR 08000000 <l_u_spr259>",
      "Raise exception at 00011ef0 => SYSCALL (8) <run_as_sc>",
      "Trying to read privileged spr 272 (0x110) at 00010384",
      "Raise exception at 00010384 => PROGRAM (6) ESR 04000000 <l_u_spr272>",
      "Raise exception at 00011ef0 => SYSCALL (8) <run_as_sc>",
    ]);
    expect(lines).toContain("Raise exception at 0001040c => DSI (2) ESR 00000000 DEAR 60002010 <l_u_ld_s>");
    expect(lines).toContain("Raise exception at 70000080 => ITLB (14)");
    for (const n of ["CRITICAL (0)", "EXTERNAL (4)", "DECR (10)", "MCHECK (1)"]) expect(r.stderr).toContain(` => ${n}`);
  });

  it("says which physical address nothing answers at (QEMU: -d guest_errors)", () => {
    expect(lines).toContain("Invalid read at addr 0xD0000010, size 4, region '(null)', reason: rejected (pc 000104cc)");
  });
});

describe("-d mmu", () => {
  const r = hv440(["run", "-d", "mmu", `${BARE}/bin/mmu.elf`]);
  const lines = r.stderr.split("\n").filter(Boolean);

  it("logs every tlbwe exactly as QEMU 7.2 does for the same image", () => {
    expect(r.status).toBe(0);
    const tlbwe = lines.filter((l) => l.startsWith("helper_440_tlbwe "));
    expect(tlbwe.join("\n") + "\n").toBe(expected("mmu.qemu-tlbwe.txt").toString("latin1"));
  });

  it("logs the UTLB searches of software-TLB misses in QEMU's words", () => {
    const other = lines.filter((l) => !l.startsWith("helper_440_tlbwe "));
    for (const l of other) expect(l).toMatch(/^mmubooke_get_physical_address: access (granted [0-9a-f]{8} => [0-9a-f]{16} [0-7] 0|refused [0-9a-f]{8} => f{16} 0 -[123])$/);
    expect(other).toContain("mmubooke_get_physical_address: access granted 00010248 => 0000000000010248 7 0");
    expect(other).toContain("mmubooke_get_physical_address: access refused 3ffffffc => ffffffffffffffff 0 -1");
    expect(other.some((l) => / 0 -2$/.test(l)), "a permission refusal").toBe(true);
  });
});

describe("-d in_asm,exec", () => {
  it("shows each new instruction as QEMU's translator does, and each executed one", () => {
    const r = hv440(["run", "-d", "in_asm,exec", "--max-insns", "2", HELLO]);
    expect(r.status).toBe(124);
    expect(r.stderr.startsWith([
      "----------------", "IN: _start", "0x00010248:  7c7f1b78  mr      r31,r3", "",
      "Trace 0: [00000000/00010248/00000000/00000000] _start",
      "----------------", "IN: _start", "0x0001024c:  3c800001  lis     r4,1", "",
      "Trace 0: [00000000/0001024c/00000000/00000000] _start",
      "hv440: ",
    ].join("\n")), r.stderr).toBe(true);
  });

  it("lists the items with -d help", () => {
    const r = hv440(["run", "-d", "help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^run: -d accepts: int, mmu, exec, cpu, in_asm, unimp/);
  });
});

// `hv440 run` with bad input, through the real command line: every case is one clear line on
// stderr (`hv440: ...`) and a non-zero exit status, never a host stack trace. A guest that does
// not stop says where it was. Exit statuses are documented in the README (run section).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { EM, makeElf, words } from "./elf-bytes.ts";
import { STACK_TRACE, errorLines, hv440, hv440ClosingStdout, type CliResult } from "./spawn.ts";

const dir = mkdtempSync(join(tmpdir(), "hv440-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const HELLO = "guest-images/bare/bin/hello.elf";

/** The run failed with exactly one line on stderr, nothing on stdout. */
function oneLineError(r: CliResult, status: number, message: string | RegExp): void {
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect(r.stdout).toBe("");
  expect(r.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(typeof message === "string" ? new RegExp(`^hv440: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : message);
  expect(r.status).toBe(status);
}

describe("hv440 run: images that are not for this machine", () => {
  it("an x86-64 ELF", () => {
    const p = file("x86.elf", makeElf({ machine: EM.X86_64, cls: 2, data: 1 }));
    oneLineError(hv440(["run", p]), 2, `${p}: ELF for another machine (x86-64, 64-bit, little-endian); hv440 runs 32-bit big-endian PowerPC`);
  });

  it("a 64-bit PowerPC ELF", () => {
    const p = file("ppc64.elf", makeElf({ machine: EM.PPC64, cls: 2 }));
    oneLineError(hv440(["run", p]), 2, `${p}: ELF for another machine (PowerPC64, 64-bit, big-endian); hv440 runs 32-bit big-endian PowerPC`);
  });

  it("a little-endian 32-bit PowerPC ELF", () => {
    const p = file("ppcle.elf", makeElf({ data: 1 }));
    oneLineError(hv440(["run", p]), 2, `${p}: ELF for another machine (PowerPC, 32-bit, little-endian); hv440 runs 32-bit big-endian PowerPC`);
  });

  it("a relocatable object, not an executable", () => {
    const p = file("obj.o", makeElf({ type: 1 }));
    oneLineError(hv440(["run", p]), 2, `${p}: not an executable (ELF type 1)`);
  });

  it("a file that is not an ELF at all", () => {
    const t = file("notes.txt", "hello world\n");
    oneLineError(hv440(["run", t]), 2, `${t}: not an ELF file`);
  });

  it("a Linux program (hint: hv440 user)", () => {
    const r = hv440(["run", "guest-images/user/bin/hello.elf"]);
    oneLineError(r, 2, /segment 0 at physical 0x10000000-0x[0-9a-f]+ is outside RAM \(0-0x7ffffff, 128 MiB\) \(a Linux program\? 'hv440 user' runs those\)$/);
  });
});

describe("hv440 run: truncated and malformed ELF files", () => {
  const good = makeElf();

  it("cut inside the ELF header", () => {
    const p = file("cut-header.elf", good.subarray(0, 40));
    oneLineError(hv440(["run", p]), 2, `${p}: truncated ELF file (no complete ELF header)`);
  });

  it("cut inside the program headers", () => {
    const p = file("cut-phdrs.elf", good.subarray(0, 60));
    oneLineError(hv440(["run", p]), 2, `${p}: truncated ELF file (program headers past the end)`);
  });

  it("cut inside a segment", () => {
    const big = makeElf({ segments: [{ vaddr: 0x10000, data: new Uint8Array(256) }] });
    const p = file("cut-segment.elf", big.subarray(0, big.length - 100));
    oneLineError(hv440(["run", p]), 2, `${p}: truncated ELF file (segment 0 extends past the end of the file)`);
  });

  it("a corrupt identification, a segment larger on file than in memory, no loadable segment", () => {
    const bad = makeElf();
    bad[4] = 7;
    const p = file("class7.elf", bad);
    oneLineError(hv440(["run", p]), 2, `${p}: corrupt ELF header (class 7, data encoding 2)`);
    const q = file("filesz.elf", makeElf({ segments: [{ vaddr: 0x10000, data: words(0x48000000, 0), memsz: 4 }] }));
    oneLineError(hv440(["run", q]), 2, `${q}: corrupt segment 0 (file size larger than memory size)`);
    const n = file("note-only.elf", makeElf({ segments: [{ type: 4, vaddr: 0, data: words(0) }] }));
    oneLineError(hv440(["run", n]), 2, `${n}: no loadable segments`);
  });

  it("an entry point outside every segment", () => {
    const p = file("entry.elf", makeElf({ entry: 0x20000000 }));
    oneLineError(hv440(["run", p]), 2, `${p}: the entry point 0x20000000 is in no loadable segment`);
  });

  it("a damaged section table costs the symbols, not the run", () => {
    const b = makeElf({ segments: [{ vaddr: 0x10000, data: words(0x38600000, 0x48000000) }] });
    new DataView(b.buffer).setUint32(32, 0x20); // e_shoff into the program headers
    new DataView(b.buffer).setUint16(48, 3); // e_shnum
    new DataView(b.buffer).setUint16(46, 40);
    const r = hv440(["run", "--max-insns", "10", file("shdr.elf", b)]);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.status).toBe(124);
  });
});

describe("hv440 run: segments that do not fit the board", () => {
  const at = (pa: number, bytes = 4) => makeElf({ segments: [{ vaddr: pa, data: words(0x48000000), memsz: bytes }] });

  it("outside RAM, and the same image inside a larger RAM (-m)", () => {
    const p = file("high.elf", at(0x10000000));
    oneLineError(hv440(["run", p]), 2, `${p}: segment 0 at physical 0x10000000-0x10000003 is outside RAM (0-0x7ffffff, 128 MiB)`);
    const r = hv440(["run", "-m", "512M", "--max-insns", "100", p]);
    expect(r.status).toBe(124); // loaded and ran: a branch to itself never stops
  });

  it("over the registers of a device", () => {
    const p = file("uart.elf", at(0xef600000, 0x1000));
    oneLineError(hv440(["run", p]), 2, `${p}: segment 0 at physical 0xef600000-0xef600fff is outside RAM (0-0x7ffffff, 128 MiB), over the registers of uart0 at 0xef600300`);
  });

  it("over the device tree QEMU's bamboo puts at 0x01800000", () => {
    const p = file("dtb.elf", at(0x01800000));
    oneLineError(hv440(["run", p]), 2, `${p}: segment 0 at 0x1800000 overlaps the device tree at 0x1800000`);
  });
});

describe("hv440 run: bad options", () => {
  it("an image or disk that does not exist", () => {
    oneLineError(hv440(["run", join(dir, "none.elf")]), 2, /none\.elf: .*no such file$/);
    oneLineError(hv440(["run", "--drive", `file=${join(dir, "none.img")}`, HELLO]), 2, `drive ${join(dir, "none.img")}: no such file`);
    oneLineError(hv440(["run", "--drive", `file=${dir}`, HELLO]), 2, `drive ${dir}: is a directory`);
    oneLineError(hv440(["run", "--drive", "readonly", HELLO]), 2, "run: --drive needs file=PATH");
  });

  it("unknown options and commands, missing and extra arguments", () => {
    oneLineError(hv440(["run", "--frobnicate", HELLO]), 2, "run: unknown option --frobnicate (see 'hv440 help run')");
    oneLineError(hv440(["frobnicate"]), 2, "unknown command 'frobnicate' (see 'hv440 help')");
    oneLineError(hv440(["run"]), 2, /^hv440: run: missing .*usage: hv440 run/);
    oneLineError(hv440(["run", HELLO, "extra"]), 2, "run: unexpected argument 'extra'");
    oneLineError(hv440(["run", "--max-insns", "lots", HELLO]), 2, "run: --max-insns expects a number, got 'lots'");
    oneLineError(hv440(["run", "-d", "int,bogus", HELLO]), 2, /^hv440: run: -d: 'bogus' is not one of int, mmu, exec, cpu, in_asm, unimp/);
  });

  it("RAM sizes the board cannot have (-m)", () => {
    oneLineError(hv440(["run", "-m", "lots", HELLO]), 2, "-m: bad size 'lots' (a number of MiB, or with a suffix: 128M, 1G)");
    oneLineError(hv440(["run", "-m", "16M", HELLO]), 2, "RAM size must be a multiple of 4 MiB from 32 MiB to 1 GiB (got 16 MiB)");
    oneLineError(hv440(["run", "-m", "2G", HELLO]), 2, "RAM size must be a multiple of 4 MiB from 32 MiB to 1 GiB (got 2048 MiB)");
  });

  it("a log file that cannot be written (-D)", () => {
    const p = join(dir, "no", "such", "dir", "log.txt");
    oneLineError(hv440(["run", "-d", "int", "-D", p, HELLO]), 2, `-D ${p}: cannot write the log file (no such directory)`);
  });
});

describe("hv440 run: guests that do not end cleanly", () => {
  it("never stops: the budget (--max-insns) says where the guest was, exit status 124", () => {
    const r = hv440(["run", "--max-insns", "1000", HELLO]);
    expect(r.status).toBe(124);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const lines = errorLines(r);
    expect(lines[0]).toBe(`hv440: ${HELLO}: stopped after 1000 instructions (--max-insns)`);
    // PC with its symbol, the instruction word and its disassembly, the instruction count
    expect(r.stderr).toMatch(/pc 0x000102[0-9a-f]{2} <_start\+0x[0-9a-f]+> \(0x[0-9a-f]{8}: (cmplw|bge-|stw|addi|b) [^)]*\)/);
    expect(r.stderr).toContain("after 1000 instructions");
  });

  it("never stops, in an image without symbols", () => {
    const p = file("spin.elf", makeElf({ segments: [{ vaddr: 0x10000, data: words(0x38600001, 0x48000000) }] }));
    const r = hv440(["run", "--max-insns", "5000", p]);
    expect(r.status).toBe(124);
    expect(errorLines(r)[0]).toBe(`hv440: ${p}: stopped after 5000 instructions (--max-insns)`);
    expect(r.stderr).toContain("pc 0x00010004 (0x48000000: b 0x10004)");
  });

  it("waits for an interrupt that cannot come: exit status 3", () => {
    // lis r3,4 (MSR[WE]); mtmsr r3; b .
    const p = file("wait.elf", makeElf({ segments: [{ vaddr: 0x10000, data: words(0x3c600004, 0x7c600124, 0x48000000) }] }));
    const r = hv440(["run", p]);
    expect(r.status).toBe(3);
    expect(errorLines(r)[0]).toBe(`hv440: ${p}: the guest waits (MSR[WE]=1) at pc 0x10008 with no timer or device event to wake it`);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it("a machine check with MSR[ME]=0 stops the machine (checkstop): exit status 1", () => {
    // lis r4,0xd000; lwz r3,0(r4): an unassigned physical address through the boot TLB
    const p = file("mcheck.elf", makeElf({ segments: [{ vaddr: 0x10000, data: words(0x3c80d000, 0x80640000, 0x48000000) }] }));
    const r = hv440(["run", p]);
    expect(r.status).toBe(1);
    expect(errorLines(r)[0]).toBe(`hv440: ${p}: checkstop: machine check with MSR[ME]=0 at pc 0x10004 (physical 0xd0000000)`);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it("arbitrary instruction words never make a host stack trace", () => {
    let x = 0x2545f491;
    const rnd = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
    const p = file("noise.elf", makeElf({ segments: [{ vaddr: 0x10000, data: words(...Array.from({ length: 16384 }, rnd)) }] }));
    const r = hv440(["run", "--max-insns", "200000", p]);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).not.toContain("internal error");
    expect([0, 1, 3, 124]).toContain(r.status);
    for (const l of r.stderr.split("\n").filter(Boolean)) expect(l).toMatch(/^hv440: /);
  });

  it("a bug in hv440 is one line and a hint, exit status 70; HV440_DEBUG=1 shows the stack", () => {
    const preload = pathToFileURL(join(import.meta.dirname, "fixtures", "inject-bug.ts")).href;
    const r = hv440(["run", HELLO], { preload });
    expect(r.stderr).toBe("hv440: internal error: Cannot read properties of undefined (reading 'injected')\nhv440: this is a bug in hv440; HV440_DEBUG=1 shows where\n");
    expect(r.status).toBe(70);
    const d = hv440(["run", HELLO], { preload, env: { HV440_DEBUG: "1" } });
    expect(d.stderr).toMatch(STACK_TRACE);
    expect(d.status).toBe(70);
  });

  it("a console nobody reads any more (`| head`) ends the run quietly, exit status 141", async () => {
    const r = await hv440ClosingStdout(["run", "-m", "32M", "--max-insns", "500000000", file("chatty.elf", chatty())], 10);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(141);
  });
});

/** A guest that prints 'y' on UART0 forever (polled, through QEMU's boot TLB entry #1). */
function chatty(): Uint8Array {
  return makeElf({ segments: [{ vaddr: 0x10000, data: words(
    0x3c80ef60, // lis   r4,0xef60
    0x60840300, // ori   r4,r4,0x300
    0x88a40005, // 1: lbz r5,5(r4)      LSR
    0x70a50020, //    andi. r5,r5,0x20  THRE
    0x4182fff8, //    beq 1b
    0x38a00079, //    li r5,'y'
    0x98a40000, //    stb r5,0(r4)
    0x4bffffec, //    b 1b
  ) }] });
}

it("the chatty guest really prints (so the closed-stdout test means something)", () => {
  const r = hv440(["run", "--max-insns", "20000", file("chatty2.elf", chatty())]);
  expect(r.stdout.length).toBeGreaterThan(10);
  expect(r.stdout).toMatch(/^y+\n?$/); // the budget report ends the console's line first
});

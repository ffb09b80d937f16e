// hv440's per-instruction state trace (`-d cpu`) against QEMU's: the committed QEMU 7.2 traces
// of bare-metal self-tests (guest-images/bare/expected/<name>.qemu-trace.gz, recorded by
// guest-images/bare/qemu-trace.mjs) must agree with ours instruction by instruction after
// normalisation, and the only masked differences are the named QEMU divergences.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BambooBoard } from "../../src/machine/bamboo.ts";
import { Machine, type StopReason } from "../../src/machine/machine.ts";
import { TRACE_DIVERGENCES, TraceLog, compareTraces, normalizeTrace, symbolLookup, traceBlocks } from "../../src/machine/trace.ts";
import { parseElf } from "../../src/util/elf.ts";

const BARE = join(import.meta.dirname, "..", "..", "guest-images", "bare");
const sha256 = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");

interface TraceMeta {
  file: string;
  command: string;
  image_sha256: string;
  instructions: number;
  whole_run: boolean;
  normalized_blocks: number;
  normalized_sha256: string;
}
const meta = JSON.parse(readFileSync(join(BARE, "expected", "traces.json"), "utf8")) as { qemu: string; traces: Record<string, TraceMeta> };
const qemuTrace = (m: TraceMeta) => gunzipSync(readFileSync(join(BARE, "expected", m.file))).toString("latin1");

interface OurTrace {
  log: string;
  stop: StopReason | null;
  insns: number;
  /** `Raise exception` lines (-d int), when asked for */
  ints: string[];
}

/** Runs a bare image on the bamboo board for up to `steps` logged instructions with the given -d items. */
function ourTrace(image: string, steps: number, items: string[] = ["cpu"]): OurTrace {
  const board = new BambooBoard({ ramBytes: 128 << 20 });
  const img = parseElf(readFileSync(image), image);
  const boot = board.boot(img, image);
  const out: string[] = [];
  const ints: string[] = [];
  const t = new TraceLog(board, {
    items: new Set(items), symbol: symbolLookup(img),
    write: (s) => (s.startsWith("Raise exception") ? ints.push(s) : out.push(s)),
  });
  const m = new Machine(board, boot, t.hooks());
  board.uart0.onOutput = () => {};
  let stop: StopReason | null = null;
  for (let i = 0; i < steps && !stop; i++) stop = t.step(m);
  return { log: out.join(""), stop, insns: board.cpu.insns, ints };
}

const explain = (d: ReturnType<typeof compareTraces>) =>
  d ? `instruction ${d.index} (QEMU at ${d.a.slice(4, 12)}, hv440 at ${d.b.slice(4, 12)}):\n${d.lines.join("\n")}` : "";

describe.each(Object.entries(meta.traces))("QEMU -d cpu trace of %s", (name, m) => {
  const image = join(BARE, "bin", `${name}.elf`);
  const raw = qemuTrace(m);
  const qemu = traceBlocks(raw);
  // one more instruction than QEMU's prefix: a whole run must stop exactly where QEMU's did
  const ours = ourTrace(image, m.instructions + 1);

  it("was recorded from the committed image, and normalises as when it was recorded", () => {
    expect(sha256(readFileSync(image)), `image changed: re-record with 'node guest-images/bare/qemu-trace.mjs record ${name}'`).toBe(m.image_sha256);
    expect(m.command).toMatch(/^qemu-system-ppc -M bamboo -cpu 440epx .*-singlestep -d nochain,cpu /);
    expect((raw.match(/^NIP /gm) ?? []).length).toBe(m.instructions);
    expect(qemu).toHaveLength(m.normalized_blocks);
    expect(sha256(qemu.join("\n"))).toBe(m.normalized_sha256);
  });

  it("agrees with hv440's trace instruction by instruction", () => {
    const mine = traceBlocks(ours.log);
    const d = compareTraces(qemu, mine, qemu.length);
    expect(d, explain(d)).toBeNull();
    if (m.whole_run) {
      // QEMU's run ended there (DBCR0 reset, -no-reboot): so does ours
      expect(mine).toHaveLength(qemu.length);
      expect(ours.stop).toMatchObject({ kind: "reset", how: "dbcr0" });
    } else {
      expect(mine.length).toBeGreaterThan(qemu.length);
    }
  });

  it("differs from it, unmasked, only where a named divergence says, and there hv440 follows the manual", () => {
    const q = traceBlocks(raw, { divergences: false });
    const mine = traceBlocks(ours.log, { divergences: false }).slice(0, q.length);
    let masked = 0;
    for (let i = 0; i < q.length; i++) {
      if (q[i] === mine[i]) continue;
      masked++;
      const d = compareTraces([q[i]!], [mine[i]!])!;
      // #5: only the TSR field; QEMU never sets FIS (its FIT never fires), the 440 does every period
      expect(d.lines.filter((l) => !/^[-+]   TCR [0-9a-f]{8}   TSR /.test(l)), explain(d)).toEqual([]);
      const tsr = (l: string) => parseInt(/TSR ([0-9a-f]{8})/.exec(l)![1]!, 16);
      expect(tsr(d.lines[0]!) & 0x04000000).toBe(0);
      expect(tsr(d.lines[1]!) & 0x04000000).toBe(0x04000000);
    }
    expect(masked, "the FIT status shows up in this prefix (TCR[FP]=0: every 2^13 cycles)").toBeGreaterThan(0);
  });
});

describe("trace normalisation", () => {
  const hello = qemuTrace(meta.traces.hello!);
  const block = (text: string, n: number) => text.split(/^(?=NIP )/m)[n]!;
  const b1 = block(hello, 1), b2 = block(hello, 2);

  it("masks QEMU's clock and hflags, nothing else", () => {
    const other = b1.replace(/^TB .*$/m, "TB 00000000 12345678 DECR 42").replace(/ HF [0-9a-f]{8} /, " HF 00000000 ");
    expect(traceBlocks(other)).toEqual(traceBlocks(b1));
    expect(traceBlocks(b1.replace("iidx 1 didx 1", "iidx 0 didx 1"))).not.toEqual(traceBlocks(b1));
    expect(traceBlocks(b1.replace(/^GPR00 0{16}/m, "GPR00 0000000000000001"))).not.toEqual(traceBlocks(b1));
  });

  it("drops a block printed twice in a row (QEMU -icount re-executing a block an MMIO access ended)", () => {
    expect(traceBlocks(b1 + b1 + b2)).toEqual(traceBlocks(b1 + b2));
    expect(traceBlocks(b1 + b2 + b1)).toHaveLength(3);
  });

  it("keeps only the state dumps: other -d items and QEMU's own lines are not part of the diff", () => {
    const noisy = `mmubooke_check_tlb: TLB entry not found\n----------------\nIN: _start\n0x00010248:  7c7f1b78  mr       r31, r3\n\nTrace 0: 0x7fd770000100 [00000000/00010248/24000002/ff020201] \n${b1}Raise exception at 00010358 => PROGRAM (6) error=31\n${b2}`;
    expect(traceBlocks(noisy)).toEqual(traceBlocks(b1 + b2));
    // a log that starts in the middle of a block
    expect(traceBlocks(b1.slice(b1.indexOf("GPR00")) + b2)).toEqual(traceBlocks(b2));
    expect(normalizeTrace(b1 + b2)).toBe(traceBlocks(b1 + b2).map((b) => b + "\n").join(""));
  });

  it("names every divergence it masks after a row of the reference table (ppc440.md section 0)", () => {
    // guest-images/bare/divergences.json keeps a snapshot of that table's rows
    const section0 = (JSON.parse(readFileSync(join(BARE, "divergences.json"), "utf8")) as { section0: Record<string, string> }).section0;
    for (const d of TRACE_DIVERGENCES) {
      expect(section0[String(d.id)], `row ${d.id}`).toBeDefined();
      expect(d.name).toMatch(/\S/);
    }
    expect(section0["5"]).toBe("FIT and watchdog");
    // the FIT mask touches TSR[ENW,WIS,FIS] and nothing else of the line
    const line = "  TCR 00000000   TSR fc000000    ESR 00000000   DEAR 00000000";
    expect(traceBlocks(`NIP 0\n${line}\n`)[0]).toContain("TSR 38000000");
  });
});

const memo = new Map<string, OurTrace>();
const withInts = (name: string) => {
  if (!memo.has(name)) memo.set(name, ourTrace(join(BARE, "bin", `${name}.elf`), 1_000_000, ["cpu", "int"]));
  return memo.get(name)!;
};

describe("-d cpu, exec, in_asm, int as TraceLog writes them", () => {
  it("exec: one line per instruction, before its state; in_asm: each instruction once, as QEMU translates it", () => {
    const t = ourTrace(join(BARE, "bin", "hello.elf"), 100_000, ["in_asm", "exec", "cpu"]);
    const blocks = traceBlocks(t.log);
    const exec = t.log.match(/^Trace 0: \[00000000\/([0-9a-f]{8})\/([0-9a-f]{8})\/00000000\] \S*$/gm) ?? [];
    expect(exec).toHaveLength(blocks.length);
    expect(t.log).toMatch(/^Trace 0: \[00000000\/00010248\/00000000\/00000000\] _start\nNIP 00010248 /m);
    const asm = [...t.log.matchAll(/^----------------\nIN: \S*\n0x([0-9a-f]{8}):  ([0-9a-f]{8})  \S.*\n\n/gm)];
    const pcs = new Set(blocks.map((b) => b.slice(4, 12)));
    expect(asm.map((a) => a[1]).sort()).toEqual([...pcs].sort()); // once per address (the code never changes)
    expect(t.log).toContain("----------------\nIN: _start\n0x00010248:  7c7f1b78  mr      r31,r3\n\n");
    // the same states as -d cpu alone
    expect(blocks).toEqual(traceBlocks(ourTrace(join(BARE, "bin", "hello.elf"), 100_000).log));
  });

  it("one state per instruction executed or faulting; none for an interrupt's entry or a wait (MSR[WE])", () => {
    for (const name of ["interrupts", "timers"]) {
      const t = withInts(name);
      expect(t.stop).toMatchObject({ kind: "reset" });
      const sync = t.ints.filter((l) => !/=> (CRITICAL|EXTERNAL|DECR|FIT|WDT) /.test(l)).length;
      const async = t.ints.length - sync;
      expect(async, `${name} takes asynchronous interrupts`).toBeGreaterThan(0);
      // an instruction that raises a synchronous interrupt does not retire, but was executed
      expect((t.log.match(/^NIP /gm) ?? []).length).toBe(t.insns + sync);
    }
  });

  it("the state after an asynchronous interrupt is the handler's first instruction", () => {
    const t = withInts("timers");
    const blocks = t.log.split(/^(?=NIP )/m);
    const decr = t.ints.find((l) => / => DECR \(10\)/.test(l))!;
    expect(decr).toBeDefined();
    // IVPR | IVOR10 with SRR0 = the interrupted instruction's address
    const at = /at ([0-9a-f]{8})/.exec(decr)![1]!;
    const msr = (b: string) => parseInt(/^MSR ([0-9a-f]{8})/m.exec(b)?.[1] ?? "0", 16);
    const entry = blocks.find((b) => b.includes(` SRR0 ${at} `) && (msr(b) & 0x8000) === 0 && !b.startsWith(`NIP ${at}`));
    expect(entry, `a state with SRR0 = ${at} and MSR[EE]=0 after the DECR`).toBeDefined();
  });
});

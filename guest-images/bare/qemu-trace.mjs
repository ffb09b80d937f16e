#!/usr/bin/env node
// QEMU's per-instruction state traces of the bare-metal self-tests, and a diff of any two traces.
//
//   node qemu-trace.mjs record [name...]   record expected/<name>.qemu-trace.gz (default: TRACES),
//                                           and the LOGS lines of other -d items
//   node qemu-trace.mjs diff A.log B.log    compare two `-d cpu` traces (QEMU's and/or hv440's;
//                                           plain or .gz) after normalisation; exit 1 at the first
//                                           differing instruction, 0 if they agree
//
// A recording is QEMU's own `-D` log, cut after the first N instructions (N per program below:
// a prefix that ends before the program first meets a behaviour where QEMU is not a 440, or
// before it reads the timebase). expected/traces.json keeps, per program, the command line, the
// image's sha256, N, and the sha256 of the normalised trace; `record` runs QEMU twice and refuses
// to write a trace whose normalised form differs between the runs.
//
// The command is programs.json's QEMU command with `-singlestep -d nochain,cpu` and WITHOUT
// `-icount shift=0`: QEMU 7.2 aborts with "Bad icount read" when -d cpu dumps the timebase of a
// re-executed block under -icount. So TB/DECR are host-clock readings; normalisation
// (src/machine/trace.ts traceBlocks) masks them, and the traced prefixes never read the clock.
//
// Normalisation is hv440's own code (src/machine/trace.ts), loaded through tsx as bin/hv440.mjs
// does.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { register } from "tsx/esm/api";

register();
const { traceBlocks, compareTraces } = await import("../../src/machine/trace.ts");

const dir = import.meta.dirname;
/** Program -> instructions to keep (0: the whole run). */
const TRACES = {
  hello: 0,
  // instruction 5151 loads TLB word 2 of an E=1 (little-endian) page: QEMU drops E (reference
  // section 0 #9) and the runs part; 5000 ends before
  mmu: 5000,
};

/** Program -> a -d item whose lines (those matching `keep`) are recorded whole, as expected/<file>. */
const LOGS = {
  mmu: { items: "mmu", keep: /^helper_440_tlbwe /, file: "mmu.qemu-tlbwe.txt" },
};

const sha256 = (b) => createHash("sha256").update(b).digest("hex");
const readTrace = (path) => {
  const b = readFileSync(path);
  return (path.endsWith(".gz") ? gunzipSync(b) : b).toString("latin1");
};

/** The text of the first `n` instruction blocks of a raw -d cpu log (n = 0: all of it). */
function prefix(text, n) {
  if (!n) return text;
  let seen = 0;
  for (let i = text.indexOf("NIP "); i >= 0; i = text.indexOf("\nNIP ", i + 1)) {
    if (++seen > n) return text.slice(0, i + 1);
  }
  return text;
}

function recordOnce(q, image, tmp, items = ["-singlestep", "-d", "nochain,cpu"]) {
  const log = join(tmp, "trace.log");
  const args = [...q.args, ...items, "-D", log, "-kernel", image];
  const r = spawnSync(q.binary, args, {
    cwd: dir, encoding: "latin1", timeout: q.timeoutSeconds * 6000, stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error || r.status !== 0) {
    throw new Error(`${q.binary} ${args.join(" ")}: ${r.error ?? `exit ${r.status}`} ${r.stderr ?? ""}`);
  }
  return { command: [q.binary, ...args].join(" ").replace(log, "trace.log"), text: readFileSync(log, "latin1") };
}

function record(names) {
  const spec = JSON.parse(readFileSync(join(dir, "programs.json"), "utf8"));
  const q = spec.qemu;
  const version = spawnSync(q.binary, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
  const metaFile = join(dir, "expected", "traces.json");
  let meta = { traces: {} };
  try { meta = JSON.parse(readFileSync(metaFile, "utf8")); } catch { /* first recording */ }
  const tmp = mkdtempSync(join(tmpdir(), "hv440-qemu-trace-"));
  try {
    for (const name of names) {
      if (!(name in TRACES)) throw new Error(`no trace is defined for '${name}' (TRACES in qemu-trace.mjs)`);
      const p = spec.programs.find((x) => x.name === name);
      const n = TRACES[name];
      const rec = [0, 1].map(() => recordOnce(q, p.image, tmp));
      const runs = rec.map((r) => prefix(r.text, n));
      const norm = runs.map((t) => traceBlocks(t).join("\n"));
      if (norm[0] !== norm[1]) throw new Error(`${name}: two QEMU runs give different normalised traces (the prefix reads the clock?)`);
      const file = `${name}.qemu-trace.gz`;
      writeFileSync(join(dir, "expected", file), gzipSync(Buffer.from(runs[0], "latin1"), { level: 9 }));
      const blocks = (runs[0].match(/^NIP /gm) ?? []).length;
      meta.traces[name] = {
        file,
        command: rec[0].command,
        image_sha256: sha256(readFileSync(join(dir, p.image))),
        instructions: blocks,
        whole_run: n === 0,
        normalized_blocks: traceBlocks(runs[0]).length,
        normalized_sha256: sha256(norm[0]),
      };
      console.log(`expected/${file}: ${blocks} instructions${n === 0 ? " (the whole run)" : ""}`);
      const l = LOGS[name];
      if (l) {
        const r = recordOnce(q, p.image, tmp, ["-d", l.items]);
        const lines = r.text.split("\n").filter((x) => l.keep.test(x));
        writeFileSync(join(dir, "expected", l.file), lines.join("\n") + "\n");
        meta.traces[name].log = { file: l.file, command: r.command, keep: String(l.keep), lines: lines.length };
        console.log(`expected/${l.file}: ${lines.length} lines of -d ${l.items}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  meta.qemu = version;
  meta.comment = "Written by qemu-trace.mjs record: QEMU -d cpu traces of the bare-metal self-tests (a prefix of N instructions, or the whole run), the command, the image they come from, and the sha256 of the normalised trace (src/machine/trace.ts traceBlocks joined by newlines).";
  meta.traces = Object.fromEntries(Object.keys(meta.traces).sort().map((k) => [k, meta.traces[k]]));
  writeFileSync(metaFile, JSON.stringify(meta, null, 2) + "\n");
}

function diff(a, b) {
  const x = traceBlocks(readTrace(a)), y = traceBlocks(readTrace(b));
  // a recorded prefix against a whole run (or a run cut by --max-insns) agrees where both go
  const n = Math.min(x.length, y.length);
  const d = compareTraces(x, y, n);
  if (!d) {
    console.log(`${n} instructions agree${x.length !== y.length ? ` (${a} has ${x.length}, ${b} has ${y.length})` : ""}`);
    return 0;
  }
  const nip = (blk) => blk.slice(4, 12) || "(end of trace)";
  console.log(`instruction ${d.index} differs (after ${d.index} that agree): ${a} at ${nip(d.a)}, ${b} at ${nip(d.b)}`);
  for (const l of d.lines) console.log(l);
  return 1;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "record") record(rest.length ? rest : Object.keys(TRACES));
else if (cmd === "diff" && rest.length === 2) process.exitCode = diff(rest[0], rest[1]);
else {
  console.error("usage: node qemu-trace.mjs record [name...] | diff A.log B.log");
  process.exitCode = 2;
}

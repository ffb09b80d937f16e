#!/usr/bin/env node
// Records the expected outputs of the workloads (guest-images/workloads/programs.json) with QEMU:
//   qemu-ppc -cpu 440epx <image> args...   with {data} = build/data (run `make data` first) and
//   {tmp} = a fresh scratch directory that is also the cwd; environment = programs.json's env;
//   stdin empty; stdout captured. Lines starting with "time:" are dropped.
// Writes, per run <name>:
//   expected/<name>.out        small size (the tests' size)
//   expected/<name>-default.out default size (hv440's tables and `hv440 run <name>`), when given
//   expected/<name>-full.out   full (benchmark) size, when the run has one
//   expected/<name>.syscalls   the system calls QEMU saw in the small run (-strace): "nr name"
//   expected/recorded.json     QEMU version; per output the sha256 of the image, of the inputs
//                              (data files, tree generator) and of the output
// Every run must exit with status 0.
// Usage: node tools/record.mjs [--only name,...] [--small-only] [--sizes small,default,full]
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

const folder = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
let only = new Set();
let smallOnly = false;
let sizes = ["small", "default", "full"];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--only" && args[i + 1]) only = new Set(args[++i].split(","));
  else if (args[i] === "--small-only") smallOnly = true;
  else if (args[i] === "--sizes" && args[i + 1]) sizes = args[++i].split(",");
  else {
    console.error(`record.mjs: bad option ${args[i]}`);
    process.exit(2);
  }
}

const spec = JSON.parse(readFileSync(join(folder, "programs.json"), "utf8"));
const dataDir = join(folder, "build", "data");
if (!existsSync(join(dataDir, "tree")) || !existsSync(join(dataDir, "audio"))) {
  console.error("record.mjs: build/data is missing: run `make -C guest-images/workloads data`");
  process.exit(1);
}
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function which(cmd) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  throw new Error(`${cmd} not found on PATH`);
}

const nrs = new Map();
const unistd = "/usr/powerpc-linux-gnu/include/asm/unistd_32.h";
if (existsSync(unistd)) {
  for (const m of readFileSync(unistd, "utf8").matchAll(/#define __NR_(\w+)\s+(\d+)/g)) {
    nrs.set(m[1], Number(m[2]));
  }
}

const [qemuCmd, ...qemuArgs] = spec.qemu;
const qemu = which(qemuCmd);
const qemuVersion = spawnSync(qemu, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];

/** sha256 of what a run reads besides its image: the data files it names, the tree generator */
function inputsHash(prog) {
  const h = createHash("sha256");
  for (const need of prog.needs ?? []) {
    if (/^audio\/./.test(need)) h.update(readFileSync(join(folder, "data", need)));
    if (need === "audio/") {
      for (const f of ["M1F1-synth.wav", "stereo-short.wav"]) {
        h.update(readFileSync(join(folder, "data", "audio", f)));
      }
    }
    if (need === "tree/") h.update(readFileSync(join(folder, "tools", "mktree.mjs")));
  }
  return h.digest("hex");
}

function run(prog, size, extra) {
  const scratch = mkdtempSync(join(tmpdir(), `hv440-wl-${prog.name}-`));
  try {
    const argv = prog[size].args.map((a) =>
      a.replaceAll("{data}", dataDir).replaceAll("{tmp}", scratch));
    return spawnSync(qemu, [...qemuArgs, ...extra, join(folder, prog.image), ...argv], {
      cwd: scratch, env: { ...spec.env }, input: "", maxBuffer: 64 << 20, timeout: 1_800_000,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const dropTime = (text) => text.split("\n").filter((l) => !l.startsWith("time:")).join("\n");

const recordedFile = join(folder, "expected", "recorded.json");
const recorded = existsSync(recordedFile) ? JSON.parse(readFileSync(recordedFile, "utf8")) : {};
recorded.runs ??= {};
let failures = 0;

for (const prog of spec.programs) {
  if (only.size && !only.has(prog.name)) continue;
  for (const size of sizes) {
    if (!prog[size] || (size !== "small" && smallOnly)) continue;
    const out = size === "small" ? prog.name : `${prog.name}-${size}`;
    const t0 = Date.now();
    const r = run(prog, size, []);
    if (r.error) throw r.error;
    const status = r.status ?? 128;
    const text = dropTime(r.stdout.toString("utf8"));
    if (r.stderr.length) console.error(`${out}: stderr: ${r.stderr.toString().trim()}`);
    if (status !== 0) {
      console.error(`${out}: exit status ${status} (signal ${r.signal ?? "-"})`);
      failures++;
      continue;
    }
    writeFileSync(join(folder, "expected", `${out}.out`), text);
    recorded.runs[out] = {
      image: prog.image,
      args: prog[size].args,
      imageSha256: sha256(readFileSync(join(folder, prog.image))),
      inputsSha256: inputsHash(prog),
      outSha256: sha256(text),
    };
    if (size === "small") {
      const s = run(prog, size, ["-strace"]);
      const seen = new Map();
      for (const line of s.stderr.toString().split("\n")) {
        for (const m of line.matchAll(/(?:^|\s)(\w+)\(/g)) {
          if (nrs.has(m[1])) seen.set(m[1], nrs.get(m[1]));
        }
        const u = /Unknown syscall (\d+)/.exec(line);
        if (u) {
          const nr = Number(u[1]);
          seen.set([...nrs].find(([, v]) => v === nr)?.[0] ?? `unknown`, nr);
        }
      }
      const lines = [...seen].sort((a, b) => a[1] - b[1]).map(([n, nr]) => `${nr} ${n}`);
      writeFileSync(join(folder, "expected", `${prog.name}.syscalls`), lines.join("\n") + "\n");
    }
    console.log(`${out}: ${text.split("\n").length - 1} lines, ${Date.now() - t0} ms`);
  }
}

const ordered = {
  comment: "Written by guest-images/workloads/tools/record.mjs; checked by test/workloads.",
  qemu: qemuVersion,
  runs: Object.fromEntries(Object.entries(recorded.runs).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(recordedFile, JSON.stringify(ordered, null, 2) + "\n");
process.exit(failures ? 1 : 0);

#!/usr/bin/env node
// Records the expected outputs of the user-mode test programs (guest-images/user/programs.json)
// with QEMU, exactly as the tests will run them under `hv440 user`:
//   qemu-ppc -cpu 440epx <image> args...   environment = exactly the program's env,
//   cwd = a fresh empty scratch directory, stdin = the given string, stdout captured.
// Writes, per run <name>:
//   expected/<name>.out        stdout (for "expected": "model" runs: the reference model's output)
//   expected/<name>.qemu.out   QEMU's stdout, only for "model" runs (documentation)
//   expected/<name>.status     exit status
//   expected/<name>.syscalls   the Linux syscalls QEMU saw (-strace): "number name" per line
//   expected/recorded.json     QEMU version, and per run the sha256 of the image and outputs,
//                              so a test can tell when an image changed after recording
// Usage: node tools/record-user.mjs [--folder <image folder>] [--python python3] [--only name,...]
// (--folder is relative to the current directory; default guest-images/user)

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const opts = { folder: join(root, "user"), python: "python3", only: "" };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, "");
  if (!(k in opts) || process.argv[i + 1] === undefined) {
    console.error(`record-user.mjs: bad option ${process.argv[i]}`);
    process.exit(2);
  }
  opts[k] = process.argv[i + 1];
}
const folder = resolve(opts.folder); // relative to the current directory
const spec = JSON.parse(readFileSync(join(folder, "programs.json"), "utf8"));
const only = new Set(opts.only ? opts.only.split(",") : []);
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function which(cmd) {
  if (cmd.includes("/")) return cmd;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  throw new Error(`${cmd} not found on PATH`);
}

// Syscall numbers of 32-bit PowerPC Linux, from the cross toolchain's kernel headers.
function syscallNumbers() {
  const map = new Map();
  for (const f of ["/usr/powerpc-linux-gnu/include/asm/unistd_32.h"]) {
    if (!existsSync(f)) continue;
    for (const m of readFileSync(f, "utf8").matchAll(/#define __NR_(\w+)\s+(\d+)/g)) {
      map.set(m[1], Number(m[2]));
    }
  }
  return map;
}

const [qemuCmd, ...qemuArgs] = spec.qemu;
const qemu = which(qemuCmd);
const qemuVersion = spawnSync(qemu, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
const nrs = syscallNumbers();

function runQemu(prog, extra) {
  const scratch = mkdtempSync(join(tmpdir(), `hv440-rec-${prog.name}-`));
  try {
    const image = join(folder, prog.image);
    return spawnSync(qemu, [...qemuArgs, ...extra, image, ...prog.args], {
      cwd: scratch,
      env: { ...prog.env },
      input: prog.stdin ?? "",
      maxBuffer: 64 << 20,
      timeout: 600_000,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const recordedFile = join(folder, "expected", "recorded.json");
const recorded = existsSync(recordedFile)
  ? JSON.parse(readFileSync(recordedFile, "utf8"))
  : { runs: {} };
let failures = 0;

for (const prog of spec.programs) {
  if (only.size && !only.has(prog.name)) continue;
  const t0 = Date.now();
  const r = runQemu(prog, []);
  if (r.error) throw r.error;
  const status = r.status ?? 128 + (constants.signals[r.signal] ?? 0);
  const exp = join(folder, "expected", prog.name);
  let out = r.stdout;
  if (prog.expected === "model") {
    writeFileSync(`${exp}.qemu.out`, r.stdout);
    const m = spawnSync(opts.python, [join(root, prog.model)], { maxBuffer: 64 << 20 });
    if (m.status !== 0) throw new Error(`${prog.model} failed: ${m.stderr}`);
    out = m.stdout;
  }
  writeFileSync(`${exp}.out`, out);
  writeFileSync(`${exp}.status`, `${status}\n`);
  if (r.stderr.length) console.error(`${prog.name}: stderr: ${r.stderr.toString().trim()}`);
  if (status !== prog.status) {
    console.error(`${prog.name}: exit status ${status}, programs.json says ${prog.status}`);
    failures++;
  }

  // which system calls does it make (for the runner's author)
  const s = runQemu(prog, ["-strace"]);
  const seen = new Map();
  for (const line of s.stderr.toString().split("\n")) {
    let m = /^\d+ (\w+)\(/.exec(line);
    if (m) seen.set(m[1], nrs.get(m[1]) ?? "?");
    m = /Unknown syscall (\d+)/.exec(line);
    if (m) {
      const nr = Number(m[1]);
      const name = [...nrs].find(([, v]) => v === nr)?.[0] ?? "unknown";
      seen.set(name, nr);
    }
  }
  const lines = [...seen].sort((a, b) => Number(a[1]) - Number(b[1]))
    .map(([name, nr]) => `${nr} ${name}`);
  writeFileSync(`${exp}.syscalls`, lines.join("\n") + "\n");

  const image = readFileSync(join(folder, prog.image));
  recorded.runs[prog.name] = {
    image: prog.image,
    imageSha256: sha256(image),
    outSha256: sha256(out),
    status,
  };
  console.log(`${prog.name}: status ${status}, ${out.toString().split("\n").length - 1} lines, ` +
    `${seen.size} syscalls, ${Date.now() - t0} ms`);
}

recorded.comment = "Written by guest-images/tools/record-user.mjs; checked by test/images/user-expected.test.ts.";
recorded.qemu = qemuVersion;
recorded.runs = Object.fromEntries(Object.entries(recorded.runs).sort(([a], [b]) => a.localeCompare(b)));
const ordered = { comment: recorded.comment, qemu: recorded.qemu, runs: recorded.runs };
writeFileSync(recordedFile, JSON.stringify(ordered, null, 2) + "\n");
process.exit(failures ? 1 : 0);

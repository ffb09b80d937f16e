#!/usr/bin/env node
// Records what QEMU prints for each bare-metal program that QEMU can run (programs.json:
// "qemu": true): expected/<name>.qemu = QEMU's stdout (UART0), and expected/recorded.json = the
// QEMU version, the exact command line and the sha256 of every image at recording time (so
// test/bare/fixtures.test.ts can tell a fixture recorded from an older image).
//
// The .expected files (what a 440 that follows the manual prints) are not written here: they are
// maintained by hand, and divergences.json explains every line where they differ from .qemu.
//
// Usage: node record-qemu.mjs [--only name,name]      (run from guest-images/bare, or anywhere)

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dirname;
const spec = JSON.parse(readFileSync(join(dir, "programs.json"), "utf8"));
const onlyIdx = process.argv.indexOf("--only");
const only = onlyIdx > 0 ? new Set(process.argv[onlyIdx + 1].split(",")) : null;
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

const q = spec.qemu;
const version = spawnSync(q.binary, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
const recordedFile = join(dir, "expected", "recorded.json");
let recorded = { programs: {} };
try {
  recorded = JSON.parse(readFileSync(recordedFile, "utf8"));
} catch {
  // first recording
}

let failed = false;
for (const p of spec.programs) {
  if (!p.qemu.run || (only && !only.has(p.name))) continue;
  const args = [...q.args, ...(p.qemu.icount ? q.icountArgs : []), "-kernel", p.image];
  const r = spawnSync(q.binary, args, {
    cwd: dir, encoding: "latin1", timeout: q.timeoutSeconds * 1000, stdio: ["ignore", "pipe", "pipe"],
  });
  const out = r.stdout ?? "";
  writeFileSync(join(dir, "expected", `${p.name}.qemu`), out, "latin1");
  const pass = (out.match(/^PASS /gm) ?? []).length, fail = (out.match(/^FAIL /gm) ?? []).length;
  const status = r.error ? String(r.error.code ?? r.error) : r.status;
  console.log(`expected/${p.name}.qemu: ${pass} PASS, ${fail} FAIL (QEMU exit ${status})`);
  if (r.status !== 0) failed = true;
  recorded.programs[p.name] = {
    command: [q.binary, ...args].join(" "),
    image_sha256: sha256(readFileSync(join(dir, p.image))),
    output_sha256: sha256(Buffer.from(out, "latin1")),
  };
}
recorded.qemu = version;
recorded.comment = "Written by record-qemu.mjs: the QEMU and images the .qemu fixtures come from.";
recorded.programs = Object.fromEntries(Object.keys(recorded.programs).sort()
  .map((k) => [k, recorded.programs[k]]));
writeFileSync(recordedFile, JSON.stringify(recorded, null, 2) + "\n");
if (failed) {
  console.error("record-qemu.mjs: some QEMU runs did not exit with status 0 (see above)");
  process.exitCode = 1;
}

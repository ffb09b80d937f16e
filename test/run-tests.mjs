#!/usr/bin/env node
// `npm test`: type-check, run vitest (human reporter + JSON reporter), and close with the plain
// line `N passed, N failed` that CI reads (vitest's own summary line is not recognised there).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = (name) => join(import.meta.dirname, "..", "node_modules", ".bin", name);
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };

const tsc = spawnSync(bin("tsc"), ["--noEmit", "-p", "."], { stdio: "inherit", env });
const tscFailed = tsc.status !== 0 ? 1 : 0;
if (tscFailed) console.error("type-check failed (tsc --noEmit)");

const dir = mkdtempSync(join(tmpdir(), "hv440-test-"));
const out = join(dir, "vitest.json");
const args = ["run", "--config", "test/vitest.config.ts", "--reporter=default", "--reporter=json",
  `--outputFile.json=${out}`, ...process.argv.slice(2)];
const vt = spawnSync(bin("vitest"), args, { stdio: "inherit", env });

let passed = 0, failed = 0;
try {
  const r = JSON.parse(readFileSync(out, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  // a test file that fails to load has no failed tests of its own: count it once
  if (failed === 0) failed = r.numFailedTestSuites ?? 0;
} catch {
  failed = 1; // no report at all: vitest itself failed
}
rmSync(dir, { recursive: true, force: true });
passed += tscFailed ? 0 : 1; // the type-check counts as one check
failed += tscFailed;
if (vt.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

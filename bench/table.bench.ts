/**
 * The tables' speed target (issue 6): the full regeneration — `hv440 table` on its defaults, the
 * seed's five workloads at the default size, bare and virtualized — in <= 60 s wall on this
 * machine. Each sample is a fresh process (`node --import tsx src/cli/main.ts table -q`), so start-up,
 * module loading and V8's warm-up are in the figure, as a user sees it. Also checks that every
 * sample printed byte-identical tables (the determinism the README promises).
 *
 *   npx tsx bench/table.bench.ts [--runs N] [-- extra table options]
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { median } from "./lib.ts";

const argv = process.argv.slice(2);
const dash = argv.indexOf("--");
const extra = dash >= 0 ? argv.slice(dash + 1) : [];
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const ri = own.indexOf("--runs");
const runs = ri >= 0 ? Number(own[ri + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs N: a positive integer");

const root = join(import.meta.dirname, "..");
const TARGET_S = 60;
const walls: number[] = [], digests = new Set<string>();

console.log(`# hv440 table ${extra.join(" ")} — ${runs} fresh processes`);
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "table", "-q", ...extra],
    { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`hv440 table failed (${r.status}): ${r.stderr.trim().split("\n").pop()}`);
  walls.push(wall);
  digests.add(createHash("sha256").update(r.stdout).digest("hex").slice(0, 16));
  console.log(`run ${i + 1}: ${wall.toFixed(2)} s wall`);
}
const m = median(walls);
console.log("");
console.log("| target | measured (median) | goal |");
console.log("|---|---:|---:|");
console.log(`| full regeneration, wall (min ${Math.min(...walls).toFixed(1)} s, max ${Math.max(...walls).toFixed(1)} s) | ${m.toFixed(1)} s | <= ${TARGET_S} s${m <= TARGET_S ? "" : " (missed)"} |`);
console.log(`| distinct outputs over ${runs} runs | ${digests.size} | 1 |`);
if (digests.size !== 1) process.exitCode = 1;

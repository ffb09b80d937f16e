/**
 * `npm run bench`: every benchmark under bench/, one after the other (each in its own process, so
 * one's JIT state and heap never colour the next). Pass names to run a subset:
 *   npm run bench -- hv table
 */

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dirname;
const all = readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort();
const want = process.argv.slice(2);
const unknown = want.filter((w) => !all.includes(`${w}.bench.ts`));
if (unknown.length) {
  console.error(`bench: no bench/${unknown[0]}.bench.ts (have: ${all.map((f) => f.replace(".bench.ts", "")).join(", ")})`);
  process.exit(2);
}
let failed = 0;
for (const f of want.length ? want.map((w) => `${w}.bench.ts`) : all) {
  console.log(`\n=== bench/${f}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(dir, f)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

/**
 * Guest MIPS of `hv440 user` on the two kernels of reference/perf.md — the Berkeley-DB-style
 * hash (compute) and the transposition-table probes over 32 MiB (memory) — with the interpreter
 * and with the block compiler, and, when qemu-ppc is installed, the same binaries under qemu-ppc
 * in the same run, as ratios. (bench/jit.bench.ts adds CPU time and the compile share.)
 *
 *   npx tsx bench/user.bench.ts [--quick]
 */

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runUser } from "../src/user/runner.ts";
import { setDefaultEngine, type Engine } from "../src/cpu/jit/engine.ts";
import { median, runSuite, type CaseResult } from "./lib.ts";

const quick = process.argv.includes("--quick");
const bin = (n: string) => join(import.meta.dirname, "..", "guest-images", "user", "bin", `${n}.elf`);
const kernels = [
  { name: "hash (sdbm, 4 KiB x 7000)", image: bin("bench-hash"), args: quick ? ["700"] : [] },
  { name: "tt (32 MiB table, 10 M probes)", image: bin("bench-tt"), args: quick ? ["22", "1000000"] : [] },
];
const engines: Engine[] = ["interp", "jit"];

const nul = { write: (b: Uint8Array) => b.length };
function runOnce(k: (typeof kernels)[number], engine: Engine): number {
  setDefaultEngine(engine);
  const r = runUser({
    image: readFileSync(k.image), exePath: k.image, argv: [k.image, ...k.args], env: [], cwd: process.cwd(),
    stdin: { read: () => new Uint8Array(0) }, stdout: nul, stderr: nul,
  });
  if (r.kind !== "exit" || r.status !== 0) throw new Error(`${k.name}: ${JSON.stringify(r)}`);
  return r.insns;
}

const insns = new Map(kernels.map((k) => [k.name, runOnce(k, "interp")]));
const ours = new Map<Engine, CaseResult[]>();
for (const e of engines) {
  ours.set(e, runSuite(`hv440 user (engine ${e})`, kernels.map((k) => ({ name: k.name, fn: () => runOnce(k, e) }))));
}
setDefaultEngine(null);

const qemu = spawnSync("qemu-ppc", ["-version"]).status === 0;
const head = engines.map((e) => ` ${e} median s | ${e} MIPS |`).join("");
console.log(`\n| kernel | guest instructions |${head}` + (qemu ? " qemu-ppc median s | qemu-ppc MIPS | jit/qemu |" : ""));
console.log("|---|---:|" + engines.map(() => "---:|---:|").join("") + (qemu ? "---:|---:|---:|" : ""));
for (const k of kernels) {
  const n = insns.get(k.name)!;
  let row = `| ${k.name} | ${(n / 1e6).toFixed(1)} M |`;
  const med = (e: Engine) => ours.get(e)!.find((r) => r.name === k.name)!.median;
  for (const e of engines) row += ` ${med(e).toFixed(3)} | ${(n / med(e) / 1e6).toFixed(0)} |`;
  if (qemu) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      spawnSync("qemu-ppc", ["-cpu", "440epx", k.image, ...k.args], { stdio: "ignore" });
      times.push((performance.now() - t0) / 1000);
    }
    const q = median(times);
    row += ` ${q.toFixed(3)} | ${(n / q / 1e6).toFixed(0)} | ${(q / med("jit")).toFixed(3)} |`;
  }
  console.log(row);
}
if (qemu) console.log("\nqemu-ppc times include its process start-up (~15 ms); instruction counts are hv440's.");

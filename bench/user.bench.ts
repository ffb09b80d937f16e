/**
 * Guest MIPS of `hv440 user` on the two kernels of reference/perf.md — the Berkeley-DB-style
 * hash (compute) and the transposition-table probes over 32 MiB (memory) — and, when qemu-ppc is
 * installed, the same binaries under qemu-ppc in the same run, as a ratio.
 *
 *   npx tsx bench/user.bench.ts [--quick]
 */

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runUser } from "../src/user/runner.ts";
import { median, runSuite } from "./lib.ts";

const quick = process.argv.includes("--quick");
const bin = (n: string) => join(import.meta.dirname, "..", "guest-images", "user", "bin", `${n}.elf`);
const kernels = [
  { name: "hash (sdbm, 4 KiB x 7000)", image: bin("bench-hash"), args: quick ? ["700"] : [] },
  { name: "tt (32 MiB table, 10 M probes)", image: bin("bench-tt"), args: quick ? ["22", "1000000"] : [] },
];

const nul = { write: (b: Uint8Array) => b.length };
function runOnce(k: (typeof kernels)[number]): number {
  const r = runUser({
    image: readFileSync(k.image), exePath: k.image, argv: [k.image, ...k.args], env: [], cwd: process.cwd(),
    stdin: { read: () => new Uint8Array(0) }, stdout: nul, stderr: nul,
  });
  if (r.kind !== "exit" || r.status !== 0) throw new Error(`${k.name}: ${JSON.stringify(r)}`);
  return r.insns;
}

const insns = new Map(kernels.map((k) => [k.name, runOnce(k)]));
const ours = runSuite("hv440 user (interpreter)", kernels.map((k) => ({ name: k.name, fn: () => runOnce(k) })));

const qemu = spawnSync("qemu-ppc", ["-version"]).status === 0;
console.log("\n| kernel | guest instructions | hv440 median s | hv440 MIPS |" + (qemu ? " qemu-ppc median s | qemu-ppc MIPS | hv440/qemu |" : ""));
console.log("|---|---:|---:|---:|" + (qemu ? "---:|---:|---:|" : ""));
for (const k of kernels) {
  const n = insns.get(k.name)!;
  const o = ours.find((r) => r.name === k.name)!;
  let row = `| ${k.name} | ${(n / 1e6).toFixed(1)} M | ${o.median.toFixed(3)} | ${(n / o.median / 1e6).toFixed(0)} |`;
  if (qemu) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      spawnSync("qemu-ppc", ["-cpu", "440epx", k.image, ...k.args], { stdio: "ignore" });
      times.push((performance.now() - t0) / 1000);
    }
    const q = median(times);
    row += ` ${q.toFixed(3)} | ${(n / q / 1e6).toFixed(0)} | ${(q / o.median).toFixed(3)} |`;
  }
  console.log(row);
}
if (qemu) console.log("\nqemu-ppc times include its process start-up (~15 ms); instruction counts are hv440's.");

/**
 * The block compiler against the interpreter and qemu-ppc, in one run, on the two kernels of
 * reference/perf.md: the sdbm hash (compute) and the transposition-table probes over 32 MiB
 * (memory, TLB pressure). Each configuration runs the whole static program (`hv440 user`, or
 * qemu-ppc for the reference) several times; the table shows median wall-clock seconds and
 * guest MIPS (the program's instructions / time, start-up included as for qemu-ppc), the median
 * CPU time of our process (less sensitive to a loaded machine than wall-clock time), and how much
 * of the jit's time went into compiling: generating source and `new Function` (ours), plus the
 * first sample, where nothing is cached yet, against the median.
 *
 *   npx tsx bench/jit.bench.ts [--quick] [--runs N] [--engines interp,jit]
 */

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runUser } from "../src/user/runner.ts";
import { setDefaultEngine, type Engine } from "../src/cpu/jit/engine.ts";
import { lastJit } from "../src/cpu/jit/jit.ts";
import { median } from "./lib.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : dflt;
};
const runs = Number(opt("--runs", quick ? "3" : "7"));
const engines = opt("--engines", "interp,jit").split(",") as Engine[];
const bin = (n: string) => join(import.meta.dirname, "..", "guest-images", "user", "bin", `${n}.elf`);
const kernels = [
  { name: "hash", what: "sdbm, 4 KiB x 7000", image: bin("bench-hash"), args: quick ? ["700"] : [] },
  { name: "tt", what: "32 MiB table, 10 M probes", image: bin("bench-tt"), args: quick ? ["22", "1000000"] : [] },
];

interface Sample { wall: number; cpu: number; insns: number; compileMs: number }

const nul = { write: (b: Uint8Array) => b.length };
function runOnce(k: (typeof kernels)[number], engine: Engine): Sample {
  setDefaultEngine(engine);
  const image = readFileSync(k.image);
  const c0 = process.cpuUsage(), t0 = performance.now();
  const r = runUser({
    image, exePath: k.image, argv: [k.image, ...k.args], env: [], cwd: process.cwd(),
    stdin: { read: () => new Uint8Array(0) }, stdout: nul, stderr: nul,
  });
  const wall = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  if (r.kind !== "exit" || r.status !== 0) throw new Error(`${k.name}: ${JSON.stringify(r)}`);
  const compileMs = engine === "interp" ? 0 : lastJit()?.stats.compileMs ?? 0;
  return { wall, cpu: (cu.user + cu.system) / 1e6, insns: r.insns, compileMs };
}

function qemuOnce(k: (typeof kernels)[number]): number {
  const t0 = performance.now();
  const r = spawnSync("qemu-ppc", ["-cpu", "440epx", k.image, ...k.args], { stdio: "ignore" });
  if (r.status !== 0) throw new Error(`qemu-ppc ${k.name}: status ${r.status}`);
  return (performance.now() - t0) / 1000;
}

const qemu = spawnSync("qemu-ppc", ["-version"]).status === 0;
const rows: string[] = [];
console.log(`# ${runs} runs per configuration${quick ? " (quick)" : ""}; load average ${loadavg()}`);
for (const k of kernels) {
  const per = new Map<string, Sample[]>();
  // interleave the configurations so that a change in machine load hits all of them alike
  for (let i = 0; i < runs; i++) {
    for (const e of engines) {
      const s = runOnce(k, e);
      (per.get(e) ?? per.set(e, []).get(e)!).push(s);
      console.log(`${k.name} ${e} #${i + 1}: ${s.wall.toFixed(3)} s wall, ${s.cpu.toFixed(3)} s cpu, ${(s.insns / s.wall / 1e6).toFixed(0)} MIPS` +
        (e === "interp" ? "" : `, compile ${s.compileMs.toFixed(1)} ms`));
    }
    if (qemu) {
      const q = qemuOnce(k);
      (per.get("qemu-ppc") ?? per.set("qemu-ppc", []).get("qemu-ppc")!).push({ wall: q, cpu: NaN, insns: NaN, compileMs: 0 });
    }
  }
  const insns = per.get(engines[0]!)![0]!.insns;
  for (const [name, ss] of per) {
    const wall = median(ss.map((s) => s.wall));
    const cpu = median(ss.map((s) => s.cpu));
    const comp = median(ss.map((s) => s.compileMs)) / 1000;
    const first = ss[0]!;
    rows.push(`| ${k.name} (${k.what}) | ${name} | ${(insns / 1e6).toFixed(1)} M | ${wall.toFixed(3)} | ${(insns / wall / 1e6).toFixed(0)} | ` +
      (Number.isNaN(cpu) ? "- | - | -" : `${cpu.toFixed(3)} | ${(insns / cpu / 1e6).toFixed(0)} | `) +
      (name === "interp" || name === "qemu-ppc" ? (Number.isNaN(cpu) ? " - |" : "- |") :
        `${(100 * comp / wall).toFixed(1)}% (first run: ${(first.compileMs).toFixed(0)} ms = ${(100 * first.compileMs / 1000 / first.wall).toFixed(1)}%) |`));
  }
}
console.log("\n| kernel | engine | guest insns | median wall s | MIPS (wall) | median cpu s | MIPS (cpu) | compile share |");
console.log("|---|---|---:|---:|---:|---:|---:|---|");
for (const r of rows) console.log(r);
if (qemu) console.log("\nqemu-ppc times include its process start-up (~15 ms); instruction counts are hv440's.");

function loadavg(): string {
  try { return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "); } catch { return "?"; }
}

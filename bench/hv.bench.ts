/**
 * The hypervisor core's speed targets (issue 4), host time, medians of benchmark.js samples:
 *
 *   1. emulated privileged instructions per second (target >= 2 M/s): privloop.elf, 400000
 *      lightweight exits (mfspr SPRG0, mtspr SPRG1, mfmsr, wrteei 0), profile `ideal`;
 *   2. a compute-bound guest virtualized vs bare (target >= 0.90 of bare speed): compute.elf
 *      (sdbm hashes, 65 M instructions, nothing privileged in the loop), default profile;
 *   3. statistics on vs off (target <= 3 % host time): privloop.elf, the worst case (every
 *      instruction is an exit).
 *
 *   npx tsx bench/hv.bench.ts
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BambooBoard } from "../src/machine/bamboo.ts";
import { Machine, type StopReason } from "../src/machine/machine.ts";
import { loadProfile, type CostProfile } from "../src/hv/profile.ts";
import { parseElf } from "../src/util/elf.ts";
import { median, runSuite } from "./lib.ts";

const image = (n: string) => join(import.meta.dirname, "..", "guest-images", "hvtests", "bin", `${n}.elf`);
const PRIV = image("privloop"), COMPUTE = image("compute");
const IDEAL = loadProfile("ideal"), SEQUOIA = loadProfile("sequoia-2008");

interface Ran { exits: number; insns: number }

/** One full run of a hvtests image: bare, or virtualized with the statistics on or off. */
function run(path: string, mode: "bare" | "virt", profile: CostProfile = SEQUOIA, stats = true): Ran {
  const board = new BambooBoard({ ramBytes: 32 << 20 }); // small: the board's set-up is part of every sample
  const boot = board.boot(parseElf(readFileSync(path), path), path);
  const m = new Machine(board, boot, {}, mode === "virt" ? { profile } : undefined);
  if (m.vcpu) m.vcpu.stats.enabled = stats;
  let stop: StopReason | null = null;
  while (!stop) stop = m.run(1e9);
  if (stop.kind !== "reset") throw new Error(`${path}: ${JSON.stringify(stop)}`);
  return { exits: m.board.cpu.interrupts, insns: m.board.cpu.insns };
}

const privExits = run(PRIV, "virt", IDEAL).exits;
const computeInsns = run(COMPUTE, "bare").insns;

const cases = [
  { name: "privloop virt, statistics on", fn: () => run(PRIV, "virt", IDEAL, true) },
  { name: "privloop virt, statistics off", fn: () => run(PRIV, "virt", IDEAL, false) },
  { name: "compute bare", fn: () => run(COMPUTE, "bare") },
  { name: "compute virt (sequoia-2008)", fn: () => run(COMPUTE, "virt") },
];
runSuite("hypervisor core (host wall time per full run)", cases);

// The machine is shared: wall-clock samples swing with the load. The ratios below use this
// process's CPU time (user + system) per run, cases interleaved round by round so that drift
// hits all of them alike; medians of ROUNDS rounds.
const ROUNDS = 9;
const cpuTimes = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (let k = 0; k < ROUNDS; k++) {
  for (const c of cases) {
    const t0 = process.cpuUsage();
    c.fn();
    const d = process.cpuUsage(t0);
    cpuTimes.get(c.name)!.push((d.user + d.system) / 1e6);
  }
}
const med = (name: string) => median(cpuTimes.get(name)!);
console.log(`\n# CPU time per run, median of ${ROUNDS} interleaved rounds`);
for (const c of cases) console.log(`${c.name}: ${med(c.name).toFixed(3)} s`);

const perSec = privExits / med("privloop virt, statistics on");
const ratio = med("compute bare") / med("compute virt (sequoia-2008)");
const statsCost = med("privloop virt, statistics on") / med("privloop virt, statistics off") - 1;
console.log("\n| target | measured (median) | goal |");
console.log("|---|---:|---:|");
console.log(`| emulated privileged instructions / s (${privExits} exits) | ${(perSec / 1e6).toFixed(3)} M | >= 2 M |`);
console.log(`| compute-bound guest, virt / bare speed (${(computeInsns / 1e6).toFixed(0)} M instructions) | ${ratio.toFixed(3)} | >= 0.90 |`);
console.log(`| statistics on vs off (exit-bound guest) | ${(statsCost * 100).toFixed(1)} % | <= 3 % |`);

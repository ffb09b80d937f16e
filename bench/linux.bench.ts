/**
 * Host wall time of the Linux guest's boot (the catalog's `linux`: guest-images/linux/build.sh's
 * vmlinux): from reset to the kernel starting /init ("Run /init as init process") and to the
 * restart /init asks for, bare and under the hypervisor, per execution engine; and, when
 * qemu-system-ppc is installed, QEMU 7.2 TCG booting the same file (whole process, to its exit on
 * the restart). Targets (issue 8): /init within 1 s bare and 1.5 s virtualized.
 *
 *   npx tsx bench/linux.bench.ts [--quick] [--engine interp|jit|check] [--mode bare|virt]
 */

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { isEngine, setDefaultEngine, type Engine } from "../src/cpu/jit/engine.ts";
import { loadProfile } from "../src/hv/profile.ts";
import { BambooBoard } from "../src/machine/bamboo.ts";
import { resolveWorkload } from "../src/machine/catalog.ts";
import { Machine } from "../src/machine/machine.ts";
import { parseElf } from "../src/util/elf.ts";
import { median } from "./lib.ts";

const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const quick = process.argv.includes("--quick");
const samples = quick ? 3 : 5;
const engines: Engine[] = arg("--engine") ? [arg("--engine") as Engine] : ["interp", "jit"];
const modes = (arg("--mode") ? [arg("--mode")] : ["bare", "virt"]) as ("bare" | "virt")[];
for (const e of engines) if (!isEngine(e)) throw new Error(`--engine ${e}: interp, jit or check`);

const w = resolveWorkload("linux"); // says how to build the kernel when it is missing
const bytes = readFileSync(w.kernel);
const INIT = "Run /init as init process";

interface Boot { initS: number; totalS: number; insns: number; initInsns: number }

/** One boot in this process: host seconds to "Run /init" and to the restart. */
function boot(mode: "bare" | "virt"): Boot {
  const t0 = performance.now();
  const board = new BambooBoard({ ramBytes: w.ramMiB << 20, append: w.append! });
  const m = new Machine(board, board.boot(parseElf(bytes, w.kernel), w.kernel), {}, mode === "virt" ? { profile: loadProfile(), seed: 1 } : undefined);
  let line = "", initAt = 0, initInsns = 0;
  board.uart0.onOutput = (b) => {
    if (b !== 0x0a) { line += String.fromCharCode(b); return; }
    if (initAt === 0 && line.includes(INIT)) { initAt = performance.now(); initInsns = board.cpu.insns; }
    line = "";
  };
  let stop = null;
  while (!stop) stop = m.run(50_000_000);
  const t1 = performance.now();
  if (stop.kind !== "reset" || initAt === 0) throw new Error(`linux ${mode}: did not boot to /init and restart (${JSON.stringify(stop)})`);
  return { initS: (initAt - t0) / 1000, totalS: (t1 - t0) / 1000, insns: board.cpu.insns, initInsns };
}

const TARGET = { bare: 1, virt: 1.5 };
const rows: string[] = [];
for (const engine of engines) {
  setDefaultEngine(engine);
  for (const mode of modes) {
    boot(mode); // warm-up: compiles the interpreter, the JIT's blocks are per run anyway
    const runs: Boot[] = [];
    for (let i = 0; i < samples; i++) {
      runs.push(boot(mode));
      console.log(`linux ${mode} (${engine}) #${i + 1}: /init at ${runs[i]!.initS.toFixed(2)} s, restart at ${runs[i]!.totalS.toFixed(2)} s`);
    }
    const init = median(runs.map((r) => r.initS)), total = median(runs.map((r) => r.totalS));
    const { insns, initInsns } = runs[0]!;
    rows.push(`| ${mode} | ${engine} | ${(initInsns / 1e6).toFixed(1)} M | ${init.toFixed(2)} | ${total.toFixed(2)} | ${(insns / total / 1e6).toFixed(1)} | ${TARGET[mode]} s | ${(init / TARGET[mode]).toFixed(1)}× |`);
  }
}
setDefaultEngine(null);

let qemuRow = "";
if (spawnSync("qemu-system-ppc", ["-version"]).status === 0) {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const r = spawnSync("qemu-system-ppc", ["-M", "bamboo", "-m", String(w.ramMiB), "-nographic", "-no-reboot", "-kernel", w.kernel, "-append", w.append!], { encoding: "utf8", timeout: 60_000 });
    times.push((performance.now() - t0) / 1000);
    if (!r.stdout?.includes("reboot: Restarting system")) throw new Error(`qemu-system-ppc did not boot the kernel:\n${r.stdout?.slice(-2000)}`);
  }
  qemuRow = `| QEMU 7.2 TCG | (bamboo, 440EP) | | | ${median(times).toFixed(2)} | | | |`;
}

console.log(`\nsamples per row: ${samples} (medians; host seconds from creating the board)`);
console.log("| mode | engine | instructions to /init | to /init (s) | to restart (s) | MIPS | target (/init) | over target |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(r);
if (qemuRow) console.log(qemuRow + "\n\nQEMU's time is its whole process (start-up included) to its exit on the restart.");

/**
 * Micro-benchmark of the FPU fast and slow paths: `npx tsx test/cpu/fpu/bench.ts`.
 * Each case runs in its own process so that type feedback from one case does not slow another.
 * Numbers include the loop and two FPR stores per call (see the "loop only" line).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Fpu } from "../../../src/cpu/fpu/index.ts";

type Case = [name: string, fpscr: number, kind: "normal" | "denormal", run: (f: Fpu) => void, n: number];
const CASES: Case[] = [
  ["loop only", 0, "normal", () => {}, 20e6],
  ["fadd fast (RN)", 0, "normal", (f) => f.fadd(4, 1, 2), 20e6],
  ["fadd fast (RM)", 3, "normal", (f) => f.fadd(4, 1, 2), 20e6],
  ["fadds fast (RN)", 0, "normal", (f) => f.fadds(4, 1, 2), 20e6],
  ["fmul fast (RN)", 0, "normal", (f) => f.fmul(4, 1, 2), 20e6],
  ["fmuls fast (RN)", 0, "normal", (f) => f.fmuls(4, 1, 2), 20e6],
  ["fdiv fast (RN)", 0, "normal", (f) => f.fdiv(4, 1, 2), 20e6],
  ["fsqrt fast (RN)", 0, "normal", (f) => f.fsqrt(4, 1), 20e6],
  ["fmadd fast (RN)", 0, "normal", (f) => f.fmadd(4, 1, 2, 3), 20e6],
  ["fmadd fast (RZ)", 1, "normal", (f) => f.fmadd(4, 1, 2, 3), 20e6],
  ["fmadds fast (RN)", 0, "normal", (f) => f.fmadds(4, 1, 2, 3), 20e6],
  ["frsp fast (RN)", 0, "normal", (f) => f.frsp(4, 1), 20e6],
  ["frsp fast (RN, XX preset)", 0x02000000, "normal", (f) => f.frsp(4, 1), 20e6],
  ["fctiwz", 0, "normal", (f) => f.fctiwz(4, 1), 20e6],
  ["fcmpu", 0, "normal", (f) => void f.fcmpu(1, 2), 20e6],
  ["fadd slow (tiny result)", 0, "denormal", (f) => f.fadd(4, 1, 2), 1e6],
  ["fmul slow (underflow)", 0, "denormal", (f) => f.fmul(4, 1, 3), 1e6],
  ["fmadd slow (underflow)", 0, "denormal", (f) => f.fmadd(4, 1, 3, 2), 1e6],
  ["frsqrte (always exact path)", 0, "normal", (f) => f.frsqrte(4, 1), 1e6],
];

function measure(c: Case): number {
  const [, fpscr, kind, run, n] = c;
  const f = new Fpu();
  const vals = new Float64Array(1024);
  for (let i = 0; i < 1024; i++) {
    vals[i] = kind === "normal"
      ? (Math.random() + 0.5) * 2 ** ((Math.random() * 40 - 20) | 0)
      : (Math.random() + 0.5) * 2 ** -1060;
  }
  f.fpr[3] = 2 ** -30;
  const loop = (count: number) => {
    for (let i = 0; i < count; i++) {
      f.fpr[1] = vals[i & 1023]!;
      f.fpr[2] = vals[(i * 7 + 3) & 1023]!;
      run(f);
    }
  };
  f.fpscr = fpscr;
  loop(Math.min(n, 1e6)); // warm up
  f.fpscr = fpscr;
  const t0 = process.hrtime.bigint();
  loop(n);
  return Number(process.hrtime.bigint() - t0) / n;
}

const which = process.argv[2];
if (which !== undefined) {
  const c = CASES[Number(which)]!;
  console.log(`${c[0].padEnd(30)} ${measure(c).toFixed(1).padStart(8)} ns/call`);
} else {
  const self = fileURLToPath(import.meta.url);
  for (let i = 0; i < CASES.length; i++) {
    const r = spawnSync(process.execPath, [...process.execArgv, self, String(i)], { encoding: "utf8" });
    process.stdout.write(r.stdout || r.stderr);
  }
}

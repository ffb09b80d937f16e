import { defineConfig } from "vitest/config";

/**
 * The engine matrix (test/cpu/jit): every suite runs with the default engine (the block
 * compiler, `jit`); the suites that execute guest code run again with the interpreter and with
 * the lockstep checker (`check`: every span compiled and interpreted, compared), selected by
 * HV440_ENGINE, which every CPU reads for its default (src/cpu/jit/engine.ts).
 */
const EXECUTING = [
  "test/cpu/vectors.test.ts",
  "test/cpu/fpu/*.test.ts",
  "test/user/programs.test.ts",
  "test/bare/emulator.test.ts",
  "test/machine/*.test.ts",
  "test/kernel/*.test.ts",
  "test/hv/*.test.ts",
  "test/pv/*.test.ts",
  "test/workloads/*.test.ts",
  // the tables describe the guest, never the engine: the same golden bytes with the interpreter
  "test/report/golden.test.ts",
  "test/linux/linux.test.ts",
];
/** The checker runs a few times slower than the interpreter: the guests' kernels are left out. */
const CHECKED = ["test/cpu/vectors.test.ts", "test/user/programs.test.ts", "test/bare/emulator.test.ts"];

export default defineConfig({
  test: {
    environment: "node",
    pool: "forks",
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "jit", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "interp", include: EXECUTING, env: { HV440_ENGINE: "interp" } } },
      { extends: true, test: { name: "check", include: CHECKED, env: { HV440_ENGINE: "check" }, testTimeout: 600_000 } },
    ],
  },
});

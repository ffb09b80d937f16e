import { defineConfig } from "vitest/config";

/**
 * The engine matrix (test/cpu/jit): every suite runs with the default engine (the block
 * compiler, `jit`); the suites that execute guest code run again with the interpreter and with
 * the lockstep checker (`check`: every span compiled and interpreted, compared), selected by
 * HV440_ENGINE, which every CPU reads for its default (src/cpu/jit/engine.ts).
 */
const EXECUTING = [
  "test/cpu/vectors.test.ts",
  "test/user/programs.test.ts",
  "test/bare/emulator.test.ts",
  "test/kernel/kernel.test.ts",
];
/** The checker runs a few times slower than the interpreter: the guest kernel is left out. */
const CHECKED = EXECUTING.filter((f) => !f.includes("kernel"));

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

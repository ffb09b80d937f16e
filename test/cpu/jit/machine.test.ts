/**
 * Whole machines under each engine: the bare-metal self-tests (guest-images/bare) on the bamboo
 * board, in bare mode and in virt mode under the hypervisor. The block compiler must be exact on
 * the virtual clock, so everything observable is identical to the interpreter's run: the UART
 * output, where and why the machine stopped, instruction/cycle/interrupt counts, the final
 * registers, and in virt mode the hypervisor's exit-timing statistics (every exit type, count,
 * min/max/sum of its time) - timer interrupts (DEC, FIT, watchdog) and device events land at the
 * same instruction. The lockstep checker runs them too and finds no divergence.
 */
import { describe, expect, it } from "vitest";
import { bareImage, runMachine } from "./machine-run.ts";
import { formatTimingFile } from "../../../src/hv/timing-file.ts";
import { formatSummary } from "../../../src/report/summary.ts";
import type { StatsSnapshot } from "../../../src/hv/stats.ts";

/** The exit-timing tables as the CLI prints them (kernel raw file and the seed's summary). */
const tables = (t: unknown) => formatTimingFile(t as StatsSnapshot) + formatSummary(t as StatsSnapshot);

const IMAGES = ["hello", "interrupts", "mmu", "timers", "uic-uart", "virtio-blk", "watchdog-reset"];
/** timers under the hypervisor spends minutes in the machine loop whatever the engine: left out */
const SLOW = new Set(["timers/virt"]);
const MAX_INSNS = 400_000;

describe.each(["bare", "virt"] as const)("%s mode", (mode) => {
  for (const name of IMAGES) {
    const file = bareImage(name);
    const skip = file === null || SLOW.has(`${name}/${mode}`);
    it.skipIf(skip)(`${name}: jit and check runs are identical to the interpreter's`, () => {
      const interp = runMachine(file!, mode, "interp", MAX_INSNS);
      const jit = runMachine(file!, mode, "jit", MAX_INSNS);
      expect(interp.uart.length).toBeGreaterThan(0);
      expect(jit).toEqual(interp);
      if (mode === "virt") expect(tables(jit.timing)).toBe(tables(interp.timing)); // byte-identical
      const check = runMachine(file!, mode, "check", MAX_INSNS);
      expect(check).toEqual(interp);
    });
  }
});

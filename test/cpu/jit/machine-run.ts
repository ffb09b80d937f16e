/**
 * Runs a bare-metal guest image (guest-images/bare/bin) on the bamboo board with the machine
 * API, in bare or virt mode, with a given engine, and returns everything observable: the stop
 * reason, the UART output, the counters, the architectural state at the end and (virt) the
 * hypervisor's exit-timing snapshot on the virtual clock.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BambooBoard } from "../../../src/machine/bamboo.ts";
import { Machine } from "../../../src/machine/machine.ts";
import { parseElf } from "../../../src/util/elf.ts";
import { loadProfile } from "../../../src/hv/profile.ts";
import type { Engine } from "../../../src/cpu/jit/engine.ts";

export const BARE_BIN = join(import.meta.dirname, "..", "..", "..", "guest-images", "bare", "bin");

export function bareImage(name: string): string | null {
  const f = join(BARE_BIN, `${name}.elf`);
  return existsSync(f) ? f : null;
}

export interface MachineResult {
  stop: unknown;
  uart: string;
  insns: number;
  cycles: number;
  interrupts: number;
  gpr: number[];
  cr: number;
  pc: number;
  msr: number;
  /** virt mode: vcpu.stats.snapshot() */
  timing: unknown;
}

export function runMachine(file: string, mode: "bare" | "virt", engine: Engine, maxInsns: number): MachineResult {
  const img = parseElf(readFileSync(file), file);
  const board = new BambooBoard({ ramBytes: 128 << 20 });
  board.cpu.engine = engine;
  const boot = board.boot(img, file);
  const m = new Machine(board, boot, {}, mode === "virt" ? { profile: loadProfile(undefined), seed: 1 } : undefined);
  m.maxInsns = maxInsns;
  let uart = "";
  board.uart0.onOutput = (b) => { uart += String.fromCharCode(b); };
  let stop = null;
  while (!stop) stop = m.run(50_000_000);
  const cpu = board.cpu;
  return {
    stop, uart, insns: cpu.insns, cycles: cpu.cycles, interrupts: cpu.interrupts,
    gpr: [...cpu.gpr], cr: cpu.getCR(), pc: cpu.pc, msr: cpu.msr,
    timing: m.vcpu ? m.vcpu.stats.snapshot() : null,
  };
}

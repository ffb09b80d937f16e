/**
 * Test harness for the execution engine: a CPU with flat (identity-mapped) RAM, helpers to
 * place instructions, set and read registers, and step. Used by the per-instruction vectors
 * and anything else that needs a bare core.
 */

import { Cpu } from "../../src/cpu/cpu.ts";
import { S } from "../../src/cpu/state.ts";

export const CODE = 0x1000;

export function makeCpu(ramSize = 1 << 20): Cpu {
  const cpu = new Cpu({ ramSize });
  cpu.st[S.PC] = CODE;
  return cpu;
}

/** Writes instruction words at `addr` (default CODE) and points PC there. */
export function load(cpu: Cpu, words: readonly number[], addr = CODE): void {
  words.forEach((w, i) => cpu.mem.dv.setUint32(addr + 4 * i, w >>> 0));
  cpu.st[S.PC] = addr;
}

/** Executes `n` instructions (exceptions are delivered to the guest's vectors as on bare metal). */
export function steps(cpu: Cpu, n = 1): void {
  for (let i = 0; i < n; i++) cpu.step();
}

export const u32 = (v: number) => v >>> 0;

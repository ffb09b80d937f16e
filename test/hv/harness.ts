// Runs a guest image under the hypervisor (or bare) and records every exit with its final type
// and guest PC, for the hypervisor tests.
import { readFileSync } from "node:fs";
import { BambooBoard } from "../../src/machine/bamboo.ts";
import { Machine, type StopReason } from "../../src/machine/machine.ts";
import { EXIT_NAMES, type ExitName } from "../../src/hv/exits.ts";
import { loadProfile, type CostProfile } from "../../src/hv/profile.ts";
import type { StatsSnapshot } from "../../src/hv/stats.ts";
import type { Vcpu } from "../../src/hv/vcpu.ts";
import { elfSymbols, parseElf } from "../../src/util/elf.ts";

export const EXITS_ELF = new URL("../../guest-images/hvtests/bin/exits.elf", import.meta.url).pathname;

export interface ExitEvent {
  type: ExitName;
  pc: number;
}

export interface GuestRun {
  console: string;
  stop: StopReason | null;
  exits: ExitEvent[];
  stats: StatsSnapshot | null;
  vcpu: Vcpu | null;
  machine: Machine;
  symbols: Map<string, number>;
}

export function runGuest(image: string, o: { mode?: "bare" | "virt"; profile?: CostProfile | string; seed?: number; maxInsns?: number } = {}): GuestRun {
  const img = parseElf(readFileSync(image), image);
  const board = new BambooBoard({ ramBytes: 128 << 20 });
  const state = board.boot(img, image);
  const out: number[] = [];
  board.uart0.onOutput = (b) => out.push(b);
  const profile = typeof o.profile === "string" ? loadProfile(o.profile) : o.profile ?? loadProfile();
  const m = new Machine(board, state, {}, o.mode === "bare" ? undefined : { profile, seed: o.seed ?? 1 });
  m.maxInsns = o.maxInsns ?? 50_000_000;
  const exits: ExitEvent[] = [];
  if (m.vcpu) m.vcpu.onExit = (t, pc) => exits.push({ type: EXIT_NAMES[t]!, pc: pc >>> 0 });
  let stop: StopReason | null = null;
  while (!stop) stop = m.run(1e9);
  const symbols = new Map(elfSymbols(img).map((s) => [s.name, s.value >>> 0]));
  return {
    console: Buffer.from(out).toString("latin1"), stop, exits, machine: m, symbols,
    stats: m.vcpu ? m.vcpu.stats.snapshot() : null, vcpu: m.vcpu,
  };
}

/** Row counts of a snapshot by name. */
export function counts(s: StatsSnapshot): Record<ExitName, number> {
  return Object.fromEntries(EXIT_NAMES.map((n, i) => [n, s.rows[i]!.count])) as Record<ExitName, number>;
}

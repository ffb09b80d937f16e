// Runs a catalog workload (or the guest kernel with another command line) through runWorkload,
// optionally under a paravirtualization flavour, keeping the machine and every exit (type, guest
// PC) for the checks of test/pv.
import { readFileSync } from "node:fs";
import { EXIT_NAMES, type ExitName } from "../../src/hv/exits.ts";
import { patchedText, type TextPatch } from "../../src/hv/pv/sites.ts";
import { resolveWorkload } from "../../src/machine/catalog.ts";
import type { Machine } from "../../src/machine/machine.ts";
import { runWorkload, type WorkloadRun } from "../../src/machine/workload.ts";
import { parseElf } from "../../src/util/elf.ts";

export type Flavour = "bare" | "off" | "host-patch" | "magic-page";

export interface PvRun {
  run: WorkloadRun;
  machine: Machine;
  /** Every exit, in order (virt only). */
  exits: { type: ExitName; pc: number }[];
  /** Kernel text words that differ from the ELF at the end. */
  patches: TextPatch[];
  count(t: ExitName): number;
}

export function runPv(name: string, flavour: Flavour, o: { append?: string; size?: "small" | "default"; before?: (m: Machine) => void } = {}): PvRun {
  const w = resolveWorkload(name, o.size ?? "small");
  let machine: Machine | undefined;
  const exits: PvRun["exits"] = [];
  const run = runWorkload(o.append !== undefined ? { ...w, append: o.append } : w, {
    mode: flavour === "bare" ? "bare" : "virt",
    ...(flavour === "bare" ? {} : { pv: flavour }),
    onMachine: (m) => {
      machine = m;
      if (m.vcpu) m.vcpu.onExit = (t, pc) => { exits.push({ type: EXIT_NAMES[t]!, pc: pc >>> 0 }); };
      o.before?.(m);
    },
  });
  const img = parseElf(readFileSync(w.kernel), w.kernel);
  const patches = patchedText(img, machine!.board.cpu.mem.dv);
  const rows = run.stats?.rows;
  return { run, machine: machine!, exits, patches, count: (t) => (rows ? rows[EXIT_NAMES.indexOf(t)]!.count : 0) };
}

/** Console lines that depend on the hypervisor's offer by design (detection, PV report, free memory). */
export function withoutPvLines(console: string): string {
  return console.split("\n").filter((l) => !/^(hypervisor|paravirt): |^Memory: \d+K\/\d+K available$/.test(l)).join("\n");
}

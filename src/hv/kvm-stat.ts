/**
 * The events `kvm_stat` shows for a 440 VM: KVM's debugfs counters (`mmio`, `dcr`, `sig`, ...,
 * summed over vCPUs, kvm440.md 1.4) and, as child events in kvm_stat's `parent(child)` naming,
 * `exit(<row>)` for each row of the exit-timing files (completed exit cycles per type). Also the
 * reverse of the debugfs tree: counters read back from a saved `kvm/` directory.
 */

import { EXIT_NAMES, SIDE_COUNTERS, type SideCounter } from "./exits.ts";
import type { StatsRow, StatsSnapshot } from "./stats.ts";

/** kvm_stat's default filter: no child events (keys without parentheses). */
export const DEFAULT_FIELDS = /^[^(]*$/;

/** Event name -> value, in kvm_stat's key order (sorted by name). */
export type StatEvents = Map<string, number>;

export function statEvents(vcpus: readonly StatsSnapshot[]): StatEvents {
  const ev = new Map<string, number>();
  for (const c of SIDE_COUNTERS) ev.set(c, vcpus.reduce((a, s) => a + s.side[c], 0));
  EXIT_NAMES.forEach((n, i) => {
    if (n !== "TIMEINGUEST") ev.set(`exit(${n})`, vcpus.reduce((a, s) => a + s.rows[i]!.count, 0));
  });
  return new Map([...ev].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Parses a raw timing file (timing-file.ts) back into rows; throws on anything else. */
export function parseTimingFile(text: string, what: string): StatsRow[] {
  const lines = text.split("\n");
  if (lines[0] !== "type\tcount\tmin\tmax\tsum\tsum_squared") throw new Error(`${what}: not a KVM exit-timing file`);
  const rows: StatsRow[] = EXIT_NAMES.map(() => ({ count: 0, min: 0xffffffff, max: 0, sum: 0, sumSquared: 0n }));
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const cols = line.split("\t").map((c) => c.trim());
    const i = (EXIT_NAMES as readonly string[]).indexOf(cols[0]!);
    if (cols.length !== 6 || i < 0 || !cols.slice(1).every((c) => /^\d+$/.test(c))) throw new Error(`${what}: bad line '${line}'`);
    rows[i] = { count: Number(cols[1]), min: Number(cols[2]), max: Number(cols[3]), sum: Number(cols[4]), sumSquared: BigInt(cols[5]!) };
  }
  return rows;
}

/**
 * The counters of a saved tree: `files` maps paths under kvm/ (`vm<pid>_vcpu<id>_timing`,
 * `mmio`, ...) to their contents. The side counters are per VM, so they go with vCPU 0.
 */
export function snapshotsFromDebugfs(files: ReadonlyMap<string, string>, ticksPerUs = 0): StatsSnapshot[] {
  const timing = [...files.keys()].filter((p) => /^vm\d+_vcpu\d+_timing$/.test(p)).sort();
  if (timing.length === 0) throw new Error("no vm<pid>_vcpu<id>_timing file");
  return timing.map((p, k) => {
    const side = Object.fromEntries(SIDE_COUNTERS.map((c) => {
      const text = k === 0 ? files.get(c) : "0\n";
      if (text === undefined) return [c, 0];
      if (!/^\d+\n?$/.test(text)) throw new Error(`${c}: not a counter`);
      return [c, Number(text)];
    })) as Record<SideCounter, number>;
    return { ticksPerUs, rows: parseTimingFile(files.get(p)!, p), side };
  });
}

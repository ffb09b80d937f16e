/**
 * The kernel's debugfs file `vm<pid>_vcpu<id>_timing` (arch/powerpc/kvm/timing.c): a TAB-separated
 * header, then every row in enum order with fixed widths — name %12s, count %10d, min and max
 * %10, sum and sum_squared %20 — untouched rows showing min 4294967295. No totals, no averages:
 * those were always userspace's job (report/summary.ts).
 */

import { EXIT_NAMES } from "./exits.ts";
import type { StatsSnapshot } from "./stats.ts";

export function formatTimingFile(s: StatsSnapshot): string {
  let out = "type\tcount\tmin\tmax\tsum\tsum_squared\n";
  s.rows.forEach((r, i) => {
    out += `${EXIT_NAMES[i]!.padStart(12)}\t${String(r.count).padStart(10)}\t${String(r.min).padStart(10)}\t` +
      `${String(r.max).padStart(10)}\t${String(r.sum).padStart(20)}\t${String(r.sumSquared).padStart(20)}\n`;
  });
  return out;
}

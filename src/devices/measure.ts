/**
 * hv440's measurement register (our own board addition, device-tree compatible "hv440,measure",
 * one DCR at 0x3F0): a guest writes 1 where a measured workload starts and 2 where it ends. The
 * machine timestamps both bare and virtualized (the "% of bare-metal speed" tables compare those
 * intervals) and, under the hypervisor, clears the exit statistics at the start and freezes them
 * at the end — what the seed's authors did by hand with `echo c > vm*_vcpu*_timing`. Reads
 * return the magic 'HV44' so a guest can probe for it.
 */

import type { DcrDevice } from "./dcr.ts";

export const MEASURE_DCR = 0x3f0;
export const MEASURE_MAGIC = 0x48563434;
export const enum Mark { Start = 1, End = 2 }

export class MeasureDcr implements DcrDevice {
  onMark: ((mark: Mark) => void) | null = null;
  read(): number {
    return MEASURE_MAGIC;
  }
  write(_offset: number, value: number): void {
    if (value === Mark.Start || value === Mark.End) this.onMark?.(value);
  }
}

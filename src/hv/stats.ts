/**
 * Per-vCPU exit timing exactly as KVM's CONFIG_KVM_EXIT_TIMING kept it (kvm440.md section 2):
 * timestamps are timebase ticks; at each exit the time from the previous exit to the last entry
 * is charged to the previous exit's (final) type and the time from that entry to now to
 * TIMEINGUEST; the first cycle after creation or a clear is not counted. Samples are converted
 * to microseconds before accumulating (KVM 2.6.29's "variant A": integer division, a sample
 * above 0xFFFFFFFF us is dropped), so every number printed is in us (and us^2).
 */

import { EXIT_COUNT, Exit, SIDE_COUNTERS, type SideCounter } from "./exits.ts";

const NO_TYPE = 0xdead;
const SIDE_INDEX = Object.fromEntries(SIDE_COUNTERS.map((c, i) => [c, i])) as Record<SideCounter, number>;
const U32_MAX = 0xffffffff;

export class ExitStats {
  readonly count = new Float64Array(EXIT_COUNT);
  readonly min = new Float64Array(EXIT_COUNT).fill(U32_MAX);
  readonly max = new Float64Array(EXIT_COUNT);
  readonly sum = new Float64Array(EXIT_COUNT);
  /**
   * u64 in KVM; exact here too: squares accumulate in a double while the total stays below
   * 2^53 (every step exact), and are carried into a BigInt before it would not (no BigInt
   * arithmetic on the hot path).
   */
  private readonly sqLow = new Float64Array(EXIT_COUNT);
  private readonly sqHigh: bigint[] = new Array<bigint>(EXIT_COUNT).fill(0n);
  /** kvm_stat's counters, indexed like SIDE_COUNTERS. */
  private readonly sideCounts = new Float64Array(SIDE_COUNTERS.length);

  private lastExitType = NO_TYPE;
  private lastExit = 0;
  private lastEnter = 0;
  /**
   * A previous exit was stamped since creation or the last clear. KVM tested its stamp for 0,
   * which real timebases never read; our virtual clock starts at 0, and the guest's very first
   * instruction can exit.
   */
  private stamped = false;
  /** The type being assigned to the exit in progress (last assignment wins). */
  current: Exit = Exit.EMULINST;
  enabled = true;

  constructor(readonly ticksPerUs: number) {}

  /** KVM's accounting rule, run at the start of every exit with the exit's timebase stamp. */
  exit(stamp: number): void {
    if (!this.enabled) return;
    const prevExit = this.lastExit, enter = this.lastEnter, type = this.lastExitType, stamped = this.stamped;
    this.lastExit = stamp;
    this.stamped = true;
    if (type === NO_TYPE || !stamped) return;
    this.sample(type, enter - prevExit);
    this.sample(Exit.TIMEINGUEST, stamp - enter);
  }

  /** The guest is entered now: the type assigned to the exit just handled becomes "last". */
  enter(stamp: number): void {
    if (!this.enabled) return;
    this.lastEnter = stamp;
    this.lastExitType = this.current;
  }

  private sample(type: number, ticks: number): void {
    const us = Math.floor(ticks / this.ticksPerUs);
    if (us > U32_MAX || us < 0) return; // KVM logs and drops it
    this.count[type]!++;
    if (us < this.min[type]!) this.min[type] = us;
    if (us > this.max[type]!) this.max[type] = us;
    this.sum[type]! += us;
    const sq = us * us; // exact: us < 2^32
    if (sq >= 2 ** 52 || this.sqLow[type]! + sq >= 2 ** 53) {
      this.sqHigh[type] = this.sqHigh[type]! + BigInt(this.sqLow[type]!) + BigInt(us) * BigInt(us);
      this.sqLow[type] = 0;
    } else this.sqLow[type]! += sq;
  }

  sumSquared(type: number): bigint {
    return this.sqHigh[type]! + BigInt(this.sqLow[type]!);
  }

  bump(c: SideCounter): void {
    this.sideCounts[SIDE_INDEX[c]]!++;
  }

  sideCount(c: SideCounter): number {
    return this.sideCounts[SIDE_INDEX[c]]!;
  }

  /** Writing `c` to the debugfs file: all rows reset, next exit only records its stamp. */
  clear(): void {
    this.count.fill(0);
    this.min.fill(U32_MAX);
    this.max.fill(0);
    this.sum.fill(0);
    this.sqLow.fill(0);
    this.sqHigh.fill(0n);
    this.lastExitType = NO_TYPE;
    this.lastExit = 0;
    this.lastEnter = 0;
    this.stamped = false;
  }

  snapshot(): StatsSnapshot {
    return {
      ticksPerUs: this.ticksPerUs,
      rows: Array.from({ length: EXIT_COUNT }, (_, i) => ({
        count: this.count[i]!, min: this.min[i]!, max: this.max[i]!, sum: this.sum[i]!, sumSquared: this.sumSquared(i),
      })),
      side: Object.fromEntries(SIDE_COUNTERS.map((c, i) => [c, this.sideCounts[i]!])) as Record<SideCounter, number>,
    };
  }
}

export interface StatsRow {
  count: number;
  min: number;
  max: number;
  sum: number;
  sumSquared: bigint;
}

export interface StatsSnapshot {
  ticksPerUs: number;
  rows: StatsRow[];
  side: Record<SideCounter, number>;
}

/**
 * The 440 timer facility on the virtual clock (UM ch.7): the timebase ticks once per core cycle;
 * DEC decrements with it (TSR[DIS] at the 1->0 transition, auto-reload from DECAR when TCR[ARE]);
 * the fixed-interval timer and the watchdog fire on 0->1 transitions of a selected timebase bit;
 * the watchdog walks its ENW/WIS state machine and finally requests a reset of the kind in
 * TCR[WRC]. Nothing here spins: every state change has a computed due cycle (`nextEvent`), the
 * owner runs the core up to it and calls `update`. Behaviour follows the manual where QEMU 7.2
 * does not (ppc440.md section 0, items 5, 6 and 18).
 */

import type { TimerOps } from "./cpu.ts";
import { SPR } from "./spr.ts";

export const TCR = { WP: 0xc0000000, WRC: 0x30000000, WIE: 0x08000000, DIE: 0x04000000, FP: 0x03000000, FIE: 0x00800000, ARE: 0x00400000 } as const;
export const TSR = { ENW: 0x80000000, WIS: 0x40000000, WRS: 0x30000000, DIS: 0x08000000, FIS: 0x04000000 } as const;

/** Timebase bit (from the LSB) whose 0->1 transition is the FIT / watchdog event, by TCR[FP]/[WP]. */
const FIT_BIT = [12, 16, 20, 24];
const WDT_BIT = [20, 24, 28, 32];

/** Next timebase value t > tb at which bit k goes 0->1, i.e. t mod 2^(k+1) == 2^k. */
function nextRise(tb: number, k: number): number {
  const period = 2 ** (k + 1), half = 2 ** k;
  const base = tb - (tb % period);
  const t = base + half;
  return t > tb ? t : t + period;
}

/**
 * What the timer facility runs against: a clock, a timebase, and the SPRs holding TCR, TSR and
 * DECAR. The core itself for the real timers; a vCPU's virtual state for a guest's timers.
 */
export interface TimerHost {
  readonly cycles: number;
  readonly tbOffset: number;
  readonly timebase: number;
  readonly spr: Int32Array;
}

export class Timers implements TimerOps {
  /** DEC is running from `decStart` (cycle) with value `decValue`; not running: holds decValue. */
  private decRunning = false;
  private decStart = 0;
  private decValue = 0;
  /** Cycle at which DEC next goes 1->0 (Infinity when stopped). */
  private decDue = Infinity;
  /** Timebase values of the next FIT and watchdog events. */
  private fitDueTb = Infinity;
  private wdtDueTb = Infinity;
  /** Consecutive watchdog expiries processed in one catch-up, and the last one's time. */
  private wdtRun = 0;
  private lastWdtDue = -Infinity;

  /** Called when the watchdog's final expiry asks for a reset (kind = TCR[WRC]). */
  onWatchdogReset: ((kind: number) => void) | null = null;

  constructor(private readonly cpu: TimerHost) {
    this.reschedule();
  }

  /** Reset state: DEC stopped at 0, TCR/TSR cleared (TSR[WRS] is set by the reset itself). */
  reset(): void {
    this.decRunning = false;
    this.decValue = 0;
    this.decDue = Infinity;
    this.cpu.spr[SPR.TCR] = 0;
    this.reschedule();
  }

  private get tcr(): number { return this.cpu.spr[SPR.TCR]! >>> 0; }

  private setTsr(bits: number): void {
    this.cpu.spr[SPR.TSR] = this.cpu.spr[SPR.TSR]! | bits;
  }

  private reschedule(): void {
    const tb = this.cpu.timebase;
    const tcr = this.tcr;
    this.fitDueTb = nextRise(tb, FIT_BIT[(tcr >>> 24) & 3]!);
    this.wdtDueTb = nextRise(tb, WDT_BIT[(tcr >>> 30) & 3]!);
  }

  /**
   * Cycle of the next event that can raise an enabled interrupt or a reset (what a hypervisor
   * arms its high-resolution timer for); Infinity when none can.
   */
  nextInterruptEvent(): number {
    const off = this.cpu.tbOffset, tcr = this.tcr;
    let t = Infinity;
    if ((tcr & TCR.DIE) !== 0) t = Math.min(t, this.decDue);
    if ((tcr & TCR.FIE) !== 0) t = Math.min(t, this.fitDueTb - off);
    if ((tcr & (TCR.WIE | TCR.WRC)) !== 0) t = Math.min(t, this.wdtDueTb - off);
    return t;
  }

  /** The timebase was written directly (not through `write`): re-derive the FIT/watchdog events, with the transition rule. */
  tbWritten(): void {
    this.write(this.cpu, SPR.TBLW, 0);
  }

  /** Cycle of the next timer state change. */
  nextEvent(): number {
    const off = this.cpu.tbOffset;
    return Math.min(this.decDue, this.fitDueTb - off, this.wdtDueTb - off);
  }

  /** Applies every timer event due at or before the CPU's current cycle. */
  update(): void {
    const cpu = this.cpu;
    for (;;) {
      const now = cpu.cycles, off = cpu.tbOffset;
      const dec = this.decDue, fit = this.fitDueTb - off, wdt = this.wdtDueTb - off;
      const next = Math.min(dec, fit, wdt);
      if (next > now) return;
      if (next === dec) this.decExpire(dec);
      else if (next === fit) {
        // FIS is sticky: however many periods have passed, one update says it all
        this.setTsr(TSR.FIS);
        this.fitDueTb = nextRise(Math.max(this.fitDueTb, now + off), FIT_BIT[(this.tcr >>> 24) & 3]!);
      } else {
        const k = WDT_BIT[(this.tcr >>> 30) & 3]!;
        this.watchdogExpire();
        // after three expiries the state machine has said everything it can (ENW, WIS, reset)
        this.wdtRun = this.wdtDueTb === this.lastWdtDue + 2 ** (k + 1) ? this.wdtRun + 1 : 1;
        this.lastWdtDue = this.wdtDueTb;
        this.wdtDueTb = nextRise(this.wdtRun >= 3 ? Math.max(this.wdtDueTb, now + off) : this.wdtDueTb, k);
      }
    }
  }

  private decExpire(at: number): void {
    this.setTsr(TSR.DIS);
    const decar = this.cpu.spr[SPR.DECAR]! >>> 0;
    if ((this.tcr & TCR.ARE) !== 0 && decar !== 0) {
      this.decStart = at;
      this.decValue = decar;
      this.decDue = at + decar;
    } else {
      // without auto-reload DEC stops at 0 (so does a reload of 0)
      this.decRunning = false;
      this.decValue = (this.tcr & TCR.ARE) !== 0 ? decar : 0;
      this.decDue = Infinity;
    }
  }

  private watchdogExpire(): void {
    const tsr = this.cpu.spr[SPR.TSR]! >>> 0;
    if ((tsr & TSR.ENW) === 0) this.setTsr(TSR.ENW);
    else if ((tsr & TSR.WIS) === 0) this.setTsr(TSR.WIS);
    else {
      const wrc = (this.tcr >>> 28) & 3;
      if (wrc !== 0) {
        this.cpu.spr[SPR.TSR] = (this.cpu.spr[SPR.TSR]! & ~TSR.WRS) | (wrc << 28);
        this.onWatchdogReset?.(wrc);
      }
    }
  }

  // ---- TimerOps: the SPR side ----

  readDec(): number {
    this.update();
    if (!this.decRunning) return this.decValue;
    return this.decValue - (this.cpu.cycles - this.decStart);
  }

  write(cpu: TimerHost, spr: number, v: number): void {
    // a timebase write was preceded by beforeTbWrite(): time has not passed, and the events of
    // the periods it skips over must not fire (only the transition it makes, below)
    if (spr !== SPR.TBLW && spr !== SPR.TBUW) this.update();
    switch (spr) {
      case SPR.DEC: {
        const val = v >>> 0;
        this.decValue = val;
        this.decStart = cpu.cycles;
        this.decRunning = val !== 0; // writing 0 stops DEC without setting TSR[DIS]
        this.decDue = val !== 0 ? cpu.cycles + val : Infinity;
        break;
      }
      case SPR.DECAR:
        cpu.spr[SPR.DECAR] = v;
        break;
      case SPR.TCR: {
        const old = this.tcr;
        cpu.spr[SPR.TCR] = (v & ~TCR.WRC) | ((old | v) & TCR.WRC); // WRC only ever sets
        this.reschedule();
        break;
      }
      case SPR.TSR:
        cpu.spr[SPR.TSR] = cpu.spr[SPR.TSR]! & ~v;
        break;
      case SPR.TBLW: case SPR.TBUW: {
        // the core already stored the new timebase; a write that turns the selected bit on is an event
        const tb = cpu.timebase, tcr = this.tcr;
        const bit = (k: number) => Math.floor(tb / 2 ** k) % 2;
        const fitK = FIT_BIT[(tcr >>> 24) & 3]!, wdtK = WDT_BIT[(tcr >>> 30) & 3]!;
        if (bit(fitK) === 1 && this.prevBit(fitK) === 0) this.setTsr(TSR.FIS);
        if (bit(wdtK) === 1 && this.prevBit(wdtK) === 0) this.watchdogExpire();
        this.reschedule();
        break;
      }
    }
  }

  /** The selected timebase bit just before a TB write (recorded by `beforeTbWrite`). */
  private prevTb = 0;
  private prevBit(k: number): number { return Math.floor(this.prevTb / 2 ** k) % 2; }
  beforeTbWrite(): void {
    this.update();
    this.prevTb = this.cpu.timebase;
  }

  /** Interrupt conditions (level): DEC, FIT and watchdog status gated by their TCR enables. */
  get decPending(): boolean { return ((this.cpu.spr[SPR.TSR]! & TSR.DIS) !== 0) && ((this.tcr & TCR.DIE) !== 0); }
  get fitPending(): boolean { return ((this.cpu.spr[SPR.TSR]! & TSR.FIS) !== 0) && ((this.tcr & TCR.FIE) !== 0); }
  get wdtPending(): boolean { return ((this.cpu.spr[SPR.TSR]! & TSR.WIS) !== 0) && ((this.tcr & TCR.WIE) !== 0); }
}

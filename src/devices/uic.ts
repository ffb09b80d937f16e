/**
 * The 4xx Universal Interrupt Controller (UIC0 at DCR 0xC0..0xC8 on bamboo; UIC1 at 0xD0 cascades
 * into UIC0 inputs 30 (INT) and 31 (CINT)). Input n <-> mask 0x80000000 >>> n (IBM numbering).
 *
 * Registers (offset from the DCR base): 0 SR, 1 SRS, 2 ER, 3 CR, 4 PR, 5 TR, 6 MSR, 7 VR, 8 VCR.
 *
 * Input model. `setInput(n, level)` gives the *electrical* level of pin n. PR bit = 1 means the
 * input is active high (edge: rising), 0 active low (edge: falling). TR bit = 1 means edge
 * triggered: an edge into the active state sets SR. Level triggered inputs set SR while active,
 * and writing 1 to SR cannot clear them while they stay active ("re-assert"); when a level input
 * goes inactive its SR bit clears by itself, as in QEMU's ppc-uic.c (the manual leaves it open and
 * Linux's uic.c works either way since it acks level interrupts after the handler ran).
 *
 * Reset polarity. After a power-on reset PR is whatever the chip says, but every real bamboo /
 * sequoia boots through U-Boot, whose board setup writes PR (all ones on bamboo: every source
 * active high). We stand in for that firmware, so PR resets to `resetPolarity` (default all ones).
 * That also keeps idle device lines (low) inactive, and bare-metal guests that never touch PR
 * behave as on QEMU, which ignores PR altogether. TR, ER, CR reset to 0 (level, masked, non-
 * critical).
 *
 * Outputs: `external` = any of SR & ER & ~CR, `critical` = any of SR & ER & CR. `onChange` runs
 * only when one of them changes.
 *
 * Vector (VR/VCR), per the 405GP/440 UIC chapter: VCR[0:29] = VBA, VCR[31] = PRO (0: SR bit 0 is
 * the highest priority, 1: SR bit 31 is). VR = VBA + 512 * (distance of the highest-priority
 * enabled active *critical* input from the highest-priority bit). Vectors are not generated for
 * non-critical interrupts: with no critical interrupt pending VR reads 0 (as QEMU). QEMU gets the
 * PRO=1 case wrong (its loop never runs); we follow the manual.
 */

import type { DcrDevice } from "./dcr.ts";

export const enum UicReg { SR = 0, SRS = 1, ER = 2, CR = 3, PR = 4, TR = 5, MSR = 6, VR = 7, VCR = 8 }

export const UIC_DCR_COUNT = 9;

export interface UicOptions {
  /** PR value after reset (see the header). Default 0xFFFFFFFF. */
  resetPolarity?: number;
  name?: string;
}

export type UicOutputCallback = (external: boolean, critical: boolean) => void;

export class Uic implements DcrDevice {
  sr = 0;
  er = 0;
  cr = 0;
  pr = 0;
  tr = 0;
  vcr = 0;
  /** Electrical level of the 32 input pins (bit per input, IBM order). */
  pins = 0;

  readonly name: string;
  private readonly resetPolarity: number;
  private ext = false;
  private crit = false;

  /** Output lines changed. The board wires it to the CPU (or to the parent UIC). */
  onChange: UicOutputCallback | null = null;

  constructor(opts: UicOptions = {}) {
    this.name = opts.name ?? "uic";
    this.resetPolarity = (opts.resetPolarity ?? 0xffffffff) >>> 0;
    this.reset();
  }

  get external(): boolean { return this.ext; }
  get critical(): boolean { return this.crit; }

  /** Masked status (what the MSR register reads). */
  get msr(): number { return (this.sr & this.er) >>> 0; }

  /** Registers to their reset values. Pins keep their levels (devices still drive them). */
  reset(): void {
    this.sr = 0;
    this.er = 0;
    this.cr = 0;
    this.pr = this.resetPolarity;
    this.tr = 0;
    this.vcr = 0;
    this.sr = this.levelActive();
    this.update();
  }

  /** Drives input pin `n` (0..31) to an electrical level. */
  setInput(n: number, level: boolean): void {
    if (n < 0 || n > 31) throw new RangeError(`${this.name}: input ${n}`);
    const mask = (0x80000000 >>> n) >>> 0;
    const old = (this.pins & mask) !== 0;
    if (old === level) return;
    this.pins = level ? (this.pins | mask) >>> 0 : (this.pins & ~mask) >>> 0;
    const active = level === ((this.pr & mask) !== 0);
    if (this.tr & mask) {
      if (active) this.sr = (this.sr | mask) >>> 0; // edge into the active state
    } else {
      this.sr = active ? (this.sr | mask) >>> 0 : (this.sr & ~mask) >>> 0;
    }
    this.update();
  }

  read(offset: number): number {
    switch (offset) {
      case UicReg.SR:
      case UicReg.SRS: return this.sr;
      case UicReg.ER: return this.er;
      case UicReg.CR: return this.cr;
      case UicReg.PR: return this.pr;
      case UicReg.TR: return this.tr;
      case UicReg.MSR: return this.msr;
      case UicReg.VR: return this.vector();
      case UicReg.VCR: return this.vcr;
      default: return 0;
    }
  }

  write(offset: number, value: number): void {
    value >>>= 0;
    switch (offset) {
      case UicReg.SR:
        // write-1-to-clear; active level-sensitive inputs set their bit again at once
        this.sr = ((this.sr & ~value) | (this.levelActive() & ~this.tr)) >>> 0;
        break;
      case UicReg.SRS: this.sr = (this.sr | value) >>> 0; break;
      case UicReg.ER: this.er = value; break;
      case UicReg.CR: this.cr = value; break;
      case UicReg.PR: this.pr = value; this.resampleLevels(); break;
      case UicReg.TR: this.tr = value; this.resampleLevels(); break;
      case UicReg.VCR: this.vcr = (value & 0xfffffffd) >>> 0; break;
      default: return; // MSR, VR are read-only
    }
    this.update();
  }

  /** Inputs whose pin is at the active level (ignoring the trigger mode). */
  private levelActive(): number {
    return ~(this.pins ^ this.pr) >>> 0;
  }

  /**
   * After a PR or TR change, level-sensitive SR bits follow the (new) active state. Edge inputs
   * keep their SR bits: we do not invent an edge from a polarity change.
   */
  private resampleLevels(): void {
    const lvl = ~this.tr >>> 0;
    this.sr = ((this.sr & this.tr) | (this.levelActive() & lvl)) >>> 0;
  }

  private vector(): number {
    const pend = (this.sr & this.er & this.cr) >>> 0;
    if (pend === 0) return 0;
    const vba = (this.vcr & 0xfffffffc) >>> 0;
    let offset: number;
    if (this.vcr & 1) {
      // SR bit 31 is the highest priority: the lowest set mask bit is the highest IBM bit number
      const bit = Math.clz32(pend & -pend);
      offset = 31 - bit;
    } else {
      offset = Math.clz32(pend); // SR bit 0 highest: first set bit from the MSB
    }
    return (vba + offset * 512) >>> 0;
  }

  private update(): void {
    const pend = this.sr & this.er;
    const ext = (pend & ~this.cr) !== 0;
    const crit = (pend & this.cr) !== 0;
    if (ext === this.ext && crit === this.crit) return;
    this.ext = ext;
    this.crit = crit;
    this.onChange?.(ext, crit);
  }
}

/**
 * Wires `child`'s outputs into `parent` inputs (bamboo: UIC1 INT -> UIC0 30, CINT -> UIC0 31).
 * The cascade inputs must be level-sensitive, active high in the parent (Linux sets that from the
 * device tree, and our reset polarity already is).
 */
export function cascadeUic(child: Uic, parent: Uic, extInput = 30, critInput = 31): void {
  child.onChange = (ext, crit) => {
    parent.setInput(extInput, ext);
    parent.setInput(critInput, crit);
  };
  parent.setInput(extInput, child.external);
  parent.setInput(critInput, child.critical);
}

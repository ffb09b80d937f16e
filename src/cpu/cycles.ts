/**
 * The virtual clock's cost model: core cycles per instruction class on a 440EPx at 667 MHz,
 * from the instruction timing appendix of the PPC440x5 user's manual, simplified to one number
 * per class (issue/repeat rate of a cache-hitting, correctly predicted instruction; no pipeline
 * hazards, no cache misses). The timebase ticks once per core cycle, so this table is what makes
 * DEC/FIT/watchdog interrupts land at a deterministic instruction.
 *
 * | class    | cycles | instructions                                              |
 * |----------|-------:|-----------------------------------------------------------|
 * | int      | 1      | add/logical/rotate/shift/compare, immediates              |
 * | cr       | 1      | CR logical, mcrf, mfcr, mtcrf, mcrxr                      |
 * | branch   | 1      | b, bc, bclr, bcctr (predicted)                            |
 * | load     | 1      | integer loads (D-cache hit)                               |
 * | store    | 1      | integer stores                                            |
 * | multi    | 4      | lmw stmw lswi lswx stswi stswx (per-register cost not modelled)|
 * | mulhw    | 1      | mul{ch,hh,lh}w[u] (single-cycle 16x16 multiplier)         |
 * | mac      | 1      | multiply-accumulate forms                                 |
 * | mul      | 4      | mullw, mulli, mulhw, mulhwu (32x32)                       |
 * | div      | 33     | divw, divwu                                               |
 * | spr      | 3      | mfspr/mtspr, mfmsr/mtmsr, wrtee(i), mfdcr/mtdcr           |
 * | sys      | 4      | sc, rfi/rfci/rfmci, isync, msync, mbar, tw, twi           |
 * | tlb      | 4      | tlbwe, tlbre, tlbsx, tlbsync                              |
 * | cache    | 1      | dcbX, icbi, icbt, dccci, iccci, dcread, icread            |
 * | fp       | 1      | FP arithmetic, moves, compares, conversions (pipelined)   |
 * | fpdivs   | 19     | fdivs                                                     |
 * | fpdiv    | 33     | fdiv                                                      |
 * | fpsqrts  | 19     | fsqrts                                                    |
 * | fpsqrt   | 33     | fsqrt                                                     |
 * | fpload   | 1      | lfs/lfd forms                                             |
 * | fpstore  | 1      | stfs/stfd/stfiwx forms                                    |
 */

import type { CostClass } from "../isa/types.ts";

export const CYCLES: Readonly<Record<CostClass, number>> = {
  int: 1, cr: 1, branch: 1, load: 1, store: 1, multi: 4, mulhw: 1, mac: 1, mul: 4, div: 33,
  spr: 3, sys: 4, tlb: 4, cache: 1, fp: 1, fpdivs: 19, fpdiv: 33, fpsqrts: 19, fpsqrt: 33,
  fpload: 1, fpstore: 1,
};

/** Default core clock of the virtual 440EPx (the seed's Sequoia board). */
export const DEFAULT_CLOCK_HZ = 667_000_000;

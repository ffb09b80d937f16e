/** SPR numbers of the 440 (UM table 10-2). Privileged when bit 0x10 of the number is set. */
export const SPR = {
  XER: 1, LR: 8, CTR: 9, DEC: 22, SRR0: 26, SRR1: 27, PID: 48, DECAR: 54, CSRR0: 58, CSRR1: 59,
  DEAR: 61, ESR: 62, IVPR: 63, USPRG0: 256,
  SPRG4R: 260, SPRG5R: 261, SPRG6R: 262, SPRG7R: 263, TBLR: 268, TBUR: 269,
  SPRG0: 272, SPRG1: 273, SPRG2: 274, SPRG3: 275, SPRG4: 276, SPRG5: 277, SPRG6: 278, SPRG7: 279,
  TBLW: 284, TBUW: 285, PIR: 286, PVR: 287,
  DBSR: 304, DBCR0: 308, DBCR1: 309, DBCR2: 310, IAC1: 312, IAC2: 313, IAC3: 314, IAC4: 315,
  DAC1: 316, DAC2: 317, DVC1: 318, DVC2: 319, TSR: 336, TCR: 340,
  IVOR0: 400, IVOR15: 415, MCSRR0: 570, MCSRR1: 571, MCSR: 572,
  INV0: 880, INV3: 883, ITV0: 884, ITV3: 887, CCR1: 888,
  DNV0: 912, DNV3: 915, DTV0: 916, DTV3: 919, DVLIM: 920, IVLIM: 921, RSTCFG: 923,
  DCDBTRL: 924, DCDBTRH: 925, ICDBTRL: 926, ICDBTRH: 927, MMUCR: 946, CCR0: 947, ICDBDR: 979, DBDR: 1011,
} as const;

export const isPrivilegedSpr = (n: number): boolean => (n & 0x10) !== 0;

/** PVR of the 440EPx (QEMU's `440epx` model, our default core). */
export const PVR_440EPX = 0x200008d0;

/** Access of each implemented SPR: 1 read/write, 2 read-only, 3 write-only. 0 = not implemented. */
export const SPR_ACCESS = new Int8Array(1024);
{
  const rw = [1, 8, 9, 22, 26, 27, 48, 58, 59, 61, 62, 63, 256, 272, 273, 274, 275, 276, 277, 278, 279,
    304, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 336, 340, 570, 571, 572,
    880, 881, 882, 883, 884, 885, 886, 887, 888, 912, 913, 914, 915, 916, 917, 918, 919, 920, 921,
    946, 947, 1011];
  for (let n = 400; n <= 415; n++) rw.push(n);
  for (const n of rw) SPR_ACCESS[n] = 1;
  for (const n of [260, 261, 262, 263, 268, 269, 286, 287, 923, 924, 925, 926, 927, 979]) SPR_ACCESS[n] = 2;
  for (const n of [54, 284, 285]) SPR_ACCESS[n] = 3;
}

/** SPRs a problem-state program may touch: XER, LR, CTR, USPRG0, SPRG4-7 (read), TBL/TBU (read). */
export const isUserSpr = (n: number): boolean =>
  n === 1 || n === 8 || n === 9 || n === 256 || (n >= 260 && n <= 263) || n === 268 || n === 269;

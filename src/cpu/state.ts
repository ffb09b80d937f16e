/**
 * Architectural state of one PPC440 core, held in typed arrays so that the interpreter and
 * compiled blocks read and write it with plain indexed accesses (no property lookups, no boxing).
 *
 * - `gpr`: r0..r31 (Int32Array: stores truncate to 32 bits, which is what the ISA wants).
 * - `cr`: CR as eight 4-bit fields (LT=8 GT=4 EQ=2 SO=1), QEMU's `cpu_crf[8]` layout: compares
 *   write one field, branches test one bit of one field.
 * - `st`: the other frequently used registers at fixed indices (S.*); XER is split into SO/OV/CA
 *   and the string byte count so that carries and overflow are plain stores.
 * - `spr`: backing store for SPRs without side effects, indexed by SPR number.
 */

/** Indices into `CpuState.st`. Generated code embeds them as literals. */
export const S = {
  PC: 0,
  LR: 1,
  CTR: 2,
  MSR: 3,
  /** XER[SO], XER[OV], XER[CA] as 0/1. */
  SO: 4,
  OV: 5,
  CA: 6,
  /** XER[25:31] transfer byte count (lswx/stswx, dlmzb). */
  TBC: 7,
  /** lwarx reservation: 1 when held, and the reserved effective address. */
  RESV: 8,
  RESV_EA: 9,
} as const;
export const ST_SIZE = 16;

/** MSR bits of the 440 (UM p.168-170). */
export const MSR = {
  WE: 0x00040000,
  CE: 0x00020000,
  EE: 0x00008000,
  PR: 0x00004000,
  FP: 0x00002000,
  ME: 0x00001000,
  FE0: 0x00000800,
  DWE: 0x00000400,
  DE: 0x00000200,
  FE1: 0x00000100,
  IS: 0x00000020,
  DS: 0x00000010,
} as const;
/** Every implemented MSR bit; the rest read as 0. */
export const MSR_MASK = 0x0006ff30;

/** XER as software sees it: SO OV CA and the byte count; other bits are reserved (read 0). */
export const XER_MASK = 0xe000007f;

export class CpuState {
  readonly gpr = new Int32Array(32);
  readonly cr = new Int32Array(8);
  readonly st = new Int32Array(ST_SIZE);
  readonly spr = new Int32Array(1024);

  get pc(): number { return this.st[S.PC]! >>> 0; }
  set pc(v: number) { this.st[S.PC] = v; }
  get msr(): number { return this.st[S.MSR]! >>> 0; }

  /** CR as one 32-bit word (mfcr). */
  getCR(): number {
    let v = 0;
    for (let i = 0; i < 8; i++) v = (v << 4) | (this.cr[i]! & 15);
    return v >>> 0;
  }
  setCR(v: number): void {
    for (let i = 0; i < 8; i++) this.cr[i] = (v >>> (28 - 4 * i)) & 15;
  }
  getXER(): number {
    const st = this.st;
    return ((st[S.SO]! << 31) | (st[S.OV]! << 30) | (st[S.CA]! << 29) | (st[S.TBC]! & 0x7f)) >>> 0;
  }
  setXER(v: number): void {
    const st = this.st;
    st[S.SO] = (v >>> 31) & 1;
    st[S.OV] = (v >>> 30) & 1;
    st[S.CA] = (v >>> 29) & 1;
    st[S.TBC] = v & 0x7f;
  }
}

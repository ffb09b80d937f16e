/**
 * The 440's unified TLB (UM ch.5): 64 fully associative entries of three words plus an 8-bit TID,
 * searched on every software-TLB miss. Translation is always on; MSR[IS]/[DS] only pick the
 * address space (TS) an access matches. The result is cached by Memory's software TLB, which is
 * flushed whenever an entry is written or the context (PID, MSR[PR,IS,DS]) changes.
 *
 * Word formats (tlbwe/tlbre):
 *   word 0: EPN 0xFFFFFC00 | V 0x200 | TS 0x100 | SIZE 0xF0 | TPAR 0xF (parity, reads as 0)
 *   word 1: RPN 0xFFFFFC00 | PAR1 0x300 (reads 0) | ERPN 0xF (real address bits 32..35)
 *   word 2: PAR2 | U0-U3 0xF000 | W I M G E 0x0F80 | UX UW UR SX SW SR 0x3F
 */

import type { Cpu, TlbOps } from "./cpu.ts";
import { ESR, FAULT, Ivor } from "./interrupts.ts";
import { Access, Attr, type Memory, type Translator } from "./memory.ts";
import { SPR } from "./spr.ts";
import { MSR, S } from "./state.ts";

export const TLB_ENTRIES = 64;

export const TLB0 = { EPN: 0xfffffc00, V: 0x200, TS: 0x100, SIZE: 0xf0 } as const;
export const TLB2 = { W: 0x800, I: 0x400, M: 0x200, G: 0x100, E: 0x80, UX: 0x20, UW: 0x10, UR: 0x08, SX: 0x04, SW: 0x02, SR: 0x01 } as const;
const W0_MASK = 0xfffffff0, W1_MASK = 0xfffffc0f, W2_MASK = 0x0000ffbf;

/** Page size in bytes for a SIZE code (1 KiB << 2*SIZE). Codes 6, 8 and 10-15 are undefined on the 440x5; the formula is applied to them too. */
export const pageBytes = (size: number): number => 1024 * 4 ** size;

/**
 * 64 TLB entries with the 440's word formats and search rules — the storage both the core's UTLB
 * and a hypervisor's guest TLB are made of.
 */
export class TlbArray {
  readonly word0 = new Int32Array(TLB_ENTRIES);
  readonly word1 = new Int32Array(TLB_ENTRIES);
  readonly word2 = new Int32Array(TLB_ENTRIES);
  readonly tid = new Uint8Array(TLB_ENTRIES);
  /** Decoded for the search: effective page number mask and value, as unsigned numbers. */
  protected readonly mask = new Float64Array(TLB_ENTRIES);
  /**
   * Page size forced by the board (QEMU's bamboo boot entries are 2 GiB, a size the SIZE field
   * cannot express; tlbre shows the stored SIZE). Cleared by the next tlbwe of the entry.
   */
  private readonly forcedBytes = new Float64Array(TLB_ENTRIES);
  protected readonly epn = new Float64Array(TLB_ENTRIES);
  /** Incremented on every entry write (compiled-code caches key on it). */
  generation = 0;
  /** Called after an entry changes. */
  onWrite: ((index: number) => void) | null = null;

  /** Sets an entry directly (board boot state, tests), as three tlbwe words would. */
  set(index: number, w0: number, w1: number, w2: number, tid: number, forcedBytes = 0): void {
    this.forcedBytes[index] = forcedBytes;
    this.word0[index] = w0 & W0_MASK;
    this.word1[index] = w1 & W1_MASK;
    this.word2[index] = w2 & W2_MASK;
    this.tid[index] = tid & 0xff;
    this.decode(index);
  }

  invalidateAll(): void {
    for (let i = 0; i < TLB_ENTRIES; i++) this.set(i, 0, 0, 0, 0);
  }

  protected decode(i: number): void {
    const w0 = this.word0[i]!;
    const bytes = this.forcedBytes[i] || pageBytes((w0 >>> 4) & 15);
    const m = bytes >= 2 ** 32 ? 0 : (2 ** 32 - bytes);
    this.mask[i] = m;
    this.epn[i] = ((w0 & TLB0.EPN) >>> 0) - (((w0 & TLB0.EPN) >>> 0) % bytes);
    this.generation++;
    this.onWrite?.(i);
  }

  valid(i: number): boolean { return (this.word0[i]! & TLB0.V) !== 0; }
  /** Page size of entry i in bytes. */
  bytes(i: number): number { return 2 ** 32 - this.mask[i]!; }
  /** First effective address of entry i's page. */
  pageEa(i: number): number { return this.epn[i]!; }

  /** Index of the first valid entry matching (ea, ts, pid), or -1. TID 0 matches every PID. */
  find(ea: number, ts: number, pid: number): number {
    const u = ea >>> 0, epn = this.epn, mask = this.mask;
    for (let i = 0; i < TLB_ENTRIES; i++) {
      // the page test first (it rejects most entries); epn is aligned to the page size
      const d = u - epn[i]!;
      if (d < 0 || d >= 2 ** 32 - mask[i]!) continue;
      const w0 = this.word0[i]!;
      if ((w0 & TLB0.V) === 0 || ((w0 >>> 8) & 1) !== ts) continue;
      const t = this.tid[i]!;
      if (t !== 0 && t !== pid) continue;
      return i;
    }
    return -1;
  }

  /** Real address (up to 36 bits) of `ea` through entry i. */
  realAddress(i: number, ea: number): number {
    const bytes = 2 ** 32 - this.mask[i]!;
    const w1 = this.word1[i]!;
    const rpn = ((w1 & 0xfffffc00) >>> 0);
    return (w1 & 0xf) * 2 ** 32 + (rpn - (rpn % bytes)) + ((ea >>> 0) % bytes);
  }

  /** tlbwe semantics: WS 0 also takes TID from MMUCR[STID]. */
  writeWord(index: number, ws: number, rs: number, mmucr: number): void {
    if (ws === 0) {
      this.forcedBytes[index] = 0; // the size comes from word 0 (QEMU keeps a boot entry's size until then)
      this.word0[index] = rs & W0_MASK;
      this.tid[index] = mmucr & 0xff;
    } else if (ws === 1) this.word1[index] = rs & W1_MASK;
    else this.word2[index] = rs & W2_MASK;
    this.decode(index);
  }

  /** tlbre semantics: returns the word; for WS 0 also the TID (to go into MMUCR[STID]). */
  readWord(index: number, ws: number): number {
    return ws === 0 ? this.word0[index]! : ws === 1 ? this.word1[index]! : this.word2[index]!;
  }

  /** tlbsx: search with MMUCR[STID] and MMUCR[STS]. */
  search(ea: number, mmucr: number): number {
    return this.find(ea, (mmucr >>> 16) & 1, mmucr & 0xff);
  }
}

/** The core's UTLB: the architected TLB plus the translation hook the core's memory calls. */
export class Utlb extends TlbArray implements Translator, TlbOps {
  constructor(private readonly cpu: Cpu) {
    super();
  }

  /**
   * A write to entry i changes translations only inside its old and its new page (the first
   * matching entry wins in `find`, so the new page may shadow other entries' cached pages): the
   * software TLB drops those two ranges, not everything (a hypervisor refilling its shadow TLB
   * writes an entry per exit).
   */
  protected override decode(i: number): void {
    const oldEa = this.epn[i]!, oldBytes = 2 ** 32 - this.mask[i]!;
    super.decode(i);
    const mem = this.cpu.mem;
    mem.flushTlbRange(oldEa, oldBytes);
    const ea = this.epn[i]!, bytes = 2 ** 32 - this.mask[i]!;
    if (ea !== oldEa || bytes !== oldBytes) mem.flushTlbRange(ea, bytes);
  }

  // ---- Translator ----

  translate(mem: Memory, ea: number, access: Access, pc: number, esrExtra: number): void {
    const st = this.cpu.st;
    const msr = st[S.MSR]!;
    const ts = access === Access.Fetch ? (msr >>> 5) & 1 : (msr >>> 4) & 1;
    const i = this.find(ea, ts, this.cpu.spr[SPR.PID]! & 0xff);
    if (i < 0) {
      if (access === Access.Fetch) mem.exc.set(Ivor.InstTlb, pc, 0, false, 0, false);
      else mem.exc.set(Ivor.DataTlb, pc, (access === Access.Store ? ESR.ST : 0) | esrExtra, true, ea, true);
      throw FAULT;
    }
    const w2 = this.word2[i]!;
    const user = (msr & MSR.PR) !== 0;
    const perm = access === Access.Fetch ? (user ? TLB2.UX : TLB2.SX)
      : access === Access.Store ? (user ? TLB2.UW : TLB2.SW) : (user ? TLB2.UR : TLB2.SR);
    if ((w2 & perm) === 0) {
      if (access === Access.Fetch) mem.exc.set(Ivor.InstStorage, pc, 0, true, 0, false);
      else mem.exc.set(Ivor.DataStorage, pc, (access === Access.Store ? ESR.ST : 0) | esrExtra, true, ea, true);
      throw FAULT;
    }
    mem.xPhys = this.realAddress(i, ea);
    let attr = 0;
    if (w2 & TLB2.E) attr |= Attr.LE;
    if (w2 & TLB2.W) attr |= Attr.W;
    if (w2 & TLB2.I) attr |= Attr.I;
    // a 1 KiB page does not cover the rest of its 4 KiB software-TLB slot
    if (this.bytes(i) < 4096) attr |= Attr.NoFast;
    mem.xAttr = attr;
  }

  // ---- TlbOps (tlbwe, tlbre, tlbsx) ----

  tlbwe(cpu: Cpu, rs: number, index: number, ws: number): void {
    this.writeWord(index, ws, rs, cpu.spr[SPR.MMUCR]!);
  }

  tlbre(cpu: Cpu, index: number, ws: number): number {
    if (ws === 0) cpu.spr[SPR.MMUCR] = (cpu.spr[SPR.MMUCR]! & ~0xff) | this.tid[index]!;
    return this.readWord(index, ws);
  }

  tlbsx(cpu: Cpu, ea: number): number {
    return this.search(ea, cpu.spr[SPR.MMUCR]!);
  }
}

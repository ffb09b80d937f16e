/**
 * Guest storage as the execution engine sees it: one big-endian RAM ArrayBuffer, a translation
 * hook (the 440 UTLB in system mode, a process page table in user mode, the shadow TLB in virt
 * mode), a physical bus for everything that is not RAM, and in front of all that a direct-mapped
 * software TLB in typed arrays so that a hit is one compare and one add.
 *
 * Fast-path contract (used by generated code, see sem/emit.ts):
 *   idx = (ea >>> 12) & TLB_MASK
 *   hit  <=> rtag[idx] === (ea & (0xFFFFF000 | (size - 1)))   // misaligned accesses always miss
 *   host offset = (ea + radd[idx]) | 0
 * Entries are filled only for RAM pages with normal (big-endian) byte order whose whole 4 KiB is
 * covered by one translation with the needed permission; everything else takes the slow path.
 *
 * Instruction fetch has its own tag array (xtag/xadd), read by `fetchAddend` once per page
 * change; it is flushed with the others.
 *
 * Code pages (the block compiler, cpu/jit): a physical page holding compiled code is never
 * entered in the write tags, so every store to it takes the slow path, which reports the bytes
 * written to `onCodeWrite` (QEMU's NOTDIRTY idea). Host-side writers (loaders, DMA, system calls
 * copying into guest memory) report theirs through `hostWrite`.
 */

import { ESR, FAULT, Ivor, type PendingException } from "./interrupts.ts";

/**
 * 16384 entries: a 64 MiB working set of 4 KiB pages maps without conflict misses (the 32 MiB
 * transposition-table benchmark misses on every other access with 4096). Flushes cost what was
 * filled (the `filled` list), not the table size.
 */
export const TLB_BITS = 14;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;
/** Above this many bytes `flushTlbRange` flushes everything (64 pages: probing costs more). */
const RANGE_FLUSH_MAX = 64 * 4096;
/** Tag value that never matches: fast-path tags always have bits 2..11 clear. */
const NO_TAG = 0x800;

export const enum Access { Load = 0, Store = 1, Fetch = 2 }

/** Attribute bits a translation reports (`Memory.xAttr`). */
export const enum Attr {
  /** Little-endian page (TLB E bit). */
  LE = 1,
  /** Do not cache in the software TLB (e.g. a 1 KiB page covers only part of the 4 KiB). */
  NoFast = 2,
  /** Write-through (TLB W). */
  W = 4,
  /** Caching inhibited (TLB I). */
  I = 8,
}

/** The translation hook: fills `mem.xPhys`/`mem.xAttr`, or records an exception and throws FAULT. */
export interface Translator {
  translate(mem: Memory, ea: number, access: Access, pc: number, esrExtra: number): void;
}

/** Physical accesses outside RAM (device MMIO). Values are big-endian as on the bus. */
export interface PhysBus {
  read(pa: number, size: 1 | 2 | 4, mem: Memory, pc: number): number;
  write(pa: number, size: 1 | 2 | 4, value: number, mem: Memory, pc: number): void;
}

const NO_BUS: PhysBus = {
  read(pa, _size, mem, pc) { return mem.machineCheck(pa, pc, MCSR_DRB); },
  write(pa, _size, _v, mem, pc) { mem.machineCheck(pa, pc, MCSR_DWB); },
};

/** MCSR bits (UM p.183): summary, instruction PLB error, data read / write PLB error. */
export const MCSR_MCS = 0x80000000 | 0, MCSR_IB = 0x40000000, MCSR_DRB = 0x20000000, MCSR_DWB = 0x10000000;

export class Memory {
  readonly ram: ArrayBuffer;
  readonly dv: DataView;
  readonly u8: Uint8Array;
  readonly ramSize: number;

  readonly rtag = new Int32Array(TLB_SIZE).fill(NO_TAG);
  readonly radd = new Int32Array(TLB_SIZE);
  readonly wtag = new Int32Array(TLB_SIZE).fill(NO_TAG);
  readonly wadd = new Int32Array(TLB_SIZE);
  /** Instruction-fetch translations (tag = page EA, addend as for loads). */
  readonly xtag = new Int32Array(TLB_SIZE).fill(NO_TAG);
  readonly xadd = new Int32Array(TLB_SIZE);
  /** Indices filled since the last flush, so a flush costs what was filled. */
  private readonly filled = new Int32Array(TLB_SIZE * 3);
  private nFilled = 0;

  /** Result registers of `Translator.translate`. */
  xPhys = 0;
  xAttr = 0;
  /** Low word of the last 64-bit slow load. */
  lo = 0;
  /** The page `fetchAddend` last translated is little-endian (TLB E): instruction words are byte-reversed. */
  fetchLE = false;
  /**
   * The page `fetchAddend` last translated is smaller than 4 KiB (a 1 KiB TLB page): its addend
   * holds for that page only (the block compiler leaves such code to the interpreter).
   */
  fetchSmall = false;

  translator: Translator;
  bus: PhysBus = NO_BUS;

  /**
   * Physical pages (by page number) holding compiled code, or null while no block compiler is
   * attached. Stores to such a page always take the slow path and end in `onCodeWrite`.
   */
  codePages: Uint8Array | null = null;
  /** Called after guest or host bytes [pa, pa+len) of a code page were written. */
  onCodeWrite: ((pa: number, len: number) => void) | null = null;
  /** False: no store is ever entered in the write tags (the lockstep checker logs every store). */
  writeFast = true;
  /** Called before every RAM store of the slow paths with its physical range (lockstep checker). */
  storeHook: ((pa: number, len: number) => void) | null = null;
  /** Called by `hostWrite` with the range a host-side writer changed (lockstep checker). */
  hostWriteHook: ((pa: number, len: number) => void) | null = null;

  constructor(ramSize: number, readonly exc: PendingException, translator?: Translator) {
    this.ramSize = ramSize;
    this.ram = new ArrayBuffer(ramSize);
    this.dv = new DataView(this.ram);
    this.u8 = new Uint8Array(this.ram);
    this.translator = translator ?? IDENTITY;
  }

  /** Forget every cached translation (context switch, TLB write, MSR[PR/IS/DS] change). */
  flushTlb(): void {
    const f = this.filled;
    for (let i = 0; i < this.nFilled; i++) {
      const k = f[i]!;
      if (k < TLB_SIZE) this.rtag[k] = NO_TAG;
      else if (k < 2 * TLB_SIZE) this.wtag[k - TLB_SIZE] = NO_TAG;
      else this.xtag[k - 2 * TLB_SIZE] = NO_TAG;
    }
    this.nFilled = 0;
  }

  /**
   * Forget the cached translations of effective addresses [start, start + bytes): a TLB entry
   * covering that range was rewritten. The tags keep no context (they are flushed whole when PID
   * or MSR[PR,IS,DS] changes), so every cached page of the range goes, whatever entry it came
   * from. A small range costs a probe per page; a large one (a pinned kernel mapping) is a full
   * flush, which costs what was filled.
   */
  flushTlbRange(start: number, bytes: number): void {
    if (bytes > RANGE_FLUSH_MAX) { this.flushTlb(); return; }
    const first = start & ~0xfff;
    for (let off = 0; off < bytes; off += 4096) {
      const ea = (first + off) | 0, idx = (ea >>> 12) & TLB_MASK;
      if (this.rtag[idx] === ea) this.rtag[idx] = NO_TAG;
      if (this.wtag[idx] === ea) this.wtag[idx] = NO_TAG;
      if (this.xtag[idx] === ea) this.xtag[idx] = NO_TAG;
    }
  }

  /** Translates and, for a plain RAM page, caches the translation. Returns the physical address. */
  private xlate(ea: number, access: Access, pc: number, esrExtra: number): number {
    this.translator.translate(this, ea, access, pc, esrExtra);
    const pa = this.xPhys;
    if ((this.xAttr & (Attr.LE | Attr.NoFast)) === 0 && pa < this.ramSize && access !== Access.Fetch) {
      const idx = (ea >>> 12) & TLB_MASK;
      const add = ((pa - (pa % 4096)) - (ea & ~0xfff)) | 0;
      if (access === Access.Load) {
        if (this.rtag[idx] === NO_TAG && this.nFilled < this.filled.length) this.filled[this.nFilled++] = idx;
        this.rtag[idx] = ea & ~0xfff;
        this.radd[idx] = add;
      } else if (this.writeFast && (this.codePages === null || this.codePages[Math.floor(pa / 4096)] === 0)) {
        if (this.wtag[idx] === NO_TAG && this.nFilled < this.filled.length) this.filled[this.nFilled++] = idx + TLB_SIZE;
        this.wtag[idx] = ea & ~0xfff;
        this.wadd[idx] = add;
      }
      if (this.nFilled >= this.filled.length) this.flushAllSlow();
    }
    return pa;
  }

  private flushAllSlow(): void {
    this.rtag.fill(NO_TAG);
    this.wtag.fill(NO_TAG);
    this.xtag.fill(NO_TAG);
    this.nFilled = 0;
  }

  /** Drops every write tag (e.g. when `writeFast` is turned off). */
  flushWriteTags(): void {
    this.wtag.fill(NO_TAG);
  }

  /** Marks physical page `ppn` as holding code: its stores leave the fast path from now on. */
  protectCodePage(ppn: number): void {
    const cp = this.codePages;
    if (cp === null || cp[ppn] !== 0) return;
    cp[ppn] = 1;
    // drop write tags that already map some EA onto this page
    const wtag = this.wtag, wadd = this.wadd;
    for (let i = 0; i < TLB_SIZE; i++) {
      const t = wtag[i]!;
      if (t !== NO_TAG && ((t + wadd[i]!) >>> 12) === ppn) wtag[i] = NO_TAG;
    }
  }

  /** A host-side writer (loader, DMA, system call) changed physical bytes [pa, pa+len). */
  hostWrite(pa: number, len: number): void {
    this.hostWriteHook?.(pa, len);
    const cp = this.codePages;
    if (cp === null || len <= 0) return;
    const first = Math.floor(pa / 4096), last = Math.floor((pa + len - 1) / 4096);
    for (let p = first; p <= last; p++) {
      if (cp[p] === 1) {
        this.onCodeWrite!(pa, len);
        return;
      }
    }
  }

  /**
   * Instruction fetch: translate the page holding `pc` and return the addend that turns an
   * address in that page into a RAM offset. Raises ITLB/ISI through the translator.
   */
  fetchAddend(pc: number): number {
    const idx = (pc >>> 12) & TLB_MASK;
    if (this.xtag[idx] === (pc & ~0xfff)) {
      this.fetchLE = false;
      this.fetchSmall = false;
      return this.xadd[idx]!;
    }
    this.translator.translate(this, pc, Access.Fetch, pc, 0);
    const pa = this.xPhys;
    // an instruction fetch from a device is a bus error: machine check (MCSR[IB]); a fetch from a
    // little-endian page is modelled in the interpreter (byte-reversed words), so such pages
    // stay out of the fetch tags
    if (pa >= this.ramSize) return this.machineCheck(pa, pc, MCSR_IB);
    this.fetchLE = (this.xAttr & Attr.LE) !== 0;
    this.fetchSmall = (this.xAttr & Attr.NoFast) !== 0;
    if (this.fetchLE) return ((pa - (pa % 4096)) - (pc & ~0xfff)) | 0;
    const add = ((pa - (pa % 4096)) - (pc & ~0xfff)) | 0;
    if ((this.xAttr & Attr.NoFast) === 0) {
      if (this.xtag[idx] === NO_TAG && this.nFilled < this.filled.length) this.filled[this.nFilled++] = idx + 2 * TLB_SIZE;
      this.xtag[idx] = pc & ~0xfff;
      this.xadd[idx] = add;
      if (this.nFilled >= this.filled.length) this.flushAllSlow();
    }
    return add;
  }

  /** A bus error: machine check with the MCSR bits saying which (instruction, data read, data write). */
  machineCheck(pa: number, pc: number, mcsr = MCSR_DRB): never {
    this.exc.set(Ivor.MachineCheck, pc, 0, false, pa, false);
    this.exc.mcsr = MCSR_MCS | mcsr;
    throw FAULT;
  }

  // ---- slow paths: misaligned, page-crossing, little-endian, MMIO, TLB miss ----

  private ld(ea: number, size: 1 | 2 | 4, pc: number, esrExtra: number): number {
    ea |= 0;
    if (((ea & 0xfff) + size) > 0x1000) {
      // crosses a page: both pages must translate (first page first), then bytes in order
      this.xlate(ea, Access.Load, pc, esrExtra);
      this.xlate((ea + size - 1) | 0, Access.Load, pc, esrExtra);
      let v = 0;
      for (let i = 0; i < size; i++) v = (v << 8) | this.ldByte((ea + i) | 0, pc, esrExtra);
      return v;
    }
    const pa = this.xlate(ea, Access.Load, pc, esrExtra);
    const le = (this.xAttr & Attr.LE) !== 0;
    let v: number;
    if (pa < this.ramSize && pa + size <= this.ramSize) {
      v = size === 4 ? this.dv.getInt32(pa) : size === 2 ? this.dv.getUint16(pa) : this.dv.getUint8(pa);
    } else {
      v = this.bus.read(pa, size, this, pc);
    }
    return le ? swap(v, size) : v;
  }

  private ldByte(ea: number, pc: number, esrExtra: number): number {
    return this.ld(ea, 1, pc, esrExtra) & 0xff;
  }

  private st(ea: number, size: 1 | 2 | 4, value: number, pc: number, esrExtra: number): void {
    ea |= 0;
    if (((ea & 0xfff) + size) > 0x1000) {
      // both pages must be writable before any byte is stored
      this.xlate(ea, Access.Store, pc, esrExtra);
      this.xlate((ea + size - 1) | 0, Access.Store, pc, esrExtra);
      for (let i = 0; i < size; i++) this.st((ea + i) | 0, 1, value >>> (8 * (size - 1 - i)), pc, esrExtra);
      return;
    }
    const pa = this.xlate(ea, Access.Store, pc, esrExtra);
    const v = (this.xAttr & Attr.LE) !== 0 ? swap(value, size) : value;
    if (pa < this.ramSize && pa + size <= this.ramSize) {
      this.storeHook?.(pa, size);
      if (size === 4) this.dv.setInt32(pa, v);
      else if (size === 2) this.dv.setUint16(pa, v & 0xffff);
      else this.dv.setUint8(pa, v & 0xff);
      if (this.codePages !== null && this.codePages[Math.floor(pa / 4096)] !== 0) this.onCodeWrite!(pa, size);
    } else {
      this.bus.write(pa, size, size === 4 ? v | 0 : v & (size === 2 ? 0xffff : 0xff), this, pc);
    }
  }

  slowLd8(ea: number, pc: number): number { return this.ld(ea, 1, pc, 0) & 0xff; }
  slowLd16(ea: number, pc: number): number { return this.ld(ea, 2, pc, 0) & 0xffff; }
  slowLd32(ea: number, pc: number): number { return this.ld(ea, 4, pc, 0) | 0; }
  slowSt8(ea: number, v: number, pc: number): void { this.st(ea, 1, v, pc, 0); }
  slowSt16(ea: number, v: number, pc: number): void { this.st(ea, 2, v, pc, 0); }
  slowSt32(ea: number, v: number, pc: number): void { this.st(ea, 4, v, pc, 0); }

  /** FP accesses: an operand crossing a 16-byte boundary raises Alignment (UM p.186). */
  slowLdF32(ea: number, pc: number): number {
    if ((ea & 15) > 12) this.alignment(ea, pc, ESR.FP);
    return this.ld(ea, 4, pc, ESR.FP) | 0;
  }
  /** Returns the high word; the low word is left in `lo`. */
  slowLdF64(ea: number, pc: number): number {
    if ((ea & 15) > 8) this.alignment(ea, pc, ESR.FP);
    // translate both words before reading either, so a fault leaves nothing half-done
    const hi = this.ld(ea, 4, pc, ESR.FP) | 0;
    this.lo = this.ld((ea + 4) | 0, 4, pc, ESR.FP) | 0;
    return hi;
  }
  slowStF32(ea: number, v: number, pc: number): void {
    if ((ea & 15) > 12) this.alignment(ea, pc, ESR.FP | ESR.ST);
    this.st(ea, 4, v, pc, ESR.FP);
  }
  slowStF64(ea: number, hi: number, lo: number, pc: number): void {
    if ((ea & 15) > 8) this.alignment(ea, pc, ESR.FP | ESR.ST);
    this.xlate(ea, Access.Store, pc, ESR.FP);
    this.xlate((ea + 7) | 0, Access.Store, pc, ESR.FP);
    this.st(ea, 4, hi, pc, ESR.FP);
    this.st((ea + 4) | 0, 4, lo, pc, ESR.FP);
  }

  /** Word access that must be aligned (lwarx, stwcx.). */
  ldAligned32(ea: number, pc: number): number {
    if ((ea & 3) !== 0) this.alignment(ea, pc, 0);
    return this.ld(ea, 4, pc, 0) | 0;
  }
  stAligned32(ea: number, v: number, pc: number): void {
    if ((ea & 3) !== 0) this.alignment(ea, pc, ESR.ST);
    this.st(ea, 4, v, pc, 0);
  }
  /** Translation check only (dcbf, dcbst, icbi are treated as loads; dcbi as a store). */
  touch(ea: number, store: boolean, pc: number): void {
    this.translator.translate(this, ea | 0, store ? Access.Store : Access.Load, pc, 0);
  }

  /** dcbz: zero the 32-byte line; Alignment if the page is write-through or caching-inhibited. */
  dcbz(ea: number, pc: number): void {
    const line = ea & ~31;
    const pa = this.xlate(line, Access.Store, pc, 0);
    if ((this.xAttr & (Attr.W | Attr.I)) !== 0) this.alignment(ea, pc, ESR.ST);
    if (pa + 32 <= this.ramSize) {
      this.storeHook?.(pa, 32);
      this.u8.fill(0, pa, pa + 32);
      if (this.codePages !== null && this.codePages[Math.floor(pa / 4096)] !== 0) this.onCodeWrite!(pa, 32);
    } else for (let i = 0; i < 32; i += 4) this.bus.write(pa + i, 4, 0, this, pc);
  }

  alignment(ea: number, pc: number, esr: number): never {
    this.exc.set(Ivor.Alignment, pc, esr, true, ea | 0, true);
    throw FAULT;
  }

  // ---- host-side helpers (loaders, syscalls, devices): physical RAM, no translation ----
  readBytes(pa: number, len: number): Uint8Array { return this.u8.subarray(pa, pa + len); }
  writeBytes(pa: number, bytes: Uint8Array): void { this.u8.set(bytes, pa); this.hostWrite(pa, bytes.length); }
}

function swap(v: number, size: number): number {
  if (size === 1) return v & 0xff;
  if (size === 2) return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff);
}

/** Effective address = physical address, all permissions (tests, and until an MMU is attached). */
export const IDENTITY: Translator = {
  translate(mem, ea) {
    mem.xPhys = ea >>> 0;
    mem.xAttr = 0;
  },
};

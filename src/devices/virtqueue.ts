/**
 * Split virtqueues (virtio 1.x §2.7) over guest RAM.
 *
 * Every ring field is little-endian in guest memory, whatever the CPU's byte order: the 440's
 * Linux virtio driver stores them with cpu_to_le*(), i.e. byte-reversed big-endian stores, so the
 * bytes in RAM are in little-endian order and we read them with DataView(..., true).
 *
 *   descriptor (16 bytes): addr le64, len le32, flags le16 (NEXT 1, WRITE 2, INDIRECT 4), next le16
 *   avail: flags le16, idx le16, ring[num] le16, used_event le16
 *   used:  flags le16, idx le16, ring[num] { id le32, len le32 }, avail_event le16
 *
 * A malformed chain (out of RAM, a loop, readable after writable, nested indirect) throws
 * `VirtqError`; the transport then sets DEVICE_NEEDS_RESET, as the spec asks.
 */

/** Guest RAM as the devices see it for DMA. The CPU's `Memory` has these fields. */
export interface GuestRam {
  readonly u8: Uint8Array;
  readonly dv: DataView;
}

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

export class VirtqError extends Error {}

/** One guest buffer of a chain: `len` bytes of guest RAM at `addr`. */
export interface Segment {
  readonly addr: number;
  readonly len: number;
  readonly write: boolean;
}

/** A popped descriptor chain: device-readable segments first, then device-writable ones. */
export interface Chain {
  readonly head: number;
  readonly segs: Segment[];
  readonly readable: number;
  readonly writable: number;
}

export class SplitQueue {
  num = 0;
  ready = false;
  desc = 0;
  avail = 0;
  used = 0;
  /** Next avail ring slot we will consume (free-running 16-bit). */
  lastAvail = 0;
  /** Our copy of used.idx (free-running 16-bit). */
  usedIdx = 0;
  /** VIRTIO_RING_F_INDIRECT_DESC negotiated. */
  indirect = false;

  constructor(readonly maxNum: number, private readonly ram: GuestRam) {}

  reset(): void {
    this.num = 0;
    this.ready = false;
    this.desc = this.avail = this.used = 0;
    this.lastAvail = 0;
    this.usedIdx = 0;
  }

  /** Checks the ring addresses once the driver sets QueueReady. */
  validate(): void {
    const n = this.num;
    if (n === 0 || n > this.maxNum) throw new VirtqError(`queue size ${n} (max ${this.maxNum})`);
    this.check(this.desc, 16 * n, 16);
    this.check(this.avail, 6 + 2 * n, 2);
    this.check(this.used, 6 + 8 * n, 4);
  }

  /** Whether the driver has published buffers we have not taken. */
  hasWork(): boolean {
    return this.ready && this.ram.dv.getUint16(this.avail + 2, true) !== this.lastAvail;
  }

  /** The driver asked for no interrupts (VIRTQ_AVAIL_F_NO_INTERRUPT, no EVENT_IDX). */
  interruptSuppressed(): boolean {
    return (this.ram.dv.getUint16(this.avail, true) & VIRTQ_AVAIL_F_NO_INTERRUPT) !== 0;
  }

  /** Takes the next available chain, or null if the driver has published nothing new. */
  pop(): Chain | null {
    if (!this.ready) return null;
    const dv = this.ram.dv;
    const availIdx = dv.getUint16(this.avail + 2, true);
    if (availIdx === this.lastAvail) return null;
    if (((availIdx - this.lastAvail) & 0xffff) > this.num) {
      throw new VirtqError(`avail idx ${availIdx} runs ${(availIdx - this.lastAvail) & 0xffff} ahead`);
    }
    const head = dv.getUint16(this.avail + 4 + 2 * (this.lastAvail % this.num), true);
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    if (head >= this.num) throw new VirtqError(`head ${head} >= queue size ${this.num}`);

    const segs: Segment[] = [];
    let readable = 0;
    let writable = 0;
    let table = this.desc;
    let tableLen = this.num;
    let i = head;
    let seen = 0;
    let inIndirect = false;
    for (;;) {
      if (seen++ >= tableLen) throw new VirtqError("descriptor chain loops");
      const d = table + 16 * i;
      const addr = this.rd64(d);
      const len = dv.getUint32(d + 8, true);
      const flags = dv.getUint16(d + 12, true);
      const next = dv.getUint16(d + 14, true);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.indirect) throw new VirtqError("indirect descriptor not negotiated");
        if (inIndirect) throw new VirtqError("nested indirect descriptor");
        if (flags & VIRTQ_DESC_F_NEXT) throw new VirtqError("indirect descriptor with NEXT");
        if (len === 0 || len % 16 !== 0) throw new VirtqError(`indirect table length ${len}`);
        this.check(addr, len, 16);
        table = addr;
        tableLen = len / 16;
        i = 0;
        seen = 0;
        inIndirect = true;
        continue;
      }
      this.check(addr, len, 1);
      const write = (flags & VIRTQ_DESC_F_WRITE) !== 0;
      if (write) writable += len;
      else if (writable > 0) throw new VirtqError("device-readable descriptor after a writable one");
      else readable += len;
      segs.push({ addr, len, write });
      if ((flags & VIRTQ_DESC_F_NEXT) === 0) break;
      i = next;
      if (i >= tableLen) throw new VirtqError(`next ${i} >= table size ${tableLen}`);
    }
    return { head, segs, readable, writable };
  }

  /** Returns a chain to the driver: `len` = bytes written into its device-writable buffers. */
  push(head: number, len: number): void {
    const dv = this.ram.dv;
    const e = this.used + 4 + 8 * (this.usedIdx % this.num);
    dv.setUint32(e, head, true);
    dv.setUint32(e + 4, len, true);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    dv.setUint16(this.used + 2, this.usedIdx, true);
  }

  private rd64(a: number): number {
    const dv = this.ram.dv;
    return dv.getUint32(a + 4, true) * 2 ** 32 + dv.getUint32(a, true);
  }

  private check(addr: number, len: number, align: number): void {
    if (addr % align !== 0 || addr < 0 || addr + len > this.ram.u8.length) {
      throw new VirtqError(`guest buffer [0x${addr.toString(16)}, +${len}) outside RAM or misaligned`);
    }
  }
}

/**
 * virtio-blk (device id 2) on the virtio-mmio transport, one request queue.
 *
 * Request (virtio 1.x §5.2.6): a 16-byte device-readable header { le32 type; le32 reserved;
 * le64 sector }, data buffers, and a 1-byte device-writable status at the very end. We never
 * assume how the driver split that over descriptors: the chain is treated as one readable byte
 * stream followed by one writable stream. Types: IN 0, OUT 1, FLUSH 4, GET_ID 8; anything else
 * answers UNSUPP. Sector units are 512 bytes whatever blk_size says.
 *
 * Offered features: SEG_MAX, BLK_SIZE, FLUSH, RO (read-only backend), INDIRECT_DESC, VERSION_1.
 *
 * Time. The data moves when the driver notifies (guest RAM is written then), but the chain is
 * returned in the used ring, and the interrupt raised, only when the modeled request completes:
 *   cost = latencyCycles + cyclesPerByte * bytes transferred        (rounded up)
 *   done = max(now, previous request's done) + cost                 (one request at a time)
 * Defaults: 13 340 cycles (20 µs at 667 MHz) + 3.335 cycles/byte (200 MB/s), so a 4 KiB read
 * takes about 41 µs of virtual time. With `latencyCycles = cyclesPerByte = 0`, or without an event
 * queue, requests complete inside the QueueNotify write (used ring updated, interrupt raised).
 */

import type { EventHandle, EventQueue } from "./events.ts";
import {
  type VirtioDevice, VirtioMmio, type VirtioMmioOptions,
  VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC,
} from "./virtio-mmio.ts";
import { type Chain, type GuestRam, type Segment, VirtqError } from "./virtqueue.ts";

export const VIRTIO_ID_BLOCK = 2;
export const SECTOR_SIZE = 512;

export const VIRTIO_BLK_F_SIZE_MAX = 1;
export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_RO = 5;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const VIRTIO_BLK_ID_BYTES = 20;
export const DEFAULT_LATENCY_CYCLES = 13_340;
export const DEFAULT_CYCLES_PER_BYTE = 3.335;

/** Where the sectors live. The machine layer adds a file-backed one. */
export interface BlockBackend {
  readonly size: number;
  readonly readOnly: boolean;
  read(offset: number, dst: Uint8Array): void;
  write(offset: number, src: Uint8Array): void;
  flush(): void;
}

export class MemoryBlockBackend implements BlockBackend {
  readonly data: Uint8Array;
  flushes = 0;

  constructor(dataOrSize: Uint8Array | number, readonly readOnly = false) {
    this.data = typeof dataOrSize === "number" ? new Uint8Array(dataOrSize) : dataOrSize;
  }

  get size(): number { return this.data.length; }

  read(offset: number, dst: Uint8Array): void {
    dst.set(this.data.subarray(offset, offset + dst.length));
  }

  write(offset: number, src: Uint8Array): void {
    if (this.readOnly) throw new Error("read-only backend");
    this.data.set(src, offset);
  }

  flush(): void { this.flushes++; }
}

export interface VirtioBlkOptions extends VirtioMmioOptions {
  events?: EventQueue;
  latencyCycles?: number;
  cyclesPerByte?: number;
  /** Virtqueue size offered (QueueNumMax). Default 128. */
  queueSize?: number;
  /** GET_ID answer (up to 20 bytes). */
  serial?: string;
  /** Offer VIRTIO_RING_F_INDIRECT_DESC. Default true. */
  indirect?: boolean;
  /**
   * Called for each guest RAM range the device wrote (read data, ids, status bytes), so the CPU
   * can drop decoded or compiled code for those pages.
   */
  onDmaWrite?: (pa: number, len: number) => void;
}

export interface VirtioBlkStats {
  requests: number;
  reads: number;
  writes: number;
  flushes: number;
  getIds: number;
  unsupported: number;
  errors: number;
  bytesRead: number;
  bytesWritten: number;
  /** Sum of modeled request costs, in cycles. */
  busyCycles: number;
}

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly numQueues = 1;
  readonly queueNumMax: number;
  readonly features: readonly [number, number];
  readonly config: Uint8Array;
  /** The MMIO device to put on the bus (map 0x200 bytes). */
  readonly mmio: VirtioMmio;
  readonly stats: VirtioBlkStats = {
    requests: 0, reads: 0, writes: 0, flushes: 0, getIds: 0, unsupported: 0, errors: 0,
    bytesRead: 0, bytesWritten: 0, busyCycles: 0,
  };

  private readonly events: EventQueue | undefined;
  private readonly latency: number;
  private readonly perByte: number;
  private readonly serial: Uint8Array;
  private readonly onDmaWrite: ((pa: number, len: number) => void) | undefined;
  private busyUntil = 0;
  private readonly inflight = new Set<EventHandle>();
  /** Scales each request's latency (a seeded perturbation: machine/workload.ts `perturb`); null: exact. */
  latencyJitter: (() => number) | null = null;

  constructor(readonly backend: BlockBackend, readonly ram: GuestRam, opts: VirtioBlkOptions = {}) {
    this.events = opts.events;
    this.latency = opts.latencyCycles ?? DEFAULT_LATENCY_CYCLES;
    this.perByte = opts.cyclesPerByte ?? DEFAULT_CYCLES_PER_BYTE;
    this.queueNumMax = opts.queueSize ?? 128;
    this.serial = Buffer.from((opts.serial ?? "hv440-blk").slice(0, VIRTIO_BLK_ID_BYTES), "latin1");
    this.onDmaWrite = opts.onDmaWrite;

    let f0 = (1 << VIRTIO_BLK_F_SEG_MAX) | (1 << VIRTIO_BLK_F_BLK_SIZE) | (1 << VIRTIO_BLK_F_FLUSH);
    if (backend.readOnly) f0 |= 1 << VIRTIO_BLK_F_RO;
    if (opts.indirect ?? true) f0 |= 1 << VIRTIO_RING_F_INDIRECT_DESC;
    this.features = [f0 >>> 0, 1 << (VIRTIO_F_VERSION_1 - 32)];

    // struct virtio_blk_config, little-endian; fields we do not offer stay 0
    this.config = new Uint8Array(0x3c);
    const cfg = new DataView(this.config.buffer);
    const sectors = Math.floor(backend.size / SECTOR_SIZE);
    cfg.setUint32(0x00, sectors % 2 ** 32, true); // capacity le64
    cfg.setUint32(0x04, Math.floor(sectors / 2 ** 32), true);
    cfg.setUint32(0x0c, Math.max(1, this.queueNumMax - 2), true); // seg_max: room for header+status
    cfg.setUint32(0x14, SECTOR_SIZE, true); // blk_size
    cfg.setUint16(0x22, 1, true); // num_queues

    this.mmio = new VirtioMmio(this, ram, opts);
  }

  /** Capacity in 512-byte sectors. */
  get capacity(): number { return Math.floor(this.backend.size / SECTOR_SIZE); }

  /** Requests whose completion is still scheduled. */
  get inFlight(): number { return this.inflight.size; }

  reset(): void {
    for (const h of this.inflight) this.events?.cancel(h);
    this.inflight.clear();
    this.busyUntil = 0;
  }

  notify(q: number): void {
    const vq = this.mmio.queues[q];
    if (!vq) return;
    let completedNow = false;
    for (let chain = vq.pop(); chain !== null; chain = vq.pop()) {
      const { len, bytes } = this.execute(chain);
      const cost = Math.ceil(this.latency * (this.latencyJitter?.() ?? 1) + this.perByte * bytes);
      this.stats.busyCycles += cost;
      const ev = this.events;
      // zero-cost requests complete at once, unless that would overtake one still in flight
      if (!ev || (cost === 0 && this.inflight.size === 0)) {
        vq.push(chain.head, len);
        completedNow = true;
        continue;
      }
      const at = Math.max(ev.now, this.busyUntil) + cost;
      this.busyUntil = at;
      const head = chain.head;
      const h = ev.schedule(at, () => {
        this.inflight.delete(h);
        vq.push(head, len);
        this.mmio.notifyUsed(vq);
      }, "virtio-blk.done");
      this.inflight.add(h);
    }
    if (completedNow) this.mmio.notifyUsed(vq);
  }

  /** Does the request; returns the used length and the bytes moved (for the cost model). */
  private execute(chain: Chain): { len: number; bytes: number } {
    if (chain.readable < 16 || chain.writable < 1) {
      throw new VirtqError(`block request without header or status (r=${chain.readable} w=${chain.writable})`);
    }
    this.stats.requests++;
    const hdr = new Uint8Array(16);
    gather(this.ram, chain.segs, 0, hdr);
    const hv = new DataView(hdr.buffer);
    const type = hv.getUint32(0, true);
    const sector = hv.getUint32(12, true) * 2 ** 32 + hv.getUint32(8, true);
    const writable = chain.segs.filter((s) => s.write);
    const dataIn = chain.writable - 1; // writable bytes before the status byte

    let status = VIRTIO_BLK_S_OK;
    let len = 1;
    let bytes = 0;
    try {
      switch (type) {
        case VIRTIO_BLK_T_IN: {
          this.stats.reads++;
          if (!this.inRange(sector, dataIn)) { status = VIRTIO_BLK_S_IOERR; break; }
          let off = sector * SECTOR_SIZE;
          forRanges(writable, 0, dataIn, (addr, n) => {
            this.backend.read(off, this.ram.u8.subarray(addr, addr + n));
            this.onDmaWrite?.(addr, n);
            off += n;
          });
          len += dataIn;
          bytes = dataIn;
          this.stats.bytesRead += dataIn;
          break;
        }
        case VIRTIO_BLK_T_OUT: {
          this.stats.writes++;
          const n = chain.readable - 16;
          if (this.backend.readOnly || !this.inRange(sector, n)) { status = VIRTIO_BLK_S_IOERR; break; }
          let off = sector * SECTOR_SIZE;
          forRanges(chain.segs.filter((s) => !s.write), 16, n, (addr, k) => {
            this.backend.write(off, this.ram.u8.subarray(addr, addr + k));
            off += k;
          });
          bytes = n;
          this.stats.bytesWritten += n;
          break;
        }
        case VIRTIO_BLK_T_FLUSH:
          this.stats.flushes++;
          this.backend.flush();
          break;
        case VIRTIO_BLK_T_GET_ID: {
          this.stats.getIds++;
          const id = new Uint8Array(Math.min(VIRTIO_BLK_ID_BYTES, dataIn));
          id.set(this.serial.subarray(0, id.length)); // NUL-padded when shorter than 20
          scatter(this.ram, writable, 0, id, this.onDmaWrite);
          len += id.length;
          break;
        }
        default:
          this.stats.unsupported++;
          status = VIRTIO_BLK_S_UNSUPP;
      }
    } catch (e) {
      if (e instanceof VirtqError) throw e;
      status = VIRTIO_BLK_S_IOERR; // backend failure (file I/O)
    }
    if (status === VIRTIO_BLK_S_IOERR) this.stats.errors++;
    scatter(this.ram, writable, dataIn, Uint8Array.of(status), this.onDmaWrite);
    return { len, bytes };
  }

  /** Whole sectors, inside the disk. */
  private inRange(sector: number, n: number): boolean {
    return n % SECTOR_SIZE === 0 && sector <= this.capacity && sector * SECTOR_SIZE + n <= this.capacity * SECTOR_SIZE;
  }
}

/** Calls `fn` for each guest range covering stream bytes [start, start+n) of `segs`. */
function forRanges(segs: readonly Segment[], start: number, n: number, fn: (addr: number, n: number) => void): void {
  let pos = 0;
  const end = start + n;
  for (const s of segs) {
    const a = Math.max(start, pos);
    const b = Math.min(end, pos + s.len);
    if (a < b) fn(s.addr + (a - pos), b - a);
    pos += s.len;
    if (pos >= end) break;
  }
}

/** Copies stream bytes [start, start+dst.length) of the (readable) segments into `dst`. */
function gather(ram: GuestRam, segs: readonly Segment[], start: number, dst: Uint8Array): void {
  let k = 0;
  forRanges(segs.filter((s) => !s.write), start, dst.length, (addr, n) => {
    dst.set(ram.u8.subarray(addr, addr + n), k);
    k += n;
  });
}

/** Copies `src` into stream bytes [start, ...) of the writable segments. */
function scatter(ram: GuestRam, segs: readonly Segment[], start: number, src: Uint8Array,
  onWrite: ((pa: number, len: number) => void) | undefined): void {
  let k = 0;
  forRanges(segs, start, src.length, (addr, n) => {
    ram.u8.set(src.subarray(k, k + n), addr);
    onWrite?.(addr, n);
    k += n;
  });
}

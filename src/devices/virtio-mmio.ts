/**
 * virtio-mmio transport, version 2 (virtio 1.x §4.2), for a big-endian 440.
 *
 * Byte order, worked out once:
 *  - The transport's registers are 32-bit little-endian: register R at offset o occupies bytes
 *    o..o+3 with the least significant byte first. Linux's virtio_mmio accesses them with
 *    readl()/writel(), which on PowerPC are byte-reversed accesses (lwbrx/stwbrx). The bus hands
 *    us big-endian values (byte o in bits 31..24), so a 4-byte bus read must return bswap32(R)
 *    and a 4-byte bus write of V stores R = bswap32(V). Then readl() yields R. A bare-metal guest
 *    must do the same: lwbrx/stwbrx, or a plain lwz followed by a byte swap.
 *  - Register accesses other than aligned 32-bit ones are invalid (spec 4.2.2.2): reads give 0,
 *    writes are ignored.
 *  - Device config space (offset 0x100+) is a little-endian byte array (virtio 1.x config
 *    fields are le16/le32/le64). Any access size is allowed; the bus value is the bytes in
 *    address order, big-endian, so readw()/readl() (byte-reversed) give the little-endian field.
 *  - Virtqueues and request headers in guest RAM are little-endian too (see virtqueue.ts).
 *
 * Interrupt: one level line, asserted while InterruptStatus != 0 (bit 0 used buffer, bit 1 config
 * change); the driver clears bits through InterruptACK.
 */

import type { AccessSize, MmioDevice } from "./bus.ts";
import { readBytesBE } from "./bus.ts";
import { type GuestRam, SplitQueue, VirtqError } from "./virtqueue.ts";

export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt" read as a little-endian word
export const VIRTIO_MMIO_VERSION = 2;
/** Our vendor id: "hv44" as a little-endian word (QEMU uses 0x554d4551 "QEMU"). */
export const HV440_VENDOR_ID = 0x34347668;
export const VIRTIO_MMIO_CONFIG = 0x100;

export const enum Reg {
  MagicValue = 0x000, Version = 0x004, DeviceID = 0x008, VendorID = 0x00c,
  DeviceFeatures = 0x010, DeviceFeaturesSel = 0x014, DriverFeatures = 0x020, DriverFeaturesSel = 0x024,
  QueueSel = 0x030, QueueNumMax = 0x034, QueueNum = 0x038, QueueReady = 0x044, QueueNotify = 0x050,
  InterruptStatus = 0x060, InterruptACK = 0x064, Status = 0x070,
  QueueDescLow = 0x080, QueueDescHigh = 0x084, QueueDriverLow = 0x090, QueueDriverHigh = 0x094,
  QueueDeviceLow = 0x0a0, QueueDeviceHigh = 0x0a4,
  SHMSel = 0x0ac, SHMLenLow = 0x0b0, SHMLenHigh = 0x0b4, SHMBaseLow = 0x0b8, SHMBaseHigh = 0x0bc,
  ConfigGeneration = 0x0fc,
}

// device status bits
export const STATUS_ACKNOWLEDGE = 1, STATUS_DRIVER = 2, STATUS_DRIVER_OK = 4, STATUS_FEATURES_OK = 8;
export const STATUS_NEEDS_RESET = 0x40, STATUS_FAILED = 0x80;
export const INT_USED_BUFFER = 1, INT_CONFIG_CHANGE = 2;

// transport feature bits
export const VIRTIO_RING_F_INDIRECT_DESC = 28;
export const VIRTIO_RING_F_EVENT_IDX = 29;
export const VIRTIO_F_VERSION_1 = 32;

/** The device-type half of a virtio device (block, ...). */
export interface VirtioDevice {
  readonly deviceId: number;
  /** Offered feature bits: [bits 0..31, bits 32..63]. Must include VIRTIO_F_VERSION_1. */
  readonly features: readonly [number, number];
  readonly numQueues: number;
  readonly queueNumMax: number;
  /** Config space, little-endian layout. */
  readonly config: Uint8Array;
  /** The driver notified queue `q` (it is ready). */
  notify(q: number): void;
  /** Transport reset (status 0): drop in-flight work. */
  reset(): void;
}

export interface VirtioMmioOptions {
  vendorId?: number;
}

export class VirtioMmio implements MmioDevice {
  /** Interrupt line (level). Wire to a UIC input. */
  onIrq: ((level: boolean) => void) | null = null;
  /** A transport-level error made the device need a reset (log it). */
  onError: ((message: string) => void) | null = null;

  readonly queues: SplitQueue[];
  status = 0;
  interruptStatus = 0;
  configGeneration = 0;
  readonly driverFeatures: [number, number] = [0, 0];
  private devFeaturesSel = 0;
  private drvFeaturesSel = 0;
  private queueSel = 0;
  private irq = false;
  private readonly vendorId: number;

  constructor(readonly device: VirtioDevice, readonly ram: GuestRam, opts: VirtioMmioOptions = {}) {
    if ((device.features[1] & 1) === 0) throw new Error("virtio-mmio v2 devices must offer VIRTIO_F_VERSION_1");
    this.vendorId = opts.vendorId ?? HV440_VENDOR_ID;
    this.queues = [];
    for (let i = 0; i < device.numQueues; i++) this.queues.push(new SplitQueue(device.queueNumMax, ram));
  }

  /** Whether feature `bit` was negotiated (driver accepted it, FEATURES_OK). */
  hasFeature(bit: number): boolean {
    const w = this.driverFeatures[bit >> 5]!;
    return (w & (1 << (bit & 31))) !== 0;
  }

  get irqLevel(): boolean { return this.irq; }

  /** Used buffers were added to `q`: interrupt unless the driver suppressed it. */
  notifyUsed(q: SplitQueue): void {
    if (q.ready && q.interruptSuppressed()) return;
    this.interruptStatus |= INT_USED_BUFFER;
    this.update();
  }

  /** Device configuration changed (e.g. capacity): bump the generation and interrupt. */
  configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    this.interruptStatus |= INT_CONFIG_CHANGE;
    this.update();
  }

  /** Fatal driver error: DEVICE_NEEDS_RESET plus a config-change interrupt (spec 2.1.2). */
  needsReset(message: string): void {
    this.onError?.(message);
    if (this.status & STATUS_NEEDS_RESET) return;
    this.status |= STATUS_NEEDS_RESET;
    this.interruptStatus |= INT_CONFIG_CHANGE;
    this.update();
  }

  reset(): void {
    this.status = 0;
    this.interruptStatus = 0;
    this.driverFeatures[0] = this.driverFeatures[1] = 0;
    this.devFeaturesSel = this.drvFeaturesSel = this.queueSel = 0;
    for (const q of this.queues) q.reset();
    this.device.reset();
    this.update();
  }

  // ---- bus interface ----

  read(offset: number, size: AccessSize): number {
    if (offset >= VIRTIO_MMIO_CONFIG) {
      const cfg = this.device.config;
      return readBytesBE((o) => cfg[o - VIRTIO_MMIO_CONFIG] ?? 0, offset, size);
    }
    if (size !== 4 || (offset & 3) !== 0) return 0;
    return bswap32(this.readReg(offset));
  }

  write(offset: number, size: AccessSize, value: number): void {
    if (offset >= VIRTIO_MMIO_CONFIG) return; // no writable config fields offered
    if (size !== 4 || (offset & 3) !== 0) return;
    this.writeReg(offset, bswap32(value));
  }

  private get sel(): SplitQueue | undefined {
    return this.queues[this.queueSel];
  }

  readReg(reg: number): number {
    const q = this.sel;
    switch (reg) {
      case Reg.MagicValue: return VIRTIO_MMIO_MAGIC;
      case Reg.Version: return VIRTIO_MMIO_VERSION;
      case Reg.DeviceID: return this.device.deviceId;
      case Reg.VendorID: return this.vendorId;
      case Reg.DeviceFeatures: return this.devFeaturesSel < 2 ? this.device.features[this.devFeaturesSel]! >>> 0 : 0;
      case Reg.QueueNumMax: return q ? q.maxNum : 0;
      case Reg.QueueReady: return q?.ready ? 1 : 0;
      case Reg.InterruptStatus: return this.interruptStatus;
      case Reg.Status: return this.status;
      case Reg.SHMLenLow: case Reg.SHMLenHigh: case Reg.SHMBaseLow: case Reg.SHMBaseHigh:
        return 0xffffffff; // no shared memory regions
      case Reg.ConfigGeneration: return this.configGeneration;
      default: return 0; // write-only registers read as 0
    }
  }

  writeReg(reg: number, v: number): void {
    v >>>= 0;
    const q = this.sel;
    switch (reg) {
      case Reg.DeviceFeaturesSel: this.devFeaturesSel = v; break;
      case Reg.DriverFeaturesSel: this.drvFeaturesSel = v; break;
      case Reg.DriverFeatures:
        // features are frozen once FEATURES_OK is set
        if (this.drvFeaturesSel < 2 && (this.status & STATUS_FEATURES_OK) === 0) this.driverFeatures[this.drvFeaturesSel] = v;
        break;
      case Reg.QueueSel: this.queueSel = v; break;
      case Reg.QueueNum: if (q) q.num = v; break;
      case Reg.QueueReady: if (q) this.setReady(q, v === 1); break;
      case Reg.QueueNotify: this.notify(v); break;
      case Reg.InterruptACK: this.interruptStatus &= ~v; this.update(); break;
      case Reg.Status: this.writeStatus(v); break;
      case Reg.QueueDescLow: if (q) q.desc = setLow(q.desc, v); break;
      case Reg.QueueDescHigh: if (q) q.desc = setHigh(q.desc, v); break;
      case Reg.QueueDriverLow: if (q) q.avail = setLow(q.avail, v); break;
      case Reg.QueueDriverHigh: if (q) q.avail = setHigh(q.avail, v); break;
      case Reg.QueueDeviceLow: if (q) q.used = setLow(q.used, v); break;
      case Reg.QueueDeviceHigh: if (q) q.used = setHigh(q.used, v); break;
      default: break; // SHMSel and read-only registers
    }
  }

  private setReady(q: SplitQueue, ready: boolean): void {
    if (!ready) {
      q.ready = false;
      return;
    }
    try {
      q.validate();
    } catch (e) {
      if (e instanceof VirtqError) return this.needsReset(`queue setup: ${e.message}`);
      throw e;
    }
    q.indirect = this.hasFeature(VIRTIO_RING_F_INDIRECT_DESC);
    q.ready = true;
  }

  private writeStatus(v: number): void {
    v &= 0xff;
    if (v === 0) {
      this.reset();
      return;
    }
    if ((v & STATUS_FEATURES_OK) && !(this.status & STATUS_FEATURES_OK) && !this.featuresAcceptable()) {
      v &= ~STATUS_FEATURES_OK; // the driver reads it back and gives up
    }
    this.status = (v | (this.status & STATUS_NEEDS_RESET)) & 0xff;
  }

  /** The driver may only take offered features, and a v2 transport needs VERSION_1. */
  private featuresAcceptable(): boolean {
    const [d0, d1] = this.device.features;
    const [g0, g1] = this.driverFeatures;
    return (g0 & ~d0) === 0 && (g1 & ~d1) === 0 && (g1 & 1) !== 0;
  }

  private notify(index: number): void {
    const q = this.queues[index];
    if (!q || !q.ready || (this.status & STATUS_NEEDS_RESET)) return;
    try {
      this.device.notify(index);
    } catch (e) {
      if (e instanceof VirtqError) return this.needsReset(`queue ${index}: ${e.message}`);
      throw e;
    }
  }

  private update(): void {
    const level = this.interruptStatus !== 0;
    if (level === this.irq) return;
    this.irq = level;
    this.onIrq?.(level);
  }
}

export function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function setLow(addr: number, lo: number): number {
  return Math.floor(addr / 2 ** 32) * 2 ** 32 + (lo >>> 0);
}

function setHigh(addr: number, hi: number): number {
  return (hi >>> 0) * 2 ** 32 + (addr % 2 ** 32);
}

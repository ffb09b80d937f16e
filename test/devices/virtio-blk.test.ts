import { describe, expect, it } from "vitest";
import { MmioBus } from "../../src/devices/bus.ts";
import { EventQueue } from "../../src/devices/events.ts";
import {
  MemoryBlockBackend, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO, VIRTIO_BLK_S_IOERR,
  VIRTIO_BLK_S_OK, VIRTIO_BLK_S_UNSUPP, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID, VIRTIO_BLK_T_IN,
  VIRTIO_BLK_T_OUT, VirtioBlk, type VirtioBlkOptions,
} from "../../src/devices/virtio-blk.ts";
import {
  bswap32, Reg, STATUS_ACKNOWLEDGE, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK, STATUS_NEEDS_RESET,
  VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC,
} from "../../src/devices/virtio-mmio.ts";
import { VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from "../../src/devices/virtqueue.ts";

const BASE = 0xef700000;
const QSIZE = 16;
// fake guest RAM layout
const DESC = 0x1000, AVAIL = 0x2000, USED = 0x3000, HDR = 0x4000, DATA = 0x10000, INDIRECT = 0x8000;

const mem = { machineCheck(pa: number): never { throw new Error(`machine check at ${pa.toString(16)}`); } };

interface Buf { addr: number; len: number; write?: boolean }

/** A minimal virtio-mmio block driver, doing what Linux's virtio_mmio + virtio_blk do. */
class TestDriver {
  readonly ram = new ArrayBuffer(1 << 20);
  readonly u8 = new Uint8Array(this.ram);
  readonly dv = new DataView(this.ram); // big-endian by default, like the CPU's; rings use LE explicitly
  readonly bus = new MmioBus();
  readonly blk: VirtioBlk;
  irq = false;
  irqEdges = 0;
  private availIdx = 0;
  private nextDesc = 0;

  constructor(readonly backend: MemoryBlockBackend, opts: VirtioBlkOptions = {}) {
    this.blk = new VirtioBlk(backend, { u8: this.u8, dv: this.dv }, { latencyCycles: 0, cyclesPerByte: 0, ...opts });
    this.bus.map(BASE, 0x200, this.blk.mmio, "virtio-blk0");
    this.blk.mmio.onIrq = (l) => { this.irq = l; if (l) this.irqEdges++; };
  }

  /** readl(): a big-endian bus word, byte-reversed (lwbrx). */
  readl(off: number): number { return bswap32(this.bus.read(BASE + off, 4, mem, 0)); }
  writel(off: number, v: number): void { this.bus.write(BASE + off, 4, bswap32(v) | 0, mem, 0); }

  features(): [number, number] {
    this.writel(Reg.DeviceFeaturesSel, 0);
    const lo = this.readl(Reg.DeviceFeatures);
    this.writel(Reg.DeviceFeaturesSel, 1);
    return [lo, this.readl(Reg.DeviceFeatures)];
  }

  /** Reset, negotiate, set up queue 0. Returns the status read back after FEATURES_OK. */
  init(want?: [number, number]): number {
    expect(this.readl(Reg.MagicValue)).toBe(0x74726976);
    expect(this.readl(Reg.Version)).toBe(2);
    expect(this.readl(Reg.DeviceID)).toBe(2);
    this.writel(Reg.Status, 0);
    this.writel(Reg.Status, STATUS_ACKNOWLEDGE);
    this.writel(Reg.Status, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    const [lo, hi] = this.features();
    const [wlo, whi] = want ?? [lo & ((1 << VIRTIO_BLK_F_FLUSH) | (1 << VIRTIO_BLK_F_BLK_SIZE)), hi & 1];
    this.writel(Reg.DriverFeaturesSel, 0);
    this.writel(Reg.DriverFeatures, wlo);
    this.writel(Reg.DriverFeaturesSel, 1);
    this.writel(Reg.DriverFeatures, whi);
    this.writel(Reg.Status, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    const st = this.readl(Reg.Status);
    if (!(st & STATUS_FEATURES_OK)) return st;
    this.writel(Reg.QueueSel, 0);
    expect(this.readl(Reg.QueueReady)).toBe(0);
    expect(this.readl(Reg.QueueNumMax)).toBeGreaterThanOrEqual(QSIZE);
    this.writel(Reg.QueueNum, QSIZE);
    this.writel(Reg.QueueDescLow, DESC);
    this.writel(Reg.QueueDescHigh, 0);
    this.writel(Reg.QueueDriverLow, AVAIL);
    this.writel(Reg.QueueDriverHigh, 0);
    this.writel(Reg.QueueDeviceLow, USED);
    this.writel(Reg.QueueDeviceHigh, 0);
    this.writel(Reg.QueueReady, 1);
    expect(this.readl(Reg.QueueReady)).toBe(1);
    this.writel(Reg.Status, st | STATUS_DRIVER_OK);
    this.availIdx = 0;
    this.nextDesc = 0;
    return st;
  }

  /** Writes a descriptor chain into `table` (the ring's table or an indirect one). */
  writeChain(table: number, first: number, bufs: Buf[], wrap = QSIZE): number {
    let i = first;
    for (let k = 0; k < bufs.length; k++) {
      const b = bufs[k]!;
      const d = table + 16 * i;
      const next = (i + 1) % wrap;
      this.dv.setUint32(d, b.addr, true);
      this.dv.setUint32(d + 4, 0, true);
      this.dv.setUint32(d + 8, b.len, true);
      this.dv.setUint16(d + 12, (b.write ? VIRTQ_DESC_F_WRITE : 0) | (k < bufs.length - 1 ? VIRTQ_DESC_F_NEXT : 0), true);
      this.dv.setUint16(d + 14, next, true);
      i = next;
    }
    return first;
  }

  /** Publishes a chain head in the avail ring (without notifying). */
  publish(head: number): void {
    this.dv.setUint16(AVAIL + 4 + 2 * (this.availIdx % QSIZE), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.dv.setUint16(AVAIL + 2, this.availIdx, true);
  }

  header(at: number, type: number, sector: number): void {
    this.dv.setUint32(at, type, true);
    this.dv.setUint32(at + 4, 0, true);
    this.dv.setUint32(at + 8, sector % 2 ** 32, true); // le64 sector
    this.dv.setUint32(at + 12, Math.floor(sector / 2 ** 32), true);
  }

  /** Queues one request: header, data buffers, status byte. Returns the head index. */
  submit(type: number, sector: number, data: Buf[], notify = true): number {
    const slot = this.nextDesc;
    const hdr = HDR + 32 * slot;
    this.header(hdr, type, sector);
    this.u8[hdr + 16] = 0xee; // status, overwritten by the device
    const bufs: Buf[] = [{ addr: hdr, len: 16 }, ...data, { addr: hdr + 16, len: 1, write: true }];
    const head = this.writeChain(DESC, slot, bufs);
    this.nextDesc = (slot + bufs.length) % QSIZE;
    this.publish(head);
    if (notify) this.writel(Reg.QueueNotify, 0);
    return head;
  }

  status(head: number): number { return this.u8[HDR + 32 * head + 16]!; }
  usedIdx(): number { return this.dv.getUint16(USED + 2, true); }
  used(i: number): { id: number; len: number } {
    const e = USED + 4 + 8 * (i % QSIZE);
    return { id: this.dv.getUint32(e, true), len: this.dv.getUint32(e + 4, true) };
  }
  ack(): number {
    const s = this.readl(Reg.InterruptStatus);
    this.writel(Reg.InterruptACK, s);
    return s;
  }
}

function disk(sectors = 64, ro = false): MemoryBlockBackend {
  const d = new Uint8Array(sectors * 512);
  for (let i = 0; i < d.length; i++) d[i] = (i * 7 + (i >> 9)) & 0xff;
  return new MemoryBlockBackend(d, ro);
}

describe("virtio-mmio transport", () => {
  it("exposes little-endian registers on the big-endian bus", () => {
    const drv = new TestDriver(disk());
    // raw big-endian bus word at offset 0 is the bytes "virt" in address order
    expect(drv.bus.read(BASE, 4, mem, 0)).toBe(0x76697274);
    expect(drv.readl(Reg.VendorID)).toBe(0x34347668);
    // registers need aligned 32-bit accesses
    expect(drv.bus.read(BASE, 1, mem, 0)).toBe(0);
    expect(drv.bus.read(BASE + 2, 2, mem, 0)).toBe(0);
    expect(drv.readl(Reg.SHMLenLow)).toBe(0xffffffff);
  });

  it("offers VERSION_1, BLK_SIZE, FLUSH, INDIRECT_DESC and the block config", () => {
    const drv = new TestDriver(disk(100));
    const [lo, hi] = drv.features();
    expect(hi & 1).toBe(1); // VIRTIO_F_VERSION_1 = bit 32
    expect(lo & (1 << VIRTIO_BLK_F_BLK_SIZE)).not.toBe(0);
    expect(lo & (1 << VIRTIO_BLK_F_FLUSH)).not.toBe(0);
    expect(lo & (1 << VIRTIO_RING_F_INDIRECT_DESC)).not.toBe(0);
    expect(lo & (1 << VIRTIO_BLK_F_RO)).toBe(0);
    // capacity le64 at 0x100, read as readl()s and as bytes (readb)
    expect(drv.readl(0x100)).toBe(100);
    expect(drv.readl(0x104)).toBe(0);
    expect(drv.bus.read(BASE + 0x100, 1, mem, 0)).toBe(100);
    expect(bswap32(drv.bus.read(BASE + 0x114, 4, mem, 0))).toBe(512); // blk_size
    expect(drv.readl(Reg.ConfigGeneration)).toBe(0);
  });

  it("refuses FEATURES_OK without VERSION_1 or with features not offered", () => {
    const drv = new TestDriver(disk());
    expect(drv.init([1 << VIRTIO_BLK_F_FLUSH, 0]) & STATUS_FEATURES_OK).toBe(0);
    expect(drv.init([1 << 20, 1]) & STATUS_FEATURES_OK).toBe(0);
    expect(drv.init() & STATUS_FEATURES_OK).toBe(STATUS_FEATURES_OK);
    expect(drv.blk.mmio.hasFeature(VIRTIO_F_VERSION_1)).toBe(true);
  });

  it("resets on status 0", () => {
    const drv = new TestDriver(disk());
    drv.init();
    drv.writel(Reg.Status, 0);
    expect(drv.readl(Reg.Status)).toBe(0);
    drv.writel(Reg.QueueSel, 0);
    expect(drv.readl(Reg.QueueReady)).toBe(0);
  });
});

describe("virtio-blk requests", () => {
  it("writes and reads sectors, fills the used ring and interrupts", () => {
    const backend = disk();
    const drv = new TestDriver(backend);
    drv.init();
    const pattern = new Uint8Array(1024).map((_, i) => (i * 13 + 5) & 0xff);
    drv.u8.set(pattern, DATA);
    const w = drv.submit(VIRTIO_BLK_T_OUT, 10, [{ addr: DATA, len: 1024 }]);
    expect(drv.status(w)).toBe(VIRTIO_BLK_S_OK);
    expect(backend.data.subarray(10 * 512, 12 * 512)).toEqual(pattern);
    expect(drv.usedIdx()).toBe(1);
    expect(drv.used(0)).toEqual({ id: w, len: 1 });
    expect(drv.irq).toBe(true);
    expect(drv.ack()).toBe(1);
    expect(drv.irq).toBe(false);

    // read it back into two buffers, plus the sector after
    const r = drv.submit(VIRTIO_BLK_T_IN, 10, [
      { addr: DATA + 0x4000, len: 512, write: true },
      { addr: DATA + 0x8000, len: 1024, write: true },
    ]);
    expect(drv.status(r)).toBe(VIRTIO_BLK_S_OK);
    expect(drv.u8.subarray(DATA + 0x4000, DATA + 0x4200)).toEqual(pattern.subarray(0, 512));
    expect(drv.u8.subarray(DATA + 0x8000, DATA + 0x8200)).toEqual(pattern.subarray(512));
    expect(drv.u8.subarray(DATA + 0x8200, DATA + 0x8400)).toEqual(backend.data.subarray(12 * 512, 13 * 512));
    expect(drv.used(1)).toEqual({ id: r, len: 1536 + 1 });
    const s = drv.blk.stats;
    expect([s.requests, s.reads, s.writes, s.bytesRead, s.bytesWritten]).toEqual([2, 1, 1, 1536, 1024]);
  });

  it("fails out-of-range and partial-sector I/O with IOERR", () => {
    const drv = new TestDriver(disk(8));
    drv.init();
    const a = drv.submit(VIRTIO_BLK_T_IN, 7, [{ addr: DATA, len: 1024, write: true }]);
    expect(drv.status(a)).toBe(VIRTIO_BLK_S_IOERR);
    const b = drv.submit(VIRTIO_BLK_T_IN, 0, [{ addr: DATA, len: 100, write: true }]);
    expect(drv.status(b)).toBe(VIRTIO_BLK_S_IOERR);
    const c = drv.submit(VIRTIO_BLK_T_IN, 2 ** 40, [{ addr: DATA, len: 512, write: true }]);
    expect(drv.status(c)).toBe(VIRTIO_BLK_S_IOERR);
    expect(drv.blk.stats.errors).toBe(3);
  });

  it("answers FLUSH, GET_ID and unknown types", () => {
    const backend = disk();
    const drv = new TestDriver(backend, { serial: "disk-0" });
    drv.init();
    const f = drv.submit(VIRTIO_BLK_T_FLUSH, 0, []);
    expect(drv.status(f)).toBe(VIRTIO_BLK_S_OK);
    expect(backend.flushes).toBe(1);
    drv.u8.fill(0xaa, DATA, DATA + 20);
    const g = drv.submit(VIRTIO_BLK_T_GET_ID, 0, [{ addr: DATA, len: 20, write: true }]);
    expect(drv.status(g)).toBe(VIRTIO_BLK_S_OK);
    expect(Buffer.from(drv.u8.subarray(DATA, DATA + 20)).toString("latin1")).toBe("disk-0".padEnd(20, "\0"));
    expect(drv.used(1).len).toBe(21);
    const u = drv.submit(11 /* DISCARD */, 0, []);
    expect(drv.status(u)).toBe(VIRTIO_BLK_S_UNSUPP);
  });

  it("handles indirect descriptors and headers split across buffers", () => {
    const backend = disk();
    const drv = new TestDriver(backend);
    drv.init([(1 << VIRTIO_RING_F_INDIRECT_DESC), 1]);
    // indirect table: header in two pieces (10 + 6 bytes), data, status
    drv.header(HDR, VIRTIO_BLK_T_IN, 3);
    drv.writeChain(INDIRECT, 0, [
      { addr: HDR, len: 10 }, { addr: HDR + 10, len: 6 },
      { addr: DATA, len: 512, write: true }, { addr: HDR + 16, len: 1, write: true },
    ], 64);
    drv.dv.setUint32(DESC, INDIRECT, true);
    drv.dv.setUint32(DESC + 4, 0, true);
    drv.dv.setUint32(DESC + 8, 4 * 16, true);
    drv.dv.setUint16(DESC + 12, VIRTQ_DESC_F_INDIRECT, true);
    drv.publish(0);
    drv.writel(Reg.QueueNotify, 0);
    expect(drv.u8[HDR + 16]).toBe(VIRTIO_BLK_S_OK);
    expect(drv.u8.subarray(DATA, DATA + 512)).toEqual(backend.data.subarray(3 * 512, 4 * 512));
    expect(drv.used(0)).toEqual({ id: 0, len: 513 });
  });

  it("read-only backends offer RO and refuse writes", () => {
    const backend = disk(8, true);
    const drv = new TestDriver(backend);
    expect(drv.features()[0] & (1 << VIRTIO_BLK_F_RO)).not.toBe(0);
    drv.init();
    const w = drv.submit(VIRTIO_BLK_T_OUT, 0, [{ addr: DATA, len: 512 }]);
    expect(drv.status(w)).toBe(VIRTIO_BLK_S_IOERR);
  });

  it("honours VIRTQ_AVAIL_F_NO_INTERRUPT", () => {
    const drv = new TestDriver(disk());
    drv.init();
    drv.dv.setUint16(AVAIL, 1, true);
    drv.submit(VIRTIO_BLK_T_FLUSH, 0, []);
    expect(drv.usedIdx()).toBe(1);
    expect(drv.irq).toBe(false);
  });

  it("sets DEVICE_NEEDS_RESET on a malformed chain", () => {
    const drv = new TestDriver(disk());
    const errors: string[] = [];
    drv.blk.mmio.onError = (m) => errors.push(m);
    drv.init();
    drv.submit(VIRTIO_BLK_T_IN, 0, [{ addr: 0xfffff000, len: 512, write: true }]); // outside RAM
    expect(drv.readl(Reg.Status) & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);
    expect(drv.readl(Reg.InterruptStatus)).toBe(2); // config change
    expect(errors[0]).toMatch(/outside RAM/);
    expect(drv.usedIdx()).toBe(0);
  });
});

describe("virtio-blk latency", () => {
  it("completes after latency + per-byte cost on the event queue, one request at a time", () => {
    let cycles = 1000;
    const events = new EventQueue(() => cycles);
    const drv = new TestDriver(disk(), { events, latencyCycles: 5000, cyclesPerByte: 2 });
    drv.init();
    const a = drv.submit(VIRTIO_BLK_T_IN, 0, [{ addr: DATA, len: 4096, write: true }]);
    const b = drv.submit(VIRTIO_BLK_T_FLUSH, 0, []);
    // data already moved, but nothing is returned yet
    expect(drv.status(a)).toBe(VIRTIO_BLK_S_OK);
    expect(drv.usedIdx()).toBe(0);
    expect(drv.irq).toBe(false);
    expect(drv.blk.inFlight).toBe(2);
    const doneA = 1000 + 5000 + 2 * 4096;
    expect(events.nextAt()).toBe(doneA);
    cycles = doneA - 1;
    events.runDue(cycles);
    expect(drv.usedIdx()).toBe(0);
    cycles = doneA;
    events.runDue(cycles);
    expect(drv.usedIdx()).toBe(1);
    expect(drv.used(0)).toEqual({ id: a, len: 4097 });
    expect(drv.irq).toBe(true);
    expect(events.nextAt()).toBe(doneA + 5000); // the flush waited for the read
    expect(drv.ack()).toBe(1);
    cycles = doneA + 5000;
    events.runDue(cycles);
    expect(drv.used(1).id).toBe(b);
    expect(drv.irqEdges).toBe(2);
    expect(drv.blk.stats.busyCycles).toBe(5000 + 2 * 4096 + 5000);
  });

  it("a zero-cost request does not overtake one in flight; DMA writes are reported", () => {
    const events = new EventQueue();
    const dma: string[] = [];
    const drv = new TestDriver(disk(), { events, latencyCycles: 0, cyclesPerByte: 1, onDmaWrite: (pa, n) => dma.push(`${pa.toString(16)}+${n}`) });
    drv.init();
    drv.submit(VIRTIO_BLK_T_IN, 0, [{ addr: DATA, len: 512, write: true }]);
    drv.submit(VIRTIO_BLK_T_FLUSH, 0, []);
    expect(drv.usedIdx()).toBe(0);
    expect(events.list().map((e) => e.at)).toEqual([512, 512]);
    events.runDue(512);
    expect([drv.used(0).len, drv.used(1).len]).toEqual([513, 1]);
    expect(dma).toEqual([`${DATA.toString(16)}+512`, `${(HDR + 16).toString(16)}+1`, `${(HDR + 32 * 3 + 16).toString(16)}+1`]);
  });

  it("drops in-flight completions on reset", () => {
    const events = new EventQueue();
    const drv = new TestDriver(disk(), { events, latencyCycles: 100 });
    drv.init();
    drv.submit(VIRTIO_BLK_T_FLUSH, 0, []);
    expect(events.size).toBe(1);
    drv.writel(Reg.Status, 0);
    expect(events.size).toBe(0);
    expect(drv.blk.inFlight).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { type AccessSize, MmioBus, type MmioDevice, hex36 } from "../../src/devices/bus.ts";
import { DcrBusImpl, DcrRegisterFile, type DcrDevice } from "../../src/devices/dcr.ts";

class MachineCheck extends Error {
  constructor(readonly pa: number, readonly pc: number) { super("mcheck"); }
}
const mem = { machineCheck(pa: number, pc: number): never { throw new MachineCheck(pa, pc); } };

/** 16 bytes of big-endian registers, logging accesses. */
class Regs implements MmioDevice {
  bytes = new Uint8Array(16);
  log: string[] = [];
  read(offset: number, size: AccessSize): number {
    this.log.push(`r${size}@${offset}`);
    let v = 0;
    for (let i = 0; i < size; i++) v = (v << 8) | this.bytes[offset + i]!;
    return v;
  }
  write(offset: number, size: AccessSize, value: number): void {
    this.log.push(`w${size}@${offset}=${value.toString(16)}`);
    for (let i = 0; i < size; i++) this.bytes[offset + i] = value >>> (8 * (size - 1 - i));
  }
}

describe("MmioBus", () => {
  it("rejects zero-sized and overlapping ranges", () => {
    const bus = new MmioBus();
    bus.map(0xef600300, 8, new Regs(), "uart0");
    expect(() => bus.map(0x1000, 0, new Regs(), "empty")).toThrow(/zero-sized/);
    expect(() => bus.map(0xef600307, 1, new Regs(), "x")).toThrow(/overlaps uart0/);
    expect(() => bus.map(0xef6002f9, 8, new Regs(), "y")).toThrow(/overlaps/);
    expect(() => bus.map(0xef600200, 0x200, new Regs(), "z")).toThrow(/overlaps/);
    expect(() => bus.map(-1, 4, new Regs(), "neg")).toThrow();
    expect(() => bus.map(2 ** 36 - 2, 4, new Regs(), "big")).toThrow(/36 bits/);
    bus.map(0xef600308, 8, new Regs(), "adjacent"); // touching is fine
    expect(bus.entries().map((r) => r.name)).toEqual(["uart0", "adjacent"]);
  });

  it("dispatches offsets to the right device and masks values", () => {
    const bus = new MmioBus();
    const a = new Regs();
    const b = new Regs();
    const c = new Regs();
    bus.map(0x1_ef600300, 16, b, "b"); // 36-bit address (ERPN 1)
    bus.map(0xef600300, 16, a, "a");
    bus.map(0x100, 16, c, "c");
    bus.write(0xef600304, 4, -0x21524111, mem, 0); // 0xdeadbeef as the CPU passes it (signed)
    expect(a.log).toEqual(["w4@4=deadbeef"]);
    expect(bus.read(0xef600304, 4, mem, 0)).toBe(0xdeadbeef);
    expect(bus.read(0xef600305, 1, mem, 0)).toBe(0xad);
    expect(bus.read(0xef600306, 2, mem, 0)).toBe(0xbeef);
    bus.write(0x1_ef60030f, 1, 0x1ff, mem, 0);
    expect(b.bytes[15]).toBe(0xff);
    bus.write(0x102, 2, 0x12345, mem, 0);
    expect(c.log).toEqual(["w2@2=2345"]);
    // the last-hit cache must not leak across devices
    expect(bus.read(0x1_ef60030f, 1, mem, 0)).toBe(0xff);
    expect(bus.read(0xef600304, 1, mem, 0)).toBe(0xde);
  });

  it("machine-checks unclaimed and straddling accesses", () => {
    const bus = new MmioBus();
    const seen: string[] = [];
    bus.onUnassigned = (pa, size, write) => seen.push(`${write ? "w" : "r"}${size}@${pa.toString(16)}`);
    bus.map(0x1000, 16, new Regs(), "dev");
    expect(() => bus.read(0x2000, 4, mem, 0x44)).toThrow(MachineCheck);
    try {
      bus.write(0x100e, 4, 0, mem, 0x48); // runs past the end of dev
    } catch (e) {
      expect(e).toBeInstanceOf(MachineCheck);
      expect((e as MachineCheck).pa).toBe(0x100e);
      expect((e as MachineCheck).pc).toBe(0x48);
    }
    expect(seen).toEqual(["r4@2000", "w4@100e"]);
  });

  it("describes the map and can unmap", () => {
    const bus = new MmioBus();
    bus.map(0x1_ef600300, 8, new Regs(), "uart0");
    bus.map(0xef700000, 0x200, new Regs(), "virtio0");
    expect(bus.describe()).toBe("0x0_ef700000-0x0_ef7001ff virtio0\n0x1_ef600300-0x1_ef600307 uart0");
    expect(hex36(0xfffffffff)).toBe("0xf_ffffffff");
    expect(bus.unmap(0xef700000)).toBe(true);
    expect(bus.unmap(0xef700000)).toBe(false);
    expect(() => bus.read(0xef700000, 4, mem, 0)).toThrow(MachineCheck);
  });
});

describe("DcrBusImpl", () => {
  class Echo implements DcrDevice {
    vals = new Map<number, number>();
    read(o: number): number { return this.vals.get(o) ?? 0x100 + o; }
    write(o: number, v: number): void { this.vals.set(o, v); }
  }

  it("maps ranges, passes offsets and answers undefined/false elsewhere", () => {
    const bus = new DcrBusImpl();
    const uic = new Echo();
    bus.map(0xc0, 9, uic, "uic0");
    expect(bus.read(0xc3)).toBe(0x103);
    expect(bus.write(0xc8, -1)).toBe(true);
    expect(uic.vals.get(8)).toBe(0xffffffff);
    expect(bus.read(0xc9)).toBeUndefined();
    expect(bus.write(0x3ff, 0)).toBe(false);
    expect(bus.read(5000)).toBeUndefined();
  });

  it("rejects overlaps, zero counts and numbers beyond 0x3FF", () => {
    const bus = new DcrBusImpl();
    bus.map(0x0c, 2, new Echo(), "cpr0");
    expect(() => bus.map(0x0d, 2, new Echo(), "sdr0")).toThrow(/overlaps cpr0 at DCR 0xd/);
    expect(() => bus.map(0x20, 0, new Echo(), "none")).toThrow(/zero-sized/);
    expect(() => bus.map(0x3fe, 4, new Echo(), "far")).toThrow(/0x3FF/);
    bus.map(0x0e, 2, new Echo(), "sdr0");
    expect(bus.describe()).toBe("dcr 0x00c-0x00d cpr0\ndcr 0x00e-0x00f sdr0");
  });

  it("register file keeps read-only bits", () => {
    const f = new DcrRegisterFile([0x11, 0x22], [0, 0xff]);
    f.write(0, 0xffffffff);
    f.write(1, 0xabcd);
    expect(f.read(0)).toBe(0x11);
    expect(f.read(1)).toBe(0xcd);
    expect(f.read(7)).toBe(0);
  });
});

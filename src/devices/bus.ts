/**
 * The physical MMIO bus: everything the CPU's `Memory` does not find in RAM lands here.
 *
 * Devices register a range and then only ever see offsets into it (TinyEMU/kvmtool style), so a
 * device model does not know where the board put it. Overlapping or empty ranges are errors at
 * registration (Firecracker's `BusError::Overlap`/`ZeroSizedRange`), never silent shadowing.
 *
 * Values are big-endian bus values, as the CPU sees them: a 4-byte access at offset `o` carries
 * byte `o` in bits 31..24. A device whose registers are little-endian (virtio-mmio) swaps inside
 * the device, not here.
 *
 * Lookup: ranges sorted by base, a last-hit cache (device drivers hammer one device at a time),
 * then a binary search. Addresses are physical, up to 36 bits, held as exact JS numbers.
 */

import type { PhysBus } from "../cpu/memory.ts";

export type AccessSize = 1 | 2 | 4;

/** A memory-mapped device. `offset` is relative to the base it was mapped at. */
export interface MmioDevice {
  read(offset: number, size: AccessSize): number;
  write(offset: number, size: AccessSize, value: number): void;
}

/** The part of the CPU's `Memory` the bus needs: raising a machine check (which throws). */
export interface MachineCheckSink {
  machineCheck(pa: number, pc: number, mcsr?: number): never;
}

export interface MmioRange {
  readonly base: number;
  readonly size: number;
  readonly name: string;
  readonly dev: MmioDevice;
}

/** Highest physical address + 1 on a 440 (36-bit real addresses). */
export const PHYS_LIMIT = 2 ** 36;

export class MmioBus implements PhysBus {
  private ranges: MmioRange[] = [];
  private last: MmioRange | null = null;
  /** Called for an access no device claims, before the machine check (for `-d guest_errors`). */
  onUnassigned: ((pa: number, size: AccessSize, write: boolean, pc: number) => void) | null = null;

  map(base: number, size: number, dev: MmioDevice, name: string): void {
    if (!Number.isInteger(base) || !Number.isInteger(size) || base < 0) {
      throw new Error(`MmioBus: ${name}: invalid range base=${base} size=${size}`);
    }
    if (size <= 0) throw new Error(`MmioBus: ${name}: zero-sized range at ${hex36(base)}`);
    if (base + size > PHYS_LIMIT) throw new Error(`MmioBus: ${name}: range beyond 36 bits`);
    const end = base + size;
    for (const r of this.ranges) {
      if (base < r.base + r.size && r.base < end) {
        throw new Error(`MmioBus: ${name} [${hex36(base)}, ${hex36(end - 1)}] overlaps ` +
          `${r.name} [${hex36(r.base)}, ${hex36(r.base + r.size - 1)}]`);
      }
    }
    this.ranges.push({ base, size, name, dev });
    this.ranges.sort((a, b) => a.base - b.base);
    this.last = null;
  }

  /** Removes the range registered at `base` (hot-unplug, tests). Returns false if none. */
  unmap(base: number): boolean {
    const i = this.ranges.findIndex((r) => r.base === base);
    if (i < 0) return false;
    this.ranges.splice(i, 1);
    this.last = null;
    return true;
  }

  /** The range holding the whole access [pa, pa+size), or null. */
  find(pa: number, size = 1): MmioRange | null {
    const l = this.last;
    if (l !== null && pa >= l.base && pa + size <= l.base + l.size) return l;
    const rs = this.ranges;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid]!;
      if (pa < r.base) hi = mid - 1;
      else if (pa >= r.base + r.size) lo = mid + 1;
      else {
        // An access straddling the end of a device is not claimed by it.
        if (pa + size > r.base + r.size) return null;
        this.last = r;
        return r;
      }
    }
    return null;
  }

  read(pa: number, size: AccessSize, mem: MachineCheckSink, pc: number): number {
    const r = this.find(pa, size);
    if (r === null) return this.unassigned(pa, size, false, mem, pc);
    const v = r.dev.read(pa - r.base, size);
    return size === 4 ? v >>> 0 : v & (size === 2 ? 0xffff : 0xff);
  }

  write(pa: number, size: AccessSize, value: number, mem: MachineCheckSink, pc: number): void {
    const r = this.find(pa, size);
    if (r === null) {
      this.unassigned(pa, size, true, mem, pc);
      return;
    }
    r.dev.write(pa - r.base, size, size === 4 ? value >>> 0 : value & (size === 2 ? 0xffff : 0xff));
  }

  private unassigned(pa: number, size: AccessSize, write: boolean, mem: MachineCheckSink, pc: number): never {
    this.onUnassigned?.(pa, size, write, pc);
    return mem.machineCheck(pa, pc, write ? 0x10000000 : 0x20000000); // MCSR[DWB] / [DRB]
  }

  /** The map in address order (device tree generation). */
  entries(): readonly MmioRange[] {
    return this.ranges;
  }

  /** One line per range, for the `-d` log: `0x0_ef600300-0x0_ef600307 uart0`. */
  describe(): string {
    return this.ranges.map((r) => `${hex36(r.base)}-${hex36(r.base + r.size - 1)} ${r.name}`).join("\n");
  }
}

/** A 36-bit physical address as `0xE_HHHHHHHH` (ERPN nibble, then the low word). */
export function hex36(pa: number): string {
  const hi = Math.floor(pa / 2 ** 32);
  const lo = (pa >>> 0).toString(16).padStart(8, "0");
  return `0x${hi.toString(16)}_${lo}`;
}

/**
 * Helper for byte-register devices (16550 and the like): a 2- or 4-byte access becomes that many
 * byte accesses in address order, combined big-endian, which is what a byte-wide OPB slave behind
 * the 440's bus bridge delivers.
 */
export function readBytesBE(read8: (offset: number) => number, offset: number, size: AccessSize): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = (v << 8) | (read8(offset + i) & 0xff);
  return v >>> 0;
}

export function writeBytesBE(write8: (offset: number, v: number) => void, offset: number, size: AccessSize, value: number): void {
  for (let i = 0; i < size; i++) write8(offset + i, (value >>> (8 * (size - 1 - i))) & 0xff);
}

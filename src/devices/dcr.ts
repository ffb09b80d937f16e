/**
 * The DCR bus (mfdcr/mtdcr). DCR numbers are 10 bits on the 440, so lookup is a flat table.
 * An unclaimed number answers `undefined`/`false`, and the CPU turns that into an illegal-
 * instruction program interrupt, which is what QEMU's bamboo does (reference ppc440.md, §0 #16).
 * Devices see the offset from the first DCR they registered (UIC: 0 = SR ... 8 = VCR).
 */

import type { DcrBus } from "../cpu/cpu.ts";

export interface DcrDevice {
  read(offset: number): number;
  write(offset: number, value: number): void;
}

export interface DcrRange {
  readonly first: number;
  readonly count: number;
  readonly name: string;
  readonly dev: DcrDevice;
}

export const DCR_COUNT = 1024;

export class DcrBusImpl implements DcrBus {
  private readonly table: (DcrRange | undefined)[] = new Array<DcrRange | undefined>(DCR_COUNT).fill(undefined);
  private readonly ranges: DcrRange[] = [];

  map(first: number, count: number, dev: DcrDevice, name: string): void {
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0) {
      throw new Error(`DcrBus: ${name}: invalid range first=${first} count=${count}`);
    }
    if (count <= 0) throw new Error(`DcrBus: ${name}: zero-sized range at 0x${first.toString(16)}`);
    if (first + count > DCR_COUNT) throw new Error(`DcrBus: ${name}: range beyond DCR 0x3FF`);
    for (let n = first; n < first + count; n++) {
      const other = this.table[n];
      if (other) {
        throw new Error(`DcrBus: ${name} [0x${first.toString(16)}+${count}] overlaps ${other.name} at DCR 0x${n.toString(16)}`);
      }
    }
    const r: DcrRange = { first, count, name, dev };
    for (let n = first; n < first + count; n++) this.table[n] = r;
    this.ranges.push(r);
    this.ranges.sort((a, b) => a.first - b.first);
  }

  read(dcrn: number): number | undefined {
    const r = this.table[dcrn];
    if (r === undefined) return undefined;
    return r.dev.read(dcrn - r.first) >>> 0;
  }

  write(dcrn: number, value: number): boolean {
    const r = this.table[dcrn];
    if (r === undefined) return false;
    r.dev.write(dcrn - r.first, value >>> 0);
    return true;
  }

  entries(): readonly DcrRange[] {
    return this.ranges;
  }

  describe(): string {
    return this.ranges
      .map((r) => `dcr 0x${hex3(r.first)}-0x${hex3(r.first + r.count - 1)} ${r.name}`)
      .join("\n");
  }
}

function hex3(n: number): string {
  return n.toString(16).padStart(3, "0");
}

/**
 * The 4xx "indirect" DCR pair (CPR0, SDR0, SDRAM0, EBC0): offset 0 holds a register number,
 * offset 1 reads/writes the register it names. Subclasses implement `readReg`/`writeReg`.
 */
export abstract class IndirectDcr implements DcrDevice {
  addr = 0;

  read(offset: number): number {
    return offset === 0 ? this.addr : this.readReg(this.addr) >>> 0;
  }

  write(offset: number, value: number): void {
    if (offset === 0) this.addr = value >>> 0;
    else this.writeReg(this.addr, value >>> 0);
  }

  protected abstract readReg(reg: number): number;
  protected abstract writeReg(reg: number, value: number): void;
}

/**
 * Plain registers: `values[i]` is read back as written, bits outside `writable[i]` keep their
 * value. For DCRs Linux reads and writes without caring about their effect (PLB arbiter).
 */
export class DcrRegisterFile implements DcrDevice {
  readonly values: Uint32Array;
  private readonly writable: Uint32Array;

  constructor(initial: readonly number[], writable?: readonly number[]) {
    this.values = Uint32Array.from(initial);
    this.writable = Uint32Array.from(writable ?? initial.map(() => 0xffffffff));
  }

  read(offset: number): number {
    return this.values[offset] ?? 0;
  }

  write(offset: number, value: number): void {
    const w = this.writable[offset];
    if (w === undefined) return;
    this.values[offset] = ((this.values[offset]! & ~w) | (value & w)) >>> 0;
  }
}

/**
 * Where the shared page lives and how it stays consistent with the vCPU's registers.
 *
 * host-patch: a page of guest RAM the guest donated (it could write it with plain stores anyway).
 * magic-page: a page of host memory, like KVM's per-vCPU `shared` struct: it sits at a real
 * address no guest translation can reach (the top of the 36-bit space; the hypervisor's device
 * model only ever sees guest-physical addresses below 4 GiB), and the core reaches it through the
 * shadow TLB slot the hypervisor makes for it, as a bus access outside RAM.
 *
 * The page is the authoritative home of its registers while the guest runs: `pull` takes what
 * the guest stored there at the start of every exit, before anything reads the registers, and
 * `push` publishes the registers at every entry, after interrupt delivery wrote SRR0/1, ESR, DEAR
 * and MSR. In between, emulation and delivery work on the vCPU's own copies, so a trapping
 * instruction and a patched load or store always agree.
 */

import { SPR } from "../../cpu/spr.ts";
import { MSR } from "../../cpu/state.ts";
import type { Memory, PhysBus } from "../../cpu/memory.ts";
import type { Vcpu } from "../vcpu.ts";
import { PAGE, PV_PAGE_SIZE } from "./abi.ts";

export interface SharedPage {
  /** Real address the shadow TLB maps the page's effective address to. */
  readonly pa: number;
  read(offset: number): number;
  write(offset: number, v: number): void;
}

/** A donated page of guest RAM. */
export class GuestRamPage implements SharedPage {
  constructor(private readonly mem: Memory, readonly pa: number) {}
  read(offset: number): number { return this.mem.dv.getInt32(this.pa + offset); }
  write(offset: number, v: number): void { this.mem.dv.setInt32(this.pa + offset, v); }
}

/** Top page of the 440's 36-bit real address space: host memory, never guest-physical. */
export const MAGIC_PAGE_PA = 2 ** 36 - PV_PAGE_SIZE;

/** The host's page, reached by the core as a device on its physical bus. */
export class HostPage implements SharedPage {
  readonly pa = MAGIC_PAGE_PA;
  private readonly bytes = new Uint8Array(PV_PAGE_SIZE);
  private readonly dv = new DataView(this.bytes.buffer);
  read(offset: number): number { return this.dv.getInt32(offset); }
  write(offset: number, v: number): void { this.dv.setInt32(offset, v); }

  /** Puts the page on the core's bus in front of `mem.bus`. */
  attach(mem: Memory): void {
    const inner = mem.bus, base = this.pa, dv = this.dv;
    const inPage = (pa: number, size: number) => pa >= base && pa + size <= base + PV_PAGE_SIZE;
    const bus: PhysBus = {
      read(pa, size, m, pc) {
        if (!inPage(pa, size)) return inner.read(pa, size, m, pc);
        const o = pa - base;
        return size === 4 ? dv.getInt32(o) : size === 2 ? dv.getUint16(o) : dv.getUint8(o);
      },
      write(pa, size, v, m, pc) {
        if (!inPage(pa, size)) { inner.write(pa, size, v, m, pc); return; }
        const o = pa - base;
        if (size === 4) dv.setInt32(o, v); else if (size === 2) dv.setUint16(o, v); else dv.setUint8(o, v);
      },
    };
    mem.bus = bus;
  }
}

/** The registers each flavour keeps in the page (field offset, SPR number). */
const HOST_PATCH_SPRS: readonly [number, number][] = [
  [PAGE.SPRG1, SPR.SPRG1], [PAGE.SPRG2, SPR.SPRG2], [PAGE.SPRG3, SPR.SPRG3], [PAGE.ESR, SPR.ESR], [PAGE.DAR, SPR.DEAR],
];
const MAGIC_PAGE_SPRS: readonly [number, number][] = [
  [PAGE.SPRG0, SPR.SPRG0], [PAGE.SPRG1, SPR.SPRG1], [PAGE.SPRG2, SPR.SPRG2], [PAGE.SPRG3, SPR.SPRG3],
  [PAGE.SRR0, SPR.SRR0], [PAGE.SRR1, SPR.SRR1], [PAGE.DAR, SPR.DEAR], [PAGE.ESR, SPR.ESR],
  [PAGE.SPRG4, SPR.SPRG4], [PAGE.SPRG5, SPR.SPRG5], [PAGE.SPRG6, SPR.SPRG6], [PAGE.SPRG7, SPR.SPRG7],
];

/** MSR bits the guest may change in the page without trapping (the mtmsr/wrtee templates' rule; the 440 has no RI). */
export const MSR_SAFE_BITS = MSR.EE;

export function pullHostPatch(v: Vcpu, p: SharedPage): void {
  for (const [o, n] of HOST_PATCH_SPRS) v.vspr[n] = p.read(o);
}

export function pushHostPatch(v: Vcpu, p: SharedPage): void {
  for (const [o, n] of HOST_PATCH_SPRS) p.write(o, v.vspr[n]!);
  p.write(PAGE.MSR, v.vmsr);
}

export function pullMagicPage(v: Vcpu, p: SharedPage): void {
  for (const [o, n] of MAGIC_PAGE_SPRS) v.vspr[n] = p.read(o);
  v.vmsr = (v.vmsr & ~MSR_SAFE_BITS) | (p.read(PAGE.MSR) & MSR_SAFE_BITS);
}

export function pushMagicPage(v: Vcpu, p: SharedPage, intPending: boolean): void {
  for (const [o, n] of MAGIC_PAGE_SPRS) p.write(o, v.vspr[n]!);
  p.write(PAGE.MSR, v.vmsr);
  p.write(PAGE.INT_PENDING, intPending ? 1 : 0);
  p.write(PAGE.PIR, v.id);
  // guest user code reads SPRG4-7 natively (SPRG4R-7R), so stores into the page reach the real ones
  for (let n = SPR.SPRG4; n <= SPR.SPRG7; n++) v.cpu.spr[n] = v.vspr[n]!;
}

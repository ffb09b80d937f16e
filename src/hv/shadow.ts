/**
 * The shadow TLB (kvm440.md section 3, "design 2": the hardware TLB is the shadow). Guest
 * mappings are demand-faulted into hardware slots 0..hwater as 4 KiB entries whatever the guest
 * page size, with TS forced to 1 (the guest runs with MSR[IS]=MSR[DS]=1), the TID inverted
 * (guest TID 0 -> 1, any other -> 0) against a shadow PID of 1 in guest kernel mode and 0 in guest
 * user mode, and the guest's supervisor permissions folded into the user permissions when the
 * mapping is made from guest supervisor mode. Victims are chosen round-robin. Slot 63 holds the
 * host kernel's bolted TS=0 mapping and is never a victim.
 *
 * Departures from KVM, for correctness (documented in the README):
 * - WIMGE: KVM forced M only; the guest's W, I, G and E bits are kept (E = little-endian page).
 * - a guest-global (TID 0) page touched from guest user mode gets shadow TID 0, not 1: with TID 1
 *   it could never match the user-mode shadow PID 0 and KVM would refault for ever.
 * - before a slot is filled, any other slot that would match the same page in the same context is
 *   dropped, so the hardware never sees a multiple hit.
 */

import { TLB0, TLB2, TlbArray, type Utlb } from "../cpu/mmu.ts";

export const SHADOW_SLOTS = 64;
/** Highest slot guest mappings may use (KVM: 64 - 1 - bolted entries). */
export const HWATER = 62;
/** The host kernel's bolted mapping: EA 0xC0000000, 256 MiB, TS 0 (never matches a guest access). */
const HOST_SLOT = 63;

export class ShadowTlb {
  /** Guest TLB index each slot was made from (-1 = free). */
  readonly origin = new Int16Array(SHADOW_SLOTS).fill(-1);
  private victim = HWATER;
  /** Slots dropped since the last call of `takeInvalidations` (priced into EMUL_TLBWE). */
  private invalidations = 0;

  constructor(private readonly hw: Utlb) {}

  reset(): void {
    this.hw.invalidateAll();
    this.origin.fill(-1);
    this.victim = HWATER;
    this.hw.set(HOST_SLOT, 0xc0000000 | TLB0.V | (9 << 4), 0x00000000, TLB2.SX | TLB2.SW | TLB2.SR, 0);
  }

  private drop(slot: number): void {
    if ((this.hw.word0[slot]! & TLB0.V) !== 0) this.invalidations++;
    this.hw.set(slot, 0, 0, 0, 0);
    this.origin[slot] = -1;
  }

  takeInvalidations(): number {
    const n = this.invalidations;
    this.invalidations = 0;
    return n;
  }

  /**
   * Maps the 4 KiB page holding `ea` to guest-physical `gpa` from guest TLB entry `gidx`.
   * `guestSupervisor`: the guest was in supervisor mode (permissions are folded).
   */
  map(gtlb: TlbArray, gidx: number, ea: number, gpa: number, guestSupervisor: boolean): number {
    const page = (ea & ~0xfff) >>> 0;
    const gtid = gtlb.tid[gidx]!;
    const tid = gtid !== 0 ? 0 : guestSupervisor ? 1 : 0;
    // shadow TIDs are 0 or 1 and both shadow PIDs see TID 0: any slot for this page could
    // become a second hit, now or after the next guest mode switch
    this.dropPage(page);
    this.victim = this.victim >= HWATER ? 0 : this.victim + 1;
    const slot = this.victim;
    if (this.origin[slot]! >= 0) this.drop(slot);
    const g2 = gtlb.word2[gidx]!;
    let perms = g2 & 0x3f;
    if (guestSupervisor) perms = (perms & 0x07) | ((perms & 0x07) << 3);
    const w2 = (g2 & 0xf000) | (g2 & (TLB2.W | TLB2.I | TLB2.G | TLB2.E)) | TLB2.M | perms | TLB2.SX | TLB2.SW | TLB2.SR;
    const gpaPage = gpa - (gpa % 4096);
    const w1 = ((gpaPage % 2 ** 32) & 0xfffff000) | Math.floor(gpaPage / 2 ** 32);
    this.hw.set(slot, page | TLB0.V | TLB0.TS | (1 << 4), w1, w2, tid);
    this.origin[slot] = gidx;
    return slot;
  }

  /** A guest tlbwe over a valid entry: drop every slot made from it. */
  dropGuestEntry(gidx: number): void {
    for (let s = 0; s <= HWATER; s++) if (this.origin[s] === gidx) this.drop(s);
  }

  /** A guest PID change: drop every slot with shadow TID 0 (all guest processes share it). */
  dropProcessSlots(): void {
    for (let s = 0; s <= HWATER; s++) if (this.origin[s]! >= 0 && this.hw.tid[s] === 0) this.drop(s);
  }

  /** Drop the slot(s) covering one page (a stale shadow permission). */
  dropPage(ea: number): void {
    const page = (ea & ~0xfff) >>> 0;
    for (let s = 0; s <= HWATER; s++) if (this.origin[s]! >= 0 && (this.hw.word0[s]! & ~0xfff) >>> 0 === page) this.drop(s);
  }

  usedSlots(): number {
    let n = 0;
    for (let s = 0; s <= HWATER; s++) if (this.origin[s]! >= 0) n++;
    return n;
  }
}

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
 * - a guest 1 KiB page gets a 1 KiB shadow entry (the 440 has them), not a 4 KiB one that would
 *   also map its neighbours.
 * - the guest's address space (MSR[IS], MSR[DS]) is virtual and shadow entries all have TS=1, so
 *   the owner drops every slot when the guest switches address spaces (`dropAll`), and while the
 *   guest fetches and accesses data in different spaces (IS != DS) a slot grants only what its
 *   fault needed: execute for a fetch, read/write for data (kvm440.md 3.4 lists this as a gap).
 */

import { TLB0, TLB2, TlbArray, type Utlb } from "../cpu/mmu.ts";

export const SHADOW_SLOTS = 64;
/** Highest slot guest mappings may use (KVM: 64 - 1 - bolted entries). */
export const HWATER = 62;
/** The host kernel's bolted mapping: EA 0xC0000000, 256 MiB, TS 0 (never matches a guest access). */
const HOST_SLOT = 63;
/** `origin` of a slot that maps a page of the hypervisor's, not a guest TLB entry. */
const HOST_PAGE = 64;

export class ShadowTlb {
  /** Guest TLB index each slot was made from (-1 = free, HOST_PAGE = the hypervisor's page). */
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
  map(gtlb: TlbArray, gidx: number, ea: number, gpa: number, guestSupervisor: boolean, only: "any" | "fetch" | "data" = "any"): number {
    const small = gtlb.bytes(gidx) < 4096;
    const size = small ? 1024 : 4096;
    const page = (ea - ((ea >>> 0) % size)) >>> 0;
    const gtid = gtlb.tid[gidx]!;
    const tid = gtid !== 0 ? 0 : guestSupervisor ? 1 : 0;
    // shadow TIDs are 0 or 1 and both shadow PIDs see TID 0: any slot overlapping this page could
    // become a second hit, now or after the next guest mode switch
    this.dropRange(page, size);
    this.victim = this.victim >= HWATER ? 0 : this.victim + 1;
    const slot = this.victim;
    if (this.origin[slot]! >= 0) this.drop(slot);
    const g2 = gtlb.word2[gidx]!;
    let perms = g2 & 0x3f;
    if (guestSupervisor) perms = (perms & 0x07) | ((perms & 0x07) << 3);
    if (only === "fetch") perms &= TLB2.UX | TLB2.SX;
    else if (only === "data") perms &= ~(TLB2.UX | TLB2.SX);
    const w2 = (g2 & 0xf000) | (g2 & (TLB2.W | TLB2.I | TLB2.G | TLB2.E)) | TLB2.M | perms | TLB2.SX | TLB2.SW | TLB2.SR;
    const gpaPage = gpa - (gpa % size);
    const w1 = ((gpaPage % 2 ** 32) & 0xfffffc00) | Math.floor(gpaPage / 2 ** 32);
    // the host keeps SX/SW/SR so its own accesses never fault; the guest runs at PR=1
    this.hw.set(slot, page | TLB0.V | TLB0.TS | ((small ? 0 : 1) << 4), w1, w2 & ~(only === "fetch" ? TLB2.SW | TLB2.SR : 0), tid);
    this.origin[slot] = gidx;
    return slot;
  }

  /**
   * Maps the hypervisor's own page (the paravirtual shared page) at `ea` to real address `pa`:
   * data only, for guest supervisor mode only (TID 1 matches shadow PID 1 alone). No guest TLB
   * entry stands behind it (origin HOST_PAGE), so guest TLB writes never drop it.
   */
  mapHostPage(ea: number, pa: number): void {
    const page = (ea & ~0xfff) >>> 0;
    this.dropRange(page, 4096);
    this.victim = this.victim >= HWATER ? 0 : this.victim + 1;
    const slot = this.victim;
    if (this.origin[slot]! >= 0) this.drop(slot);
    const w1 = ((pa % 2 ** 32) & 0xfffff000) | Math.floor(pa / 2 ** 32);
    this.hw.set(slot, page | TLB0.V | TLB0.TS | (1 << 4), w1, TLB2.M | TLB2.UR | TLB2.UW | TLB2.SR | TLB2.SW, 1);
    this.origin[slot] = HOST_PAGE;
  }

  /** A guest tlbwe over a valid entry: drop every slot made from it. */
  dropGuestEntry(gidx: number): void {
    for (let s = 0; s <= HWATER; s++) if (this.origin[s] === gidx) this.drop(s);
  }

  /** A guest PID change: drop every slot with shadow TID 0 (all guest processes share it). */
  dropProcessSlots(): void {
    for (let s = 0; s <= HWATER; s++) if (this.origin[s]! >= 0 && this.hw.tid[s] === 0) this.drop(s);
  }

  /** Drop the slot(s) overlapping the 4 KiB page of `ea` (a stale shadow permission). */
  dropPage(ea: number): void {
    this.dropRange((ea & ~0xfff) >>> 0, 4096);
  }

  /** Drop every guest slot overlapping [start, start + size). */
  dropRange(start: number, size: number): void {
    for (let s = 0; s <= HWATER; s++) {
      if (this.origin[s]! < 0) continue;
      const a = this.hw.pageEa(s), b = a + this.hw.bytes(s);
      if (a < start + size && start < b) this.drop(s);
    }
  }

  /** Drop every guest slot (the guest switched address space). */
  dropAll(): void {
    for (let s = 0; s <= HWATER; s++) if (this.origin[s]! >= 0) this.drop(s);
  }

  usedSlots(): number {
    let n = 0;
    for (let s = 0; s <= HWATER; s++) if (this.origin[s]! >= 0) n++;
    return n;
  }
}

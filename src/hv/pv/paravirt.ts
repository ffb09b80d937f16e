/**
 * A VM's paravirtual interface (kvm440.md section 6; design.md section 5), in one of two flavours:
 *
 * host-patch  The seed's prototype. The guest donates a page by hypercall; the hypervisor patches
 *             the guest kernel lazily, at the first trap of each patchable site (host-patch.ts).
 * magic-page  Mainline's ABI, which mainline never offered on 440: FEATURES says there is a magic
 *             page, MAP_MAGIC_PAGE maps the hypervisor's page at 0xFFFFF000, and the guest patches
 *             itself (templates with the critical-section and int_pending protocol).
 *
 * Both: the page is mapped by the hypervisor, not by the guest's TLB: a data TLB miss on it from
 * guest supervisor mode is answered with a shadow entry for guest supervisor mode only (row
 * DTLBPV), so guest user mode never sees it and the guest's own TLB never holds it.
 */

import { Exit } from "../exits.ts";
import type { PvHooks, Vcpu } from "../vcpu.ts";
import { SPR } from "../../cpu/spr.ts";
import {
  EV_EINVAL, EV_SUCCESS, EV_UNIMPLEMENTED, HV440_FEATURE_PATCH_PAGE, HV440_HC_PATCH_PAGE, KVM_FEATURE_MAGIC_PAGE,
  KVM_HC_FEATURES, KVM_HC_PPC_MAP_MAGIC_PAGE, KVM_MAGIC_FEAT_MAS0_TO_SPRG7, PAGE, PV_PAGE_EA, PV_PAGE_SIZE, type PvMode,
} from "./abi.ts";
import { hostPatchReplacement, type PatchedSite } from "./host-patch.ts";
import {
  GuestRamPage, HostPage, pullHostPatch, pullMagicPage, pushHostPatch, pushMagicPage, type SharedPage,
} from "./shared-page.ts";

export class Paravirt implements PvHooks {
  /** The page, once the guest asked for it. */
  page: SharedPage | null = null;
  /** host-patch: the sites rewritten so far, in order. */
  readonly sites: PatchedSite[] = [];
  /** Hypercalls handled, by token. */
  readonly hypercalls = new Map<number, number>();
  private readonly hostPage: HostPage | null;

  constructor(readonly mode: Exclude<PvMode, "off">, private readonly v: Vcpu) {
    this.hostPage = mode === "magic-page" ? new HostPage() : null;
    this.hostPage?.attach(v.cpu.mem);
  }

  // ---- exits and entries ----

  pull(): void {
    const p = this.page;
    if (p === null) return;
    if (this.mode === "magic-page") pullMagicPage(this.v, p); else pullHostPatch(this.v, p);
  }

  push(intPending: boolean): void {
    const p = this.page;
    if (p === null) return;
    if (this.mode === "magic-page") pushMagicPage(this.v, p, intPending); else pushHostPatch(this.v, p);
  }

  /** In a magic-page template: `critical` == r1 (32-bit compare) in guest supervisor mode. */
  inCritical(): boolean {
    const p = this.page;
    return p !== null && this.mode === "magic-page" && this.v.guestSupervisor && p.read(PAGE.CRITICAL) === (this.v.cpu.gpr[1]! | 0);
  }

  dataTlbMiss(ea: number): boolean {
    const p = this.page;
    if (p === null || (ea & ~0xfff) >>> 0 !== PV_PAGE_EA || !this.v.guestSupervisor) return false;
    this.v.shadow.mapHostPage(PV_PAGE_EA, p.pa);
    this.v.setType(Exit.DTLBPV);
    return true;
  }

  // ---- hypercalls ----

  /** An `sc` from guest supervisor mode with r0 = "KVM!": always answered (unknown tokens with EV_UNIMPLEMENTED). */
  hypercall(): void {
    const r = this.v.cpu.gpr;
    const token = r[11]! >>> 0;
    this.v.setType(Exit.HCALL);
    this.hypercalls.set(token, (this.hypercalls.get(token) ?? 0) + 1);
    switch (token) {
      case KVM_HC_FEATURES:
        r[3] = EV_SUCCESS;
        r[4] = this.mode === "magic-page" ? KVM_FEATURE_MAGIC_PAGE : HV440_FEATURE_PATCH_PAGE;
        return;
      case KVM_HC_PPC_MAP_MAGIC_PAGE:
        if (this.mode !== "magic-page") { r[3] = EV_UNIMPLEMENTED; return; }
        // the effective address is fixed at -4096 (mainline's e500 ignored r3 too: the page is the host's)
        if ((r[4]! >>> 0 & ~0xfff) >>> 0 !== PV_PAGE_EA) { r[3] = EV_EINVAL; return; }
        this.activate(this.hostPage!);
        r[3] = EV_SUCCESS;
        r[4] = KVM_MAGIC_FEAT_MAS0_TO_SPRG7;
        return;
      case HV440_HC_PATCH_PAGE: {
        if (this.mode !== "host-patch") { r[3] = EV_UNIMPLEMENTED; return; }
        const ea = r[3]! >>> 0, pa = r[4]! >>> 0, size = r[5]! >>> 0;
        const ok = ea === PV_PAGE_EA && size === PV_PAGE_SIZE && pa % PV_PAGE_SIZE === 0 && pa + size <= this.v.dm.ramSize;
        if (!ok || this.page !== null) { r[3] = EV_EINVAL; return; }
        this.activate(new GuestRamPage(this.v.cpu.mem, pa));
        r[3] = EV_SUCCESS;
        return;
      }
      default:
        r[3] = EV_UNIMPLEMENTED;
    }
  }

  private activate(p: SharedPage): void {
    this.page = p;
    this.v.shadow.dropPage(PV_PAGE_EA); // nothing of the guest's may stay mapped there
    this.push(false);
  }

  // ---- host-patch: rewriting at the first trap ----

  /**
   * A privileged instruction from guest supervisor mode trapped at `pc` (`insn` as read from
   * guest memory; it is emulated as usual after this). Rewrites the site when it is patchable.
   */
  privileged(pc: number, insn: number): void {
    if (this.mode !== "host-patch" || this.page === null) return;
    const repl = hostPatchReplacement(insn);
    if (repl === null) return;
    const v = this.v, cpu = v.cpu;
    // the word must still be what the core executed (no concurrent rewrite by the guest)
    if ((cpu.lastInsn | 0) !== (insn | 0)) return;
    const g = v.gtlb.find(pc, (v.vmsr >>> 5) & 1, v.vspr[SPR.PID]! & 0xff);
    if (g < 0) return;
    const gpa = v.gtlb.realAddress(g, pc);
    if (gpa + 4 > v.dm.ramSize || (cpu.mem.dv.getInt32(gpa) | 0) !== (insn | 0)) return;
    cpu.mem.dv.setUint32(gpa, repl);
    cpu.invalidateCode(gpa, 4);
    this.sites.push({ ea: pc >>> 0, pa: gpa, original: insn >>> 0, replacement: repl });
  }
}

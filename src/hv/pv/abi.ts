/**
 * The paravirtual interface hv440 offers its guests (kvm440.md section 6), shared by both
 * flavours so that one guest kernel can use either:
 *
 * - Discovery: a device-tree node /hypervisor, compatible "linux,kvm", whose `hcall-instructions`
 *   are the four words KVM gave 440/e500 guests through KVM_PPC_GET_PVINFO
 *   (`lis r0,0x4B56; ori r0,r0,0x4D21; sc; nop`), as Linux's epapr_paravirt.c reads them.
 * - Hypercalls (ePAPR convention): r0 = "KVM!", `sc` from guest supervisor mode, token in r11 =
 *   vendor << 16 | number, arguments r3..r10; status back in r3 (0 or an EV_* code), results in
 *   r4... KVM's vendor 42 has FEATURES and MAP_MAGIC_PAGE (Linux's kvm_para.h numbers); the
 *   seed's page donation, which mainline never had, gets its own vendor number (0x440).
 * - The shared page: one 4 KiB page at effective address 0xFFFFF000, so that every field is a
 *   `lwz`/`stw rX, d(0)` away (rA = 0, negative 16-bit displacement). Its layout is mainline's
 *   `struct kvm_vcpu_arch_shared` (v3.8, 240 bytes); 32-bit guests use the low word of a 64-bit
 *   field, at offset + 4. host-patch reuses the layout for the page the guest donates.
 */

export const PV_MODES = ["off", "host-patch", "magic-page"] as const;
export type PvMode = (typeof PV_MODES)[number];

export const isPvMode = (s: unknown): s is PvMode => (PV_MODES as readonly unknown[]).includes(s);

/** r0 of a hypercall: "KVM!". */
export const KVM_MAGIC = 0x4b564d21;

/** `hcall-instructions`: lis r0,0x4B56; ori r0,r0,0x4D21; sc; nop. */
export const HCALL_INSTRUCTIONS = [0x3c004b56, 0x60004d21, 0x44000002, 0x60000000] as const;

export const hcallToken = (vendor: number, nr: number): number => ((vendor << 16) | nr) >>> 0;
export const KVM_VENDOR = 42;
export const HV440_VENDOR = 0x440;
/** r4 = feature mask. */
export const KVM_HC_FEATURES = hcallToken(KVM_VENDOR, 3);
/** r3 = physical, r4 = effective address of the page (Linux passes -4096 for both); r4 = KVM_MAGIC_FEAT_*. */
export const KVM_HC_PPC_MAP_MAGIC_PAGE = hcallToken(KVM_VENDOR, 4);
/** hv440: r3 = effective address, r4 = guest-physical address, r5 = size of the donated page. */
export const HV440_HC_PATCH_PAGE = hcallToken(HV440_VENDOR, 1);

/** FEATURES bits: the magic page (Linux's KVM_FEATURE_MAGIC_PAGE = 1), hv440's page donation. */
export const KVM_FEATURE_MAGIC_PAGE = 1 << 1;
export const HV440_FEATURE_PATCH_PAGE = 1 << 16;
/** MAP_MAGIC_PAGE result: the page has esr, pir and sprg4-7 (the e500 block, v3.8). */
export const KVM_MAGIC_FEAT_MAS0_TO_SPRG7 = 0x2;

/** ePAPR status codes. */
export const EV_SUCCESS = 0;
export const EV_EINVAL = 8;
export const EV_UNIMPLEMENTED = 12;

export const PV_PAGE_EA = 0xfffff000;
export const PV_PAGE_SIZE = 4096;

/** Offsets of the 32-bit value word of each field of the shared page. */
export const PAGE = {
  SCRATCH1: 0, SCRATCH2: 8, SCRATCH3: 16, CRITICAL: 28,
  SPRG0: 36, SPRG1: 44, SPRG2: 52, SPRG3: 60, SRR0: 68, SRR1: 76, DAR: 84, MSR: 92,
  DSISR: 96, INT_PENDING: 100,
  ESR: 200, PIR: 204, SPRG4: 212, SPRG5: 220, SPRG6: 228, SPRG7: 236,
} as const;

/** The 16-bit displacement that reaches `offset` of the page from rA = 0. */
export const pageDisplacement = (offset: number): number => (PV_PAGE_EA + offset - 2 ** 32) & 0xffff;

/** The /hypervisor node's properties. */
export const HYPERVISOR_NODE = {
  compatible: ["linux,kvm"],
  hcallInstructions: [...HCALL_INSTRUCTIONS],
};

/*
 * Paravirtualization (pv.c, pv_asm.S): what this kernel does when /hypervisor says it runs under
 * hv440's hypervisor (see hv440's src/hv/pv/abi.ts and the README). One ABI, two flavours:
 *
 *  - hypercalls: the node's hcall-instructions (lis r0,"KV"; ori r0,"M!"; sc; nop), token in r11
 *    = vendor << 16 | number, arguments r3..r10, status back in r3, results in r4..r10;
 *  - FEATURES says which flavour: the magic page (Linux's KVM_FEATURE_MAGIC_PAGE), which this
 *    kernel maps with MAP_MAGIC_PAGE and then patches itself for, or hv440's page donation
 *    (the seed's prototype), after which the hypervisor patches us at the first trap of a site;
 *  - the shared page at 0xFFFFF000, mapped by the hypervisor for supervisor mode only; its layout
 *    is Linux's struct kvm_vcpu_arch_shared (32-bit: the low word of 64-bit fields).
 *
 * Usable from assembly.
 */
#ifndef PV_H
#define PV_H

#define PV_PAGE            0xfffff000
/* offsets of the 32-bit value words in the page */
#define PV_SCRATCH1        0
#define PV_SCRATCH2        8
#define PV_SCRATCH3        16
#define PV_CRITICAL        28
#define PV_SPRG0           36
#define PV_SPRG1           44
#define PV_SPRG2           52
#define PV_SPRG3           60
#define PV_SRR0            68
#define PV_SRR1            76
#define PV_DAR             84
#define PV_MSR             92
#define PV_INT_PENDING     100
#define PV_ESR             200
#define PV_SPRG4           212
#define PV_SPRG5           220
#define PV_SPRG6           228
#define PV_SPRG7           236
/* d(0) displacement of a field: the page is the top 4 KiB of the address space */
#define PV_D(off)          ((off) - 4096)

#define KVM_MAGIC_R0       0x4b564d21
#define KVM_HC_FEATURES            ((42 << 16) | 3)
#define KVM_HC_PPC_MAP_MAGIC_PAGE  ((42 << 16) | 4)
#define HV440_HC_PATCH_PAGE        ((0x440 << 16) | 1)
#define KVM_FEATURE_MAGIC_PAGE     (1 << 1)
#define HV440_FEATURE_PATCH_PAGE   (1 << 16)
#define KVM_MAGIC_FEAT_MAS0_TO_SPRG7 0x2

/* struct pv_stress (pv_stress_loop): offsets */
#define PVS_MSR_OFF  0
#define PVS_MSR_ON   4
#define PVS_COUNT    8
#define PVS_EARLY    12
#define PVS_WRONG_EE 16
#define PVS_REGS     20    /* r0..r31, CR, XER, LR */
#define PVS_NREGS    35
#define PVS_CR_PATTERN  0x0369cf36    /* cr0 is the loop's own */
#define PVS_XER_PATTERN 0xa0000055
#define PVS_LR_PATTERN  0xc0de1234

#ifndef __ASSEMBLER__
#include "types.h"
struct hv_info;

struct pv_stress {
	u32 msr_off, msr_on;           /* MSR with EE clear / set */
	volatile u32 *count;           /* interrupts taken (irq_count) */
	u32 early;                     /* interrupts taken inside a masked window */
	u32 wrong_ee;                  /* mfmsr disagreeing with the last EE change */
	u32 regs[PVS_NREGS];           /* registers at the end of the loop */
};

void pv_init(const struct hv_info *hv);
void pv_stress(u32 ms);
/* pv_asm.S */
long pv_hcall(u32 token, const u32 in[8], u32 out[8]);
void pv_stress_loop(struct pv_stress *s, u32 iterations);
/* value of the pattern register rN in pv_stress_loop */
#define PVS_PATTERN(n) (0x5a000000u | ((u32)(n) << 16) | (0xa5u ^ (u32)(n)))
#endif
#endif

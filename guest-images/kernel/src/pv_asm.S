/*
 * Paravirtualization, the assembly half (see pv.h and pv.c):
 *
 *   pv_hcall_insns  the hypercall sequence: four words copied from /hypervisor's
 *                   hcall-instructions by pv.c (until then they return -1), then blr
 *   pv_hcall        long pv_hcall(token, in[8], out[8]): r11 = token, r3..r10 = in, calls the
 *                   sequence, out[0..6] = r4..r10, returns r3
 *   pv_mtmsr, pv_wrtee, pv_wrteei0
 *                   the templates pv.c copies once per patched mtmsr / wrtee (and wrteei 1) /
 *                   wrteei 0 site and customises (source register, original instruction, branch
 *                   back). They keep MSR[EE] in the magic page and trap only when they must:
 *                   mtmsr changing any bit but EE, or EE turned on while the hypervisor says an
 *                   interrupt is pending (int_pending), by executing the original instruction.
 *                   Each runs as a critical section: `critical` = r1 on entry, = r2 on exit (r2
 *                   is never a kernel stack address), and the hypervisor delivers no maskable
 *                   interrupt while critical == r1, so r30, r31 and CR can live in the page's
 *                   scratch words. Everything between pv_tmpl_start and pv_tmpl_end is left
 *                   unpatched.
 *   pv_stress_loop  the EE stress test (not a template: it gets patched like the rest)
 */
#include "ppc.h"
#include "pv.h"

#define PV(f)   PV_D(f)(0)

/* Enter / leave the critical section, saving r31, r30 and CR in the page. */
#define PV_ENTER                 \
	stw	r1, PV(PV_CRITICAL);     \
	stw	r31, PV(PV_SCRATCH1);    \
	stw	r30, PV(PV_SCRATCH2);    \
	mfcr	r31;                     \
	stw	r31, PV(PV_SCRATCH3)
#define PV_LEAVE                 \
	lwz	r31, PV(PV_SCRATCH3);    \
	mtcr	r31;                     \
	lwz	r31, PV(PV_SCRATCH1);    \
	lwz	r30, PV(PV_SCRATCH2);    \
	stw	r2, PV(PV_CRITICAL)

	.text
	.globl pv_tmpl_start
pv_tmpl_start:

	.globl pv_hcall_insns
pv_hcall_insns:
	li	r3, -1
	nop
	nop
	nop
	blr

	.globl pv_hcall
pv_hcall:
	stwu	r1, -16(r1)
	mflr	r0
	stw	r0, 20(r1)
	stw	r5, 8(r1)
	mr	r11, r3
	mr	r12, r4
	lwz	r3, 0(r12)
	lwz	r4, 4(r12)
	lwz	r5, 8(r12)
	lwz	r6, 12(r12)
	lwz	r7, 16(r12)
	lwz	r8, 20(r12)
	lwz	r9, 24(r12)
	lwz	r10, 28(r12)
	bl	pv_hcall_insns
	lwz	r12, 8(r1)
	stw	r4, 0(r12)
	stw	r5, 4(r12)
	stw	r6, 8(r12)
	stw	r7, 12(r12)
	stw	r8, 16(r12)
	stw	r9, 20(r12)
	stw	r10, 24(r12)
	lwz	r0, 20(r1)
	mtlr	r0
	addi	r1, r1, 16
	blr

/* mtmsr rS: r30 = new MSR */
	.globl pv_mtmsr, pv_mtmsr_reg, pv_mtmsr_back1, pv_mtmsr_orig, pv_mtmsr_back2, pv_mtmsr_end
pv_mtmsr:
	PV_ENTER
pv_mtmsr_reg:
	mr	r30, r0                         /* customised: rS, or rS's saved value */
	lwz	r31, PV(PV_MSR)
	xor	r31, r31, r30
	rlwinm.	r31, r31, 0, 17, 15             /* changes other than EE need the hypervisor */
	bne	1f
	stw	r30, PV(PV_MSR)
	andi.	r31, r30, MSR_EE
	beq	2f
	lwz	r31, PV(PV_INT_PENDING)
	cmpwi	r31, 0
	bne	1f                              /* EE on with something pending: let it deliver */
2:	PV_LEAVE
pv_mtmsr_back1:
	b	.                               /* customised: back to the site + 4 */
1:	PV_LEAVE
pv_mtmsr_orig:
	mtmsr	r0                              /* customised: the original instruction */
pv_mtmsr_back2:
	b	.
pv_mtmsr_end:

/* wrtee rS (or wrteei 1: r30 = MSR_EE) */
	.globl pv_wrtee, pv_wrtee_reg, pv_wrtee_back1, pv_wrtee_orig, pv_wrtee_back2, pv_wrtee_end
pv_wrtee:
	PV_ENTER
pv_wrtee_reg:
	mr	r30, r0                         /* customised */
	lwz	r31, PV(PV_MSR)
	rlwimi	r31, r30, 0, 16, 16             /* insert EE */
	stw	r31, PV(PV_MSR)
	andi.	r31, r31, MSR_EE
	beq	2f
	lwz	r31, PV(PV_INT_PENDING)
	cmpwi	r31, 0
	bne	1f
2:	PV_LEAVE
pv_wrtee_back1:
	b	.
1:	PV_LEAVE
pv_wrtee_orig:
	wrtee	r0                              /* customised */
pv_wrtee_back2:
	b	.
pv_wrtee_end:

/* wrteei 0: clear EE in the page; never traps */
	.globl pv_wrteei0, pv_wrteei0_back, pv_wrteei0_end
pv_wrteei0:
	stw	r1, PV(PV_CRITICAL)
	stw	r31, PV(PV_SCRATCH1)
	lwz	r31, PV(PV_MSR)
	rlwinm	r31, r31, 0, 17, 15
	stw	r31, PV(PV_MSR)
	lwz	r31, PV(PV_SCRATCH1)
	stw	r2, PV(PV_CRITICAL)
pv_wrteei0_back:
	b	.
pv_wrteei0_end:

	.globl pv_tmpl_end
pv_tmpl_end:

/*
 * void pv_stress_loop(struct pv_stress *s, u32 iterations): turns MSR[EE] off and on with every
 * form the patcher handles (wrteei 0/1, wrtee r31/r30, mtmsr r31/r30), with r0 and r7..r29
 * holding patterns, CR, XER and LR too. In each masked window it checks that mfmsr shows EE off
 * and that no interrupt came in (the interrupt count did not move); it counts failures in the
 * struct and stores every register at the end for pv.c to compare.
 */
#define MASKED_CHECK                              \
	lwz	r5, 0(r4);                                \
	mfmsr	r6;                                       \
	andi.	r6, r6, MSR_EE;                           \
	beq+	1f;                                       \
	lwz	r6, PVS_WRONG_EE(r3);                     \
	addi	r6, r6, 1;                                \
	stw	r6, PVS_WRONG_EE(r3);                     \
1:	nop;                                              \
	lwz	r6, 0(r4);                                \
	cmpw	r5, r6;                                   \
	beq+	1f;                                       \
	lwz	r6, PVS_EARLY(r3);                        \
	addi	r6, r6, 1;                                \
	stw	r6, PVS_EARLY(r3);                        \
1:

#define ENABLED_CHECK                             \
	mfmsr	r6;                                       \
	andi.	r6, r6, MSR_EE;                           \
	bne+	1f;                                       \
	lwz	r6, PVS_WRONG_EE(r3);                     \
	addi	r6, r6, 1;                                \
	stw	r6, PVS_WRONG_EE(r3);                     \
1:	nop

#define PATTERN(n) lis n, 0x5a00 + n; ori n, n, 0xa5 ^ n

	.globl pv_stress_loop
pv_stress_loop:
	stwu	r1, -96(r1)
	mflr	r0
	stw	r0, 100(r1)
	stmw	r14, 16(r1)
	mfcr	r0
	stw	r0, 12(r1)
	mtctr	r4
	lwz	r4, PVS_COUNT(r3)
	lwz	r30, PVS_MSR_ON(r3)
	lwz	r31, PVS_MSR_OFF(r3)
	lis	r5, PVS_CR_PATTERN@h
	ori	r5, r5, PVS_CR_PATTERN@l
	mtcr	r5
	lis	r5, PVS_XER_PATTERN@h
	ori	r5, r5, PVS_XER_PATTERN@l
	mtxer	r5
	lis	r5, PVS_LR_PATTERN@h
	ori	r5, r5, PVS_LR_PATTERN@l
	mtlr	r5
	PATTERN(0)
	.irp n, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	PATTERN(\n)
	.endr
2:	wrteei	0
	MASKED_CHECK
	wrteei	1
	ENABLED_CHECK
	wrtee	r31
	MASKED_CHECK
	wrtee	r30
	ENABLED_CHECK
	mtmsr	r31
	MASKED_CHECK
	mtmsr	r30
	ENABLED_CHECK
	bdnz	2b

	stw	r0, PVS_REGS(r3)
	stw	r1, PVS_REGS + 4(r3)
	stw	r2, PVS_REGS + 8(r3)
	stmw	r5, PVS_REGS + 20(r3)
	mfcr	r5
	stw	r5, PVS_REGS + 128(r3)
	mfxer	r5
	stw	r5, PVS_REGS + 132(r3)
	mflr	r5
	stw	r5, PVS_REGS + 136(r3)
	lwz	r0, 12(r1)
	mtcr	r0
	lmw	r14, 16(r1)
	lwz	r0, 100(r1)
	mtlr	r0
	addi	r1, r1, 96
	blr

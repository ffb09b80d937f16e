/*
 * Interrupt vectors. The table sits at the start of the image (0x00010000, 64 KiB aligned) and
 * IVPR points at it; IVORn = n * 0x20 (set by bare_init()). Every stub is position independent
 * apart from absolute addresses (lis/addi and `ba`), so exc_install_stub() can copy the
 * template anywhere below 32 MiB to probe other IVPR|IVOR compositions.
 *
 * Stub (6 words): save r1 in the class's SPRG, point r1 at the class's frame, save r3, load
 * the stub id, jump to the class's common code. The common code saves everything into the
 * frame (all GPRs, CR/LR/CTR/XER, SRR0/1, CSRR0/1, MCSRR0/1, ESR, DEAR, MSR at entry), calls
 * exc_dispatch(frame) in C, and returns with the frame's RET_PC/RET_MSR through the class's
 * save/restore pair (rfi / rfci / rfmci).
 */
#include "ppc440.h"
#include "frame.h"

#define STUB(cls_sprg, frame, id, common) \
	mtspr	cls_sprg, %r1;           \
	lis	%r1, frame@ha;            \
	addi	%r1, %r1, frame@l;        \
	stw	%r3, 12(%r1);             \
	li	%r3, id;                  \
	ba	common

	.section .vectors, "ax"
	.globl	exc_vectors
	.balign	0x20			/* 64 KiB alignment: see the ASSERT in bare.ld */
exc_vectors:
	/* id 0..15 at offset id*0x20 */
	.balign 0x20
	STUB(SPR_SPRG1, exc_frame_crit, 0, exc_common_crit)   /* critical input */
	.balign 0x20
	STUB(SPR_SPRG2, exc_frame_mc, 1, exc_common_mc)       /* machine check */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 2, exc_common_nc)       /* DSI */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 3, exc_common_nc)       /* ISI */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 4, exc_common_nc)       /* external */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 5, exc_common_nc)       /* alignment */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 6, exc_common_nc)       /* program */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 7, exc_common_nc)       /* FP unavailable */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 8, exc_common_nc)       /* system call */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 9, exc_common_nc)       /* AP unavailable */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 10, exc_common_nc)      /* decrementer */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 11, exc_common_nc)      /* FIT */
	.balign 0x20
	STUB(SPR_SPRG1, exc_frame_crit, 12, exc_common_crit)  /* watchdog */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 13, exc_common_nc)      /* data TLB error */
	.balign 0x20
	STUB(SPR_SPRG0, exc_frame_nc, 14, exc_common_nc)      /* instruction TLB error */
	.balign 0x20
	STUB(SPR_SPRG1, exc_frame_crit, 15, exc_common_crit)  /* debug */
	.balign 0x20

	/* Templates copied by exc_install_stub(): one per class; word 4 (li r3,id) is patched. */
	.globl	exc_stub_nc, exc_stub_crit, exc_stub_mc
exc_stub_nc:
	STUB(SPR_SPRG0, exc_frame_nc, 0, exc_common_nc)
exc_stub_crit:
	STUB(SPR_SPRG1, exc_frame_crit, 0, exc_common_crit)
exc_stub_mc:
	STUB(SPR_SPRG2, exc_frame_mc, 0, exc_common_mc)

/*
 * Common code. On entry: r1 = frame, r3 = id, frame.r3 = interrupted r3, SPRG = interrupted r1.
 */
#define COMMON(name, cls, cls_sprg, srr0, srr1, rfx, readmcsr) \
	.globl	name;                                  \
name:	stw	%r0, F_GPR+0(%r1);                      \
	mfspr	%r0, cls_sprg;                          \
	stw	%r0, F_GPR+4(%r1);                      \
	stw	%r2, F_GPR+8(%r1);                      \
	stmw	%r4, F_GPR+16(%r1);                     \
	stw	%r3, F_ID(%r1);                         \
	li	%r0, cls;                               \
	stw	%r0, F_CLASS(%r1);                      \
	mfmsr	%r0;                                    \
	stw	%r0, F_MSR(%r1);                        \
	mfcr	%r0;                                    \
	stw	%r0, F_CR(%r1);                         \
	mflr	%r0;                                    \
	stw	%r0, F_LR(%r1);                         \
	mfctr	%r0;                                    \
	stw	%r0, F_CTR(%r1);                        \
	mfxer	%r0;                                    \
	stw	%r0, F_XER(%r1);                        \
	mfspr	%r0, SPR_SRR0;                          \
	stw	%r0, F_SRR0(%r1);                       \
	mfspr	%r0, SPR_SRR1;                          \
	stw	%r0, F_SRR1(%r1);                       \
	mfspr	%r0, SPR_CSRR0;                         \
	stw	%r0, F_CSRR0(%r1);                      \
	mfspr	%r0, SPR_CSRR1;                         \
	stw	%r0, F_CSRR1(%r1);                      \
	mfspr	%r0, SPR_MCSRR0;                        \
	stw	%r0, F_MCSRR0(%r1);                     \
	mfspr	%r0, SPR_MCSRR1;                        \
	stw	%r0, F_MCSRR1(%r1);                     \
	mfspr	%r0, SPR_ESR;                           \
	stw	%r0, F_ESR(%r1);                        \
	mfspr	%r0, SPR_DEAR;                          \
	stw	%r0, F_DEAR(%r1);                       \
	readmcsr;                                       \
	stw	%r0, F_MCSR(%r1);                       \
	mr	%r3, %r1;                               \
	li	%r0, 0;                                 \
	stwu	%r0, -32(%r1);                          \
	bl	exc_dispatch;                           \
	addi	%r1, %r1, 32;                           \
	lwz	%r0, F_RET_PC(%r1);                     \
	mtspr	srr0, %r0;                              \
	lwz	%r0, F_RET_MSR(%r1);                    \
	mtspr	srr1, %r0;                              \
	lwz	%r0, F_CR(%r1);                         \
	mtcr	%r0;                                    \
	lwz	%r0, F_LR(%r1);                         \
	mtlr	%r0;                                    \
	lwz	%r0, F_CTR(%r1);                        \
	mtctr	%r0;                                    \
	lwz	%r0, F_XER(%r1);                        \
	mtxer	%r0;                                    \
	lmw	%r2, F_GPR+8(%r1);                      \
	lwz	%r0, F_GPR+0(%r1);                      \
	lwz	%r1, F_GPR+4(%r1);                      \
	rfx

	.text
	.balign 4
#define MCSR_ZERO li %r0, 0
#define MCSR_READ mfspr %r0, SPR_MCSR
COMMON(exc_common_nc, CLASS_NC, SPR_SPRG0, SPR_SRR0, SPR_SRR1, rfi, MCSR_ZERO)
COMMON(exc_common_crit, CLASS_CRIT, SPR_SPRG1, SPR_CSRR0, SPR_CSRR1, rfci, MCSR_ZERO)
COMMON(exc_common_mc, CLASS_MC, SPR_SPRG2, SPR_MCSRR0, SPR_MCSRR1, rfmci, MCSR_READ)

/*
 * uint32_t run_as(uint32_t msr, uint32_t (*fn)(uint32_t), uint32_t arg)
 * Runs fn(arg) with the given MSR (e.g. PR=1, IS/DS=1) and returns its result in supervisor
 * state with the caller's MSR. fn returns to run_as_ret (in its own mode), which issues
 * `sc` with r0 = RUN_AS_MAGIC; exc_dispatch() recognises that `sc` and resumes at run_as_back.
 * The code of run_as_ret and the stack must be accessible in fn's mode (user R/W/X pages, and a
 * TS=1 mapping when MSR[IS]/[DS] are set).
 */
	.globl	run_as, run_as_ret, run_as_sc, run_as_back
run_as:
	stwu	%r1, -96(%r1)
	mflr	%r0
	stw	%r0, 100(%r1)
	stmw	%r14, 16(%r1)
	mfcr	%r0
	stw	%r0, 8(%r1)
	lis	%r6, run_as_sp@ha
	stw	%r1, run_as_sp@l(%r6)
	mfmsr	%r0
	lis	%r6, run_as_msr@ha
	stw	%r0, run_as_msr@l(%r6)
	mtspr	SPR_SRR0, %r4
	mtspr	SPR_SRR1, %r3
	mr	%r3, %r5
	lis	%r0, run_as_ret@h
	ori	%r0, %r0, run_as_ret@l
	mtlr	%r0
	rfi
run_as_ret:
	lis	%r0, RUN_AS_MAGIC@h
	ori	%r0, %r0, RUN_AS_MAGIC@l
run_as_sc:
	sc
	b	run_as_sc
run_as_back:
	lis	%r6, run_as_sp@ha
	lwz	%r1, run_as_sp@l(%r6)
	lwz	%r0, 8(%r1)
	mtcr	%r0
	lmw	%r14, 16(%r1)
	lwz	%r0, 100(%r1)
	mtlr	%r0
	addi	%r1, %r1, 96
	blr

/* void msr_set(uint32_t msr): returns to the caller with MSR = msr (via rfi). */
	.globl	msr_set
msr_set:
	mflr	%r4
	mtspr	SPR_SRR0, %r4
	mtspr	SPR_SRR1, %r3
	rfi

	.section .bss
	.balign	16
	.globl	run_as_sp, run_as_msr
run_as_sp:	.space 4
run_as_msr:	.space 4

	/* interrupt stacks: not cleared by crt0 (section .stack, see bare.ld) */
	.section .stack, "aw", @nobits
	.balign	16
	.globl	exc_frame_nc, exc_frame_crit, exc_frame_mc
	.space	EXC_STACK_SIZE
exc_frame_nc:	.space F_SIZE
	.space	EXC_STACK_SIZE
exc_frame_crit:	.space F_SIZE
	.space	EXC_STACK_SIZE
exc_frame_mc:	.space F_SIZE

	.section .note.GNU-stack, "", @progbits

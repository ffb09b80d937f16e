/*
 * Interrupt vectors, exception entry and exit, the TLB miss handlers, context switch.
 *
 * IVPR = KERNELBASE; every IVORn points at vector_<n> below (all within the first 64 KiB).
 *
 * Normal-class interrupts (SRR0/SRR1) go through exc_entry, which builds a struct pt_regs
 * (regs.h): on the task's kernel stack (kstack_frame, the top frame) when coming from user mode,
 * below the interrupted r1 when coming from the kernel. Scratch registers: SPRG0 holds r10 for
 * the first instructions, and a small static save area (exc_scratch) the rest. Neither the
 * vector stubs nor exc_entry touch memory outside the bolted lowmem mapping, so they cannot take
 * a TLB miss themselves; the TLB miss handlers also use SPRG0 and their own save area, which is
 * safe because they cannot nest into the prologue. MSR[CE] and MSR[DE] stay 0, so critical
 * input, watchdog and debug interrupts cannot interrupt any of this; a machine check uses SPRG1
 * and its own static frame.
 *
 * Return (exc_return): with EE off, work pending for a return to user mode (reschedule,
 * signals) is done in C first; MSR[WE] is always cleared in the restored MSR, so an interrupt
 * that woke the idle loop's wait state returns to running code.
 */
#include "ppc.h"
#include "regs.h"
#include "mm.h"
#include "asm.h"

#define EXC_R11  0
#define EXC_R12  4
#define EXC_CR   8
#define EXC_SRR1 12

/* ---------------------------------------------------------------------------------------- */
	.section .text.vectors, "ax"
	.globl vectors_start
vectors_start:

/* Normal class: free r10/r11, r11 = vector number (| TRAP_HAS_DEAR_ESR), continue in exc_entry. */
#define VECTOR(n, flags)                    \
	.align 5;                               \
	.globl vector_##n;                      \
vector_##n:                                 \
	mtspr	SPRN_SPRG0, r10;                \
	lis	r10, exc_scratch@ha;                \
	addi	r10, r10, exc_scratch@l;        \
	stw	r11, EXC_R11(r10);                  \
	li	r11, (n) | (flags);                 \
	b	exc_entry

/* Critical class and machine check: SPRG1, a static frame, crit_entry. */
#define CRIT_VECTOR(n)                      \
	.align 5;                               \
	.globl vector_##n;                      \
vector_##n:                                 \
	mtspr	SPRN_SPRG1, r10;                \
	lis	r10, crit_scratch@ha;               \
	addi	r10, r10, crit_scratch@l;       \
	stw	r11, EXC_R11(r10);                  \
	li	r11, (n);                           \
	b	crit_entry

/* TLB miss: r11 = the missing effective address, continue in tlb_miss. */
#define TLB_VECTOR(n, easpr)                \
	.align 5;                               \
	.globl vector_##n;                      \
vector_##n:                                 \
	mtspr	SPRN_SPRG0, r10;                \
	lis	r10, tlb_state@ha;                  \
	addi	r10, r10, tlb_state@l;          \
	stw	r11, TLBS_R11(r10);                 \
	li	r11, (n) | TRAP_HAS_DEAR_ESR;       \
	stw	r11, TLBS_VEC(r10);                 \
	mfspr	r11, easpr;                     \
	b	tlb_miss

	CRIT_VECTOR(0)                          /* critical input */
	CRIT_VECTOR(1)                          /* machine check */
	VECTOR(2, TRAP_HAS_DEAR_ESR)            /* data storage */
	VECTOR(3, TRAP_HAS_DEAR_ESR)            /* instruction storage (ESR) */
	VECTOR(4, 0)                            /* external input (UIC) */
	VECTOR(5, TRAP_HAS_DEAR_ESR)            /* alignment */
	VECTOR(6, TRAP_HAS_DEAR_ESR)            /* program */
	VECTOR(7, 0)                            /* FP unavailable */
	VECTOR(8, 0)                            /* system call */
	VECTOR(9, 0)                            /* AP unavailable */
	VECTOR(10, 0)                           /* decrementer */
	VECTOR(11, 0)                           /* fixed-interval timer */
	CRIT_VECTOR(12)                         /* watchdog */
	TLB_VECTOR(13, SPRN_DEAR)               /* data TLB error */
	TLB_VECTOR(14, SPRN_SRR0)               /* instruction TLB error */
	CRIT_VECTOR(15)                         /* debug */

/* ---------------------------------------------------------------------------------------- */
	.text

/*
 * TLB refill from the page tables. r10 = tlb_state, r11 = EA, SPRG0 = r10. Kernel addresses
 * (>= KERNELBASE; only the ioremap window can miss) use swapper_pg_dir and TID 0, user
 * addresses the current process's directory and TID (tlb_state.pgd/.tid, which switch_mm keeps
 * equal to PID). A missing page table or a PTE without PTE_PRESENT goes to C (the page fault
 * path, through exc_entry); permissions are not checked here: a present PTE is loaded as it is
 * and a forbidden access then raises a storage interrupt.
 */
tlb_miss:
	stw	r12, TLBS_R12(r10)
	stw	r13, TLBS_R13(r10)
	stw	r9, TLBS_R9(r10)
	mfcr	r12
	stw	r12, TLBS_CR(r10)
	lis	r12, KERNELBASE@h
	cmplw	r11, r12
	bge	1f
	lwz	r12, TLBS_PGD(r10)
	lwz	r13, TLBS_TID(r10)
	b	2f
1:	lis	r12, swapper_pg_dir@ha
	addi	r12, r12, swapper_pg_dir@l
	li	r13, 0
2:	cmpwi	r12, 0
	beq	tlb_miss_slow
	rlwinm	r9, r11, 12, 20, 29             /* (EA >> 22) * 4: directory slot */
	lwzx	r12, r12, r9
	cmpwi	r12, 0
	beq	tlb_miss_slow
	rlwinm	r9, r11, 22, 20, 29             /* ((EA >> 12) & 1023) * 4: page table slot */
	lwzx	r12, r12, r9
	andi.	r9, r12, PTE_PRESENT
	beq	tlb_miss_slow
	mtspr	SPRN_MMUCR, r13                 /* STID = TID for tlbwe word 0, STS = 0 */
	lwz	r9, TLBS_VICTIM(r10)                /* round-robin victim below the bolted slots */
	addi	r9, r9, 1
	lwz	r13, TLBS_NFREE(r10)
	cmplw	r9, r13
	blt	3f
	li	r9, 0
3:	stw	r9, TLBS_VICTIM(r10)
	rlwinm	r13, r11, 0, 0, 19
	ori	r13, r13, TLB0_V | TLB0_SIZE_4K
	tlbwe	r13, r9, 0
	rlwinm	r13, r12, 0, 0, 19
	tlbwe	r13, r9, 1
	andi.	r13, r12, PTE_HWBITS
	tlbwe	r13, r9, 2
	lwz	r12, TLBS_CR(r10)
	mtcr	r12
	lwz	r9, TLBS_R9(r10)
	lwz	r11, TLBS_R11(r10)
	lwz	r12, TLBS_R12(r10)
	lwz	r13, TLBS_R13(r10)
	mfspr	r10, SPRN_SPRG0
	rfi

/* Not in the page tables: restore everything and enter exc_entry as vector 13/14 would. */
tlb_miss_slow:
	lwz	r11, TLBS_R11(r10)
	lis	r12, exc_scratch@ha
	addi	r12, r12, exc_scratch@l
	stw	r11, EXC_R11(r12)
	lwz	r11, TLBS_VEC(r10)
	lwz	r9, TLBS_R9(r10)
	lwz	r13, TLBS_R13(r10)
	lwz	r12, TLBS_CR(r10)
	mtcr	r12
	lwz	r12, TLBS_R12(r10)
	lis	r10, exc_scratch@ha
	addi	r10, r10, exc_scratch@l
	b	exc_entry

/*
 * Normal-class entry. r10 = exc_scratch (r11 saved there), r11 = vector | flags, SPRG0 = r10.
 */
exc_entry:
	stw	r12, EXC_R12(r10)
	mfcr	r12
	stw	r12, EXC_CR(r10)
	mfspr	r12, SPRN_SRR1
	stw	r12, EXC_SRR1(r10)
	andi.	r12, r12, MSR_PR
	beq	1f
	lis	r12, kstack_frame@ha            /* from user: the frame at the top of the kernel stack */
	lwz	r12, kstack_frame@l(r12)
	b	2f
1:	addi	r12, r1, -PT_SIZE               /* from the kernel: push a frame */
2:	stw	r1, PT_GPR(1)(r12)
	stw	r1, 0(r12)
	mr	r1, r12
	stw	r0, PT_GPR(0)(r1)
	stmw	r2, PT_GPR(2)(r1)               /* r2..r31; r10..r12 are fixed up below */
	stw	r11, PT_TRAP(r1)
	lwz	r0, EXC_R11(r10)
	stw	r0, PT_GPR(11)(r1)
	lwz	r0, EXC_R12(r10)
	stw	r0, PT_GPR(12)(r1)
	lwz	r0, EXC_CR(r10)
	stw	r0, PT_CCR(r1)
	mfspr	r0, SPRN_SPRG0
	stw	r0, PT_GPR(10)(r1)
	mflr	r0
	stw	r0, PT_LR(r1)
	mfctr	r0
	stw	r0, PT_CTR(r1)
	mfxer	r0
	stw	r0, PT_XER(r1)
	mfspr	r0, SPRN_SRR0
	stw	r0, PT_NIP(r1)
	lwz	r0, EXC_SRR1(r10)
	stw	r0, PT_MSR(r1)
	andi.	r0, r11, TRAP_HAS_DEAR_ESR
	beq	3f
	mfspr	r0, SPRN_DEAR
	stw	r0, PT_DEAR(r1)
	mfspr	r0, SPRN_ESR
	stw	r0, PT_ESR(r1)
3:	mr	r3, r1
	bl	exception_dispatch

/* Return from an exception frame at r1 (also the first return to user of a new process). */
	.globl exc_return
exc_return:
	wrteei	0
	lwz	r0, PT_MSR(r1)
	andi.	r0, r0, MSR_PR
	beq	exc_restore
	lis	r3, need_work@ha                /* back to user: reschedule / signals first */
	lwz	r0, need_work@l(r3)
	cmpwi	r0, 0
	beq	exc_restore
	mr	r3, r1
	bl	user_return_work                /* runs and returns with EE off */
	b	exc_return
exc_restore:
	lwz	r0, PT_NIP(r1)
	mtspr	SPRN_SRR0, r0
	lwz	r0, PT_MSR(r1)
	rlwinm	r0, r0, 0, 14, 12               /* clear MSR[WE] (bit 13) */
	mtspr	SPRN_SRR1, r0
	lwz	r0, PT_CCR(r1)
	mtcr	r0
	lwz	r0, PT_LR(r1)
	mtlr	r0
	lwz	r0, PT_CTR(r1)
	mtctr	r0
	lwz	r0, PT_XER(r1)
	mtxer	r0
	lwz	r0, PT_GPR(0)(r1)
	lmw	r2, PT_GPR(2)(r1)
	lwz	r1, PT_GPR(1)(r1)
	rfi

/* Start executing a user context: r3 = its frame (the top frame of the current kernel stack). */
	.globl enter_user
enter_user:
	mr	r1, r3
	b	exc_return

/*
 * Critical class (critical input, watchdog, debug: CSRR0/1) and machine check (MCSRR0/1).
 * r10 = crit_scratch, r11 = vector, SPRG1 = r10. One static frame on a static stack: these never
 * nest (CE and DE are never set; a machine check during a critical handler is fatal anyway).
 */
crit_entry:
	stw	r12, EXC_R12(r10)
	mfcr	r12
	stw	r12, EXC_CR(r10)
	lis	r12, crit_stack_top@ha
	addi	r12, r12, crit_stack_top@l
	addi	r12, r12, -PT_SIZE
	stw	r1, PT_GPR(1)(r12)
	stw	r1, 0(r12)
	mr	r1, r12
	stw	r0, PT_GPR(0)(r1)
	stmw	r2, PT_GPR(2)(r1)
	stw	r11, PT_TRAP(r1)
	lwz	r0, EXC_R11(r10)
	stw	r0, PT_GPR(11)(r1)
	lwz	r0, EXC_R12(r10)
	stw	r0, PT_GPR(12)(r1)
	lwz	r0, EXC_CR(r10)
	stw	r0, PT_CCR(r1)
	mfspr	r0, SPRN_SPRG1
	stw	r0, PT_GPR(10)(r1)
	mflr	r0
	stw	r0, PT_LR(r1)
	mfctr	r0
	stw	r0, PT_CTR(r1)
	mfxer	r0
	stw	r0, PT_XER(r1)
	cmpwi	r11, IV_MCHECK
	bne	1f
	mfspr	r0, SPRN_MCSRR0
	stw	r0, PT_NIP(r1)
	mfspr	r0, SPRN_MCSRR1
	stw	r0, PT_MSR(r1)
	b	2f
1:	mfspr	r0, SPRN_CSRR0
	stw	r0, PT_NIP(r1)
	mfspr	r0, SPRN_CSRR1
	stw	r0, PT_MSR(r1)
2:	mfspr	r0, SPRN_DEAR
	stw	r0, PT_DEAR(r1)
	mfspr	r0, SPRN_ESR
	stw	r0, PT_ESR(r1)
	mr	r3, r1
	bl	critical_dispatch
	lwz	r11, PT_TRAP(r1)
	lwz	r0, PT_CCR(r1)
	mtcr	r0
	lwz	r0, PT_LR(r1)
	mtlr	r0
	lwz	r0, PT_CTR(r1)
	mtctr	r0
	lwz	r0, PT_XER(r1)
	mtxer	r0
	cmpwi	r11, IV_MCHECK
	beq	3f
	lwz	r0, PT_NIP(r1)
	mtspr	SPRN_CSRR0, r0
	lwz	r0, PT_MSR(r1)
	mtspr	SPRN_CSRR1, r0
	lwz	r0, PT_CCR(r1)
	mtcr	r0
	lwz	r0, PT_GPR(0)(r1)
	lmw	r2, PT_GPR(2)(r1)
	lwz	r1, PT_GPR(1)(r1)
	rfci
3:	lwz	r0, PT_NIP(r1)
	mtspr	SPRN_MCSRR0, r0
	lwz	r0, PT_MSR(r1)
	mtspr	SPRN_MCSRR1, r0
	lwz	r0, PT_CCR(r1)
	mtcr	r0
	lwz	r0, PT_GPR(0)(r1)
	lmw	r2, PT_GPR(2)(r1)
	lwz	r1, PT_GPR(1)(r1)
	rfmci

/* ---------------------------------------------------------------------------------------- */
/*
 * struct task *switch_to(struct task *prev, struct task *next): save the callee-saved state on
 * prev's kernel stack, prev->ksp = r1, continue on next's stack where it called switch_to (or
 * at the entry point a new task's stack was prepared with). Returns prev.
 */
	.globl switch_to
switch_to:
	stwu	r1, -SWITCH_FRAME(r1)
	mflr	r0
	stw	r0, SWITCH_LR(r1)
	mfcr	r0
	stw	r0, SWITCH_CR(r1)
	stmw	r14, SWITCH_GPRS(r1)
	stw	r1, TASK_KSP(r3)
	lwz	r1, TASK_KSP(r4)
	lmw	r14, SWITCH_GPRS(r1)
	lwz	r0, SWITCH_CR(r1)
	mtcr	r0
	lwz	r0, SWITCH_LR(r1)
	mtlr	r0
	addi	r1, r1, SWITCH_FRAME
	blr

/* First run of a kernel thread: r14 = function, r15 = argument (set up by sched.c). */
	.globl kthread_start
kthread_start:
	bl	schedule_tail
	mr	r3, r15
	mtctr	r14
	bctrl
	li	r3, 0
	bl	do_exit

/* First run of a forked child: its frame (a copy of the parent's) is right above this one. */
	.globl ret_from_fork
ret_from_fork:
	bl	schedule_tail
	b	exc_return

/* ---------------------------------------------------------------------------------------- */
/* void tlb_write(int index, u32 word0, u32 word1, u32 word2, u32 tid); call with EE off */
	.globl tlb_write
tlb_write:
	mtspr	SPRN_MMUCR, r7
	tlbwe	r4, r3, 0
	tlbwe	r5, r3, 1
	tlbwe	r6, r3, 2
	isync
	blr

/* int tlb_search(u32 ea, u32 tid): index of the entry translating ea for TID tid, or -1 */
	.globl tlb_search
tlb_search:
	mtspr	SPRN_MMUCR, r4
	isync
	tlbsx.	r5, 0, r3
	li	r3, -1
	bnelr
	mr	r3, r5
	blr

/* ---------------------------------------------------------------------------------------- */
/*
 * User FP state: void fp_save(struct fp_state *), void fp_load(const struct fp_state *).
 * 32 doublewords of FPRs then the FPSCR in the low word of a 33rd. MSR[FP] is turned on for the
 * duration (the kernel itself never uses the FPU: it is built with -msoft-float).
 */
	.globl fp_save
fp_save:
	mfmsr	r5
	ori	r6, r5, MSR_FP
	mtmsr	r6
	isync
	stfd	f0, 0(r3)
	stfd	f1, 8(r3)
	stfd	f2, 16(r3)
	stfd	f3, 24(r3)
	stfd	f4, 32(r3)
	stfd	f5, 40(r3)
	stfd	f6, 48(r3)
	stfd	f7, 56(r3)
	stfd	f8, 64(r3)
	stfd	f9, 72(r3)
	stfd	f10, 80(r3)
	stfd	f11, 88(r3)
	stfd	f12, 96(r3)
	stfd	f13, 104(r3)
	stfd	f14, 112(r3)
	stfd	f15, 120(r3)
	stfd	f16, 128(r3)
	stfd	f17, 136(r3)
	stfd	f18, 144(r3)
	stfd	f19, 152(r3)
	stfd	f20, 160(r3)
	stfd	f21, 168(r3)
	stfd	f22, 176(r3)
	stfd	f23, 184(r3)
	stfd	f24, 192(r3)
	stfd	f25, 200(r3)
	stfd	f26, 208(r3)
	stfd	f27, 216(r3)
	stfd	f28, 224(r3)
	stfd	f29, 232(r3)
	stfd	f30, 240(r3)
	stfd	f31, 248(r3)
	mffs	f0
	stfd	f0, 256(r3)
	lfd	f0, 0(r3)
	mtmsr	r5
	isync
	blr

	.globl fp_load
fp_load:
	mfmsr	r5
	ori	r6, r5, MSR_FP
	mtmsr	r6
	isync
	lfd	f0, 256(r3)
	mtfsf	0xff, f0
	lfd	f0, 0(r3)
	lfd	f1, 8(r3)
	lfd	f2, 16(r3)
	lfd	f3, 24(r3)
	lfd	f4, 32(r3)
	lfd	f5, 40(r3)
	lfd	f6, 48(r3)
	lfd	f7, 56(r3)
	lfd	f8, 64(r3)
	lfd	f9, 72(r3)
	lfd	f10, 80(r3)
	lfd	f11, 88(r3)
	lfd	f12, 96(r3)
	lfd	f13, 104(r3)
	lfd	f14, 112(r3)
	lfd	f15, 120(r3)
	lfd	f16, 128(r3)
	lfd	f17, 136(r3)
	lfd	f18, 144(r3)
	lfd	f19, 152(r3)
	lfd	f20, 160(r3)
	lfd	f21, 168(r3)
	lfd	f22, 176(r3)
	lfd	f23, 184(r3)
	lfd	f24, 192(r3)
	lfd	f25, 200(r3)
	lfd	f26, 208(r3)
	lfd	f27, 216(r3)
	lfd	f28, 224(r3)
	lfd	f29, 232(r3)
	lfd	f30, 240(r3)
	lfd	f31, 248(r3)
	mtmsr	r5
	isync
	blr

/* ---------------------------------------------------------------------------------------- */
	.section .bss
	.align 4
exc_scratch:
	.space 16
crit_scratch:
	.space 16
	.align 4
crit_stack:
	.space 4096
crit_stack_top:

/* ---------------------------------------------------------------------------------------- */
/*
 * u32 dcr_read(u32 dcrn), void dcr_write(u32 dcrn, u32 value): the DCR number is encoded in the
 * instruction, so run-time numbers (from the device tree's dcr-reg) go through a table of
 * mfdcr/blr and mtdcr/blr pairs, one per DCR 0..511. Out of range: read 0, write ignored.
 */
#define DCR_TABLE_SIZE 512
	.text
	.globl dcr_read
dcr_read:
	cmplwi	r3, DCR_TABLE_SIZE
	bge	1f
	lis	r4, mfdcr_table@ha
	addi	r4, r4, mfdcr_table@l
	slwi	r3, r3, 3
	add	r4, r4, r3
	mtctr	r4
	bctr
1:	li	r3, 0
	blr

	.globl dcr_write
dcr_write:
	cmplwi	r3, DCR_TABLE_SIZE
	bgelr
	lis	r5, mtdcr_table@ha
	addi	r5, r5, mtdcr_table@l
	slwi	r3, r3, 3
	add	r5, r5, r3
	mtctr	r5
	bctr

	.align 3
mfdcr_table:
	.set	dcrn, 0
	.rept	DCR_TABLE_SIZE
	mfdcr	r3, dcrn
	blr
	.set	dcrn, dcrn + 1
	.endr

	.align 3
mtdcr_table:
	.set	dcrn, 0
	.rept	DCR_TABLE_SIZE
	mtdcr	dcrn, r4
	blr
	.set	dcrn, dcrn + 1
	.endr

/* void tlb_invalidate_range(int first, int count): clear V in entries first..first+count-1 */
	.text
	.globl tlb_invalidate_range
tlb_invalidate_range:
	mtctr	r4
	li	r5, 0
1:	tlbwe	r5, r3, 0
	addi	r3, r3, 1
	bdnz	1b
	isync
	blr

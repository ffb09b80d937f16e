/*
 * Start-up for the bare-metal tests. Entered in the state QEMU's bamboo `-kernel` boot (and
 * hv440's) leaves: MSR = 0, r1 = 0x00FFFFF8, r3 = device tree, TLB #0 = EA 0 -> PA 0 and
 * #1 = EA 0x80000000 -> PA 0x80000000 (2 GiB each, supervisor RWX), all others invalid.
 *
 *  1. clear .bss, set up our own stack (r1 from the boot state is not used);
 *  2. unless the program defines the symbol `bare_keep_boot_tlb`, replace the two boot entries
 *     (2 GiB is not a 440 page size, and entry #1 would shadow every test mapping above 2 GiB)
 *     with architecturally valid ones and invalidate entries 2..63:
 *        #0  EA 0x00000000 -> PA 0x0_00000000, 256 MiB, TS 0, TID 0, UX UW UR SX SW SR
 *        #1  EA 0xEF600000 -> PA 0x0_EF600000, 4 KiB,   TS 0, TID 0, I G, SW SR  (UARTs)
 *     Entry #0 keeps mapping the code that runs while it is rewritten (same EA -> PA): word 0
 *     is written first, so the boot entry's size is replaced before anything else changes.
 *     The tests never create an entry that overlaps these two for the same TS/TID.
 *  3. bare_init() (vectors, UART), main(), bare_finish() (prints DONE and stops via DBCR0).
 */
#include "ppc440.h"
#include "board.h"

	.section .text.start, "ax"
	.globl	_start
_start:
	mr	%r31, %r3			/* device tree pointer */

	/* clear .bss (word aligned by the linker script) */
	lis	%r4, __bss_start@ha
	addi	%r4, %r4, __bss_start@l
	lis	%r5, __bss_end@ha
	addi	%r5, %r5, __bss_end@l
	li	%r0, 0
1:	cmplw	%r4, %r5
	bge	2f
	stw	%r0, 0(%r4)
	addi	%r4, %r4, 4
	b	1b
2:
	lis	%r1, __stack_top@ha
	addi	%r1, %r1, __stack_top@l
	stwu	%r0, -16(%r1)			/* terminate the back chain */

	lis	%r4, bare_dtb@ha
	stw	%r31, bare_dtb@l(%r4)

	.weak	bare_keep_boot_tlb
	lis	%r4, bare_keep_boot_tlb@ha
	addi	%r4, %r4, bare_keep_boot_tlb@l
	cmpwi	%r4, 0
	bne	3f

	li	%r0, 0
	mtspr	SPR_MMUCR, %r0			/* STID = 0, STS = 0 */
	mtspr	SPR_PID, %r0

	/* #0: rewrite in place, word 0 first (the 2 GiB boot size becomes 256 MiB; EPN, RPN and
	 * the supervisor permissions stay, so the running code stays mapped after every step) */
	li	%r4, TLBI_RAM
	li	%r5, TLB0_V | TLB0_SIZE(TLB_256M)
	tlbwe	%r5, %r4, 0
	li	%r5, 0
	tlbwe	%r5, %r4, 1
	li	%r5, TLB2_ALLPERM
	tlbwe	%r5, %r4, 2
	isync

	/* #1: invalidate, then the I/O page */
	li	%r4, TLBI_IO
	li	%r5, 0
	tlbwe	%r5, %r4, 0
	lis	%r5, IO_PAGE_BASE@h
	tlbwe	%r5, %r4, 1
	li	%r5, TLB2_I | TLB2_G | TLB2_SW | TLB2_SR
	tlbwe	%r5, %r4, 2
	lis	%r5, IO_PAGE_BASE@h
	ori	%r5, %r5, TLB0_V | TLB0_SIZE(TLB_4K)
	tlbwe	%r5, %r4, 0

	/* #2..#63: invalid */
	li	%r4, 2
	li	%r5, 0
4:	tlbwe	%r5, %r4, 0
	addi	%r4, %r4, 1
	cmpwi	%r4, 64
	blt	4b
	isync
3:
	bl	bare_init
	mr	%r3, %r31
	bl	main
	bl	bare_finish
5:	b	5b

	.section .note.GNU-stack, "", @progbits

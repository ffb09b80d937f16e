/*
 * Reproducer: SRR1 of an interrupt that ends a wait state (MSR[WE]).
 *
 * The 440 manual (UM ch.6) saves the MSR at the interrupt in SRR1: an interrupt that wakes the
 * core from a wait state entered with `mtmsr` (MSR[WE|EE]) therefore has SRR1[WE] = 1 (that is
 * why Linux's 4xx exception prologue, and hv440-kernel's exc_restore, clear MSR[WE] in the saved
 * MSR before returning). The program waits for a DEC interrupt and prints SRR1:
 *   expected (manual, and hv440 bare, and QEMU):  SRR1=00049000
 * Bamboo boot state; prints on UART0 by polling; stops through DBCR0[RST].
 */
#include "ppc.h"

#define UART0 0xef600300

	.text
/* linked at 0x10000 (64 KiB aligned): the vectors come first, so IVPR = the start of .text */
vectors:
dec_vector:
	mfspr	r3, SPRN_SRR1
	bl	print

	.globl _start
_start:
	lis	r4, vectors@h
	mtspr	SPRN_IVPR, r4
	li	r4, dec_vector - vectors
	mtspr	SPRN_IVOR0 + IV_DEC, r4
	lis	r4, TSR_DIS@h
	mtspr	SPRN_TSR, r4
	li	r4, 2000
	mtspr	SPRN_DEC, r4
	lis	r4, TCR_DIE@h
	mtspr	SPRN_TCR, r4
	lis	r4, (MSR_WE | MSR_EE | MSR_ME)@h
	ori	r4, r4, (MSR_WE | MSR_EE | MSR_ME)@l
	mtmsr	r4                          /* wait for the DEC */
	isync
	b	.

/* r3 = value: prints "SRR1=xxxxxxxx\n" */
print:
	lis	r5, UART0@h
	ori	r5, r5, UART0@l
	li	r6, 'S'
	bl	putc
	li	r6, 'R'
	bl	putc
	bl	putc
	li	r6, '1'
	bl	putc
	li	r6, '='
	bl	putc
	li	r7, 8
1:	rlwinm	r3, r3, 4, 0, 31
	andi.	r6, r3, 15
	cmpwi	r6, 10
	blt	2f
	addi	r6, r6, 'a' - '0' - 10
2:	addi	r6, r6, '0'
	bl	putc
	addi	r7, r7, -1
	cmpwi	r7, 0
	bne	1b
	li	r6, '\n'
	bl	putc
	lis	r4, DBCR0_RST_SYSTEM@h
	mtspr	SPRN_DBCR0, r4
	b	.

putc:	lbz	r8, 5(r5)                   /* LSR[THRE] */
	andi.	r8, r8, 0x20
	beq	putc
	stb	r6, 0(r5)
	blr

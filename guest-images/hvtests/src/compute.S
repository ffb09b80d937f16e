/*
 * compute.S — a compute-bound guest kernel: sdbm hashes over a 4 KiB buffer, hash of hash, 2000
 * passes (about 41 M instructions), nothing privileged inside the loop. For bench/hv.bench.ts:
 * virtualized speed against bare metal when the guest does not trap. Runs on QEMU's bamboo boot
 * TLB; stops through DBCR0[RST].
 */
	.section .text
	.globl	_start
_start:
	lis	r3, buf@h
	ori	r3, r3, buf@l
	li	r4, 1024		/* fill the buffer with a pattern */
	mtctr	r4
	mr	r5, r3
	lis	r6, 0x9e37
	ori	r6, r6, 0x79b9
1:	stw	r6, 0(r5)
	rotlwi	r6, r6, 5
	addi	r6, r6, 7
	addi	r5, r5, 4
	bdnz	1b
	li	r7, 0			/* hash */
	li	r8, 2000		/* passes */
2:	li	r4, 4096
	mtctr	r4
	mr	r5, r3
3:	lbz	r9, 0(r5)		/* h = c + (h << 6) + (h << 16) - h */
	slwi	r10, r7, 6
	slwi	r11, r7, 16
	add	r10, r10, r11
	subf	r10, r7, r10
	add	r7, r9, r10
	addi	r5, r5, 1
	bdnz	3b
	stw	r7, 0(r3)		/* hash of hash */
	addi	r8, r8, -1
	cmpwi	r8, 0
	bne	2b
	lis	r4, result@h
	ori	r4, r4, result@l
	stw	r7, 0(r4)
	lis	r4, 0x3000
	mtspr	308, r4			/* DBCR0[RST]: stop */
9:	b	9b

	.section .data
	.balign	4096
buf:	.space	4096
result:	.long	0

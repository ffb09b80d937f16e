/*
 * privloop.S — a guest kernel doing nothing but privileged instructions: 100000 iterations of
 * mfspr SPRG0, mtspr SPRG1, mfmsr, wrteei 0 (400000 lightweight exits: EMULINST, EMULINST,
 * EMUL_MFMSR, EMUL_CORE). For bench/hv.bench.ts: the host cost of one emulated instruction.
 * Runs on QEMU's bamboo boot TLB; stops through DBCR0[RST].
 */
	.section .text
	.globl	_start
_start:
	lis	r4, 100000@h
	ori	r4, r4, 100000@l
	mtctr	r4
1:	mfsprg	r5, 0
	mtsprg	1, r5
	mfmsr	r6
	wrteei	0
	bdnz	1b
	lis	r4, 0x3000
	mtspr	308, r4			/* DBCR0[RST]: stop */
9:	b	9b

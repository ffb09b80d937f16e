/*
 * exits.S — a targeted guest for the hypervisor: provokes every exit type the seed's tables
 * name (privileged instructions of each emulation subtype, DCR and MMIO accesses, guest and
 * shadow TLB misses for data and instructions, system calls, program/FP-unavailable/alignment/
 * DSI/ISI/machine-check interrupts, a DEC interrupt waking the wait state, user mode) and
 * records each interrupt it takes as a letter. The record line is the same bare and virtualized:
 * that is the test. Bamboo boot state as QEMU sets it up; stops through DBCR0.
 *
 * Letters: M machine check, D data storage, I instruction storage, A alignment, P program
 * (followed by l/p/t for illegal/privileged/trap), F FP unavailable, S system call, T decrementer,
 * d data TLB miss, i instruction TLB miss, ? anything else.
 */
	.set	UART, 0xef600300
	.set	SCRATCH_PA, 0x00200000	/* RAM page the DTLB handler maps faulting pages to */

	.section .text
	.globl	_start
_start:
	/* our own TLB: entry 0 = 16 MiB at 0 (all permissions), entry 1 = the UART page */
	li	r0, 0
	mtspr	946, r0			/* MMUCR: STID 0 */
	li	r4, 0
	lis	r5, 0x0000
	ori	r5, r5, 0x0270		/* EPN 0 | V | SIZE 16M */
	tlbwe	r5, r4, 0
	li	r5, 0
	tlbwe	r5, r4, 1
	li	r5, 0x3f		/* UX UW UR SX SW SR */
	tlbwe	r5, r4, 2
	li	r4, 1
	lis	r5, 0xef60
	ori	r5, r5, 0x0210		/* EPN 0xEF600000 | V | 4K */
	tlbwe	r5, r4, 0
	lis	r5, 0xef60
	tlbwe	r5, r4, 1
	li	r5, 0x0503		/* I | G | SW | SR */
	tlbwe	r5, r4, 2
	isync
	lis	r30, UART@h
	ori	r30, r30, UART@l
	lis	r29, record@h		/* r29: where the next letter goes */
	ori	r29, r29, record@l

	/* vectors: IVPR = 0x00010000, IVORn = 0x1000 + 0x40 * n */
	lis	r4, 0x0001
	mtspr	63, r4
	li	r4, 0x1000
	mtspr	400, r4
	addi	r4, r4, 0x40
	mtspr	401, r4
	addi	r4, r4, 0x40
	mtspr	402, r4
	addi	r4, r4, 0x40
	mtspr	403, r4
	addi	r4, r4, 0x40
	mtspr	404, r4
	addi	r4, r4, 0x40
	mtspr	405, r4
	addi	r4, r4, 0x40
	mtspr	406, r4
	addi	r4, r4, 0x40
	mtspr	407, r4
	addi	r4, r4, 0x40
	mtspr	408, r4
	addi	r4, r4, 0x40
	mtspr	409, r4
	addi	r4, r4, 0x40
	mtspr	410, r4
	addi	r4, r4, 0x40
	mtspr	411, r4
	addi	r4, r4, 0x40
	mtspr	412, r4
	addi	r4, r4, 0x40
	mtspr	413, r4
	addi	r4, r4, 0x40
	mtspr	414, r4
	addi	r4, r4, 0x40
	mtspr	415, r4
	li	r4, 0x1000		/* MSR = ME */
	mtmsr	r4

	lis	r3, msg_begin@h
	ori	r3, r3, msg_begin@l
	bl	puts

	/* ---- one of each emulation subtype ---- */
	mfmsr	r4			/* EMUL_MFMSR */
	mtmsr	r4			/* EMUL_MTMSR */
	wrteei	0			/* EMUL_CORE */
	wrtee	r4			/* EMUL_CORE */
	mfspr	r5, 272			/* SPRG0: EMULINST */
	mtspr	273, r5			/* SPRG1: EMULINST */
	mfspr	r5, 62			/* ESR: EMUL_MFSPR */
	li	r5, 0
	mtspr	48, r5			/* PID: EMUL_MTSPR */
	li	r6, 0
	tlbsx	r7, 0, r6		/* EMUL_TLBSX */
	li	r6, 1
	tlbre	r7, r6, 0		/* tlbre: EMULINST */
	mfdcr	r7, 0xc0		/* UIC0 SR: DCR */
	li	r7, 0x40
	mtdcr	0x0c, r7		/* CPR0 address: in-kernel, EMULINST */
	mfdcr	r7, 0x0d
	tlbsync				/* EMULINST */
	iccci	0, r0			/* EMULINST */
	lis	r4, 1f@h
	ori	r4, r4, 1f@l
	mtspr	26, r4
	mfmsr	r4
	mtspr	27, r4
	rfi				/* EMUL_RFI */
1:
	/* ---- system call ---- */
	sc				/* SYSCALL */

	/* ---- data TLB: no guest entry (DTLBREAL), then the handler's entry (DTLBVIRT) ---- */
	lis	r4, 0x4000
	lwz	r5, 0(r4)
	stw	r5, 4(r4)

	/* ---- instruction TLB: no guest entry (ITLBREAL), then mapped to `stub` (ITLBVIRT) ---- */
	lis	r4, 0x5000
	mtctr	r4
	bctrl

	/* ---- FP unavailable (MSR[FP]=0) ---- */
	lfd	f1, -8(r1)

	/* ---- program: trap, illegal ---- */
	li	r5, 1
	tweq	r5, r5
	.long	0x00000000		/* illegal */

	/* ---- alignment: misaligned lwarx ---- */
	addi	r4, r1, -7
	lwarx	r5, 0, r4

	/* ---- wait state woken by the decrementer ---- */
	li	r4, 20000
	mtspr	22, r4			/* DEC */
	lis	r4, 0x0400		/* TCR[DIE] */
	mtspr	340, r4
	lis	r4, 0x0004		/* WE */
	ori	r4, r4, 0x9000		/* EE | ME */
	mtmsr	r4			/* EMUL_WAIT until DEC */

	/* ---- user mode: a privileged instruction, a store to a supervisor page, sc back ---- */
	lis	r4, user1@h
	ori	r4, r4, user1@l
	mtspr	26, r4
	li	r4, 0x5000		/* PR | ME */
	mtspr	27, r4
	rfi
back1:
	/* ---- instruction storage: user fetch from a page without UX ---- */
	li	r4, 11
	lis	r5, 0x6000
	ori	r5, r5, 0x0210
	tlbwe	r5, r4, 0
	lis	r5, stub@h
	ori	r5, r5, stub@l
	tlbwe	r5, r4, 1
	li	r5, 0x0005		/* SX | SR: no UX */
	tlbwe	r5, r4, 2
	isync
	lis	r4, back2@h
	ori	r4, r4, back2@l
	stw	r4, recover@l(0)
	lis	r4, 0x6000
	mtspr	26, r4
	li	r4, 0x5000
	mtspr	27, r4
	rfi
back2:
	/* ---- machine check: instruction fetch from a page mapped to no device ---- */
	li	r4, 12
	lis	r5, 0x7000
	ori	r5, r5, 0x0210
	tlbwe	r5, r4, 0
	lis	r5, 0xe000
	tlbwe	r5, r4, 1
	li	r5, 0x0005
	tlbwe	r5, r4, 2
	isync
	lis	r4, back3@h
	ori	r4, r4, back3@l
	stw	r4, recover@l(0)
	lis	r4, 0x7000
	mtctr	r4
	bctr
back3:
	/* ---- report ---- */
	li	r4, 0
	stb	r4, 0(r29)
	lis	r3, msg_record@h
	ori	r3, r3, msg_record@l
	bl	puts
	lis	r3, record@h
	ori	r3, r3, record@l
	bl	puts
	li	r3, 10
	bl	putc
	lis	r4, 0x3000
	mtspr	308, r4			/* DBCR0[RST]: stop */
9:	b	9b

user1:
	mfmsr	r5			/* privileged at PR=1: program (USR_PR_INST) */
	stw	r5, 0(r30)		/* user store to the supervisor-only UART page: DSI */
	sc				/* back to supervisor (the handler clears PR) */
	b	back1

/* ---- console ---- */
putc:	lbz	r0, 5(r30)
	andi.	r0, r0, 0x20
	beq	putc
	stb	r3, 0(r30)
	blr
puts:	mflr	r12
	mr	r11, r3
1:	lbz	r3, 0(r11)
	cmpwi	r3, 0
	beq	2f
	bl	putc
	addi	r11, r11, 1
	b	1b
2:	mtlr	r12
	blr

/* record(letter in r0): append to the record */
	.macro	note c
	li	r0, \c
	stb	r0, 0(r29)
	addi	r29, r29, 1
	.endm

/* ---- interrupt vectors (IVPR 0x10000 + 0x1000 + 0x40 n) ---- */
	.org	0x1000
v0:	note '?'			/* critical input */
	b	halt
	.org	0x1040
v1:	note 'M'			/* machine check: resume at `recover` */
	lwz	r0, recover@l(0)
	mtspr	570, r0
	rfmci
	.org	0x1080
v2:	note 'D'			/* data storage: skip the access */
	b	skip
	.org	0x10c0
v3:	note 'I'			/* instruction storage: back to supervisor at `recover` */
	b	resume
	.org	0x1100
v4:	note '?'
	b	halt
	.org	0x1140
v5:	note 'A'			/* alignment: skip */
	b	skip
	.org	0x1180
v6:	b	program
	.org	0x11c0
v7:	note 'F'			/* FP unavailable: enable FP and retry */
	mfspr	r0, 27
	ori	r0, r0, 0x2000
	mtspr	27, r0
	rfi
	.org	0x1200
v8:	note 'S'			/* system call: return in supervisor mode */
	mfspr	r0, 27
	rlwinm	r0, r0, 0, 18, 16	/* clear PR (0x4000) */
	mtspr	27, r0
	rfi
	.org	0x1240
v9:	note '?'
	b	halt
	.org	0x1280
v10:	note 'T'			/* decrementer: ack, disable, leave the wait state */
	lis	r0, 0x0800
	mtspr	336, r0
	li	r0, 0
	mtspr	340, r0
	mfspr	r0, 27
	rlwinm	r0, r0, 0, 14, 12	/* clear WE (0x40000) */
	mtspr	27, r0
	rfi
	.org	0x12c0
v11:	note '?'
	b	halt
	.org	0x1300
v12:	note '?'
	b	halt
	.org	0x1340
v13:	note 'd'			/* data TLB miss: map the page to SCRATCH_PA in entry 10 */
	b	dtlb
	.org	0x1380
v14:	note 'i'			/* instruction TLB miss: map the page to `stub` in entry 10 */
	b	itlb
	.org	0x13c0
v15:	note '?'
	b	halt

program:
	mfspr	r0, 62			/* ESR: PIL 0x08000000, PPR 0x04000000, PTR 0x02000000 */
	andis.	r0, r0, 0x0800
	bne	1f
	mfspr	r0, 62
	andis.	r0, r0, 0x0400
	bne	2f
	note 'P'
	note 't'
	b	skip
1:	note 'P'
	note 'l'
	b	skip
2:	note 'P'
	note 'p'
	b	skip
skip:	mfspr	r0, 26
	addi	r0, r0, 4
	mtspr	26, r0
	rfi
resume:	lwz	r0, recover@l(0)
	mtspr	26, r0
	mfspr	r0, 27
	rlwinm	r0, r0, 0, 18, 16	/* clear PR */
	mtspr	27, r0
	rfi
dtlb:	mtsprg3	r4
	mtsprg2	r5
	li	r4, 10
	mfspr	r5, 61			/* DEAR */
	rlwinm	r5, r5, 0, 0, 19
	ori	r5, r5, 0x0210
	tlbwe	r5, r4, 0
	lis	r5, SCRATCH_PA@h
	tlbwe	r5, r4, 1
	li	r5, 0x001b		/* UW UR SW SR */
	tlbwe	r5, r4, 2
	mfsprg3	r4
	mfsprg2	r5
	rfi
itlb:	mtsprg3	r4
	mtsprg2	r5
	li	r4, 10
	mfspr	r5, 26			/* SRR0 */
	rlwinm	r5, r5, 0, 0, 19
	ori	r5, r5, 0x0210
	tlbwe	r5, r4, 0
	lis	r5, stub@h
	ori	r5, r5, stub@l
	tlbwe	r5, r4, 1
	li	r5, 0x0025		/* UX SX SR */
	tlbwe	r5, r4, 2
	mfsprg3	r4
	mfsprg2	r5
	rfi
halt:	lis	r3, msg_bad@h
	ori	r3, r3, msg_bad@l
	bl	puts
	lis	r4, 0x3000
	mtspr	308, r4
	b	halt

	.balign	4096
stub:	blr				/* what the ITLB handler maps at 0x50000000 */

	.section .data
	.balign	4
recover: .long	0
msg_begin: .asciz "exits: begin\n"
msg_record: .asciz "exits: "
msg_bad: .asciz "\nexits: unexpected interrupt\n"
record:	.space	64

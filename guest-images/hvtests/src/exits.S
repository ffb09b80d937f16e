/*
 * exits.S — a targeted guest for the hypervisor: provokes every exit type the seed's tables
 * name (each privileged instruction of each emulation subtype, DCR and MMIO accesses in every
 * load/store form class, guest and shadow TLB misses for data and instructions, system calls,
 * program / FP-unavailable / alignment / DSI / ISI / machine-check interrupts, a decrementer
 * interrupt while running and one waking the wait state, a device interrupt, privileged
 * instructions from user mode) and records each interrupt it takes as a letter, and the values
 * the emulated instructions produced as hex words. Both lines are the same bare and virtualized:
 * that is the equivalence test; test/hv/exits.test.ts also checks which row each labelled
 * instruction (x_* symbols) is counted in. Bamboo boot state as QEMU sets it up; stops through
 * DBCR0[RST].
 *
 * Letters: M machine check, D data storage, I instruction storage, A alignment, P program
 * (followed by l/p/t for illegal/privileged/trap), F FP unavailable, S system call,
 * T decrementer, E external input, d data TLB miss, i instruction TLB miss, ? anything else.
 *
 * Registers: r30 UART0, r29 next letter, r28 flag set by the asynchronous handlers, r27 next
 * value slot. Handlers clobber r0 (and SPRG2/SPRG3 as scratch) and never touch CR, so the main
 * line keeps r0 and CR out of anything an interrupt can cut in two.
 */
	.set	UART, 0xef600300
	.set	SCRATCH_PA, 0x00200000	/* RAM page the DTLB handler maps faulting pages to */
	.set	NO_DEVICE, 0xe0000000	/* physical page nobody decodes: bus error */
	.set	UIC0_SR, 0xc0
	.set	UIC0_ER, 0xc2

	/* append a letter to the record */
	.macro	note c
	li	r0, \c
	stb	r0, 0(r29)
	addi	r29, r29, 1
	.endm

	/* append register \r to the values */
	.macro	value r
	stw	\r, 0(r27)
	addi	r27, r27, 4
	.endm

	/* label an instruction for the test (global so it is in the symbol table) */
	.macro	at name
	.globl	\name
\name:
	.endm

	.section .text
	.globl	_start
_start:
	b	main

/* ---- interrupt vectors: IVPR = 0x00010000, IVORn = 0x100 + 0x40 n ---- */
	.org	0x100
v0:	note '?'			/* critical input */
	b	halt
	.org	0x140
v1:	note 'M'			/* machine check: resume at `recover` */
	mtsprg	2, r4
	lis	r4, recover@ha
	lwz	r4, recover@l(r4)
	mtspr	570, r4			/* MCSRR0 */
	mfsprg	r4, 2
	rfmci
	.org	0x180
v2:	note 'D'			/* data storage: skip the access */
	b	skip
	.org	0x1c0
v3:	note 'I'			/* instruction storage: back to supervisor at `recover` */
	b	resume
	.org	0x200
v4:	note 'E'			/* external input (UART0 through UIC0): quiesce, set the flag */
	b	external
	.org	0x240
v5:	note 'A'			/* alignment: skip */
	b	skip
	.org	0x280
v6:	b	program
	.org	0x2c0
v7:	note 'F'			/* FP unavailable: enable FP and retry */
	mfspr	r0, 27
	ori	r0, r0, 0x2000
	mtspr	27, r0
	rfi
	.org	0x300
v8:	note 'S'			/* system call: return in supervisor mode */
	mfspr	r0, 27
	rlwinm	r0, r0, 0, 18, 16	/* clear PR (0x4000) */
	mtspr	27, r0
	rfi
	.org	0x340
v9:	note '?'
	b	halt
	.org	0x380
v10:	note 'T'			/* decrementer: ack, disable, leave the wait state, flag */
	b	decrementer
	.org	0x3c0
v11:	note '?'
	b	halt
	.org	0x400
v12:	note '?'
	b	halt
	.org	0x440
v13:	note 'd'			/* data TLB miss: map the page to SCRATCH_PA in entry 10 */
	b	dtlb
	.org	0x480
v14:	note 'i'			/* instruction TLB miss: map the page to `stub` in entry 10 */
	b	itlb
	.org	0x4c0
v15:	note '?'
	b	halt

program:
	mtsprg	2, r4
	mfspr	r4, 62			/* ESR: PIL 0x08000000, PPR 0x04000000, PTR 0x02000000 */
	rlwinm	r4, r4, 7, 29, 31	/* PIL PPR PTR -> 4 2 1 (rlwinm, not andi.: CR stays) */
	note	'P'
	li	r0, 't'
	cmpwi	cr1, r4, 2
	blt	cr1, 1f
	li	r0, 'p'
	beq	cr1, 1f
	li	r0, 'l'
1:	stb	r0, 0(r29)
	addi	r29, r29, 1
	mfsprg	r4, 2
	b	skip
skip:	mtsprg	2, r4			/* resume after the interrupted instruction */
	mfspr	r4, 26
	addi	r4, r4, 4
	mtspr	26, r4
	mfsprg	r4, 2
	rfi
resume:	mtsprg	2, r4			/* supervisor, at `recover` */
	lis	r4, recover@ha
	lwz	r4, recover@l(r4)
	mtspr	26, r4
	mfsprg	r4, 2
	mfspr	r0, 27
	rlwinm	r0, r0, 0, 18, 16	/* clear PR */
	mtspr	27, r0
	rfi
decrementer:
	lis	r0, 0x0800		/* TSR[DIS] */
	mtspr	336, r0
	li	r0, 0
	mtspr	340, r0			/* TCR = 0 */
	mfspr	r0, 27
	rlwinm	r0, r0, 0, 14, 12	/* clear WE (0x40000) */
	mtspr	27, r0
	li	r28, 1
	rfi
external:
	lbz	r0, 0(r30)		/* RBR: the byte comes back, the FIFO is empty */
	li	r0, 0
	stb	r0, 1(r30)		/* IER = 0: the line drops, the level input clears in SR */
	mtdcr	UIC0_ER, r0
	lis	r0, 0x8000
	mtdcr	UIC0_SR, r0
	li	r28, 1
	rfi
dtlb:	mtsprg	3, r4
	mtsprg	2, r5
	li	r4, 10
	mfspr	r5, 61			/* DEAR */
	rlwinm	r5, r5, 0, 0, 19
	ori	r5, r5, 0x0210
	tlbwe	r5, r4, 0
	lis	r5, SCRATCH_PA@h
	tlbwe	r5, r4, 1
	li	r5, 0x001b		/* UW UR SW SR */
	tlbwe	r5, r4, 2
	mfsprg	r4, 3
	mfsprg	r5, 2
	rfi
itlb:	mtsprg	3, r4
	mtsprg	2, r5
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
	mfsprg	r4, 3
	mfsprg	r5, 2
	rfi
halt:	lis	r3, msg_bad@h
	ori	r3, r3, msg_bad@l
	bl	puts
	lis	r4, 0x3000
	mtspr	308, r4
	b	halt

main:
	/* our own TLB: entry 0 = 16 MiB at 0 (all permissions), entry 1 = the UART page */
	li	r4, 0
	at	x_mtmmucr
	mtspr	946, r4			/* MMUCR: STID 0 (EMUL_MTSPR) */
	lis	r5, 0x0000
	ori	r5, r5, 0x0270		/* EPN 0 | V | SIZE 16M */
	at	x_tlbwe
	tlbwe	r5, r4, 0		/* EMUL_TLBWE */
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
	lis	r29, record@h
	ori	r29, r29, record@l
	lis	r27, values@h
	ori	r27, r27, values@l

	lis	r4, 0x0001
	mtspr	63, r4			/* IVPR */
	li	r4, 0x100		/* IVOR0..15 */
	mtspr	400, r4
	li	r4, 0x140
	mtspr	401, r4
	li	r4, 0x180
	mtspr	402, r4
	li	r4, 0x1c0
	mtspr	403, r4
	li	r4, 0x200
	mtspr	404, r4
	li	r4, 0x240
	mtspr	405, r4
	li	r4, 0x280
	mtspr	406, r4
	li	r4, 0x2c0
	mtspr	407, r4
	li	r4, 0x300
	mtspr	408, r4
	li	r4, 0x340
	mtspr	409, r4
	li	r4, 0x380
	mtspr	410, r4
	li	r4, 0x3c0
	mtspr	411, r4
	li	r4, 0x400
	mtspr	412, r4
	li	r4, 0x440
	mtspr	413, r4
	li	r4, 0x480
	mtspr	414, r4
	li	r4, 0x4c0
	at	x_mtivor
	mtspr	415, r4			/* EMUL_MTSPR */
	li	r4, 0x1000		/* MSR = ME */
	mtmsr	r4

	lis	r3, msg_begin@h
	ori	r3, r3, msg_begin@l
	bl	puts

	/* ---- one of each emulation subtype (guest supervisor mode) ---- */
	at	x_mfmsr
	mfmsr	r4			/* EMUL_MFMSR */
	value	r4
	at	x_mtmsr
	mtmsr	r4			/* EMUL_MTMSR */
	at	x_wrteei
	wrteei	0			/* EMUL_CORE */
	at	x_wrtee
	wrtee	r4			/* EMUL_CORE */
	at	x_mfsprg
	mfspr	r5, 272			/* SPRG0: EMULINST */
	at	x_mtsprg
	mtspr	273, r5			/* SPRG1: EMULINST */
	at	x_mfpvr
	mfspr	r5, 287			/* PVR: EMULINST */
	value	r5
	at	x_mfesr
	mfspr	r5, 62			/* ESR: EMUL_MFSPR */
	at	x_mfpir
	mfspr	r5, 286			/* PIR: EMUL_MFSPR */
	value	r5
	li	r5, 0
	at	x_mtpid
	mtspr	48, r5			/* PID: EMUL_MTSPR */
	lis	r6, 0x0001
	at	x_tlbsx
	tlbsx	r7, 0, r6		/* EMUL_TLBSX: hits entry 0 */
	value	r7
	lis	r6, 0x4000
	at	x_tlbsxdot
	tlbsx.	r7, 0, r6		/* EMUL_TLBSX: misses, CR0[EQ] clear */
	mfcr	r8
	value	r7
	value	r8
	li	r6, 1
	at	x_tlbre
	tlbre	r7, r6, 0		/* tlbre: EMULINST (KVM never emulated it) */
	mfspr	r8, 946
	value	r7
	value	r8
	at	x_mfdcr
	mfdcr	r7, UIC0_ER		/* UIC0 ER: DCR (the device model) */
	value	r7
	li	r7, 0x40
	at	x_mtdcr_cpr
	mtdcr	0x0c, r7		/* CPR0 address: in-kernel, EMULINST */
	at	x_mfdcr_cpr
	mfdcr	r7, 0x0d		/* CPR0 data: in-kernel, EMULINST */
	value	r7
	at	x_tlbsync
	tlbsync				/* EMULINST */
	at	x_iccci
	iccci	0, r0			/* EMULINST */
	at	x_dccci
	dccci	0, r0			/* EMULINST (KVM never emulated it) */
	lis	r6, record@h
	ori	r6, r6, record@l
	at	x_dcbi
	dcbi	0, r6			/* EMULINST */
	li	r7, -1
	at	x_dcread
	dcread	r7, 0, r6		/* EMULINST: no cache arrays, reads 0 */
	value	r7
	at	x_icread
	icread	0, r6			/* EMULINST */
	lis	r4, 1f@h
	ori	r4, r4, 1f@l
	mtspr	26, r4
	mfmsr	r4
	mtspr	27, r4
	at	x_rfi
	rfi				/* EMUL_RFI */
1:	lis	r4, 1f@h
	ori	r4, r4, 1f@l
	mtspr	58, r4			/* CSRR0 */
	mfmsr	r4
	mtspr	59, r4			/* CSRR1 */
	at	x_rfci
	rfci				/* EMUL_RFI (KVM 2.6.29 never emulated it) */
1:	lis	r4, 1f@h
	ori	r4, r4, 1f@l
	mtspr	570, r4			/* MCSRR0 */
	mfmsr	r4
	mtspr	571, r4			/* MCSRR1 */
	at	x_rfmci
	rfmci				/* EMUL_RFI */
1:
	/* ---- MMIO in each form class: update (EA into RA), indexed, byte-reversed, algebraic ---- */
	mr	r6, r30
	li	r5, 0x5a
	at	x_stbu
	stbu	r5, 7(r6)		/* SCR := 0x5a, r6 := UART + 7 */
	at	x_lbz
	lbz	r7, 0(r6)
	li	r8, -4
	at	x_lbzux
	lbzux	r9, r6, r8		/* LCR, r6 := UART + 3 */
	subf	r10, r30, r6
	value	r7
	value	r9
	value	r10
	li	r5, 0x1234
	li	r8, 6
	at	x_sthbrx
	sthbrx	r5, r30, r8		/* MSR (ignored) := 0x34, SCR := 0x12 */
	li	r8, 7
	at	x_lbzx
	lbzx	r7, r30, r8
	value	r7
	lis	r5, 0x0102
	ori	r5, r5, 0x0384
	li	r8, 4
	at	x_stwbrx
	stwbrx	r5, r30, r8		/* MCR := 0x84 & 0x1f, LSR/MSR ignored, SCR := 0x01 */
	at	x_lwbrx
	lwbrx	r7, r30, r8		/* MCR LSR MSR SCR, reversed */
	value	r7
	li	r5, 0
	stb	r5, 4(r30)		/* MCR = 0 */
	at	x_lha
	lha	r7, 6(r30)		/* MSR:SCR, sign-extended */
	value	r7

	/* ---- system call ---- */
	at	x_sc
	sc				/* SYSCALL */

	/* ---- data TLB: no guest entry (DTLBREAL); the handler's tlbwe maps the page at once ---- */
	lis	r4, 0x4000
	at	x_dtlb
	lwz	r5, 0(r4)
	stw	r5, 4(r4)
	/* ---- a guest entry (the 16 MiB one) but no shadow yet for this page: DTLBVIRT ---- */
	lis	r4, 0x0030
	at	x_dtlbvirt
	lwz	r5, 0(r4)

	/* ---- instruction TLB: no guest entry (ITLBREAL); the handler maps `stub` at once ---- */
	lis	r4, 0x5000
	mtctr	r4
	bctrl
	/* ---- code in a page of the 16 MiB entry not yet shadowed: ITLBVIRT ---- */
	bl	far

	/* ---- FP unavailable (MSR[FP]=0) ---- */
	at	x_fp
	lfd	f1, -8(r1)

	/* ---- program from the guest kernel: trap, illegal (reflected, counted EMULINST) ---- */
	li	r5, 1
	at	x_trap
	tweq	r5, r5
	at	x_illegal
	.long	0x00000000

	/* ---- alignment: misaligned lwarx ---- */
	addi	r4, r1, -7
	at	x_align
	lwarx	r5, 0, r4

	/* ---- a decrementer interrupt while the guest runs ---- */
	li	r28, 0
	li	r4, 1000
	mtspr	22, r4			/* DEC */
	lis	r4, 0x0400		/* TCR[DIE] */
	mtspr	340, r4
	wrteei	1
1:	cmpwi	r28, 0
	beq	1b
	wrteei	0

	/* ---- a device interrupt: UART0 loopback, receive timeout (4 character times) ---- */
	li	r5, 0x83
	stb	r5, 3(r30)		/* LCR: DLAB, 8N1 */
	li	r5, 1
	stb	r5, 0(r30)		/* DLL = 1: fast characters */
	li	r5, 0
	stb	r5, 1(r30)		/* DLM = 0 */
	li	r5, 0x03
	stb	r5, 3(r30)		/* LCR: 8N1 */
	li	r5, 0x41
	stb	r5, 2(r30)		/* FCR: FIFO on, trigger 4 bytes */
	li	r5, 0x10
	stb	r5, 4(r30)		/* MCR: loopback */
	li	r5, 0x01
	stb	r5, 1(r30)		/* IER: received data (and timeout) */
	lis	r5, 0xffff
	ori	r5, r5, 0xffff
	mtdcr	UIC0_SR, r5
	lis	r5, 0x8000
	mtdcr	UIC0_ER, r5		/* UIC0 input 0 = UART0 */
	li	r28, 0
	wrteei	1
	li	r5, 'x'
	stb	r5, 0(r30)		/* one byte, below the trigger: the timeout will fire */
1:	cmpwi	r28, 0
	beq	1b
	wrteei	0
	li	r5, 0
	stb	r5, 4(r30)		/* MCR = 0 */
	stb	r5, 2(r30)		/* FCR = 0 */

	/* ---- wait state woken by the decrementer ---- */
	lis	r4, 0x0010		/* 1 M ticks: 1.6 ms */
	mtspr	22, r4
	lis	r4, 0x0400
	mtspr	340, r4
	lis	r4, 0x0004		/* WE */
	ori	r4, r4, 0x9000		/* EE | ME */
	at	x_wait
	mtmsr	r4			/* EMUL_WAIT until DEC */
	wrteei	0

	/* ---- a long wait: the device model's 100 ms kick arrives while the vCPU is blocked ---- */
	lis	r4, 0x0600		/* 100.7 M ticks: 151 ms */
	mtspr	22, r4
	lis	r4, 0x0400
	mtspr	340, r4
	lis	r4, 0x0004
	ori	r4, r4, 0x9000
	at	x_wait_long
	mtmsr	r4			/* EMUL_WAIT, overridden by SIGNAL when the kick comes */
	at	x_wait_long_next
	wrteei	0

	/* ---- pure guest computation: TIMEINGUEST ---- */
	lis	r4, 0x0002		/* 131072 iterations */
	mtctr	r4
	li	r5, 0
	at	x_compute
1:	addi	r5, r5, 3
	bdnz	1b

	/* ---- user mode: privileged instructions, a store to a supervisor page, sc back ---- */
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
	lis	r5, recover@ha
	stw	r4, recover@l(r5)
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
	lis	r5, NO_DEVICE@h
	tlbwe	r5, r4, 1
	li	r5, 0x0005
	tlbwe	r5, r4, 2
	isync
	lis	r4, back3@h
	ori	r4, r4, back3@l
	lis	r5, recover@ha
	stw	r4, recover@l(r5)
	lis	r4, 0x7000
	mtctr	r4
	bctr
back3:
	/* ---- machine check: data read from a page mapped to no device ---- */
	li	r4, 13
	lis	r5, 0x7100
	ori	r5, r5, 0x0210
	tlbwe	r5, r4, 0
	lis	r5, NO_DEVICE@h
	tlbwe	r5, r4, 1
	li	r5, 0x0503		/* I | G | SW | SR */
	tlbwe	r5, r4, 2
	isync
	lis	r4, back4@h
	ori	r4, r4, back4@l
	lis	r5, recover@ha
	stw	r4, recover@l(r5)
	lis	r4, 0x7100
	at	x_mcheck_data
	lwz	r5, 0(r4)
back4:
	/* ---- report ---- */
	li	r4, 0
	stb	r4, 0(r29)
	lis	r3, msg_record@h
	ori	r3, r3, msg_record@l
	bl	puts
	lis	r3, record@h
	ori	r3, r3, record@l
	bl	puts
	lis	r3, msg_values@h
	ori	r3, r3, msg_values@l
	bl	puts
	lis	r26, values@h
	ori	r26, r26, values@l
1:	cmpw	r26, r27
	bge	2f
	li	r3, ' '
	bl	putc
	lwz	r3, 0(r26)
	bl	puthex
	addi	r26, r26, 4
	b	1b
2:	li	r3, 10
	bl	putc
	lis	r4, 0x3000
	mtspr	308, r4			/* DBCR0[RST]: stop */
9:	b	9b

user1:
	at	u_mfmsr
	mfmsr	r5			/* privileged at PR=1: program, never emulated (USR_PR_INST) */
	at	u_mtsprg
	mtspr	272, r5
	at	u_wrteei
	wrteei	1
	li	r4, 0
	at	u_tlbwe
	tlbwe	r5, r4, 0		/* emulated, this would wipe entry 0 */
	at	u_mfdcr
	mfdcr	r5, UIC0_ER
	at	u_rfi
	rfi
	at	u_dsi
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
puthex:	mflr	r10			/* r3 as 8 hex digits */
	mr	r9, r3
	li	r8, 8
	mtctr	r8
1:	rotlwi	r9, r9, 4
	andi.	r3, r9, 15
	cmpwi	r3, 10
	blt	2f
	addi	r3, r3, 'a' - 10 - '0'
2:	addi	r3, r3, '0'
	bl	putc
	bdnz	1b
	mtlr	r10
	blr

	.balign	4096
stub:	blr				/* what the ITLB handler maps at 0x50000000 */
	.balign	4096
	.globl	far
far:	blr				/* alone in its page */
	.balign	4096

	.section .data
	.balign	4
recover: .long	0
msg_begin: .asciz "exits: begin\n"
msg_record: .asciz "exits: "
msg_values: .asciz "\nvalues:"
msg_bad: .asciz "\nexits: unexpected interrupt\n"
	.balign	4
values:	.space	128
record:	.space	64

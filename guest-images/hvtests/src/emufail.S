/*
 * emufail.S — a guest kernel that does something the hypervisor cannot emulate: a load/store
 * multiple (stmw) on a device page. Bare metal completes it (the bus takes the words); under
 * --mode virt the MMIO path has no emulation for it (KVM had none either), so the VM stops with
 * an "emulation failed" report and a non-zero exit. Used by test/hv/cli.test.ts.
 */
	.set	UART, 0xef600300

	.section .text
	.globl	_start
_start:
	li	r4, 1			/* guest TLB entry 1: the UART page, supervisor read/write */
	li	r0, 0
	mtspr	946, r0
	lis	r5, 0xef60
	ori	r5, r5, 0x0210
	tlbwe	r5, r4, 0
	lis	r5, 0xef60
	tlbwe	r5, r4, 1
	li	r5, 0x0503
	tlbwe	r5, r4, 2
	isync
	li	r4, 0x1000		/* MSR = ME */
	mtmsr	r4
	lis	r30, UART@h
	ori	r30, r30, UART@l
	lis	r3, msg_begin@h
	ori	r3, r3, msg_begin@l
	bl	puts
	li	r31, 0
	.globl	x_stmw
x_stmw:
	stmw	r31, 4(r30)		/* MCR LSR MSR SCR := 0: fine on the bus, not emulable as MMIO */
	lis	r3, msg_end@h
	ori	r3, r3, msg_end@l
	bl	puts
	lis	r4, 0x3000
	mtspr	308, r4			/* DBCR0[RST]: stop */
9:	b	9b

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

	.section .data
msg_begin: .asciz "emufail: begin\n"
msg_end: .asciz "emufail: end\n"

/*
 * Kernel entry from the bamboo boot state (QEMU's `-kernel`, which hv440 reproduces):
 * PC = physical address of _start, MSR = 0, r1 = 16 MiB - 8, r3 = device tree (physical),
 * TLB entry 0 maps EA 0..2 GiB and entry 1 EA 2..4 GiB 1:1 (supervisor RWX, TID 0, TS 0).
 *
 * 1. Invalidate every TLB entry but #0 (we execute from it; #1 covers KERNELBASE).
 * 2. Bolt EA KERNELBASE -> PA 0 (256 MiB, supervisor RWX) in slot 63.
 * 3. rfi to the linked address, drop entry #0, clear .bss, set up the idle task's stack.
 * 4. start_kernel(dtb physical address). The rest of lowmem is bolted from C once the device
 *    tree has told us the memory size.
 */
#include "ppc.h"
#include "mm.h"

	.section .text.head, "ax"
	.globl _start
_start:
	mr	r31, r3                         /* device tree, physical */
	li	r0, 0
	mtspr	SPRN_MMUCR, r0
	li	r4, 1
1:	tlbwe	r0, r4, 0                       /* word 0 = 0: invalid */
	addi	r4, r4, 1
	cmpwi	r4, TLB_ENTRIES
	blt	1b
	isync

	li	r4, TLB_ENTRIES - 1
	lis	r5, KERNELBASE@h
	ori	r5, r5, TLB0_V | TLB0_SIZE_256M
	tlbwe	r5, r4, 0
	li	r5, 0                           /* RPN 0, ERPN 0 */
	tlbwe	r5, r4, 1
	li	r5, TLB2_SX | TLB2_SW | TLB2_SR
	tlbwe	r5, r4, 2
	isync

	lis	r4, start_virtual@h
	ori	r4, r4, start_virtual@l
	mtspr	SPRN_SRR0, r4
	li	r4, MSR_KERNEL
	mtspr	SPRN_SRR1, r4
	rfi

start_virtual:
	li	r0, 0
	li	r4, 0
	tlbwe	r0, r4, 0                       /* the boot entry: user space starts empty */
	isync

	lis	r3, __bss_start@ha
	addi	r3, r3, __bss_start@l
	lis	r4, __bss_end@ha
	addi	r4, r4, __bss_end@l
	li	r0, 0
2:	cmplw	r3, r4
	bge	3f
	stw	r0, 0(r3)
	addi	r3, r3, 4
	b	2b

3:	lis	r1, init_stack_top@ha
	addi	r1, r1, init_stack_top@l
	li	r0, 0
	stwu	r0, -16(r1)                     /* null back chain ends stack traces */
	mr	r3, r31
	bl	start_kernel
4:	b	4b

	.section .bss
	.align 12
	.globl init_stack
init_stack:
	.space 8192
	.globl init_stack_top
init_stack_top:

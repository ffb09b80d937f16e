/*
 * Interrupt frame layout shared by vectors.S and the C runtime. One frame per interrupt class
 * (non-critical, critical, machine check), at the top of that class's own stack.
 */
#ifndef BARE_FRAME_H
#define BARE_FRAME_H

#define F_GPR      0      /* r0..r31: 32 words; r1 = the interrupted r1 */
#define F_CR       128
#define F_LR       132
#define F_CTR      136
#define F_XER      140
#define F_ID       144    /* stub id: 0..15 = IVOR number, 16..31 = stubs installed at run time */
#define F_CLASS    148    /* CLASS_NC / CLASS_CRIT / CLASS_MC */
#define F_SRR0     152
#define F_SRR1     156
#define F_CSRR0    160
#define F_CSRR1    164
#define F_MCSRR0   168
#define F_MCSRR1   172
#define F_ESR      176
#define F_DEAR     180
#define F_MSR      184    /* MSR at handler entry */
#define F_MCSR     188    /* MCSR (machine-check class only, else 0) */
#define F_RET_PC   192    /* where to return (set by the C dispatcher) */
#define F_RET_MSR  196    /* MSR to return with */
#define F_SIZE     208

#define CLASS_NC   0
#define CLASS_CRIT 1
#define CLASS_MC   2

/* Bytes of each class's interrupt stack (frame at the top, C stack below it). */
#define EXC_STACK_SIZE 8192

/* r0 value that marks the `sc` with which run_as() returns to supervisor state. */
#define RUN_AS_MAGIC 0x52554E41  /* "RUNA" */

#endif

/*
 * The exception frame (struct pt_regs): everything entry.S saves on an interrupt. From user mode
 * it sits at the top of the task's kernel stack (task->regs); from kernel mode it is pushed below
 * the interrupted stack pointer. The first two words are an ABI stack frame header (back chain,
 * LR save slot), so C code can be called with r1 pointing at the frame.
 */
#ifndef REGS_H
#define REGS_H

#define PT_GPR0   8
#define PT_GPR(n) (8 + 4 * (n))
#define PT_NIP    136
#define PT_MSR    140
#define PT_CTR    144
#define PT_LR     148
#define PT_XER    152
#define PT_CCR    156
#define PT_DEAR   160
#define PT_ESR    164
#define PT_TRAP   168
#define PT_SIZE   176

/* PT_TRAP: IVOR number, plus this flag when entry.S also captured DEAR and ESR. */
#define TRAP_HAS_DEAR_ESR 0x100

#ifndef __ASSEMBLER__
#include "types.h"

struct pt_regs {
	u32 backchain;
	u32 lrsave;
	u32 gpr[32];
	u32 nip, msr, ctr, lr, xer, ccr;
	u32 dear, esr;
	u32 trap;
	u32 orig_gpr3;   /* system calls: r3 as it came in (for SA_RESTART) */
};
STATIC_ASSERT(offsetof(struct pt_regs, gpr) == PT_GPR0);
STATIC_ASSERT(offsetof(struct pt_regs, nip) == PT_NIP);
STATIC_ASSERT(offsetof(struct pt_regs, ccr) == PT_CCR);
STATIC_ASSERT(offsetof(struct pt_regs, trap) == PT_TRAP);
STATIC_ASSERT(sizeof(struct pt_regs) == PT_SIZE);

static inline bool user_mode(const struct pt_regs *r) { return (r->msr & 0x4000) != 0; }
#endif
#endif

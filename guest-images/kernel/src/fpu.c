/*
 * Lazy FP: a process runs with MSR[FP]=0 until it executes an FP instruction. The FP
 * unavailable interrupt then gives it the FPU: the previous owner's registers are saved into
 * its task and its user MSR[FP] is cleared (so it traps again when it next uses FP), this
 * task's registers are loaded and its MSR[FP] set. A context switch itself moves no FP state;
 * only a change of owner does.
 */
#include "kernel.h"
#include "ppc.h"
#include "sched.h"
#include "fpu.h"

static struct task *fpu_owner;

void fp_unavailable(struct pt_regs *regs)
{
	if (fpu_owner != current) {
		if (fpu_owner) {
			fp_save(&fpu_owner->fp);
			fpu_owner->regs->msr &= ~MSR_FP;
		}
		fp_load(&current->fp);
		fpu_owner = current;
	}
	current->used_fp = true;
	regs->msr |= MSR_FP;
}

void fpu_flush(struct task *t)
{
	if (fpu_owner == t) fp_save(&t->fp);
}

void fpu_release(struct task *t)
{
	if (fpu_owner == t) fpu_owner = NULL;
}

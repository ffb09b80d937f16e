/*
 * What every interrupt does (called from entry.S with the frame). Faults in user mode become
 * signals (SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGFPE): delivered to a handler if the process has
 * one, else the process is killed with a console message and the kernel goes on. Faults in
 * kernel mode are bugs: panic with the registers.
 */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "sched.h"
#include "mmu.h"
#include "irq.h"
#include "timer.h"
#include "fpu.h"
#include "syscall.h"
#include "console.h"

static const char *const vector_names[16] = {
	"critical input", "machine check", "data storage", "instruction storage", "external input",
	"alignment", "program", "FP unavailable", "system call", "AP unavailable", "decrementer",
	"fixed-interval timer", "watchdog", "data TLB error", "instruction TLB error", "debug",
};

static NORETURN void kernel_fault(struct pt_regs *regs, const char *what)
{
	irq_disable();
	console_sync();
	printk("Oops: %s (%s interrupt) in kernel mode at 0x%08x, task %s[%d]\n", what,
	       vector_names[regs->trap & 15], regs->nip, current->comm, current->pid);
	show_regs(regs);
	panic("fatal exception in kernel mode");
}

static void page_fault(struct pt_regs *regs, u32 addr, int access)
{
	if (!user_mode(regs)) kernel_fault(regs, "unable to handle kernel paging request");
	irq_enable();
	struct mm *mm = current->mm;
	int r = mm ? handle_mm_fault(mm, addr, access) : -EFAULT;
	if (r == 0) {
		tlb_preload(mm, addr);
		return;
	}
	if (r == -ENOMEM) {
		printk("Out of memory: killed process %d (%s)\n", current->pid, current->comm);
		do_exit(SIGKILL);
	}
	bool mapped = mm && vma_find(mm, addr);
	const char *what = access == ACC_EXEC ? (mapped ? "exec of non-executable page" : "exec of unmapped address")
			 : access == ACC_WRITE ? (mapped ? "write to read-only page" : "write to unmapped address")
			 : (mapped ? "read of unreadable page" : "read of unmapped address");
	force_fault_signal(regs, SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, addr, what);
}

static void program_check(struct pt_regs *regs)
{
	u32 esr = regs->esr;
	if (!user_mode(regs)) kernel_fault(regs, (esr & ESR_PTR) ? "trap" : "illegal or privileged instruction");
	irq_enable();
	/* Like Linux, emulate user-mode mfspr rD,PVR (glibc reads the PVR at start-up). */
	u32 insn;
	if ((esr & ESR_PPR) && copy_from_user(&insn, regs->nip, 4) == 0 && (insn & 0xfc1fffff) == 0x7c1f42a6) {
		regs->gpr[(insn >> 21) & 31] = mfspr(SPRN_PVR);
		regs->nip += 4;
		return;
	}
	if (esr & ESR_PTR)
		force_fault_signal(regs, SIGTRAP, TRAP_BRKPT, regs->nip, "trap instruction");
	else if (esr & ESR_PPR)
		force_fault_signal(regs, SIGILL, ILL_PRVOPC, regs->nip, "privileged instruction");
	else if (esr & (ESR_PIL | ESR_PUO))
		force_fault_signal(regs, SIGILL, ILL_ILLOPC, regs->nip, "illegal instruction");
	else if (esr & ESR_FP)
		force_fault_signal(regs, SIGFPE, FPE_FLTDIV, regs->nip, "floating-point exception");
	else
		force_fault_signal(regs, SIGILL, ILL_ILLOPC, regs->nip, "program interrupt");
}

/* ---- alignment fix-ups ---- */

/* Single to double as an FP load does it (Power ISA Book I, "Floating-Point Load"). */
static u64 single_to_double(u32 w)
{
	u32 exp = (w >> 23) & 0xff, frac = w & 0x7fffff;
	u64 sign = (u64)(w >> 31) << 63;
	if (exp == 0 && frac != 0) {   /* denormal: normalise */
		int e = -126;
		u64 f = (u64)frac << 29;  /* 52-bit fraction, leading bit implicit after normalising */
		while (!(f & (1ull << 52))) { f <<= 1; e--; }
		return sign | ((u64)(e + 1023) << 52) | (f & ((1ull << 52) - 1));
	}
	u64 hi2 = (u64)(w >> 30) << 62;                   /* WORD[0:1] */
	u64 b = (w >> 30) & 1;                            /* WORD[1] */
	u64 rep = (exp == 0 || exp == 255) ? b : !b;      /* FRT[2:4] */
	return hi2 | (rep * (7ull << 59)) | ((u64)(w & 0x3fffffff) << 29);
}

/* Double to single as an FP store does it ("Floating-Point Store"): no rounding. */
static u32 double_to_single(u64 d)
{
	u32 exp = (u32)(d >> 52) & 0x7ff;
	if (exp > 896 || exp == 0 || exp == 0x7ff)
		return (u32)((d >> 62) << 30) | (u32)((d >> 29) & 0x3fffffff);
	if (exp >= 874) {   /* a single-precision denormal */
		u64 frac = (1ull << 52) | (d & ((1ull << 52) - 1));
		int e = (int)exp - 1023;
		while (e < -126) { frac >>= 1; e++; }
		return (u32)((d >> 63) << 31) | (u32)((frac >> 29) & 0x7fffff);
	}
	return (u32)((d >> 63) << 31);   /* too small: architecturally undefined, store zero */
}

/*
 * Like Linux's fix_alignment on the 440: an FP load or store that crosses a 16-byte boundary
 * takes an alignment interrupt; do it through the page tables. Anything else (lwarx, stwcx.,
 * dcbz on a W/I page, ...) gets SIGBUS.
 */
static bool fix_alignment(struct pt_regs *regs)
{
	u32 insn;
	if (copy_from_user(&insn, regs->nip, 4)) return false;
	u32 op = insn >> 26, rt = (insn >> 21) & 31, ra = (insn >> 16) & 31, rb = (insn >> 11) & 31, xo = (insn >> 1) & 1023;
	bool load, dbl, update, indexed = false;
	if (op >= 48 && op <= 55) {           /* lfs lfsu lfd lfdu stfs stfsu stfd stfdu */
		load = op < 52;
		dbl = (op & 2) != 0;
		update = (op & 1) != 0;
	} else if (op == 31 && (xo == 535 || xo == 567 || xo == 599 || xo == 631 || xo == 663 || xo == 695 || xo == 727 || xo == 759)) {
		load = xo < 663;                  /* lfsx lfsux lfdx lfdux / stfsx stfsux stfdx stfdux */
		dbl = (xo & 64) != 0;
		update = (xo & 32) != 0;
		indexed = true;
	} else {
		return false;
	}
	u32 base = ra == 0 && !update ? 0 : regs->gpr[ra];
	u32 ea = base + (indexed ? regs->gpr[rb] : (u32)(s32)(s16)(insn & 0xffff));
	fpu_flush(current);   /* the task owns the FPU: it just executed an FP instruction */
	u64 *fr = &current->fp.fpr[rt];
	if (load) {
		if (dbl) {
			if (copy_from_user(fr, ea, 8)) return false;
		} else {
			u32 w;
			if (copy_from_user(&w, ea, 4)) return false;
			*fr = single_to_double(w);
		}
		fp_load(&current->fp);
	} else if (dbl) {
		if (copy_to_user(ea, fr, 8)) return false;
	} else {
		u32 w = double_to_single(*fr);
		if (copy_to_user(ea, &w, 4)) return false;
	}
	if (update) regs->gpr[ra] = ea;
	regs->nip += 4;
	return true;
}

void exception_dispatch(struct pt_regs *regs)
{
	int vec = regs->trap & 0xff;
	bool user = user_mode(regs);
	switch (vec) {
	case IV_EXTERNAL:
		irq_count++;
		do_irq(regs);
		return;
	case IV_DEC:
		irq_count++;
		timer_interrupt(regs);
		return;
	case IV_FIT:
		irq_count++;
		fit_count++;
		mtspr(SPRN_TSR, TSR_FIS);
		return;
	case IV_SYSCALL:
		if (!user) kernel_fault(regs, "system call");
		irq_enable();
		do_syscall(regs);
		return;
	case IV_DTLB:
	case IV_DSI:
		page_fault(regs, regs->dear, (regs->esr & ESR_ST) ? ACC_WRITE : ACC_READ);
		return;
	case IV_ITLB:
	case IV_ISI:
		page_fault(regs, regs->nip, ACC_EXEC);
		return;
	case IV_ALIGN:
		if (!user) kernel_fault(regs, "unaligned access");
		irq_enable();
		if (!fix_alignment(regs)) force_fault_signal(regs, SIGBUS, BUS_ADRALN, regs->dear, "alignment");
		return;
	case IV_PROGRAM:
		program_check(regs);
		return;
	case IV_FPUNAVAIL:
		if (!user) kernel_fault(regs, "FP instruction");
		fp_unavailable(regs);
		return;
	case IV_APUNAVAIL:
		if (!user) kernel_fault(regs, "AP instruction");
		irq_enable();
		force_fault_signal(regs, SIGILL, ILL_ILLOPC, regs->nip, "auxiliary processor instruction");
		return;
	default:
		kernel_fault(regs, "unexpected interrupt");
	}
}

/* Critical class and machine check (entry.S crit_entry), on their own static stack. */
void critical_dispatch(struct pt_regs *regs)
{
	static u32 watchdog_reports;
	switch (regs->trap & 0xff) {
	case IV_MCHECK:
		console_sync();
		printk("Machine check at 0x%08x (MCSR %08x), task %s[%d]\n", regs->nip, mfspr(SPRN_MCSR), current->comm, current->pid);
		show_regs(regs);
		panic("machine check");
	case IV_WATCHDOG:
		mtspr(SPRN_TSR, TSR_ENW | TSR_WIS);
		if (watchdog_reports++ == 0) printk("watchdog interrupt (ignored)\n");
		return;
	case IV_DEBUG:
		mtspr(SPRN_DBSR, mfspr(SPRN_DBSR));
		return;
	default:
		console_sync();
		printk("critical input interrupt at 0x%08x\n", regs->nip);
		panic("unexpected critical interrupt");
	}
}

/* Before returning to user mode (entry.S, EE off): reschedule, deliver signals. */
void user_return_work(struct pt_regs *regs)
{
	for (;;) {
		if (need_resched) {
			schedule();
			continue;
		}
		if (signal_pending()) {
			irq_enable();
			do_signals(regs);
			irq_disable();
			continue;
		}
		break;
	}
	need_work = 0;
}

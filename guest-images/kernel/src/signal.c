/*
 * Signals: dispositions (rt_sigaction), masks, sending (kill, tgkill, faults) and delivery.
 *
 * Default actions: SIGCHLD, SIGCONT, SIGURG, SIGWINCH are ignored, the stop signals too (there
 * is no job control); everything else terminates the process. A fault (SIGSEGV, SIGBUS, SIGILL,
 * SIGTRAP, SIGFPE) that is blocked, ignored or has no handler kills the process with a console
 * message, like Linux's "unhandled signal" report.
 *
 * A handler gets Linux's 32-bit rt signal frame (siginfo + ucontext with the registers and FP
 * state, PowerPC ABI offsets) on the user stack (or the alternate stack); it returns through a
 * two-instruction trampoline ("li r0,__NR_rt_sigreturn; sc") on a per-process read-only
 * executable page, which plays the part of the vDSO's __kernel_sigtramp_rt32.
 */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "sched.h"
#include "signal.h"
#include "mmu.h"
#include "alloc.h"
#include "fpu.h"
#include "syscall.h"

#define SIGNAL_FRAMESIZE 64
#define FRAME_SIZE 1536       /* struct rt_sigframe: siginfo 128, ucontext 1184, ABI gap 224 */
#define UC 128                /* offset of the ucontext in the frame */
#define UC_STACK 8
#define UC_REGS 48
#define UC_SIGMASK 52
#define UC_MCONTEXT 192
#define MC_FREGS 192
#define MC_PAD 456
#define SS_ONSTACK 1
#define SS_DISABLE 2

static const char *const names[32] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
	"SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
	"SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

const char *signal_name(int sig)
{
	return sig > 0 && sig < 32 ? names[sig] : "SIGRT";
}

static bool default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH || sig == SIGSTOP ||
	       sig == SIGTSTP || sig == 21 || sig == 22;
}


void send_signal(struct task *t, int sig)
{
	if (sig < 1 || sig > NSIG || t->state == TASK_ZOMBIE) return;
	/* like Linux, an ignored signal that is not blocked is dropped at once (so that it cannot
	 * interrupt a system call) */
	struct k_sigaction *ka = &t->sigact[sig];
	if (!(t->sig_blocked & sigbit(sig)) && sig != SIGKILL &&
	    (ka->handler == SIG_IGN || (ka->handler == SIG_DFL && default_ignored(sig))))
		return;
	u32 f = irq_save();
	t->sig_pending |= sigbit(sig);
	if (t == current) need_work = 1;
	/* interrupt an interruptible sleep so the signal is seen */
	if (t->state == TASK_SLEEPING && (t->sig_pending & ~t->sig_blocked)) {
		t->state = TASK_RUNNING;
		t->wchan = NULL;
	}
	irq_restore(f);
	t->siginfo[sig] = (struct sig_info){ 0, 0, current->pid };
}

static NORETURN void kill_with_report(struct pt_regs *regs, int sig, int code, u32 addr, const char *what)
{
	printk("%s[%d]: segfault: unhandled signal %d (%s) at 0x%08x nip 0x%08x lr 0x%08x code %d (%s)\n",
	       current->comm, current->pid, sig, signal_name(sig), addr, regs->nip, regs->lr, code, what);
	do_exit(sig);
}

void force_fault_signal(struct pt_regs *regs, int sig, int code, u32 addr, const char *what)
{
	struct k_sigaction *ka = &current->sigact[sig];
	if (ka->handler == SIG_DFL || ka->handler == SIG_IGN || (current->sig_blocked & sigbit(sig)))
		kill_with_report(regs, sig, code, addr, what);
	current->sig_pending |= sigbit(sig);
	current->siginfo[sig] = (struct sig_info){ code, addr, 0 };
	need_work = 1;
}

static bool on_altstack(u32 sp)
{
	return current->sig_altstack_size && sp - current->sig_altstack_sp < current->sig_altstack_size;
}

/* Build the rt signal frame and redirect the user context to the handler. */
static bool setup_frame(struct pt_regs *regs, int sig, struct k_sigaction *ka)
{
	u32 sp = regs->gpr[1];
	if ((ka->flags & SA_ONSTACK) && current->sig_altstack_size && !on_altstack(sp))
		sp = current->sig_altstack_sp + current->sig_altstack_size;
	u32 frame = (sp - FRAME_SIZE) & ~15u;
	u32 *f = kzalloc(FRAME_SIZE);
	if (!f) return false;
	struct sig_info *si = &current->siginfo[sig];
	/* siginfo */
	f[0] = sig;
	f[2] = si->code;
	f[3] = si->pid ? (u32)si->pid : si->addr;
	/* ucontext */
	u32 *uc = f + UC / 4;
	uc[UC_STACK / 4 + 0] = current->sig_altstack_sp;
	uc[UC_STACK / 4 + 1] = !current->sig_altstack_size ? SS_DISABLE : on_altstack(regs->gpr[1]) ? SS_ONSTACK : 0;
	uc[UC_STACK / 4 + 2] = current->sig_altstack_size;
	uc[UC_REGS / 4] = frame + UC + UC_MCONTEXT;
	uc[UC_SIGMASK / 4] = (u32)current->sig_blocked;
	uc[UC_SIGMASK / 4 + 1] = (u32)(current->sig_blocked >> 32);
	u32 *mc = uc + UC_MCONTEXT / 4;
	for (int i = 0; i < 32; i++) mc[i] = regs->gpr[i];
	mc[32] = regs->nip;
	mc[33] = regs->msr;
	mc[34] = regs->gpr[3];
	mc[35] = regs->ctr;
	mc[36] = regs->lr;
	mc[37] = regs->xer;
	mc[38] = regs->ccr;
	mc[40] = regs->trap & 0xff;
	mc[41] = si->addr;
	mc[42] = regs->esr;
	fpu_flush(current);
	memcpy(mc + MC_FREGS / 4, &current->fp, sizeof current->fp);
	int e = copy_to_user(frame, f, FRAME_SIZE);
	kfree(f);
	/* the caller's frame for the handler, with a back chain to the interrupted one */
	u32 newsp = frame - (SIGNAL_FRAMESIZE + 16);
	if (!e) e = copy_to_user(newsp, &regs->gpr[1], 4);
	if (e) return false;
	regs->gpr[1] = newsp;
	regs->gpr[3] = sig;
	regs->gpr[4] = frame;
	regs->gpr[5] = frame + UC;
	regs->gpr[6] = frame;
	regs->nip = ka->handler;
	regs->lr = SIGPAGE_ADDR;
	return true;
}

long sys_rt_sigreturn(struct pt_regs *regs)
{
	u32 frame = regs->gpr[1] + SIGNAL_FRAMESIZE + 16;
	u32 mask[2], mcaddr;
	if (copy_from_user(mask, frame + UC + UC_SIGMASK, 8) || copy_from_user(&mcaddr, frame + UC + UC_REGS, 4))
		goto bad;
	u32 *mc = kmalloc(MC_PAD);
	if (!mc) goto bad;
	if (copy_from_user(mc, mcaddr, MC_PAD)) {
		kfree(mc);
		goto bad;
	}
	for (int i = 0; i < 32; i++) regs->gpr[i] = mc[i];
	regs->nip = mc[32];
	regs->ctr = mc[35];
	regs->lr = mc[36];
	regs->xer = mc[37];
	regs->ccr = mc[38];
	/* the FP state comes back through current->fp: give up the FPU so it is reloaded */
	memcpy(&current->fp, mc + MC_FREGS / 4, sizeof current->fp);
	fpu_release(current);
	regs->msr &= ~MSR_FP;
	kfree(mc);
	current->sig_blocked = ((u64)mask[1] << 32 | mask[0]) & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	need_work = 1;
	return SYSCALL_NO_RESULT;
bad:
	kill_with_report(regs, SIGSEGV, SEGV_MAPERR, frame, "bad signal frame");
}

/* Deliver (or act on) every pending, unblocked signal. */
void do_signals(struct pt_regs *regs)
{
	for (;;) {
		u64 ready = current->sig_pending & ~(current->sig_blocked & ~sigbit(SIGKILL));
		if (!ready) return;
		int sig = __builtin_ctzll(ready) + 1;
		current->sig_pending &= ~sigbit(sig);
		struct k_sigaction *ka = &current->sigact[sig];
		if (sig == SIGKILL || ka->handler == SIG_DFL) {
			if (sig != SIGKILL && default_ignored(sig)) continue;
			do_exit(sig);
		}
		if (ka->handler == SIG_IGN) continue;
		/* a system call the signal interrupted starts again after the handler (SA_RESTART) */
		if ((regs->trap & 0xff) == IV_SYSCALL && (regs->ccr & 0x10000000) && regs->gpr[3] == EINTR &&
		    (ka->flags & SA_RESTART)) {
			regs->gpr[3] = regs->orig_gpr3;
			regs->nip -= 4;
		}
		if (!setup_frame(regs, sig, ka)) {
			kill_with_report(regs, SIGSEGV, SEGV_MAPERR, regs->gpr[1], "cannot write the signal frame");
		}
		current->sig_blocked |= ka->mask;
		if (!(ka->flags & SA_NODEFER)) current->sig_blocked |= sigbit(sig);
		current->sig_blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
		if (ka->flags & SA_RESETHAND) ka->handler = SIG_DFL;
		return;   /* one frame at a time; the rest after the handler (or on the next return) */
	}
}

/* ---- system calls ---- */

long sys_rt_sigaction(int sig, u32 act, u32 oact, u32 size)
{
	if (sig < 1 || sig > NSIG || size != 8) return -EINVAL;
	struct k_sigaction *ka = &current->sigact[sig];
	if (oact) {
		u32 o[5] = { ka->handler, ka->flags, ka->restorer, (u32)ka->mask, (u32)(ka->mask >> 32) };
		if (copy_to_user(oact, o, sizeof o)) return -EFAULT;
	}
	if (act) {
		if (sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
		struct k_sigaction n;
		if (copy_from_user(&n, act, sizeof n)) return -EFAULT;
		/* the mask arrives as two 32-bit words, signals 1-32 first */
		u32 w[2];
		memcpy(w, (u8 *)&n + offsetof(struct k_sigaction, mask), 8);
		n.mask = ((u64)w[1] << 32) | w[0];
		*ka = n;
		if (ka->handler == SIG_IGN) current->sig_pending &= ~sigbit(sig);
	}
	return 0;
}

long sys_rt_sigprocmask(int how, u32 set, u32 oset, u32 size)
{
	if (size != 8) return -EINVAL;
	u32 old[2] = { (u32)current->sig_blocked, (u32)(current->sig_blocked >> 32) };
	if (set) {
		u32 w[2];
		if (copy_from_user(w, set, 8)) return -EFAULT;
		u64 m = ((u64)w[1] << 32) | w[0];
		switch (how) {
		case 0: current->sig_blocked |= m; break;    /* SIG_BLOCK */
		case 1: current->sig_blocked &= ~m; break;   /* SIG_UNBLOCK */
		case 2: current->sig_blocked = m; break;     /* SIG_SETMASK */
		default: return -EINVAL;
		}
		current->sig_blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
		need_work = 1;
	}
	if (oset && copy_to_user(oset, old, 8)) return -EFAULT;
	return 0;
}

long sys_rt_sigpending(u32 set, u32 size)
{
	u32 w[2] = { (u32)current->sig_pending, (u32)(current->sig_pending >> 32) };
	return copy_to_user(set, w, size < 8 ? size : 8);
}

long sys_sigaltstack(u32 ss, u32 oss)
{
	if (oss) {
		u32 o[3] = { current->sig_altstack_sp, 0, current->sig_altstack_size };
		o[1] = !current->sig_altstack_size ? SS_DISABLE : on_altstack(current->regs->gpr[1]) ? SS_ONSTACK : 0;
		if (copy_to_user(oss, o, 12)) return -EFAULT;
	}
	if (ss) {
		u32 n[3];
		if (copy_from_user(n, ss, 12)) return -EFAULT;
		if (on_altstack(current->regs->gpr[1])) return -EPERM;
		if (n[1] & SS_DISABLE) {
			current->sig_altstack_sp = current->sig_altstack_size = 0;
		} else {
			if (n[2] < 2048) return -ENOMEM;
			current->sig_altstack_sp = n[0];
			current->sig_altstack_size = n[2];
		}
	}
	return 0;
}

long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > NSIG) return -EINVAL;
	int found = 0;
	for (struct task *t = task_list; t; t = t->next) {
		if (!t->mm || t->state == TASK_ZOMBIE) continue;
		if (pid > 0 ? t->pid == pid : pid == -1 ? t->pid > 1 && t != current : pid == 0 ? t == current : t->pid == -pid) {
			found++;
			if (sig) send_signal(t, sig);
		}
	}
	return found ? 0 : -ESRCH;
}

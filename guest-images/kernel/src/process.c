/* Process life cycle: fork/clone, exit, wait4. */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "sched.h"
#include "mmu.h"
#include "vfs.h"
#include "alloc.h"
#include "fpu.h"
#include "syscall.h"
#include "timer.h"
#include "console.h"

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000

#define WNOHANG 1

void prepare_fork_stack(struct task *t);

static struct task *do_fork(struct pt_regs *regs, u32 newsp)
{
	struct task *c = task_alloc();
	if (!c) return NULL;
	c->mm = mm_fork(current->mm);
	if (!c->mm) {
		task_free(c);
		return NULL;
	}
	c->pid = alloc_pid();
	c->parent = current;
	memcpy(c->comm, current->comm, sizeof c->comm);
	c->exe = current->exe ? kstrdup(current->exe) : NULL;
	fpu_flush(current);
	c->fp = current->fp;
	c->used_fp = current->used_fp;
	files_fork(c);
	memcpy(c->sigact, current->sigact, sizeof c->sigact);
	c->sig_blocked = current->sig_blocked;
	c->sig_altstack_sp = current->sig_altstack_sp;
	c->sig_altstack_size = current->sig_altstack_size;
	*c->regs = *regs;
	c->regs->gpr[3] = 0;
	c->regs->ccr &= ~0x10000000;     /* CR0[SO]: success */
	c->regs->msr &= ~MSR_FP;
	if (newsp) c->regs->gpr[1] = newsp;
	prepare_fork_stack(c);
	task_enqueue(c);
	return c;
}

long sys_fork(struct pt_regs *regs)
{
	struct task *c = do_fork(regs, 0);
	return c ? c->pid : -ENOMEM;
}

/* PowerPC clone(flags, newsp, parent_tid, tls, child_tid) (CLONE_BACKWARDS): processes only. */
long sys_clone(struct pt_regs *regs, u32 flags, u32 newsp)
{
	u32 ptid = regs->gpr[5], ctid = regs->gpr[7];
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND)) || ((flags & CLONE_VM) && !(flags & CLONE_VFORK)))
		return -EINVAL;   /* no threads */
	/* vfork (CLONE_VM | CLONE_VFORK) is done as a fork: the child gets its own copy */
	struct task *c = do_fork(regs, newsp);
	if (!c) return -ENOMEM;
	if (flags & CLONE_CHILD_SETTID) copy_to_mm(c->mm, ctid, &c->pid, 4);
	if (flags & CLONE_PARENT_SETTID) copy_to_user(ptid, &c->pid, 4);
	if (flags & CLONE_CHILD_CLEARTID) c->clear_child_tid = ctid;
	return c->pid;
}

void reparent_children(struct task *t)
{
	struct task *init = task_by_pid(1);
	for (struct task *c = task_list; c; c = c->next) {
		if (c->parent != t) continue;
		c->parent = init;
		if (c->state == TASK_ZOMBIE) wakeup(init);
	}
}

void do_exit(int status)
{
	struct task *t = current;
	if (t->pid == 1) {
		if (!console_at_line_start()) printk("\n");
		panic("Attempted to kill init! exitcode=0x%08x", status);
	}
	files_close_all();
	iput(t->cwd);
	t->cwd = NULL;
	if (t->clear_child_tid) {
		u32 zero = 0;
		copy_to_user(t->clear_child_tid, &zero, 4);
	}
	fpu_release(t);
	struct mm *mm = t->mm;
	u32 f = irq_save();
	t->mm = NULL;
	switch_mm(NULL);
	irq_restore(f);
	if (mm) mm_destroy(mm);
	reparent_children(t);
	irq_disable();
	t->exit_status = status;
	t->state = TASK_ZOMBIE;
	if (t->parent) {
		send_signal(t->parent, SIGCHLD);
		wakeup(t->parent);
	}
	schedule();
	panic("zombie %d scheduled", t->pid);
}

long sys_exit(int code) { do_exit((code & 0xff) << 8); }
long sys_exit_group(int code) { do_exit((code & 0xff) << 8); }

static void unlink_task(struct task *t)
{
	for (struct task **pp = &task_list; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			return;
		}
	}
}

long sys_wait4(int pid, u32 ustatus, int options, u32 rusage)
{
	u32 f = irq_save();
	for (;;) {
		bool have = false;
		for (struct task *t = task_list; t; t = t->next) {
			if (t->parent != current) continue;
			if (pid > 0 && t->pid != pid) continue;
			have = true;
			if (t->state != TASK_ZOMBIE) continue;
			int cpid = t->pid, status = t->exit_status;
			current->cutime += t->utime + t->cutime;
			current->cstime += t->stime + t->cstime;
			unlink_task(t);
			irq_restore(f);
			u32 ut = t->utime, st = t->stime;
			task_free(t);
			if (ustatus && copy_to_user(ustatus, &status, 4)) return -EFAULT;
			if (rusage) {
				/* struct rusage: ru_utime, ru_stime (timeval), then 14 longs */
				u32 ru[18] = { 0 };
				ru[0] = ut / HZ;
				ru[1] = (ut % HZ) * (1000000 / HZ);
				ru[2] = st / HZ;
				ru[3] = (st % HZ) * (1000000 / HZ);
				if (copy_to_user(rusage, ru, sizeof ru)) return -EFAULT;
			}
			return cpid;
		}
		if (!have) { irq_restore(f); return -ECHILD; }
		if (options & WNOHANG) { irq_restore(f); return 0; }
		if (signal_pending()) { irq_restore(f); return -EINTR; }
		sleep_on(current);
	}
}

long sys_waitpid(int pid, u32 status, int options) { return sys_wait4(pid, status, options, 0); }

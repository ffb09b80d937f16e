/*
 * Tasks and the scheduler: round-robin over all runnable tasks, 20 ms time slices, switching
 * only on the way back to user mode (need_resched) or when a task sleeps: the kernel itself is
 * not preemptible. Sleeping is "sleep on a channel" (any address); wakeup(channel) makes every
 * task sleeping on it runnable, and sleepers re-check their condition. The idle task (pid 0,
 * on the boot stack) waits with MSR[WE] when nothing is runnable.
 */
#include "kernel.h"
#include "ppc.h"
#include "sched.h"
#include "alloc.h"
#include "mmu.h"
#include "asm.h"
#include "timer.h"
#include "fpu.h"

struct task *current;
struct task *idle_task;
struct task *task_list;
volatile u32 need_work;
volatile bool need_resched;
/* The user frame of the running task (where exc_entry saves a user context). */
u32 kstack_frame;

static struct task idle_struct;
/* The lowest word of every kernel stack: schedule() checks it is still there. */
#define STACK_MAGIC 0x57acc0de
static int next_pid = 1;
extern char init_stack[];

STATIC_ASSERT(offsetof(struct task, ksp) == TASK_KSP);

void sched_init(void)
{
	idle_task = &idle_struct;
	idle_task->pid = 0;
	idle_task->state = TASK_RUNNING;
	idle_task->kstack = init_stack;
	strlcpy(idle_task->comm, "swapper", sizeof idle_task->comm);
	current = idle_task;
}

int alloc_pid(void) { return next_pid++; }

struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof *t);
	if (!t) return NULL;
	t->kstack = pages_alloc(KSTACK_SIZE / PAGE_SIZE);
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	*(u32 *)t->kstack = STACK_MAGIC;
	t->regs = (struct pt_regs *)((char *)t->kstack + KSTACK_SIZE - sizeof(struct pt_regs));
	memset(t->regs, 0, sizeof *t->regs);
	t->state = TASK_RUNNING;
	t->slice = TIMESLICE_TICKS;
	return t;
}

void task_free(struct task *t)
{
	pages_free(t->kstack, KSTACK_SIZE / PAGE_SIZE);
	kfree(t->exe);
	kfree(t->cwd_path);
	kfree(t);
}

void task_enqueue(struct task *t)
{
	struct task **pp = &task_list;
	while (*pp) pp = &(*pp)->next;
	t->next = NULL;
	*pp = t;
}

struct task *task_by_pid(int pid)
{
	for (struct task *t = task_list; t; t = t->next)
		if (t->pid == pid) return t;
	return NULL;
}

/* Prepare a new task's kernel stack so that switch_to "returns" into `entry`. */
static void prepare_stack(struct task *t, void (*entry)(void), u32 r14, u32 r15)
{
	u32 *frame = (u32 *)((char *)t->regs - SWITCH_FRAME);
	memset(frame, 0, SWITCH_FRAME);
	frame[SWITCH_LR / 4] = (u32)entry;
	frame[SWITCH_GPRS / 4 + 0] = r14;
	frame[SWITCH_GPRS / 4 + 1] = r15;
	t->ksp = (u32)frame;
}

struct task *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct task *t = task_alloc();
	if (!t) return NULL;
	t->pid = alloc_pid();
	t->parent = idle_task;
	strlcpy(t->comm, name, sizeof t->comm);
	prepare_stack(t, kthread_start, (u32)fn, (u32)arg);
	task_enqueue(t);
	return t;
}

/* A forked child resumes in ret_from_fork with its copy of the parent's user frame. */
void prepare_fork_stack(struct task *t)
{
	prepare_stack(t, ret_from_fork, 0, 0);
}

/* The first thing a new task runs (entry.S): interrupts were off across switch_to. */
void schedule_tail(struct task *prev)
{
	irq_enable();
}

void schedule(void)
{
	u32 f = irq_save();
	struct task *prev = current, *next = NULL;
	if (prev != idle_task && *(u32 *)prev->kstack != STACK_MAGIC)
		panic("kernel stack overflow in %s[%d]", prev->comm, prev->pid);
	/* round robin: the tasks after prev, then from the start of the list back to prev */
	struct task *start = (prev == idle_task || !prev->next) ? task_list : prev->next;
	struct task *t = start;
	if (t) {
		do {
			if (t->state == TASK_RUNNING) { next = t; break; }
			t = t->next ? t->next : task_list;
		} while (t != start);
	}
	if (!next) next = idle_task;
	need_resched = false;
	if (next != prev) {
		next->slice = TIMESLICE_TICKS;
		switch_mm(next->mm);
		kstack_frame = (u32)next->regs;
		current = next;
		need_work = 1;            /* let the next return to user look at signals */
		switch_to(prev, next);
	}
	irq_restore(f);
}

void sleep_on(const void *chan)
{
	current->wchan = chan;
	current->state = TASK_SLEEPING;
	schedule();
	current->wchan = NULL;
}

void wakeup(const void *chan)
{
	u32 f = irq_save();
	for (struct task *t = task_list; t; t = t->next) {
		if (t->state == TASK_SLEEPING && t->wchan == chan) {
			t->state = TASK_RUNNING;
			t->wchan = NULL;
		}
	}
	irq_restore(f);
}

bool signal_pending(void)
{
	return (current->sig_pending & ~(current->sig_blocked & ~sigbit(SIGKILL))) != 0;
}

bool sleep_until(u64 tb)
{
	bool ok = true;
	u32 f = irq_save();
	current->wake_tb = tb;
	while (get_tb() < tb) {
		if (signal_pending()) { ok = false; break; }
		sleep_on(&current->wake_tb);
	}
	current->wake_tb = 0;
	irq_restore(f);
	return ok;
}

void sched_tick(bool user)
{
	struct task *c = current;
	if (c != idle_task) {
		if (user) c->utime++; else c->stime++;
		if (--c->slice <= 0) {
			need_resched = true;
			need_work = 1;
		}
	}
	u64 now = 0;
	for (struct task *t = task_list; t; t = t->next) {
		if (t->state == TASK_SLEEPING && t->wake_tb) {
			if (!now) now = get_tb();
			if (now >= t->wake_tb) {
				t->state = TASK_RUNNING;
				t->wchan = NULL;
			}
		}
	}
}

static bool any_runnable(void)
{
	for (struct task *t = task_list; t; t = t->next)
		if (t->state == TASK_RUNNING) return true;
	return false;
}

void cpu_idle(void)
{
	for (;;) {
		irq_disable();
		if (any_runnable()) {
			schedule();
			continue;
		}
		/* wait for an interrupt: EE and WE together; the interrupt returns here with WE cleared */
		mtmsr(mfmsr() | MSR_EE | MSR_WE);
	}
}

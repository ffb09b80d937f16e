/* Tasks and the scheduler (sched.c), process life cycle (process.c). */
#ifndef SCHED_H
#define SCHED_H
#include "types.h"
#include "regs.h"
#include "signal.h"

struct mm;
struct file;
struct inode;

#define KSTACK_SIZE 8192
#define NR_OPEN 64
#define TIMESLICE_TICKS 5     /* 20 ms at HZ=250 */

enum task_state { TASK_RUNNING, TASK_SLEEPING, TASK_ZOMBIE };

struct fp_state {
	u64 fpr[32];
	u64 fpscr;             /* FPSCR in the low word */
};

struct task {
	u32 ksp;               /* saved kernel stack pointer: must stay first (switch_to) */
	int pid;
	enum task_state state;
	const void *wchan;     /* what a sleeping task waits for */
	u64 wake_tb;           /* timed sleep: wake at this timebase value (0 = no timeout) */
	struct pt_regs *regs;  /* the user frame at the top of the kernel stack */
	void *kstack;
	struct mm *mm;         /* NULL for kernel threads */
	struct task *parent;
	struct task *next;     /* all tasks, in creation order */
	int slice;             /* ticks left in the time slice */
	int exit_status;       /* wait status once a zombie */
	char comm[16];
	char *exe;             /* path of the executable (/proc/self/exe) */

	struct file *fd[NR_OPEN];
	u64 cloexec;
	struct inode *cwd;
	char *cwd_path;

	struct fp_state fp;    /* saved FP state (valid unless this task owns the FPU) */
	bool used_fp;

	struct k_sigaction sigact[NSIG + 1];
	u64 sig_blocked;
	u64 sig_pending;
	struct sig_info siginfo[NSIG + 1];
	u32 sig_altstack_sp, sig_altstack_size;
	u32 clear_child_tid;
	u32 utime, stime;      /* ticks */
	u32 cutime, cstime;    /* reaped children's */
};

extern struct task *current;
extern struct task *idle_task;
extern struct task *task_list;
extern volatile u32 need_work;   /* something to do before returning to user (entry.S) */
extern volatile bool need_resched;

void sched_init(void);
void schedule(void);
void schedule_tail(struct task *prev);
void sleep_on(const void *chan);                      /* call with EE off; returns with EE off */
void wakeup(const void *chan);
bool sleep_until(u64 tb);                             /* timed sleep; false if interrupted by a signal */
void sched_tick(bool user);
void cpu_idle(void) NORETURN;
struct task *kthread_create(int (*fn)(void *), void *arg, const char *name);
struct task *task_alloc(void);
void task_free(struct task *t);
void task_enqueue(struct task *t);
struct task *task_by_pid(int pid);
int alloc_pid(void);
bool signal_pending(void);

/* entry.S */
struct task *switch_to(struct task *prev, struct task *next);
void kthread_start(void);
void ret_from_fork(void);
NORETURN void enter_user(struct pt_regs *regs);

/* process.c */
NORETURN void do_exit(int status);
void reparent_children(struct task *t);
#endif

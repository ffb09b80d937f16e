/* Linux/PowerPC signal numbers and sigaction (signal.c). */
#ifndef SIGNAL_H
#define SIGNAL_H
#include "types.h"

#define NSIG 64
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGURG 23
#define SIGWINCH 28

#define SIG_DFL 0
#define SIG_IGN 1

#define SA_SIGINFO   0x00000004
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SA_RESTORER  0x04000000

/* the kernel's struct sigaction for rt_sigaction on ppc32 */
struct k_sigaction {
	u32 handler;
	u32 flags;
	u32 restorer;
	u64 mask;
} __attribute__((packed));

#define sigbit(s) (1ull << ((s) - 1))

/* what a handler's siginfo says: fault code and address, or the sender's pid */
struct sig_info { int code; u32 addr; int pid; };

struct task;
struct pt_regs;
/* si_code values for faults */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define ILL_ILLOPC 1
#define ILL_PRVOPC 5
#define TRAP_BRKPT 1
#define FPE_FLTDIV 3

void send_signal(struct task *t, int sig);
/* A fault in user mode: deliver `sig` (to a handler if there is one), else kill the process
 * with a console message. */
void force_fault_signal(struct pt_regs *regs, int sig, int code, u32 addr, const char *what);
void do_signals(struct pt_regs *regs);
long sys_rt_sigreturn(struct pt_regs *regs);
const char *signal_name(int sig);
#endif

/*
 * signals: synchronous faults turned into signals (SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGFPE),
 * handlers that return through sigreturn after editing the saved context (NIP, r3), nested and
 * deferred delivery, sigprocmask/sigpending, sigaltstack. Handlers only record; main prints.
 * Addresses are printed as relations to known labels, except the fixed low fault address 0x8.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <unistd.h>

#define REG_NIP 32 /* index of NIP in the ppc32 gregset (r0-r31 come first) */

static sigjmp_buf jb;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_nip;
static volatile unsigned long got_r3;
static volatile int skip_insn; /* handler: advance the saved NIP by 4 and return */
static volatile int set_r3;    /* handler: also change the saved r3 */

static unsigned long *gregs(void *ctx)
{
	return ((ucontext_t *)ctx)->uc_mcontext.uc_regs->gregs;
}

static void fault_handler(int sig, siginfo_t *si, void *ctx)
{
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	got_nip = gregs(ctx)[REG_NIP];
	got_r3 = gregs(ctx)[3];
	if (skip_insn) {
		gregs(ctx)[REG_NIP] += 4;
		if (set_r3)
			gregs(ctx)[3] = 0x5678;
		return;
	}
	siglongjmp(jb, 1);
}

static const char *signame(int s)
{
	switch (s) {
	case SIGSEGV: return "SIGSEGV";
	case SIGILL: return "SIGILL";
	case SIGTRAP: return "SIGTRAP";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGUSR1: return "SIGUSR1";
	case SIGUSR2: return "SIGUSR2";
	case 0: return "none";
	default: return "other";
	}
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		printf("sigaction(%d) failed\n", sig);
}

static void reset_got(void)
{
	got_sig = 0;
	got_code = -1;
	got_addr = 0;
	got_nip = 0;
	got_r3 = 0;
}

/* fault sites, with global labels so the handler's NIP/si_addr can be compared */
extern char ill_site[], priv_site[], trap_site[], twi_site[], bus_site[], fpe_site[],
	segv_site[];

static void test_segv(void)
{
	printf("== SIGSEGV\n");
	install(SIGSEGV, fault_handler, 0);
	reset_got();
	skip_insn = 0;
	if (sigsetjmp(jb, 1) == 0) {
		__asm__ volatile("li 9,8\n\tli 10,42\n"
				 ".globl segv_site\nsegv_site:\n\tstw 10,0(9)"
				 : : : "r9", "r10", "memory");
		printf("no fault?\n");
	}
	printf("NULL+8 store: %s si_code=%d si_addr=%#lx nip=segv_site: %s\n", signame(got_sig),
	       got_code, (unsigned long)got_addr, got_nip == (uintptr_t)segv_site ? "yes" : "NO");
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("after siglongjmp SIGSEGV blocked: %d\n", sigismember(&cur, SIGSEGV));

	/* write to a read-only page: SEGV_ACCERR */
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reset_got();
	if (sigsetjmp(jb, 1) == 0) {
		*(volatile char *)(p + 16) = 1;
		printf("no fault?\n");
	}
	printf("read-only page store: %s si_addr=page+16: %s si_code=(next line)\n",
	       signame(got_sig), got_addr == (uintptr_t)(p + 16) ? "yes" : "NO");
	/* Linux: a write to a mapped read-only page is SEGV_ACCERR; QEMU 7.2 says SEGV_MAPERR */
	printf("QEMU-DIVERGES(segv-accerr): read-only page store si_code=%d manual=%d\n", got_code,
	       SEGV_ACCERR);
	munmap(p, ps);
}

static void test_ill_trap(void)
{
	printf("== SIGILL / SIGTRAP, handler skips the instruction and returns\n");
	install(SIGILL, fault_handler, 0);
	install(SIGTRAP, fault_handler, 0);
	skip_insn = 1;
	set_r3 = 0;

	reset_got();
	__asm__ volatile(".globl ill_site\nill_site:\n\t.long 0" : : : "memory");
	printf("illegal .long 0: %s si_code=%d si_addr=ill_site: %s nip=ill_site: %s\n",
	       signame(got_sig), got_code, got_addr == (uintptr_t)ill_site ? "yes" : "NO",
	       got_nip == (uintptr_t)ill_site ? "yes" : "NO");

	reset_got();
	/* ld (opcode 58) is a 64-bit instruction, not on the 440 */
	__asm__ volatile(".globl ill64\nill64:\n\t.long 0xe8610000" : : : "r3", "memory");
	printf("64-bit ld: %s si_code=%d\n", signame(got_sig), got_code);

	reset_got();
	__asm__ volatile(".globl priv_site\npriv_site:\n\tmfmsr 3" : : : "r3", "memory");
	printf("mfmsr in user mode: %s si_code=%d si_addr=priv_site: %s\n", signame(got_sig),
	       got_code, got_addr == (uintptr_t)priv_site ? "yes" : "NO");

	reset_got();
	set_r3 = 1;
	unsigned long r3_after;
	__asm__ volatile("li 3,0x1234\n"
			 ".globl trap_site\ntrap_site:\n\ttw 31,0,0\n\tmr %0,3"
			 : "=r"(r3_after) : : "r3", "memory");
	printf("tw 31,0,0: %s si_code=%d si_addr=trap_site: %s saved r3=%#lx r3 after "
	       "sigreturn=%#lx\n", signame(got_sig), got_code,
	       got_addr == (uintptr_t)trap_site ? "yes" : "NO", got_r3, r3_after);
	set_r3 = 0;

	reset_got();
	__asm__ volatile("li 3,5\n.globl twi_site\ntwi_site:\n\ttwi 4,3,5" : : : "r3", "memory");
	printf("twi 4,r3=5,5: %s si_code=%d nip=twi_site: %s\n", signame(got_sig), got_code,
	       got_nip == (uintptr_t)twi_site ? "yes" : "NO");
	skip_insn = 0;
}

static uint32_t bus_buf[4] __attribute__((aligned(16)));

static void test_bus(void)
{
	printf("== SIGBUS: misaligned lwarx (alignment interrupt)\n");
	install(SIGBUS, fault_handler, 0);
	skip_insn = 1;
	reset_got();
	char *addr = (char *)bus_buf + 2;
	__asm__ volatile(".globl bus_site\nbus_site:\n\tlwarx 3,0,%0" : : "b"(addr) : "r3", "memory");
	const char *where = got_addr == (uintptr_t)addr ? "data-address"
			    : got_addr == (uintptr_t)bus_site ? "instruction-address"
							     : "other";
	printf("lwarx at buf+2: %s si_code=%d si_addr=%s nip=bus_site: %s\n", signame(got_sig),
	       got_code, where, got_nip == (uintptr_t)bus_site ? "yes" : "NO");
	skip_insn = 0;
}

static void test_fpe(void)
{
	printf("== SIGFPE: FPSCR[ZE]=1 with precise FP exceptions, then 1.0/0.0\n");
	install(SIGFPE, fault_handler, 0);
	/* the kernel only delivers FP enabled exceptions when MSR[FE0/FE1] are set */
	prctl(PR_SET_FPEXC, PR_FP_EXC_PRECISE, 0, 0, 0);
	skip_insn = 1;
	reset_got();
	double one = 1.0, zero = 0.0, res = 0.0;
	union {
		double d;
		uint64_t u;
	} fs;
	__asm__ volatile("mtfsb1 27\n"
			 ".globl fpe_site\nfpe_site:\n\tfdiv %0,%2,%3\n\t"
			 "mtfsb0 27\n\tmffs %1\n\tmtfsf 0xff,%4"
			 : "=&f"(res), "=&f"(fs.d)
			 : "f"(one), "f"(zero), "f"(zero)
			 : "memory");
	prctl(PR_SET_FPEXC, PR_FP_EXC_DISABLED, 0, 0, 0);
	printf("fdiv 1/0 with ZE: %s si_code=%d si_addr=fpe_site: %s fpscr after (ZX|FX set, "
	       "ZE cleared)=%08x\n", signame(got_sig), got_code,
	       got_addr == (uintptr_t)fpe_site ? "yes" : "NO", (uint32_t)fs.u);
	skip_insn = 0;
	(void)res;
}

/* ---- asynchronous (raise) delivery order ------------------------------------------------ */

static char events[32][40];
static volatile int nevents;

static void ev(const char *s)
{
	if (nevents < 32)
		strcpy(events[nevents++], s);
}

static void print_events(const char *what)
{
	printf("%s:", what);
	for (int i = 0; i < nevents; i++)
		printf(" %s%s", events[i], i + 1 < nevents ? "," : "");
	printf("\n");
	nevents = 0;
}

static void h_usr2(int sig)
{
	(void)sig;
	ev("usr2");
}

static void h_usr1(int sig)
{
	(void)sig;
	ev("usr1-enter");
	raise(SIGUSR2);
	ev("usr1-exit");
}

static void set_plain(int sig, void (*fn)(int), int block_other, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (block_other)
		sigaddset(&sa.sa_mask, block_other);
	sigaction(sig, &sa, NULL);
}

static volatile int alt_ok;
static char altstack[65536] __attribute__((aligned(16)));

static void h_alt(int sig)
{
	char local;
	(void)sig;
	alt_ok = &local >= altstack && &local < altstack + sizeof altstack;
	ev("alt");
}

static void test_order(void)
{
	printf("== delivery order\n");
	set_plain(SIGUSR2, h_usr2, 0, 0);
	set_plain(SIGUSR1, h_usr1, 0, 0);
	ev("raise-usr1");
	raise(SIGUSR1);
	ev("back");
	print_events("nested (usr2 not masked)");

	set_plain(SIGUSR1, h_usr1, SIGUSR2, 0);
	ev("raise-usr1");
	raise(SIGUSR1);
	ev("back");
	print_events("deferred (usr2 in sa_mask)");

	sigset_t set, old, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	ev("blocked");
	raise(SIGUSR2);
	ev("raised");
	sigpending(&pend);
	printf("sigpending has SIGUSR2: %d, SIGUSR1: %d\n", sigismember(&pend, SIGUSR2),
	       sigismember(&pend, SIGUSR1));
	raise(SIGUSR2); /* a second instance of a pending standard signal is merged */
	sigprocmask(SIG_SETMASK, &old, NULL);
	ev("unblocked");
	print_events("sigprocmask");

	set_plain(SIGUSR2, h_usr2, 0, SA_RESETHAND);
	raise(SIGUSR2);
	struct sigaction cur;
	sigaction(SIGUSR2, NULL, &cur);
	print_events("SA_RESETHAND");
	printf("SA_RESETHAND: handler now SIG_DFL: %d\n", cur.sa_handler == SIG_DFL);

	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
	int r = sigaltstack(&ss, NULL);
	set_plain(SIGUSR1, h_alt, 0, SA_ONSTACK);
	raise(SIGUSR1);
	print_events("sigaltstack");
	printf("sigaltstack: %d handler ran on the alternate stack: %d\n", r, alt_ok);

	set_plain(SIGUSR1, SIG_IGN, 0, 0);
	ev("ignored");
	raise(SIGUSR1);
	ev("still-here");
	print_events("SIG_IGN");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_segv();
	test_ill_trap();
	test_bus();
	test_fpe();
	test_order();
	printf("signals: done\n");
	return 0;
}

/*
 * ktest: user-space checks of hv440-kernel's process, memory, file and signal system calls
 * (static glibc). Every line is deterministic: relations ("ok"), never pids or times.
 *
 *   ktest            run all checks, exit status = number of failures
 *   ktest segv       store to address 8 (the kernel must kill it with SIGSEGV and go on)
 *   ktest ill        execute an illegal instruction (SIGILL)
 *   ktest spin N     burn N million iterations of FP work (scheduler / lazy FP load)
 *   ktest read       read one line from standard input (the console) and echo it
 *   ktest pvpage     load from and store to the paravirtual shared page (0xFFFFF000): user
 *                    mode must get SIGSEGV for both, with or without a hypervisor
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sched.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

static void check(const char *what, int ok)
{
	printf("ktest: %-40s %s\n", what, ok ? "ok" : "FAIL");
	if (ok) passed++;
	else failed++;
}

/* Run f in a child; return its wait status. */
static int in_child(void (*f)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		f();
		_exit(0);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	return st;
}

static volatile int global = 1;

static void child_cow(void)
{
	if (global != 1) _exit(1);
	global = 2;
	_exit(global == 2 ? 42 : 3);
}

static volatile int *volatile bad_ptr = (volatile int *)8;
static void child_segv(void) { *bad_ptr = 1; }
static void child_ill(void) { __asm__ volatile(".long 0"); }

static void *ro_page;
static void child_write_ro(void) { *(volatile int *)ro_page = 5; }

static double fp_work(int seed, int n)
{
	double x = seed, s = 0;
	for (int i = 1; i <= n; i++) {
		x = x * 1.000001 + 0.5 / i;
		s += sqrt(x) / i;
		if (i % 1000 == 0) sched_yield();
	}
	return s;
}

static volatile sig_atomic_t got_usr1, got_info_code;
static void on_usr1(int sig) { got_usr1 = sig; }
static void on_usr2(int sig, siginfo_t *si, void *uc) { got_info_code = si->si_code == SI_TKILL || si->si_code == SI_USER; }
static sigjmp_buf segv_jmp;
static volatile void *segv_addr;
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	segv_addr = si->si_addr;
	siglongjmp(segv_jmp, 1);
}

static void test_process(void)
{
	struct utsname u;
	check("uname: Linux ppc", uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 && strcmp(u.machine, "ppc") == 0);
	check("auxv: HWCAP 0x8c008000", getauxval(AT_HWCAP) == 0x8c008000);
	check("auxv: PAGESZ, DCACHEBSIZE, PHDR, ENTRY",
	      getauxval(AT_PAGESZ) == 4096 && getauxval(AT_DCACHEBSIZE) == 32 && getauxval(AT_PHDR) != 0 && getauxval(AT_ENTRY) != 0);
	check("auxv: AT_RANDOM, AT_EXECFN", getauxval(AT_RANDOM) != 0 && strcmp((char *)getauxval(AT_EXECFN), "/bin/ktest") == 0);

	pid_t me = getpid();
	int st = in_child(child_cow);
	check("fork + wait: exit status", WIFEXITED(st) && WEXITSTATUS(st) == 42);
	check("fork: copy-on-write", global == 1);
	check("getpid unchanged after fork", getpid() == me);

	st = in_child(child_segv);
	check("child store to 0x8: killed by SIGSEGV", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = in_child(child_ill);
	check("child illegal instruction: SIGILL", WIFSIGNALED(st) && WTERMSIG(st) == SIGILL);

	/* more processes over time than there are TLB IDs (255): IDs get recycled */
	int ok = 1;
	for (int i = 0; i < 270 && ok; i++) {
		pid_t c = fork();
		if (c == 0) _exit(global == 1 ? i & 0x7f : 255);
		int cs;
		ok = c > 0 && waitpid(c, &cs, 0) == c && WIFEXITED(cs) && WEXITSTATUS(cs) == (i & 0x7f);
	}
	check("270 short-lived children (TLB ID reuse)", ok);
	errno = 0;
	check("wait with no children: ECHILD", wait(NULL) == -1 && errno == ECHILD);
	check("unknown system call: ENOSYS", syscall(440 + 1000) == -1 && errno == ENOSYS);
}

static void test_pipes(void)
{
	int p[2];
	check("pipe", pipe(p) == 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		unsigned sum = 0, total = 0;
		unsigned char buf[1000];
		ssize_t n;
		while ((n = read(p[0], buf, sizeof buf)) > 0)
			for (ssize_t i = 0; i < n; i++, total++) sum = sum * 31 + buf[i];
		_exit(total == 100000 ? (int)(sum & 0x7f) : 255);
	}
	close(p[0]);
	unsigned char buf[777];
	unsigned sent = 0;
	unsigned sum = 0;
	while (sent < 100000) {
		size_t k = sizeof buf;
		if (k > 100000 - sent) k = 100000 - sent;
		for (size_t i = 0; i < k; i++) buf[i] = (unsigned char)((sent + i) * 7);
		for (size_t i = 0; i < k; i++) sum = sum * 31 + buf[i];
		if (write(p[1], buf, k) != (ssize_t)k) break;
		sent += k;
	}
	close(p[1]);
	int st;
	waitpid(pid, &st, 0);
	check("pipe: 100000 bytes to a child", sent == 100000 && WIFEXITED(st) && WEXITSTATUS(st) == (int)(sum & 0x7f));

	/* exec with stdout redirected into a pipe */
	check("pipe2(O_CLOEXEC)", pipe2(p, O_CLOEXEC) == 0 && (fcntl(p[0], F_GETFD) & FD_CLOEXEC));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/bin/hello", "hello", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char out[64] = { 0 };
	ssize_t got = 0, n;
	while ((n = read(p[0], out + got, sizeof out - 1 - got)) > 0) got += n;
	close(p[0]);
	waitpid(pid, &st, 0);
	check("execve /bin/hello, stdout into a pipe", strcmp(out, "Hello, world!\n") == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	errno = 0;
	check("execve of a missing file: ENOENT", execl("/bin/nonexistent", "x", (char *)NULL) == -1 && errno == ENOENT);
}

static void test_files(void)
{
	struct stat st;
	check("stat /bin/hello (ext2)", stat("/bin/hello", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 716988);
	char buf[64] = { 0 };
	int fd = open("/etc/hostname", O_RDONLY);
	check("read /etc/hostname", fd >= 0 && read(fd, buf, sizeof buf - 1) == 6 && strcmp(buf, "hv440\n") == 0);
	close(fd);
	errno = 0;
	check("open for writing on ext2: EROFS", open("/etc/hostname", O_WRONLY) == -1 && errno == EROFS);
	char exe[64] = { 0 };
	check("readlink /proc/self/exe", readlink("/proc/self/exe", exe, sizeof exe) == 10 && strcmp(exe, "/bin/ktest") == 0);

	int entries = 0, found_init = 0;
	DIR *d = opendir("/sbin");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		entries++;
		if (strcmp(e->d_name, "init") == 0 && e->d_type == DT_REG) found_init = 1;
	}
	if (d) closedir(d);
	check("readdir /sbin: . .. init", entries == 3 && found_init);

	/* tmpfs */
	check("mkdir /tmp/kt", mkdir("/tmp/kt", 0755) == 0);
	fd = open("/tmp/kt/data", O_CREAT | O_RDWR | O_TRUNC, 0644);
	static unsigned char big[100000];
	for (unsigned i = 0; i < sizeof big; i++) big[i] = (unsigned char)(i * 13 + (i >> 8));
	check("write 100000 bytes to tmpfs", fd >= 0 && write(fd, big, sizeof big) == (ssize_t)sizeof big);
	check("fstat size", fstat(fd, &st) == 0 && st.st_size == 100000);
	static unsigned char back[100000];
	check("lseek + read back", lseek(fd, 0, SEEK_SET) == 0 && read(fd, back, sizeof back) == (ssize_t)sizeof back &&
	      memcmp(big, back, sizeof big) == 0);
	check("pread at 50000", pread(fd, back, 10, 50000) == 10 && memcmp(back, big + 50000, 10) == 0);
	check("ftruncate to 1000", ftruncate(fd, 1000) == 0 && fstat(fd, &st) == 0 && st.st_size == 1000);
	close(fd);
	check("rename", rename("/tmp/kt/data", "/tmp/kt/renamed") == 0 && access("/tmp/kt/renamed", F_OK) == 0 &&
	      access("/tmp/kt/data", F_OK) != 0);
	check("chdir + relative open + getcwd", chdir("/tmp/kt") == 0 && (fd = open("renamed", O_RDONLY)) >= 0 &&
	      getcwd(buf, sizeof buf) && strcmp(buf, "/tmp/kt") == 0);
	close(fd);
	check("chdir .. across the mount point", chdir("../..") == 0 && getcwd(buf, sizeof buf) && strcmp(buf, "/") == 0 &&
	      access("sbin/init", X_OK) == 0);
	errno = 0;
	check("rmdir of a non-empty directory: ENOTEMPTY", rmdir("/tmp/kt") == -1 && errno == ENOTEMPTY);
	check("unlink + rmdir", unlink("/tmp/kt/renamed") == 0 && rmdir("/tmp/kt") == 0 && access("/tmp/kt", F_OK) != 0);
	FILE *f = fopen("/dev/null", "w");
	check("/dev/null", f && fputs("x", f) >= 0 && fclose(f) == 0);
	check("isatty(1) on the console", isatty(1));
}

static void test_memory(void)
{
	char *p = malloc(3 << 20);
	int ok = p != NULL;
	for (int i = 0; ok && i < (3 << 20); i += 4096) p[i] = (char)i;
	for (int i = 0; ok && i < (3 << 20); i += 4096) ok = p[i] == (char)i;
	free(p);
	check("malloc 3 MiB (mmap) and touch", ok);

	void *b0 = sbrk(0);
	ok = sbrk(1 << 20) == b0 && sbrk(0) == (char *)b0 + (1 << 20);
	memset(b0, 0x5a, 1 << 20);
	ok = ok && ((char *)b0)[(1 << 20) - 1] == 0x5a && sbrk(-(1 << 20)) != (void *)-1;
	check("brk grow, touch, shrink", ok);

	char *m = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok = m != MAP_FAILED;
	for (int i = 0; ok && i < (8 << 20); i += 4096) ok = m[i] == 0;
	for (int i = 0; ok && i < (8 << 20); i += 4096) m[i] = 1;
	check("mmap 8 MiB anonymous, zero-filled", ok);
	check("munmap", munmap(m, 8 << 20) == 0);

	ro_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*(int *)ro_page = 7;
	check("mprotect read-only", mprotect(ro_page, 4096, PROT_READ) == 0 && *(int *)ro_page == 7);
	int st = in_child(child_write_ro);
	check("write to the read-only page: SIGSEGV", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);

	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(segv_jmp, 1) == 0) *(volatile int *)ro_page = 1;
	check("SIGSEGV handler, si_addr, siglongjmp", segv_addr == ro_page);
	signal(SIGSEGV, SIG_DFL);
	munmap(ro_page, 4096);
}

static void test_signals_time(void)
{
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	check("signal handler (raise SIGUSR1)", got_usr1 == SIGUSR1);
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_usr2;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR2);
	check("SA_SIGINFO handler (kill SIGUSR2)", got_info_code);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	got_usr1 = 0;
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	int blocked = got_usr1 == 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	check("blocked signal delivered on unblock", blocked && got_usr1 == SIGUSR1);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) pause();
	}
	sched_yield();
	kill(pid, SIGTERM);
	int st;
	waitpid(pid, &st, 0);
	check("kill(child, SIGTERM)", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);

	struct timespec t0, t1, d = { 0, 20 * 1000 * 1000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double dt = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	check("nanosleep 20 ms", dt >= 0.020 && dt < 0.030);
	struct timeval tv;
	check("gettimeofday after 2009", gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= 1230768000);
	unsigned char r[16] = { 0 };
	check("getrandom", getrandom(r, sizeof r, 0) == 16);
	struct sysinfo si;
	check("sysinfo", sysinfo(&si) == 0 && si.totalram >= si.freeram && si.procs >= 2);
	struct tms tm;
	check("times", times(&tm) != (clock_t)-1);
}

static unsigned char abuf[64] __attribute__((aligned(16)));

static void test_fp(void)
{
	/* FP loads and stores across a 16-byte boundary raise an alignment interrupt */
	volatile double *dp = (volatile double *)(abuf + 12);
	*dp = 3.25;
	double d = *dp, d2;
	memcpy(&d2, abuf + 12, 8);
	float in[2] = { -1.5f, 1e-40f }, out[2], mem[2];   /* a normal and a denormal single */
	for (int i = 0; i < 2; i++) {
		unsigned char *a = abuf + 30 + 16 * i;
		__asm__ volatile("stfs %1,0(%0)" : : "b"(a), "f"(in[i]) : "memory");
		__asm__ volatile("lfs %0,0(%1)" : "=f"(out[i]) : "b"(a) : "memory");
		memcpy(&mem[i], a, 4);
	}
	check("misaligned FP load/store (alignment fix-up)", d == 3.25 && d2 == 3.25 && memcmp(in, out, 8) == 0 &&
	      memcmp(in, mem, 8) == 0);

	/* two processes doing FP at once, yielding to each other: lazy FP switching */
	fflush(stdout);
	pid_t pid = fork();
	double mine = fp_work(3, 20000);
	if (pid == 0) _exit(mine == fp_work(3, 20000) ? 0 : 1);
	double again = fp_work(5, 20000);
	int st;
	waitpid(pid, &st, 0);
	check("FP in two processes (lazy FPU switch)", WIFEXITED(st) && WEXITSTATUS(st) == 0 && again == fp_work(5, 20000) &&
	      mine != again);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "segv") == 0) {
		printf("ktest: storing to address 8\n");
		fflush(stdout);
		child_segv();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "ill") == 0) {
		child_ill();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "read") == 0) {
		char line[128];
		ssize_t n = read(0, line, sizeof line - 1);
		line[n > 0 ? n : 0] = 0;
		printf("ktest: read %d bytes: %s", (int)n, line);
		return n > 0 ? 0 : 1;
	}
	if (argc > 1 && strcmp(argv[1], "pvpage") == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_segv;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
		volatile unsigned *msr = (volatile unsigned *)0xfffff05c, *scratch = (volatile unsigned *)0xfffff000;
		if (sigsetjmp(segv_jmp, 1) == 0) printf("ktest: pvpage load gave 0x%08x\n", *msr);
		else printf("ktest: pvpage load: SIGSEGV at %p\n", (void *)segv_addr);
		if (sigsetjmp(segv_jmp, 1) == 0) { *scratch = 0x5a5a5a5a; printf("ktest: pvpage store went through\n"); }
		else printf("ktest: pvpage store: SIGSEGV at %p\n", (void *)segv_addr);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "spin") == 0) {
		printf("ktest: spin %.3f\n", fp_work(1, atoi(argv[2]) * 1000000));
		return 0;
	}
	test_process();
	test_pipes();
	test_files();
	test_memory();
	test_signals_time();
	test_fp();
	printf("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}

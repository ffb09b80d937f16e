/*
 * micro: the microbenchmarks of the other seeds (lmbench-style null call and context switch,
 * VMware's getppid loop, HermitCore's getpid/sched_yield/first-write-access benchmark, STREAM).
 *
 *   micro nullcall [calls]          getppid() in a loop (default 1000000): ns per system call
 *   micro ctxsw [round-trips]       parent and child (fork) pass a byte back and forth through
 *                                   two pipes (default 20000): us per round trip (2 switches)
 *   micro yield [yields]            parent and child both call sched_yield() (default 20000
 *                                   each): us per yield (a switch when both are runnable)
 *   micro pagetouch [pages [rounds]]  mmap anonymous memory, write one byte to every page
 *                                   (first-touch faults), munmap; default 4096 pages x 4 rounds
 *   micro stream [elements [times]] STREAM copy/scale/add/triad on three double arrays
 *                                   (default 1000000 elements = 8 MB each, 10 times): MB/s
 *   micro [all]                     every benchmark above at its default size
 *
 * Small sizes for tests: nullcall 20000, ctxsw 300, yield 300, pagetouch 256 2, stream 20000 3.
 * Output: deterministic lines (counts, validation, checksums) and "time:" lines (results).
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wl.h"

static const char *prog = "micro";

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(1);
}

static unsigned long arg_or(int argc, char **argv, int i, const char *what, unsigned long def)
{
	return argc > i ? wl_arg(prog, what, argv[i]) : def;
}

/* ---- null system call ---- */

static void bench_nullcall(unsigned long calls)
{
	pid_t first = getppid();
	unsigned long differ = 0;
	uint64_t t0 = wl_now_ns();
	for (unsigned long i = 0; i < calls; i++)
		differ += getppid() != first;
	uint64_t t1 = wl_now_ns();
	printf("nullcall: %lu getppid calls, all returned the same pid: %s\n", calls,
	       differ ? "NO" : "yes");
	wl_time("nullcall", t1 - t0);
	if (calls)
		printf("time: nullcall %.1f ns/call\n", (double)(t1 - t0) / calls);
}

/* ---- context switch through pipes, and sched_yield ---- */

static pid_t spawn(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	return pid;
}

static int reap(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void bench_ctxsw(unsigned long trips)
{
	int down[2], up[2];
	if (pipe(down) || pipe(up))
		die("pipe");
	pid_t pid = spawn();
	if (pid == 0) { /* child: echo every byte + 1 until EOF */
		close(down[1]);
		close(up[0]);
		unsigned char c;
		unsigned long n = 0;
		ssize_t r;
		while ((r = read(down[0], &c, 1)) == 1) {
			c++;
			if (write(up[1], &c, 1) != 1)
				_exit(3);
			n++;
		}
		_exit(r == 0 && n == trips ? 0 : 4);
	}
	close(down[0]);
	close(up[1]);
	unsigned char c = 0;
	unsigned long bad = 0;
	uint32_t sum = 0;
	uint64_t t0 = wl_now_ns();
	for (unsigned long i = 0; i < trips; i++) {
		unsigned char want = (unsigned char)(c + 1);
		if (write(down[1], &c, 1) != 1 || read(up[0], &c, 1) != 1)
			die("pipe i/o");
		bad += c != want;
		sum = sum * 31 + c;
		c = (unsigned char)(c * 7 + 1);
	}
	uint64_t t1 = wl_now_ns();
	close(down[1]);
	int st = reap(pid);
	close(up[0]);
	printf("ctxsw: %lu round trips through two pipes, wrong replies=%lu checksum=%08x "
	       "child exit status=%d\n", trips, bad, sum, st);
	wl_time("ctxsw", t1 - t0);
	if (trips)
		printf("time: ctxsw %.2f us/round-trip\n", (double)(t1 - t0) / trips / 1000.0);
}

static void bench_yield(unsigned long yields)
{
	int go[2];
	if (pipe(go))
		die("pipe");
	pid_t pid = spawn();
	if (pid == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1) /* start together with the parent */
			_exit(3);
		for (unsigned long i = 0; i < yields; i++)
			if (sched_yield())
				_exit(4);
		_exit(0);
	}
	close(go[0]);
	unsigned long fails = 0;
	uint64_t t0 = wl_now_ns();
	if (write(go[1], "g", 1) != 1)
		die("pipe write");
	for (unsigned long i = 0; i < yields; i++)
		fails += sched_yield() != 0;
	uint64_t t1 = wl_now_ns();
	int st = reap(pid);
	uint64_t t2 = wl_now_ns();
	close(go[1]);
	printf("yield: 2 processes x %lu sched_yield calls, failures=%lu child exit status=%d\n",
	       yields, fails, st);
	wl_time("yield", t1 - t0);
	wl_time("yield-until-child-done", t2 - t0);
	if (yields)
		printf("time: yield %.2f us/yield\n", (double)(t1 - t0) / yields / 1000.0);
}

/* ---- first-touch page faults ---- */

static void bench_pagetouch(unsigned long pages, unsigned long rounds)
{
	long psz = sysconf(_SC_PAGESIZE);
	if (psz <= 0)
		psz = 4096;
	uint64_t total = 0, mmap_ns = 0, touch_ns = 0, unmap_ns = 0;
	uint32_t sum = 0;
	for (unsigned long r = 0; r < rounds; r++) {
		size_t len = (size_t)pages * (size_t)psz;
		uint64_t t0 = wl_now_ns();
		volatile unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		uint64_t t1 = wl_now_ns();
		for (unsigned long i = 0; i < pages; i++) /* one write per page, varying offset */
			p[(size_t)i * (size_t)psz + (i * 64 + r * 8) % (size_t)psz] = (unsigned char)(i + r);
		uint64_t t2 = wl_now_ns();
		for (unsigned long i = 0; i < pages; i++) {
			size_t off = (size_t)i * (size_t)psz;
			sum = sum * 33 + p[off + (i * 64 + r * 8) % (size_t)psz] + p[off + ((i * 64 + r * 8) % (size_t)psz ^ 1)];
		}
		uint64_t t3 = wl_now_ns();
		if (munmap((void *)p, len))
			die("munmap");
		uint64_t t4 = wl_now_ns();
		mmap_ns += t1 - t0;
		touch_ns += t2 - t1;
		unmap_ns += t4 - t3;
		total += pages;
	}
	printf("pagetouch: %lu rounds x %lu pages mapped, touched once and unmapped, "
	       "read-back checksum=%08x\n", rounds, pages, sum);
	wl_time("pagetouch-touch", touch_ns);
	if (total)
		printf("time: pagetouch %ld-byte pages: %.0f ns/page first touch, mmap %.0f ns, "
		       "munmap %.0f ns per round\n", psz, (double)touch_ns / total,
		       (double)mmap_ns / rounds, (double)unmap_ns / rounds);
}

/* ---- STREAM ---- */

/* keep the copy loop a loop (gcc would call memcpy), as STREAM means it */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static void bench_stream(unsigned long n, unsigned long times)
{
	if (n < 1 || times < 1) {
		fprintf(stderr, "%s: stream needs elements >= 1 and times >= 1\n", prog);
		exit(2);
	}
	double *a = wl_xmalloc(prog, n * sizeof(double));
	double *b = wl_xmalloc(prog, n * sizeof(double));
	double *c = wl_xmalloc(prog, n * sizeof(double));
	static const char *const names[4] = { "copy", "scale", "add", "triad" };
	static const double bytes_per[4] = { 16, 16, 24, 24 };
	double best[4] = { 1e30, 1e30, 1e30, 1e30 }, worst[4] = { 0 }, avg[4] = { 0 };
	const double q = 3.0;

	for (unsigned long j = 0; j < n; j++) {
		a[j] = 1.0;
		b[j] = 2.0;
		c[j] = 0.0;
	}
	for (unsigned long j = 0; j < n; j++)
		a[j] = 2.0 * a[j];
	for (unsigned long k = 0; k < times; k++) {
		uint64_t t[5];
		t[0] = wl_now_ns();
		for (unsigned long j = 0; j < n; j++)
			c[j] = a[j];
		t[1] = wl_now_ns();
		for (unsigned long j = 0; j < n; j++)
			b[j] = q * c[j];
		t[2] = wl_now_ns();
		for (unsigned long j = 0; j < n; j++)
			c[j] = a[j] + b[j];
		t[3] = wl_now_ns();
		for (unsigned long j = 0; j < n; j++)
			a[j] = b[j] + q * c[j];
		t[4] = wl_now_ns();
		for (int i = 0; i < 4; i++) {
			double s = (double)(t[i + 1] - t[i]) * 1e-9;
			if (k > 0 || times == 1) { /* the first pass warms up, as in STREAM */
				avg[i] += s;
				if (s < best[i])
					best[i] = s;
				if (s > worst[i])
					worst[i] = s;
			}
		}
	}
	/* validation, as STREAM: the scalar recurrence gives every element's expected value */
	double aj = 2.0, bj = 2.0, cj = 0.0;
	for (unsigned long k = 0; k < times; k++) {
		cj = aj;
		bj = q * cj;
		cj = aj + bj;
		aj = bj + q * cj;
	}
	unsigned long wrong = 0;
	double asum = 0, bsum = 0, csum = 0;
	for (unsigned long j = 0; j < n; j++) {
		wrong += (a[j] != aj) + (b[j] != bj) + (c[j] != cj);
		asum += a[j];
		bsum += b[j];
		csum += c[j];
	}
	printf("stream: %lu elements (%.1f MB per array), %lu times; expected a=%.6e b=%.6e "
	       "c=%.6e; sums %.6e %.6e %.6e; wrong elements=%lu: %s\n",
	       n, n * 8 / 1e6, times, aj, bj, cj, asum, bsum, csum, wrong,
	       wrong ? "FAILED" : "Solution Validates");
	unsigned long counted = times > 1 ? times - 1 : 1;
	for (int i = 0; i < 4; i++)
		printf("time: stream %-5s %10.1f MB/s  avg %.6f s  min %.6f s  max %.6f s\n",
		       names[i], best[i] > 0 ? bytes_per[i] * n / best[i] / 1e6 : 0.0,
		       avg[i] / counted, best[i], worst[i]);
	free(a);
	free(b);
	free(c);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "all";
	uint64_t t0 = wl_now_ns();
	if (!strcmp(cmd, "nullcall")) {
		bench_nullcall(arg_or(argc, argv, 2, "call count", 1000000));
	} else if (!strcmp(cmd, "ctxsw")) {
		bench_ctxsw(arg_or(argc, argv, 2, "round trips", 20000));
	} else if (!strcmp(cmd, "yield")) {
		bench_yield(arg_or(argc, argv, 2, "yield count", 20000));
	} else if (!strcmp(cmd, "pagetouch")) {
		bench_pagetouch(arg_or(argc, argv, 2, "page count", 4096),
				arg_or(argc, argv, 3, "round count", 4));
	} else if (!strcmp(cmd, "stream")) {
		bench_stream(arg_or(argc, argv, 2, "element count", 1000000),
			     arg_or(argc, argv, 3, "repetitions", 10));
	} else if (!strcmp(cmd, "all") && argc <= 2) {
		bench_nullcall(1000000);
		bench_ctxsw(20000);
		bench_yield(20000);
		bench_pagetouch(4096, 4);
		bench_stream(1000000, 10);
	} else {
		fprintf(stderr, "usage: micro [nullcall|ctxsw|yield|pagetouch|stream|all] [size...]\n");
		return 2;
	}
	wl_time("micro", wl_now_ns() - t0);
	return 0;
}

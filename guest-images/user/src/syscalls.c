/*
 * syscalls: the Linux system calls a static glibc program relies on, each checked for a
 * deterministic outcome (relations, not raw pids/times/addresses). Needs write access to the
 * current directory (creates and removes sc_test.tmp). Exits with status 3.
 * Run with stdout redirected (not a terminal): isatty(1) is expected to fail with ENOTTY.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
extern char _start[];

static const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case ENOTTY: return "ENOTTY";
	case EINVAL: return "EINVAL";
	case EACCES: return "EACCES";
	case EEXIST: return "EEXIST";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case ENOSYS: return "ENOSYS";
	default: return "other";
	}
}

static const char *yes(int c)
{
	return c ? "yes" : "NO";
}

static void raw_write(const char *s)
{
	fflush(stdout);
	ssize_t n = write(1, s, strlen(s));
	if (n != (ssize_t)strlen(s))
		printf("write returned %zd\n", n);
}

static void test_write(void)
{
	raw_write("write(1): hello from write\n");
	struct iovec iov[3] = {
		{ .iov_base = "writev: ", .iov_len = 8 },
		{ .iov_base = "three ", .iov_len = 6 },
		{ .iov_base = "pieces\n", .iov_len = 7 },
	};
	fflush(stdout);
	ssize_t n = writev(1, iov, 3);
	printf("writev returned %zd\n", n);
	errno = 0;
	n = write(-1, "x", 1);
	printf("write(-1): %zd errno=%s\n", n, errname(errno));
}

static void test_files(void)
{
	const char *name = "sc_test.tmp";
	umask(022);
	unlink(name);
	int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0666);
	printf("open(O_CREAT): %s\n", yes(fd >= 0));
	const char msg[] = "The quick brown fox jumps over the lazy dog.\n";
	ssize_t w = write(fd, msg, sizeof msg - 1);
	printf("write: %zd\n", w);
	off_t pos = lseek(fd, 0, SEEK_CUR);
	printf("lseek(0, SEEK_CUR): %ld\n", (long)pos);
	pos = lseek(fd, 4, SEEK_SET);
	char buf[64] = "";
	ssize_t r = read(fd, buf, 5);
	printf("lseek(4, SEEK_SET)=%ld read=%zd [%.5s]\n", (long)pos, r, buf);
	pos = lseek(fd, -4, SEEK_END);
	r = read(fd, buf, 10);
	printf("lseek(-4, SEEK_END)=%ld read=%zd [%.3s]\n", (long)pos, r, buf);
	r = read(fd, buf, 10);
	printf("read at EOF: %zd\n", r);
	struct stat st;
	int s = fstat(fd, &st);
	printf("fstat: %d size=%ld regular=%d mode=%03o\n", s, (long)st.st_size, S_ISREG(st.st_mode),
	       (unsigned)(st.st_mode & 0777));
	printf("close: %d\n", close(fd));
	errno = 0;
	printf("close again: %d errno=%s\n", close(fd), errname(errno));

	int fd2 = openat(AT_FDCWD, name, O_RDONLY);
	memset(buf, 0, sizeof buf);
	r = read(fd2, buf, sizeof buf - 1);
	printf("openat+read: %s %zd [%.9s]\n", yes(fd2 >= 0), r, buf);
	errno = 0;
	w = write(fd2, "x", 1);
	printf("write to O_RDONLY: %zd errno=%s\n", w, errname(errno));
	struct stat st2;
	s = stat(name, &st2);
	printf("stat: %d same inode=%s size=%ld\n", s, yes(st2.st_ino == st.st_ino),
	       (long)st2.st_size);
	close(fd2);
	printf("unlink: %d\n", unlink(name));
	errno = 0;
	fd = open(name, O_RDONLY);
	printf("open after unlink: %d errno=%s\n", fd, errname(errno));
	errno = 0;
	fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	int e1 = errno;
	errno = 0;
	int fd3 = open(name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	printf("O_EXCL: first=%s second=%d errno=%s\n", yes(fd >= 0 && e1 == 0), fd3,
	       errname(errno));
	close(fd);
	unlink(name);
	errno = 0;
	s = stat("/nonexistent-hv440/x", &st2);
	printf("stat(missing): %d errno=%s\n", s, errname(errno));
}

static void test_memory(void)
{
	void *b0 = sbrk(0);
	void *b1 = sbrk(65536);
	void *b2 = sbrk(0);
	printf("brk: grows by 65536=%s", yes((char *)b2 - (char *)b0 == 65536 && b1 == b0));
	memset(b1, 0xab, 65536);
	printf(" touched=%s", yes(((unsigned char *)b1)[65535] == 0xab));
	sbrk(-65536);
	printf(" shrinks back=%s\n", yes(sbrk(0) == b0));

	long ps = sysconf(_SC_PAGESIZE);
	size_t len = 5 * (size_t)ps;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	int ok = p != MAP_FAILED && ((uintptr_t)p % ps) == 0;
	int zero = 1;
	for (size_t i = 0; ok && i < len; i += 512)
		if (p[i])
			zero = 0;
	for (size_t i = 0; ok && i < len; i += (size_t)ps)
		p[i] = (unsigned char)i;
	printf("mmap anon: ok=%s aligned+zeroed=%s", yes(ok), yes(zero));
	int mp = mprotect(p + ps, (size_t)ps, PROT_READ);
	printf(" mprotect=%d readable=%s", mp, yes(p[ps] == (unsigned char)ps));
	int mu = munmap(p + 2 * ps, (size_t)ps);
	printf(" munmap(middle)=%d", mu);
	printf(" rest intact=%s", yes(p[3 * ps] == (unsigned char)(3 * ps) && p[0] == 0));
	munmap(p, len);
	printf("\n");
	errno = 0;
	void *bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0);
	printf("mmap(fd=-1, not anon): %s errno=%s\n", bad == MAP_FAILED ? "MAP_FAILED" : "mapped",
	       errname(errno));
	errno = 0;
	int r = munmap((void *)0x10001, 4096);
	printf("munmap(unaligned): %d errno=%s\n", r, errname(errno));
	/* a bigger mapping: 8 MiB, touch every page */
	size_t big = 8u << 20;
	unsigned char *q = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t sum = 0;
	if (q != MAP_FAILED) {
		for (size_t i = 0; i < big; i += 4096)
			q[i] = (unsigned char)(i >> 12);
		for (size_t i = 0; i < big; i += 4096)
			sum += q[i];
		munmap(q, big);
	}
	printf("mmap 8 MiB: %s page-sum=%u\n", yes(q != MAP_FAILED), sum);
}

static void test_identity(void)
{
	struct utsname u;
	int r = uname(&u);
	printf("uname: %d sysname=%s machine=%s\n", r, u.sysname, u.machine);
	printf("getpid>0: %s getppid>0: %s gettid==getpid: %s\n", yes(getpid() > 0),
	       yes(getppid() > 0), yes(gettid() == getpid()));
	printf("getuid==geteuid: %s getgid==getegid: %s\n", yes(getuid() == geteuid()),
	       yes(getgid() == getegid()));
}

static void test_time(void)
{
	struct timespec m1, m2, rt, res;
	int a = clock_gettime(CLOCK_MONOTONIC, &m1);
	int b = clock_gettime(CLOCK_REALTIME, &rt);
	struct timeval tv;
	int c = gettimeofday(&tv, NULL);
	struct timespec d = { 0, 2000000 };
	int n = nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	int64_t dt = (int64_t)(m2.tv_sec - m1.tv_sec) * 1000000000 + (m2.tv_nsec - m1.tv_nsec);
	printf("clock_gettime: %d %d monotonic nsec<1e9=%s realtime nsec<1e9=%s\n", a, b,
	       yes(m1.tv_nsec >= 0 && m1.tv_nsec < 1000000000),
	       yes(rt.tv_nsec >= 0 && rt.tv_nsec < 1000000000));
	printf("gettimeofday: %d usec<1e6=%s agrees with realtime (+-10 s)=%s\n", c,
	       yes(tv.tv_usec >= 0 && tv.tv_usec < 1000000),
	       yes(tv.tv_sec - rt.tv_sec < 10 && rt.tv_sec - tv.tv_sec < 10));
	printf("nanosleep(2 ms): %d monotonic advanced >= 2 ms: %s\n", n, yes(dt >= 2000000));
	time_t t = time(NULL);
	printf("time(): matches realtime (+-10 s)=%s\n", yes(t - rt.tv_sec < 10 && rt.tv_sec - t < 10));
	int g = clock_getres(CLOCK_MONOTONIC, &res);
	printf("clock_getres: %d positive<=1ms=%s\n", g,
	       yes(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000));
}

static void test_misc(int argc, char **argv)
{
	unsigned char rnd[16];
	ssize_t n = getrandom(rnd, sizeof rnd, 0);
	printf("getrandom: %zd\n", n);

	char path[256];
	ssize_t l = readlink("/proc/self/exe", path, sizeof path - 1);
	if (l > 0) {
		path[l] = 0;
		const char *base = strrchr(path, '/');
		const char *a0 = strrchr(argv[0], '/');
		printf("readlink(/proc/self/exe): ok, basename matches argv[0]: %s\n",
		       yes(base && strcmp(base + 1, a0 ? a0 + 1 : argv[0]) == 0));
	} else {
		printf("readlink(/proc/self/exe): errno=%s\n", errname(errno));
	}

	errno = 0;
	int t = isatty(1);
	printf("isatty(1): %d errno=%s\n", t, errname(errno));

	struct rlimit rl;
	int r = getrlimit(RLIMIT_STACK, &rl);
	printf("getrlimit(STACK): %d cur>=64KiB=%s cur<=max=%s\n", r,
	       yes(rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 65536),
	       yes(rl.rlim_max == RLIM_INFINITY || rl.rlim_cur <= rl.rlim_max));
	r = getrlimit(RLIMIT_NOFILE, &rl);
	printf("getrlimit(NOFILE): %d cur>=3=%s\n", r, yes(rl.rlim_cur >= 3));
	printf("sysconf(_SC_PAGESIZE): %ld\n", sysconf(_SC_PAGESIZE));

	unsigned long hw = getauxval(AT_HWCAP);
	printf("auxv: AT_PAGESZ=%lu AT_HWCAP: FPU=%s no-Altivec=%s\n", getauxval(AT_PAGESZ),
	       yes(hw & 0x08000000ul), yes(!(hw & 0x10000000ul)));
	printf("auxv: AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (unsigned long)(uintptr_t)_start));

	printf("argc=%d\n", argc);
	const char *a0 = strrchr(argv[0], '/');
	printf("argv[0] basename=%s\n", a0 ? a0 + 1 : argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	printf("argv[argc] is NULL: %s\n", yes(argv[argc] == NULL));
	int ne = 0;
	for (char **e = environ; *e; e++, ne++)
		printf("env: [%s]\n", *e);
	printf("envc=%d getenv(HV440)=%s\n", ne, getenv("HV440") ? getenv("HV440") : "(null)");
}

int main(int argc, char **argv)
{
	test_write();
	test_files();
	test_memory();
	test_identity();
	test_time();
	test_misc(argc, argv);
	printf("syscalls: exiting with status 3\n");
	fflush(stdout);
	exit(3);
}

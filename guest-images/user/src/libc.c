/*
 * libc: glibc on top of the integer and FP cores: printf's floating-point conversions, qsort,
 * the malloc family under churn, the string/number functions, and a plain signal handler.
 * Every line is deterministic (no addresses, no time).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void section(const char *name)
{
	printf("== %s\n", name);
}

/* ---- printf with floating point ---------------------------------------------------------- */

static void test_printf_fp(void)
{
	static const double vals[] = {
		0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 3.14159265358979323846,
		1e-5, 123456.789, 1e15, 1e16, 1e21, 1.7976931348623157e308, 2.2250738585072014e-308,
		4.9406564584124654e-324, -1e-300, 6.02214076e23, 1.0 / 3.0, 2.0 / 3.0, 0.125,
		999999.5, 9.999995, 1e100, -123.456e-10,
	};
	static const char *const fmts[] = {
		"%g", "%.0g", "%.1g", "%.10g", "%.17g", "%#g", "%f", "%.0f", "%.3f", "%#.0f",
		"%e", "%.0e", "%.3e", "%E", "%a", "%.3a", "%A", "%12.4f", "%-12.4e|", "%+g", "% g",
		"%012.3f", "%G",
	};
	section("printf fp");
	for (unsigned v = 0; v < sizeof vals / sizeof vals[0]; v++) {
		printf("v%02u:", v);
		for (unsigned f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
			putchar(' ');
			printf(fmts[f], vals[v]);
		}
		putchar('\n');
	}
	/* special values and the %*.* forms */
	volatile double zero = 0.0;
	double inf = 1.0 / zero, nan_ = zero / zero;
	printf("inf: %g %f %e %a %10g %-6G|\n", inf, inf, inf, inf, -inf, inf);
	printf("nan: %g %f %e %a %10g %-6G| sign=%d\n", fabs(nan_), fabs(nan_), fabs(nan_),
	       fabs(nan_), -fabs(nan_), fabs(nan_), signbit(-fabs(nan_)) != 0);
	printf("star: [%*.*f] [%-*.*e] [%*g]\n", 10, 3, 3.14159, 12, 2, -2.71828, 8, 1e-3);
	printf("float arg: %g %.9g %a\n", (double)1.1f, (double)3.4028235e38f, (double)1e-45f);
	printf("long double: %Lg %.20Lg\n", (long double)0.1, (long double)1 / 3);
	printf("ints: [%d] [%5d] [%-5d] [%05d] [%x] [%#X] [%o] [%#o] [%u] [%+d] [% d] [%lld] [%llx]\n",
	       -42, 42, 42, -42, 0xbeefu, 0xbeefu, 8u, 8u, 4294967295u, 7, 7,
	       -9223372036854775807LL - 1, 0x0123456789abcdefULL);
	printf("strs: [%s] [%10s] [%-10s] [%.3s] [%c] [%%] [%5c]\n", "abc", "abc", "abc", "abcdef",
	       'z', 'q');
	int n1 = 0;
	printf("n: abc%nxyz\n", &n1);
	printf("n1=%d\n", n1);
}

/* ---- qsort --------------------------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint32_t lcg_state = 12345;
static uint32_t lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 1;
}

static void test_qsort(void)
{
	section("qsort");
	enum { N = 1000 };
	static int a[N];
	lcg_state = 12345;
	for (int i = 0; i < N; i++)
		a[i] = (int)(lcg() % 2001) - 1000;
	qsort(a, N, sizeof a[0], cmp_int);
	int sorted = 1;
	int64_t sum = 0;
	for (int i = 0; i < N; i++) {
		if (i && a[i - 1] > a[i])
			sorted = 0;
		sum += (int64_t)a[i] * (i + 1);
	}
	printf("ints: sorted=%d min=%d max=%d median=%d weighted=%lld\n", sorted, a[0], a[N - 1],
	       a[N / 2], (long long)sum);

	static const char *words[] = {
		"pear", "apple", "fig", "banana", "cherry", "apricot", "date", "Zebra", "kiwi",
		"", "mango", "apple pie", "lemon", "lime", "grape", "Apple", "zucchini",
	};
	enum { W = sizeof words / sizeof words[0] };
	const char *w[W];
	memcpy(w, words, sizeof w);
	qsort(w, W, sizeof w[0], cmp_str);
	printf("strings:");
	for (int i = 0; i < W; i++)
		printf(" [%s]", w[i]);
	printf("\n");
}

/* ---- malloc churn -------------------------------------------------------------------------- */

static void test_malloc(void)
{
	section("malloc");
	enum { SLOTS = 64, ROUNDS = 3000 };
	unsigned char *p[SLOTS] = { 0 };
	size_t sz[SLOTS] = { 0 };
	uint32_t check = 0, bad = 0;
	lcg_state = 777;
	for (int r = 0; r < ROUNDS; r++) {
		unsigned s = lcg() % SLOTS;
		unsigned op = lcg() % 4;
		if (p[s]) {
			/* verify the slot's fill pattern before touching it */
			for (size_t i = 0; i < sz[s]; i++)
				if (p[s][i] != (unsigned char)(s + i))
					bad++;
		}
		if (op == 0 && p[s]) {
			free(p[s]);
			p[s] = NULL;
			sz[s] = 0;
			continue;
		}
		/* mostly small blocks; now and then one above the mmap threshold (128 KiB) */
		size_t n = (lcg() % 97 == 0) ? 131072 + lcg() % 65536 : 1 + lcg() % 400;
		if (op == 1 && p[s]) {
			unsigned char *q = realloc(p[s], n);
			if (!q) {
				bad++;
				continue;
			}
			size_t keep = n < sz[s] ? n : sz[s];
			for (size_t i = 0; i < keep; i++)
				if (q[i] != (unsigned char)(s + i))
					bad++;
			p[s] = q;
		} else if (op == 2) {
			free(p[s]);
			p[s] = calloc(n, 1);
			if (!p[s]) {
				bad++;
				continue;
			}
			for (size_t i = 0; i < n; i++)
				if (p[s][i])
					bad++;
		} else {
			free(p[s]);
			p[s] = malloc(n);
			if (!p[s]) {
				bad++;
				continue;
			}
		}
		if (((uintptr_t)p[s] & 7) != 0)
			bad++;
		sz[s] = n;
		for (size_t i = 0; i < n; i++)
			p[s][i] = (unsigned char)(s + i);
		check = check * 31u + (uint32_t)n + s;
	}
	for (int s = 0; s < SLOTS; s++)
		free(p[s]);
	void *big = malloc(4 << 20); /* goes to mmap */
	memset(big, 0x5a, 4 << 20);
	int bigok = ((unsigned char *)big)[(4 << 20) - 1] == 0x5a;
	free(big);
	printf("rounds=%d checksum=%08x corrupt=%u big=%d\n", ROUNDS, check, bad, bigok);
}

/* ---- string and number functions ----------------------------------------------------------- */

static void test_strings(void)
{
	section("strings");
	char a[64], b[64];
	strcpy(a, "Hello");
	strcat(a, ", world");
	printf("strcpy/strcat: [%s] len=%zu\n", a, strlen(a));
	printf("strlen: %zu %zu %zu\n", strlen(""), strlen("x"), strlen("0123456789abcdef0123"));
	printf("strcmp: %d %d %d %d\n", strcmp("abc", "abc") == 0, strcmp("abc", "abd") < 0,
	       strcmp("b", "abc") > 0, strcmp("", "a") < 0);
	printf("strncmp: %d %d %d\n", strncmp("abcdef", "abcxyz", 3) == 0,
	       strncmp("abcdef", "abcxyz", 4) < 0, strncmp("x", "y", 0) == 0);
	printf("strchr: %td %d %td\n", strchr(a, 'w') - a, strchr(a, 'q') == NULL,
	       strchr(a, '\0') - a);
	printf("strrchr: %td\n", strrchr(a, 'o') - a);
	printf("strstr: %td %d %td\n", strstr(a, "world") - a, strstr(a, "worlds") == NULL,
	       strstr(a, "") - a);
	/* memcpy/memmove/memset at every small alignment and overlapping in both directions */
	uint32_t h = 0;
	for (int off = 0; off < 8; off++)
		for (int len = 0; len < 40; len++) {
			unsigned char s[64], d[64];
			for (int i = 0; i < 64; i++) {
				s[i] = (unsigned char)(i * 7 + 1);
				d[i] = 0xee;
			}
			memcpy(d + off, s + (7 - off), len);
			for (int i = 0; i < 64; i++)
				h = h * 33u + d[i];
			memmove(s + off, s + 3, len);
			memmove(s + 3, s + off + 1, len / 2);
			for (int i = 0; i < 64; i++)
				h = h * 33u + s[i];
			memset(d + off, off * 17, len);
			for (int i = 0; i < 64; i++)
				h = h * 33u + d[i];
		}
	printf("mem* hash: %08x\n", h);
	printf("memcmp: %d %d\n", memcmp("abc", "abd", 3) < 0, memcmp("abc", "abd", 2) == 0);

	strcpy(b, "  alpha,beta;;gamma , delta,");
	printf("strtok:");
	for (char *t = strtok(b, " ,;"); t; t = strtok(NULL, " ,;"))
		printf(" [%s]", t);
	printf("\n");

	char *end;
	static const char *const longs[] = { "0", "-17", "  +42xyz", "0x7fffffff", "2147483648",
					     "-2147483649", "0777", "zz", "-0x80000000" };
	for (unsigned i = 0; i < sizeof longs / sizeof longs[0]; i++) {
		errno = 0;
		long v = strtol(longs[i], &end, 0);
		printf("strtol(\"%s\",0) = %ld end=%td errno=%s\n", longs[i], v, end - longs[i],
		       errno == ERANGE ? "ERANGE" : errno ? "other" : "0");
	}
	errno = 0;
	printf("strtol base 2/16/36: %ld %ld %ld\n", strtol("101101", NULL, 2),
	       strtol("ff", NULL, 16), strtol("zz", NULL, 36));
	static const char *const ulongs[] = { "4294967295", "4294967296", "-1", "0xdeadbeef" };
	for (unsigned i = 0; i < sizeof ulongs / sizeof ulongs[0]; i++) {
		errno = 0;
		unsigned long v = strtoul(ulongs[i], &end, 0);
		printf("strtoul(\"%s\") = %lu end=%td errno=%s\n", ulongs[i], v, end - ulongs[i],
		       errno == ERANGE ? "ERANGE" : errno ? "other" : "0");
	}
	static const char *const dbls[] = { "3.25", "-1e-3", "0x1.8p3", "1e400", "1e-400", "inf",
					    "-nan", "  12.5e+2abc", "4.9e-324", ".5", "1e" };
	for (unsigned i = 0; i < sizeof dbls / sizeof dbls[0]; i++) {
		errno = 0;
		double v = strtod(dbls[i], &end);
		union { double d; uint64_t u; } cv = { v };
		printf("strtod(\"%s\") = %.17g bits=%016llx end=%td errno=%s\n", dbls[i],
		       isnan(v) ? fabs(v) : v, (unsigned long long)(cv.u & 0x7fffffffffffffffULL) |
		       (isnan(v) ? 0 : (cv.u & 0x8000000000000000ULL)), end - dbls[i],
		       errno == ERANGE ? "ERANGE" : errno ? "other" : "0");
	}

	char s1[100];
	int n = sprintf(s1, "%d-%s-%.2f-%c-%x", 12, "ab", 2.345, 'Q', 255);
	printf("sprintf: [%s] n=%d\n", s1, n);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
	n = snprintf(s1, 8, "%s-%s", "0123456789", "abcdef");
#pragma GCC diagnostic pop
	printf("snprintf: [%s] n=%d\n", s1, n);
	n = snprintf(NULL, 0, "%d %g", 123456, 1.5);
	printf("snprintf(NULL,0): n=%d\n", n);

	int i1 = 0, i2 = 0;
	unsigned x1 = 0;
	double d1 = 0;
	char w1[16] = "", c1 = 0;
	n = sscanf("  -12 0x1F 3.5e2 word7 Z 99", "%d %x %lf %15s %c %d", &i1, &x1, &d1, w1, &c1,
		   &i2);
	printf("sscanf: n=%d i1=%d x1=%u d1=%g w1=[%s] c1=%c i2=%d\n", n, i1, x1, d1, w1, c1, i2);
	n = sscanf("42 abc", "%d %d", &i1, &i2);
	printf("sscanf partial: n=%d i1=%d\n", n, i1);
	n = sscanf("", "%d", &i1);
	printf("sscanf empty: n=%d\n", n);
	n = sscanf("key=value;rest", "%[^=]=%[^;]", s1, w1);
	printf("sscanf sets: n=%d [%s] [%s]\n", n, s1, w1);
}

/* ---- signal handler -------------------------------------------------------------------------- */

static volatile sig_atomic_t got_usr1;
static volatile int handler_signo;

static void on_usr1(int sig)
{
	got_usr1 = 1;
	handler_signo = sig;
}

static void test_signal(void)
{
	section("signal");
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	int r = sigaction(SIGUSR1, &sa, NULL);
	printf("sigaction: %d flag before=%d\n", r, (int)got_usr1);
	r = raise(SIGUSR1);
	printf("raise: %d flag after=%d signo=%s\n", r, (int)got_usr1,
	       handler_signo == SIGUSR1 ? "SIGUSR1" : "other");
	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	printf("handler still installed: %d\n", old.sa_handler == on_usr1);
}

int main(void)
{
	test_printf_fp();
	test_qsort();
	test_malloc();
	test_strings();
	test_signal();
	printf("libc: done\n");
	return 0;
}

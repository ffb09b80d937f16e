/* The kernel's small C library: memory and string functions, page helpers, cache maintenance. */
#include "kernel.h"
#include "mm.h"

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;
	/* word copies when both are aligned alike (the 440 handles misaligned words in hardware,
	 * but aligned ones are cheaper) */
	if ((((u32)dp ^ (u32)sp) & 3) == 0) {
		while (n && ((u32)dp & 3)) { *dp++ = *sp++; n--; }
		u32 *dw = (u32 *)dp;
		const u32 *sw = (const u32 *)sp;
		while (n >= 16) {
			u32 a = sw[0], b = sw[1], c = sw[2], e = sw[3];
			dw[0] = a; dw[1] = b; dw[2] = c; dw[3] = e;
			dw += 4; sw += 4; n -= 16;
		}
		while (n >= 4) { *dw++ = *sw++; n -= 4; }
		dp = (u8 *)dw;
		sp = (const u8 *)sw;
	}
	while (n--) *dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;
	if (dp <= sp || dp >= sp + n) return memcpy(d, s, n);
	while (n--) dp[n] = sp[n];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	u8 *p = d;
	u32 w = (u8)c;
	w |= w << 8;
	w |= w << 16;
	while (n && ((u32)p & 3)) { *p++ = (u8)c; n--; }
	u32 *pw = (u32 *)p;
	while (n >= 16) { pw[0] = w; pw[1] = w; pw[2] = w; pw[3] = w; pw += 4; n -= 16; }
	while (n >= 4) { *pw++ = w; n -= 4; }
	p = (u8 *)pw;
	while (n--) *p++ = (u8)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y) return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p) p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n]) n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) { a++; b++; }
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b) return (u8)*a - (u8)*b;
		if (!*a) return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) return (char *)s;
		if (!*s) return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *r = NULL;
	for (;; s++) {
		if (*s == (char)c) r = s;
		if (!*s) return (char *)r;
	}
}

size_t strlcpy(char *d, const char *s, size_t size)
{
	size_t n = strlen(s);
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(d, s, k);
		d[k] = 0;
	}
	return n;
}

/* Zero a page with dcbz (32-byte cache lines on the 440). */
void zero_page(void *page)
{
	char *p = page;
	for (int i = 0; i < PAGE_SIZE; i += 32)
		__asm__ volatile("dcbz 0,%0" : : "r"(p + i) : "memory");
}

void copy_page(void *dst, const void *src)
{
	memcpy(dst, src, PAGE_SIZE);
}

/* Make instructions written through the data side visible to instruction fetch. */
void flush_icache_range(u32 start, u32 end)
{
	start &= ~31u;
	for (u32 a = start; a < end; a += 32) __asm__ volatile("dcbst 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("msync" : : : "memory");
	for (u32 a = start; a < end; a += 32) __asm__ volatile("icbi 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("msync; isync" : : : "memory");
}

/* ---- deterministic pseudo-random numbers (splitmix64) ---- */
#include "random.h"

static u64 rng_state = 0x4856343430ull;   /* "HV440" */

void get_random_bytes(void *buf, u32 n)
{
	u8 *p = buf;
	while (n) {
		u64 z = (rng_state += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		for (int i = 0; i < 8 && n; i++, n--) *p++ = (u8)(z >> (8 * i));
	}
}

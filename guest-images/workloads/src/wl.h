/*
 * wl.h: helpers shared by the workload programs (header only).
 *
 * Output convention: every line is deterministic except the lines that start with "time:",
 * which carry elapsed times measured with clock_gettime(CLOCK_MONOTONIC) (under the hv440 guest
 * kernel that clock is derived from the 440 timebase). Tests drop the "time:" lines.
 */
#ifndef WL_H
#define WL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t wl_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* "time: <what> <seconds> s" */
static inline void wl_time(const char *what, uint64_t ns)
{
	printf("time: %s %llu.%06llu s\n", what, (unsigned long long)(ns / 1000000000ull),
	       (unsigned long long)(ns % 1000000000ull / 1000ull));
}

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32), table built on first use. */
static uint32_t wl_crc_table[256];

static inline uint32_t wl_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	if (!wl_crc_table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			wl_crc_table[i] = c;
		}
	}
	crc = ~crc;
	while (len--)
		crc = wl_crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Parses a non-negative decimal/hex number argument; exits with status 2 if malformed. */
static inline unsigned long wl_arg(const char *prog, const char *what, const char *s)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "%s: bad %s '%s'\n", prog, what, s);
		exit(2);
	}
	return v;
}

static inline void *wl_xmalloc(const char *prog, size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fprintf(stderr, "%s: out of memory (%zu bytes)\n", prog, n);
		exit(1);
	}
	return p;
}

#endif

/*
 * bench-hash: compute kernel for the benchmarks (no system calls inside the loop).
 * sdbm hash over a 4 KiB buffer, N rounds (default 7000, argv[1] overrides); each round folds
 * the hash back into the buffer so rounds cannot be skipped. Prints the final hash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LEN 4096u

static uint8_t buf[LEN];

__attribute__((noinline)) uint32_t hash_kernel(uint8_t *b, uint32_t len, uint32_t iters)
{
	uint32_t h = 0;
	for (uint32_t it = 0; it < iters; it++) {
		uint32_t hh = h;
		for (uint32_t i = 0; i < len; i++)
			hh = b[i] + (hh << 6) + (hh << 16) - hh;
		h = hh;
		b[it & (len - 1)] ^= (uint8_t)h;
		b[(it * 7u + 3u) & (len - 1)] ^= (uint8_t)(h >> 11);
	}
	return h;
}

int main(int argc, char **argv)
{
	uint32_t iters = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 7000;
	uint32_t x = 0x9e3779b9u;
	for (uint32_t i = 0; i < LEN; i++) {
		x = x * 1664525u + 1013904223u;
		buf[i] = (uint8_t)(x >> 24);
	}
	uint32_t h = hash_kernel(buf, LEN, iters);
	printf("bench-hash: rounds=%u bytes=%u hash=%08x\n", iters, LEN, h);
	return 0;
}

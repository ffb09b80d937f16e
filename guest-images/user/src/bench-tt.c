/*
 * bench-tt: transposition-table kernel (memory/TLB pressure): xorshift32 probes into a table of
 * 8-byte (key, value) entries, replace on miss. argv[1] = log2 of the entry count (default 22,
 * a 32 MiB table), argv[2] = probes (default 10,000,000). Prints the kernel's result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) uint32_t tt_kernel(uint32_t *tt, uint32_t mask, uint32_t probes,
					     uint32_t seed)
{
	uint32_t x = seed, hits = 0, acc = 0;
	for (uint32_t p = 0; p < probes; p++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		uint32_t key = x & 0x7fffff;
		uint32_t idx = (key * 2654435761u >> 7) & mask;
		uint32_t *e = tt + 2 * idx;
		if (e[0] == key) {
			hits++;
			acc += e[1];
		} else {
			e[0] = key;
			e[1] = p;
		}
	}
	return hits * 31u + acc;
}

int main(int argc, char **argv)
{
	uint32_t lg = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 22;
	uint32_t probes = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 10000000;
	if (lg < 1 || lg > 26) {
		fprintf(stderr, "bench-tt: log2 entries must be 1..26\n");
		return 2;
	}
	uint32_t entries = 1u << lg;
	uint32_t *tt = calloc(entries, 8);
	if (!tt) {
		fprintf(stderr, "bench-tt: cannot allocate %u entries\n", entries);
		return 1;
	}
	uint32_t r = tt_kernel(tt, entries - 1, probes, 2463534242u);
	printf("bench-tt: log2=%u probes=%u result=%08x\n", lg, probes, r);
	free(tt);
	return 0;
}

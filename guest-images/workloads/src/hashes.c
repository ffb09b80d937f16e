/*
 * hashes: the seed's "foohash" workload — "a custom written small program calculating a lot of
 * hashes. It uses the hash algorithm used in the Berkeley db and calculates hash of hash of and
 * so on". Compute-bound: no system calls between start-up and the final printf.
 *
 * The four classic string hashes of the Berkeley DB hash access method (our own code, written
 * from the algorithms' definitions):
 *   func2  Phong Vo's linear congruential hash   h = 0x63c63cd9 * h + 0x9c39c33d + c
 *   func3  Ozan Yigit's sdbm hash                 h = c + 65599 * h
 *   func4  Chris Torek's hash (db 1.85 default)   h = 33 * h + c
 *   func5  Fowler/Noll/Vo FNV-1 (db 2.x+ default) h = (h * 16777619) ^ c
 * all starting from h = 0.
 *
 * Hash of hash: a 64-byte key starts as a fixed text; iteration i hashes the whole key with
 * func(2 + i % 4) and writes the 32-bit result (big-endian) into the key at word i % 16, so each
 * hash is computed over the previous hashes. An accumulator folds all results together.
 *
 * usage: hashes [iterations]     default 2000000 (full size); tests use 40000
 * output: test vectors of the four functions, then the final hash and accumulator.
 */
#include "wl.h"

#define KEYLEN 64

static uint32_t ham_func2(const uint8_t *k, uint32_t len)
{
	uint32_t h = 0;
	for (const uint8_t *e = k + len; k != e; k++)
		h = 0x63c63cd9u * h + 0x9c39c33du + *k;
	return h;
}

static uint32_t ham_func3(const uint8_t *k, uint32_t len)
{
	uint32_t h = 0;
	for (const uint8_t *e = k + len; k != e; k++)
		h = *k + 65599u * h;
	return h;
}

static uint32_t ham_func4(const uint8_t *k, uint32_t len)
{
	uint32_t h = 0;
	for (const uint8_t *e = k + len; k != e; k++)
		h = (h << 5) + h + *k;
	return h;
}

static uint32_t ham_func5(const uint8_t *k, uint32_t len)
{
	uint32_t h = 0;
	for (const uint8_t *e = k + len; k != e; k++) {
		h *= 16777619u;
		h ^= *k;
	}
	return h;
}

typedef uint32_t (*hashfn)(const uint8_t *, uint32_t);
static hashfn const funcs[4] = { ham_func2, ham_func3, ham_func4, ham_func5 };

__attribute__((noinline)) static uint32_t hash_of_hash(uint8_t *key, uint32_t iters,
						       uint32_t *accp)
{
	uint32_t h = 0, acc = 0;
	for (uint32_t i = 0; i < iters; i++) {
		h = funcs[i & 3](key, KEYLEN);
		uint8_t *w = key + (i & 15) * 4;
		w[0] = (uint8_t)(h >> 24);
		w[1] = (uint8_t)(h >> 16);
		w[2] = (uint8_t)(h >> 8);
		w[3] = (uint8_t)h;
		acc = ((acc << 5) | (acc >> 27)) ^ h;
	}
	*accp = acc;
	return h;
}

int main(int argc, char **argv)
{
	uint32_t iters = argc > 1 ? (uint32_t)wl_arg("hashes", "iteration count", argv[1]) : 2000000;
	static const char *const vectors[] = { "", "a", "Berkeley DB", "hash of hash of hash" };
	for (unsigned v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
		const uint8_t *s = (const uint8_t *)vectors[v];
		uint32_t n = (uint32_t)strlen(vectors[v]);
		printf("vector \"%s\": func2=%08x func3=%08x func4=%08x func5=%08x\n", vectors[v],
		       ham_func2(s, n), ham_func3(s, n), ham_func4(s, n), ham_func5(s, n));
	}

	uint8_t key[KEYLEN];
	static const char seed[] = "The quick brown fox jumps over the lazy dog; hash it again!!";
	memset(key, 0, sizeof key);
	memcpy(key, seed, sizeof seed - 1 < KEYLEN ? sizeof seed - 1 : KEYLEN);

	uint64_t t0 = wl_now_ns();
	uint32_t acc;
	uint32_t h = hash_of_hash(key, iters, &acc);
	uint64_t t1 = wl_now_ns();

	printf("hashes: iterations=%u keylen=%u final=%08x acc=%08x key-crc=%08x\n", iters, KEYLEN,
	       h, acc, wl_crc32(0, key, KEYLEN));
	wl_time("hashes", t1 - t0);
	if (t1 > t0)
		printf("time: hashes %.1f ns/hash\n", (double)(t1 - t0) / (iters ? iters : 1));
	return 0;
}

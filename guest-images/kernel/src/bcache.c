/*
 * The buffer cache: filesystem blocks in memory, LRU replacement, hashed by block number. A miss
 * reads ahead: the missing block and up to READAHEAD-1 following blocks that are not cached go to
 * the disk as one request (scatter list), since file data is mostly laid out in order. Its size
 * is a sixteenth of RAM (at most 8 MiB).
 *
 * Only process context touches the cache (the completion interrupt just wakes the reader, who
 * then finishes the buffers itself) and the kernel is not preemptible: no interrupt masking.
 */
#include "kernel.h"
#include "ppc.h"
#include "blk.h"
#include "alloc.h"
#include "mm.h"
#include "sched.h"

#define HASH_SIZE 1024
#define READAHEAD 32

static struct buf *bufs;
static u32 nbufs, bsize, dev_blocks;
static struct buf *hash[HASH_SIZE];
static struct buf lru;   /* sentinel: lru.next = most recently used */

static void lru_unlink(struct buf *b) { b->prev->next = b->next; b->next->prev = b->prev; }
static void lru_push_front(struct buf *b) { b->next = lru.next; b->prev = &lru; lru.next->prev = b; lru.next = b; }

static struct buf *lookup(u32 blk)
{
	for (struct buf *b = hash[blk % HASH_SIZE]; b; b = b->hnext)
		if (b->blk == blk) return b;
	return NULL;
}

static void unhash(struct buf *b)
{
	struct buf **pp = &hash[b->blk % HASH_SIZE];
	while (*pp && *pp != b) pp = &(*pp)->hnext;
	if (*pp) *pp = b->hnext;
}

void bcache_init(u32 block_size)
{
	bsize = block_size;
	dev_blocks = (u32)(blk_capacity() * 512 / block_size);
	u32 bytes = (mem_total_pages() << PAGE_SHIFT) / 16;
	if (bytes > (8u << 20)) bytes = 8u << 20;
	nbufs = bytes / block_size;
	bufs = kzalloc(nbufs * sizeof *bufs);
	u8 *data = pages_alloc(nbufs * block_size / PAGE_SIZE);
	BUG_ON(!bufs || !data);
	lru.next = lru.prev = &lru;
	for (u32 i = 0; i < nbufs; i++) {
		bufs[i].blk = ~0u;
		bufs[i].data = data + i * block_size;
		lru_push_front(&bufs[i]);
	}
	pr_info("bcache: %u buffers of %u bytes (%u KiB), read-ahead %u blocks\n", nbufs, block_size, nbufs * block_size >> 10, READAHEAD);
}

/* The least recently used buffer nobody holds, unhashed. */
static struct buf *victim(void)
{
	for (struct buf *b = lru.prev; b != &lru; b = b->prev) {
		if (b->refcnt == 0 && !b->busy) {
			if (b->blk != ~0u) unhash(b);
			b->valid = 0;
			return b;
		}
	}
	return NULL;
}

struct buf *bread(u32 blk)
{
	struct buf *b = lookup(blk);
	if (b) {
		b->refcnt++;
		while (b->busy) {
			u32 f = irq_save();
			b->wanted = 1;
			sleep_on(b);
			irq_restore(f);
		}
		lru_unlink(b);
		lru_push_front(b);
		if (!b->valid) { brelse(b); return NULL; }
		return b;
	}
	/* read blk and the uncached blocks right after it in one request */
	struct buf *run[READAHEAD];
	struct sg sg[READAHEAD];
	u32 n = 0;
	while (n < READAHEAD && blk + n < dev_blocks && (n == 0 || !lookup(blk + n))) {
		struct buf *v = victim();
		if (!v) break;
		v->blk = blk + n;
		v->busy = 1;
		v->hnext = hash[v->blk % HASH_SIZE];
		hash[v->blk % HASH_SIZE] = v;
		lru_unlink(v);
		lru_push_front(v);
		sg[n].pa = __pa(v->data);
		sg[n].len = bsize;
		run[n++] = v;
	}
	BUG_ON(n == 0);
	run[0]->refcnt++;
	int e = blk_rw((u64)blk * (bsize / 512), sg, n, false);
	for (u32 i = 0; i < n; i++) {
		run[i]->busy = 0;
		run[i]->valid = e == 0;
		if (run[i]->wanted) {
			run[i]->wanted = 0;
			wakeup(run[i]);
		}
	}
	if (e) {
		printk("bcache: I/O error reading block %u\n", blk);
		brelse(run[0]);
		return NULL;
	}
	return run[0];
}

void brelse(struct buf *b)
{
	BUG_ON(b->refcnt == 0);
	b->refcnt--;
}


/* The block device (virtio_blk.c) and the buffer cache on top of it (bcache.c). */
#ifndef BLK_H
#define BLK_H
#include "types.h"

struct sg { u32 pa; u32 len; };

bool virtio_blk_probe(void);
u64 blk_capacity(void);                 /* 512-byte sectors; 0 without a disk */
/* Synchronous I/O: the calling task sleeps until the completion interrupt. 0 or -EIO. */
int blk_rw(u64 sector, const struct sg *sg, int nsg, bool write);

struct buf {
	u32 blk;
	u8 *data;
	u16 refcnt;
	u8 valid, busy, wanted;
	struct buf *hnext;
	struct buf *prev, *next;   /* LRU: head = most recently used */
};
void bcache_init(u32 block_size);
struct buf *bread(u32 blk);            /* referenced, valid; NULL on I/O error */
void brelse(struct buf *b);
#endif

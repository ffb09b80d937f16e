/*
 * virtio-blk over virtio-mmio (version 2, virtio 1.x), one split virtqueue.
 *
 * The device comes from the device tree ("virtio,mmio" node: reg, interrupts). Its registers are
 * 32-bit little-endian (in_le32/out_le32 = lwbrx/stwbrx), its config space a little-endian byte
 * array, and the virtqueue in RAM is little-endian too.
 *
 * A request is a descriptor chain: 16-byte header (type, reserved, sector), the data buffers,
 * and a status byte the device writes. Descriptors come from a free list; the requesting task
 * sleeps on its request until the used-ring interrupt marks it done: no polling.
 */
#include "kernel.h"
#include "ppc.h"
#include "blk.h"
#include "fdt.h"
#include "irq.h"
#include "mmu.h"
#include "alloc.h"
#include "sched.h"

#define VIRTIO_MAGIC 0x000
#define VIRTIO_VERSION 0x004
#define VIRTIO_DEVICE_ID 0x008
#define VIRTIO_VENDOR_ID 0x00c
#define VIRTIO_DEVICE_FEATURES 0x010
#define VIRTIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_DRIVER_FEATURES 0x020
#define VIRTIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_QUEUE_SEL 0x030
#define VIRTIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_QUEUE_NUM 0x038
#define VIRTIO_QUEUE_READY 0x044
#define VIRTIO_QUEUE_NOTIFY 0x050
#define VIRTIO_INTERRUPT_STATUS 0x060
#define VIRTIO_INTERRUPT_ACK 0x064
#define VIRTIO_STATUS 0x070
#define VIRTIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_CONFIG 0x100

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8

#define VIRTIO_BLK_F_RO 5
#define VIRTIO_F_VERSION_1 32

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

#define QUEUE_MAX 128

struct vring_desc { u64 addr; u32 len; u16 flags; u16 next; };   /* all little-endian */

struct request {
	u8 hdr[16];
	volatile u8 status;
	volatile bool done;
	u16 head;
	u16 ndesc;
};

static volatile u8 *regs;
static u32 phys;
static int irq = -1;
static u64 capacity;
static bool readonly;
static u16 qnum;
static struct vring_desc *desc;
static volatile u16 *avail;     /* flags, idx, ring[qnum], used_event */
static volatile u16 *used;      /* flags, idx, then ring of {le32 id, le32 len} */
static u16 free_head, num_free, last_used, avail_idx;
static struct request *owner[QUEUE_MAX];
static u32 requests, sectors_moved;

static inline u16 le16(u16 v) { return __builtin_bswap16(v); }
static inline u32 le32(u32 v) { return __builtin_bswap32(v); }
static inline u64 le64(u64 v) { return __builtin_bswap64(v); }

static u32 rd(u32 off) { return in_le32(regs + off); }
static void wr(u32 off, u32 v) { out_le32(regs + off, v); }
static u8 cfg8(u32 off) { return in_8(regs + VIRTIO_CONFIG + off); }

u64 blk_capacity(void) { return capacity; }

static void interrupt(int n, void *arg)
{
	u32 st = rd(VIRTIO_INTERRUPT_STATUS);
	wr(VIRTIO_INTERRUPT_ACK, st);
	msync();
	while (last_used != le16(used[1])) {
		const volatile u32 *elem = (const volatile u32 *)(used + 2) + 2 * (last_used % qnum);
		u16 id = le32(elem[0]);
		last_used++;
		struct request *r = owner[id];
		if (!r) continue;
		owner[id] = NULL;
		/* give the chain back */
		u16 d = id;
		for (u16 k = 0; k < r->ndesc; k++) {
			u16 next = le16(desc[d].next);
			if (k + 1 == r->ndesc) {
				desc[d].next = le16(free_head);
				free_head = id;
			}
			d = next;
		}
		num_free += r->ndesc;
		r->done = true;
		wakeup(r);
	}
	wakeup(&num_free);
}

int blk_rw(u64 sector, const struct sg *sg, int nsg, bool write)
{
	if (!regs) return -EIO;
	if (write && readonly) return -EROFS;
	BUG_ON(current == idle_task);
	struct request *r = kzalloc(sizeof *r);
	if (!r) return -ENOMEM;
	u32 hdr[4] = { le32(write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN), 0, le32((u32)sector), le32((u32)(sector >> 32)) };
	memcpy(r->hdr, hdr, 16);
	r->ndesc = nsg + 2;
	u32 bytes = 0;
	u32 f = irq_save();
	while (num_free < r->ndesc) sleep_on(&num_free);
	/* header, data, status */
	u16 head = free_head, d = head;
	for (int k = 0; k < r->ndesc; k++) {
		u32 pa, len;
		u16 flags;
		if (k == 0) { pa = __pa(r->hdr); len = 16; flags = 0; }
		else if (k <= nsg) { pa = sg[k - 1].pa; len = sg[k - 1].len; flags = write ? 0 : VRING_DESC_F_WRITE; bytes += len; }
		else { pa = __pa(&r->status); len = 1; flags = VRING_DESC_F_WRITE; }
		if (k + 1 < r->ndesc) flags |= VRING_DESC_F_NEXT;
		desc[d].addr = le64(pa);
		desc[d].len = le32(len);
		desc[d].flags = le16(flags);
		if (k + 1 < r->ndesc) d = le16(desc[d].next);
		else free_head = le16(desc[d].next);
	}
	num_free -= r->ndesc;
	r->head = head;
	r->status = 0xff;
	owner[head] = r;
	avail[2 + avail_idx % qnum] = le16(head);
	msync();
	avail_idx++;
	avail[1] = le16(avail_idx);
	msync();
	wr(VIRTIO_QUEUE_NOTIFY, 0);
	requests++;
	sectors_moved += bytes / 512;
	while (!r->done) sleep_on(r);
	irq_restore(f);
	int status = r->status;
	kfree(r);
	return status == 0 ? 0 : -EIO;
}

bool virtio_blk_probe(void)
{
	for (int node = fdt_next_compatible(-1, "virtio,mmio"); node >= 0; node = fdt_next_compatible(node, "virtio,mmio")) {
		u64 pa, size;
		if (!fdt_reg(node, 0, &pa, &size)) continue;
		volatile u8 *r = ioremap(pa, size ? size : 0x200);
		if (!r) continue;
		regs = r;
		if (rd(VIRTIO_MAGIC) != 0x74726976 || rd(VIRTIO_DEVICE_ID) != 2) {   /* "virt", block */
			regs = NULL;
			continue;
		}
		phys = (u32)pa;
		if (rd(VIRTIO_VERSION) != 2) {
			printk("virtio-mmio at 0x%08x: version %u not supported (need 2)\n", phys, rd(VIRTIO_VERSION));
			regs = NULL;
			continue;
		}
		irq = irq_of_node(node);
		break;
	}
	if (!regs) return false;

	wr(VIRTIO_STATUS, 0);
	wr(VIRTIO_STATUS, STATUS_ACKNOWLEDGE);
	wr(VIRTIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	wr(VIRTIO_DEVICE_FEATURES_SEL, 0);
	u32 f0 = rd(VIRTIO_DEVICE_FEATURES);
	wr(VIRTIO_DEVICE_FEATURES_SEL, 1);
	u32 f1 = rd(VIRTIO_DEVICE_FEATURES);
	readonly = (f0 >> VIRTIO_BLK_F_RO) & 1;
	wr(VIRTIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_DRIVER_FEATURES, f0 & (1u << VIRTIO_BLK_F_RO));
	wr(VIRTIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_DRIVER_FEATURES, f1 & 1);   /* VERSION_1 */
	wr(VIRTIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
	if (!(f1 & 1) || !(rd(VIRTIO_STATUS) & STATUS_FEATURES_OK)) {
		printk("virtio-blk at 0x%08x: feature negotiation failed\n", phys);
		wr(VIRTIO_STATUS, 0x80);
		regs = NULL;
		return false;
	}
	wr(VIRTIO_QUEUE_SEL, 0);
	u32 max = rd(VIRTIO_QUEUE_NUM_MAX);
	qnum = max < QUEUE_MAX ? max : QUEUE_MAX;
	if (qnum < 4) {
		printk("virtio-blk: queue too small (%u)\n", max);
		regs = NULL;
		return false;
	}
	/* one page: descriptors, then the available ring, then (4-aligned) the used ring */
	u8 *page = page_alloc_zeroed();
	desc = (struct vring_desc *)page;
	avail = (volatile u16 *)(page + 16 * qnum);
	used = (volatile u16 *)(page + ALIGN_UP(16 * qnum + 6 + 2 * qnum, 4));
	BUG_ON((u8 *)used + 6 + 8 * qnum > page + PAGE_SIZE);
	for (u16 i = 0; i < qnum; i++) desc[i].next = le16(i + 1);
	free_head = 0;
	num_free = qnum;
	wr(VIRTIO_QUEUE_NUM, qnum);
	wr(VIRTIO_QUEUE_DESC_LOW, __pa(desc));
	wr(VIRTIO_QUEUE_DESC_HIGH, 0);
	wr(VIRTIO_QUEUE_DRIVER_LOW, __pa((void *)avail));
	wr(VIRTIO_QUEUE_DRIVER_HIGH, 0);
	wr(VIRTIO_QUEUE_DEVICE_LOW, __pa((void *)used));
	wr(VIRTIO_QUEUE_DEVICE_HIGH, 0);
	wr(VIRTIO_QUEUE_READY, 1);
	if (irq >= 0) irq_register(irq, interrupt, NULL, "virtio-blk");
	wr(VIRTIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);

	capacity = 0;
	for (int i = 7; i >= 0; i--) capacity = (capacity << 8) | cfg8(i);
	u32 kib = (u32)(capacity / 2);
	pr_info("virtio-blk: virtio-mmio v2 at 0x%08x (irq %d), vendor %08x, queue %u, %llu sectors (%u.%u MiB)%s\n", phys, irq,
		rd(VIRTIO_VENDOR_ID), qnum, capacity, kib >> 10, (kib & 1023) * 10 / 1024, readonly ? ", read-only" : "");
	if (irq < 0) printk("virtio-blk: no interrupt in the device tree: the disk cannot be used\n");
	return irq >= 0;
}

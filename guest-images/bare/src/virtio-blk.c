/*
 * virtio-blk: a minimal virtio-mmio (version 2, virtio 1.x section 4.2) block driver, polled and
 * interrupt driven. The device is hv440's addition to bamboo (QEMU's bamboo has none), at
 * VIRTIO_BLK_BASE with UIC0 input VIRTIO_BLK_UIC_IRQ (lib/board.h).
 *
 * Byte order: the transport registers are little-endian 32-bit registers on the big-endian bus,
 * read and written with lwbrx/stwbrx exactly like Linux's readl()/writel() on PowerPC; the
 * virtqueue (descriptors, rings) and the request header in RAM are little-endian as well.
 *
 * Disk: disk/test.img (64 KiB = 128 sectors, pattern in disk/mkdisk.mjs), attached read-write.
 * The program reads sectors 0, 1, 5, 127 and 8..15, writes sector 100 with the inverted pattern,
 * reads it back, and writes the original back (so the image is unchanged after a passing run).
 */
#include "bare.h"

const char bare_name[] = "virtio-blk";

/* transport registers */
#define V_MAGIC        0x000
#define V_VERSION      0x004
#define V_DEVICE_ID    0x008
#define V_DEV_FEAT     0x010
#define V_DEV_FEAT_SEL 0x014
#define V_DRV_FEAT     0x020
#define V_DRV_FEAT_SEL 0x024
#define V_QUEUE_SEL    0x030
#define V_QUEUE_NUM_MAX 0x034
#define V_QUEUE_NUM    0x038
#define V_QUEUE_READY  0x044
#define V_QUEUE_NOTIFY 0x050
#define V_INT_STATUS   0x060
#define V_INT_ACK      0x064
#define V_STATUS       0x070
#define V_DESC_LO      0x080
#define V_DESC_HI      0x084
#define V_DRIVER_LO    0x090
#define V_DRIVER_HI    0x094
#define V_DEVICE_LO    0x0a0
#define V_DEVICE_HI    0x0a4
#define V_CONFIG       0x100

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8

#define F_BLK_RO     5
#define F_BLK_FLUSH  9

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4

#define QN 8
#define D_NEXT 1
#define D_WRITE 2

/* RAM layout (identity mapped by TLB entry 0) */
#define VQ       0x00300000
#define VQ_DESC  (VQ + 0x000)
#define VQ_AVAIL (VQ + 0x100)
#define VQ_USED  (VQ + 0x200)
#define HDR      0x00301000
#define STATUS   0x00301100
#define DATA     0x00302000
#define SAVE     0x00304000

#define DISK_SECTORS 128
#define TIMEOUT_TICKS 5000000

/* ------------------------------------------------------------------ byte-reversed access */

static inline u32 vr(u32 off)
{
	u32 v;
	__asm__ volatile("lwbrx %0,0,%1" : "=r"(v) : "r"(VIRTIO_BLK_BASE + off) : "memory");
	return v;
}

static inline void vw(u32 off, u32 v)
{
	__asm__ volatile("stwbrx %0,0,%1; mbar" :: "r"(v), "r"(VIRTIO_BLK_BASE + off) : "memory");
}

static inline void st_le32(u32 a, u32 v) { __asm__ volatile("stwbrx %0,0,%1" :: "r"(v), "r"(a) : "memory"); }
static inline void st_le16(u32 a, u32 v) { __asm__ volatile("sthbrx %0,0,%1" :: "r"(v), "r"(a) : "memory"); }
static inline u32 ld_le32(u32 a) { u32 v; __asm__ volatile("lwbrx %0,0,%1" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline u32 ld_le16(u32 a) { u32 v; __asm__ volatile("lhbrx %0,0,%1" : "=r"(v) : "r"(a) : "memory"); return v; }

/* ------------------------------------------------------------------ disk pattern */

static u32 pat(u32 s, u32 k)
{
	if (k < 4) {
		static const char hex[] = "0123456789abcdef";
		char t[16] = "hv440-disk-0000\n";
		t[11] = hex[(s >> 12) & 15];
		t[12] = hex[(s >> 8) & 15];
		t[13] = hex[(s >> 4) & 15];
		t[14] = hex[s & 15];
		return ((u32)(u8)t[4 * k] << 24) | ((u32)(u8)t[4 * k + 1] << 16) |
		       ((u32)(u8)t[4 * k + 2] << 8) | (u8)t[4 * k + 3];
	}
	return (s * 0x9E3779B1u) ^ (k * 0x85EBCA77u);
}

/* Compares n sectors at `buf` with the pattern of sectors first.. (inverted when inv). Returns
 * the index of the first wrong word, or -1. */
static int verify(u32 buf, u32 first, u32 n, int inv)
{
	for (u32 i = 0; i < n * 128; i++) {
		u32 want = pat(first + i / 128, i % 128);
		if (inv)
			want = ~want;
		if (ld32(buf + 4 * i) != want)
			return (int)i;
	}
	return -1;
}

/* ------------------------------------------------------------------ virtqueue */

static u32 avail_idx, used_seen;
static int use_irq;
static volatile u32 irq_count, irq_isr;

static void desc(int i, u32 addr, u32 len, u32 flags, u32 next)
{
	u32 d = VQ_DESC + 16 * i;
	st_le32(d + 0, addr);
	st_le32(d + 4, 0);
	st_le32(d + 8, len);
	st_le16(d + 12, flags);
	st_le16(d + 14, next);
}

struct result {
	int done;
	u32 status, id, len;
};

/* One request: header, optional data (device-writable for IN), status. */
static struct result request(u32 type, u32 sector, u32 buf, u32 len)
{
	struct result r = { 0, 0xEE, 0xEEEEEEEE, 0xEEEEEEEE };
	st_le32(HDR + 0, type);
	st_le32(HDR + 4, 0);
	st_le32(HDR + 8, sector);
	st_le32(HDR + 12, 0);
	st8(STATUS, 0xEE);
	if (len) {
		desc(0, HDR, 16, D_NEXT, 1);
		desc(1, buf, len, D_NEXT | (type == T_IN ? D_WRITE : 0), 2);
	} else {
		desc(0, HDR, 16, D_NEXT, 2);
	}
	desc(2, STATUS, 1, D_WRITE, 0);
	st_le16(VQ_AVAIL + 4 + 2 * (avail_idx % QN), 0);
	msync();                                   /* ring entry before the index */
	avail_idx = (avail_idx + 1) & 0xffff;
	st_le16(VQ_AVAIL + 2, avail_idx);
	msync();                                   /* index before the notification */
	irq_count = 0;
	vw(V_QUEUE_NOTIFY, 0);

	u32 t0 = tbl();
	while ((u32)(tbl() - t0) < TIMEOUT_TICKS) {
		if (use_irq ? irq_count != 0 : ld_le16(VQ_USED + 2) != used_seen)
			break;
	}
	if (ld_le16(VQ_USED + 2) == used_seen)
		return r;
	msync();
	u32 e = VQ_USED + 4 + 8 * (used_seen % QN);
	r.id = ld_le32(e);
	r.len = ld_le32(e + 4);
	used_seen = (used_seen + 1) & 0xffff;
	r.status = ld8(STATUS);
	r.done = 1;
	return r;
}

static int read_ok(const char *name, u32 sector, u32 n)
{
	memset((void *)DATA, 0x5A, n * 512);
	struct result r = request(T_IN, sector, DATA, n * 512);
	int bad = r.done && r.status == 0 ? verify(DATA, sector, n, 0) : -2;
	return check(name, r.done && r.status == 0 && bad < 0 && r.id == 0 && r.len == n * 512 + 1,
		     "done %d status %02x used id %u len %u, first wrong word %d", r.done, r.status,
		     r.id, r.len, bad);
}

/* ------------------------------------------------------------------ interrupt */

static int virtio_irq_hook(struct exc_frame *f, int action)
{
	(void)f;
	u32 isr = vr(V_INT_STATUS);
	vw(V_INT_ACK, isr);
	mtdcr(UIC0_SR, UIC_BIT(VIRTIO_BLK_UIC_IRQ));
	irq_isr |= isr;
	irq_count++;
	return action;
}

/* ------------------------------------------------------------------ */

int main(void)
{
	msr_set(MSR_ME);
	tlb_map(TLBI_VIRTIO, VIRTIO_BLK_BASE, 0, VIRTIO_BLK_BASE, TLB_4K, 0, 0,
		TLB2_I | TLB2_G | TLB2_SR | TLB2_SW);

	/* --- identification */
	u32 magic = vr(V_MAGIC);
	if (!check("virtio.magic", magic == 0x74726976, "MagicValue %08x (no virtio-mmio device at "
		   "%08x?)", magic, VIRTIO_BLK_BASE))
		return 0;
	check_eq("virtio.version", vr(V_VERSION), 2);
	check_eq("virtio.device-id", vr(V_DEVICE_ID), 2);

	/* --- initialisation (virtio 1.x 3.1.1) */
	vw(V_STATUS, 0);
	check_eq("virtio.reset", vr(V_STATUS), 0);
	vw(V_STATUS, S_ACK);
	vw(V_STATUS, S_ACK | S_DRIVER);
	check_eq("virtio.status-driver", vr(V_STATUS), S_ACK | S_DRIVER);
	vw(V_DEV_FEAT_SEL, 0);
	u32 f0 = vr(V_DEV_FEAT);
	vw(V_DEV_FEAT_SEL, 1);
	u32 f1 = vr(V_DEV_FEAT);
	check("virtio.features-version1", f1 & 1, "device features %08x:%08x lack VERSION_1", f1, f0);
	int ro = (f0 >> F_BLK_RO) & 1, flush = (f0 >> F_BLK_FLUSH) & 1;
	vw(V_DRV_FEAT_SEL, 0);
	vw(V_DRV_FEAT, flush << F_BLK_FLUSH);
	vw(V_DRV_FEAT_SEL, 1);
	vw(V_DRV_FEAT, 1);
	vw(V_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	check_eq("virtio.features-ok", vr(V_STATUS), S_ACK | S_DRIVER | S_FEATURES_OK);

	vw(V_QUEUE_SEL, 0);
	check_eq("virtio.queue-initially-not-ready", vr(V_QUEUE_READY), 0);
	u32 qmax = vr(V_QUEUE_NUM_MAX);
	check("virtio.queue-num-max", qmax >= QN, "QueueNumMax %u < %u", qmax, QN);
	memset((void *)VQ, 0, 0x1000);
	avail_idx = used_seen = 0;
	vw(V_QUEUE_NUM, QN);
	vw(V_DESC_LO, VQ_DESC);
	vw(V_DESC_HI, 0);
	vw(V_DRIVER_LO, VQ_AVAIL);
	vw(V_DRIVER_HI, 0);
	vw(V_DEVICE_LO, VQ_USED);
	vw(V_DEVICE_HI, 0);
	vw(V_QUEUE_READY, 1);
	check_eq("virtio.queue-ready", vr(V_QUEUE_READY), 1);
	vw(V_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	check_eq("virtio.driver-ok", vr(V_STATUS), S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	u32 cap_lo = vr(V_CONFIG), cap_hi = vr(V_CONFIG + 4);
	check("virtio.capacity", cap_lo == DISK_SECTORS && cap_hi == 0,
	      "capacity %08x:%08x sectors, want %u (disk/test.img)", cap_hi, cap_lo, DISK_SECTORS);

	/* --- polled requests */
	read_ok("virtio.poll.read-s0", 0, 1);
	u32 isr = vr(V_INT_STATUS);
	vw(V_INT_ACK, isr);
	u32 isr_after = vr(V_INT_STATUS);
	check("virtio.poll.isr-used-buffer", (isr & 1) && isr_after == 0,
	      "InterruptStatus %08x, after ACK %08x", isr, isr_after);
	read_ok("virtio.poll.read-s1", 1, 1);
	read_ok("virtio.poll.read-s5", 5, 1);
	read_ok("virtio.poll.read-s127", 127, 1);
	read_ok("virtio.poll.read-s8-s15", 8, 8);

	/* write sector 100 (inverted pattern), read it back, restore it */
	check("virtio.poll.writable", !ro, "the device offers VIRTIO_BLK_F_RO: attach the disk "
	      "read-write");
	for (u32 k = 0; k < 128; k++)
		st32(SAVE + 4 * k, ~pat(100, k));
	struct result r = request(T_OUT, 100, SAVE, 512);
	check("virtio.poll.write-s100", r.done && r.status == 0 && r.id == 0 && r.len == 1,
	      "done %d status %02x used id %u len %u", r.done, r.status, r.id, r.len);
	memset((void *)DATA, 0, 512);
	r = request(T_IN, 100, DATA, 512);
	int bad = verify(DATA, 100, 1, 1);
	check("virtio.poll.readback-s100", r.done && r.status == 0 && bad < 0,
	      "done %d status %02x, first wrong word %d", r.done, r.status, bad);
	for (u32 k = 0; k < 128; k++)
		st32(SAVE + 4 * k, pat(100, k));
	r = request(T_OUT, 100, SAVE, 512);
	check("virtio.poll.restore-s100", r.done && r.status == 0, "done %d status %02x", r.done,
	      r.status);
	read_ok("virtio.poll.reread-s100", 100, 1);
	if (flush) {
		r = request(T_FLUSH, 0, 0, 0);
		check("virtio.poll.flush", r.done && r.status == 0 && r.len == 1,
		      "done %d status %02x len %u", r.done, r.status, r.len);
	} else {
		check("virtio.poll.flush", 1, "");
	}
	isr = vr(V_INT_STATUS);
	vw(V_INT_ACK, isr);

	/* --- interrupt-driven requests: UIC0 input, level, active high, external */
	mtdcr(UIC0_ER, 0);
	mtdcr(UIC0_CR, 0);
	mtdcr(UIC0_PR, 0xFFFFFFFF);
	mtdcr(UIC0_TR, 0);
	mtdcr(UIC0_SR, UIC_BIT(VIRTIO_BLK_UIC_IRQ));
	check_eq("virtio.irq.line-idle", mfdcr(UIC0_SR) & UIC_BIT(VIRTIO_BLK_UIC_IRQ), 0);
	exc_clear();
	exc_hook[IV_EXTERNAL] = virtio_irq_hook;
	mtdcr(UIC0_ER, UIC_BIT(VIRTIO_BLK_UIC_IRQ));
	use_irq = 1;
	irq_isr = 0;
	msr_set(MSR_ME | MSR_EE);
	int ok2 = read_ok("virtio.irq.read-s2", 2, 1);
	u32 n1 = irq_count, isr1 = irq_isr;
	irq_isr = 0;
	int ok3 = read_ok("virtio.irq.read-s64-s71", 64, 8);
	u32 n2 = irq_count, isr2 = irq_isr;
	msr_set(MSR_ME);
	use_irq = 0;
	(void)ok2;
	(void)ok3;
	check("virtio.irq.interrupts", n1 == 1 && n2 == 1 && (isr1 & 1) && (isr2 & 1) &&
	      exc_by_id[IV_EXTERNAL] == 2 && exc_count == 2,
	      "interrupts per request %u %u, InterruptStatus %x %x, external %d of %d",
	      n1, n2, isr1, isr2, exc_by_id[IV_EXTERNAL], exc_count);
	check_eq("virtio.irq.line-deasserted", mfdcr(UIC0_SR) & UIC_BIT(VIRTIO_BLK_UIC_IRQ), 0);
	mtdcr(UIC0_ER, 0);

	/* --- device reset */
	vw(V_STATUS, 0);
	check("virtio.reset-at-end", vr(V_STATUS) == 0 && vr(V_QUEUE_READY) == 0,
	      "Status %08x QueueReady %u after reset", vr(V_STATUS), vr(V_QUEUE_READY));
	msr_set(0);
	return 0;
}

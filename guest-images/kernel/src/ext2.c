/*
 * ext2, read-only: the root filesystem on the virtio disk (built with `mke2fs -t ext2 -d`).
 * Any block size (1, 2, 4 KiB), revision 0 or 1 (any inode size), direct, indirect, double and
 * triple indirect blocks, directories (linear scan; htree directories read the same way, their
 * index blocks look like empty entries), fast and slow symlinks, files over 4 GiB in size field
 * (i_size_high). On-disk data is little-endian. Incompatible features other than "filetype" and
 * "flex_bg" (extents, 64bit, journal recovery...) are refused.
 */
#include "kernel.h"
#include "vfs.h"
#include "blk.h"
#include "alloc.h"
#include "mm.h"

#define EXT2_MAGIC 0xef53
#define EXT2_ROOT_INO 2
#define INCOMPAT_FILETYPE 0x0002
#define INCOMPAT_FLEX_BG 0x0200
#define INCOMPAT_SUPPORTED (INCOMPAT_FILETYPE | INCOMPAT_FLEX_BG)

struct ext2_fs {
	struct super sb;
	u32 block_size;
	u32 inodes_per_group, blocks_per_group, inode_size;
	u32 first_data_block, ngroups;
	u32 addr_per_block;
	u32 incompat;
	u32 *inode_table;    /* first block of each group's inode table */
};

struct ext2_inode_info {
	u32 block[15];
};

static struct ext2_fs fs;
static const struct inode_ops ext2_ops;

static inline u16 le16(const void *p) { const u8 *b = p; return b[0] | b[1] << 8; }
static inline u32 le32(const void *p) { const u8 *b = p; return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24; }

static struct inode *ext2_iget(u32 ino, int *err)
{
	struct inode *i = icache_find(&fs.sb, ino);
	if (i) return i;
	if (ino < 1 || ino > fs.sb.files) { *err = -EIO; return NULL; }
	u32 group = (ino - 1) / fs.inodes_per_group, index = (ino - 1) % fs.inodes_per_group;
	u32 off = index * fs.inode_size;
	struct buf *b = bread(fs.inode_table[group] + off / fs.block_size);
	if (!b) { *err = -EIO; return NULL; }
	const u8 *raw = b->data + off % fs.block_size;
	struct ext2_inode_info *info = kmalloc(sizeof *info);
	i = info ? inode_new(&fs.sb, ino) : NULL;
	if (!i) {
		kfree(info);
		brelse(b);
		*err = -ENOMEM;
		return NULL;
	}
	i->mode = le16(raw + 0);
	i->uid = le16(raw + 2) | le16(raw + 120) << 16;
	i->size = le32(raw + 4);
	if (S_ISREG(i->mode)) i->size |= (u64)le32(raw + 108) << 32;
	i->atime = le32(raw + 8);
	i->ctime = le32(raw + 12);
	i->mtime = le32(raw + 16);
	i->gid = le16(raw + 24) | le16(raw + 122) << 16;
	i->nlink = le16(raw + 26);
	i->blocks = le32(raw + 28);
	for (int k = 0; k < 15; k++) info->block[k] = le32(raw + 40 + 4 * k);
	brelse(b);
	i->priv = info;
	i->ops = &ext2_ops;
	return i;
}

/* Physical block of logical block `lb` of an inode (0 = hole), -1 on I/O error. */
static s64 bmap(struct inode *ino, u32 lb)
{
	struct ext2_inode_info *info = ino->priv;
	u32 apb = fs.addr_per_block, idx[3], blk;
	int levels;
	if (lb < 12) return info->block[lb];
	lb -= 12;
	if (lb < apb) {
		levels = 1;
		blk = info->block[12];
		idx[0] = lb;
	} else if ((lb -= apb) < apb * apb) {
		levels = 2;
		blk = info->block[13];
		idx[0] = lb / apb;
		idx[1] = lb % apb;
	} else {
		lb -= apb * apb;
		levels = 3;
		blk = info->block[14];
		idx[0] = lb / (apb * apb);
		idx[1] = (lb / apb) % apb;
		idx[2] = lb % apb;
	}
	for (int l = 0; l < levels; l++) {
		if (!blk) return 0;
		struct buf *b = bread(blk);
		if (!b) return -1;
		blk = le32(b->data + 4 * idx[l]);
		brelse(b);
	}
	return blk;
}

static long ext2_read(struct inode *ino, u64 off, void *buf, u32 n)
{
	if (off >= ino->size) return 0;
	if (n > ino->size - off) n = ino->size - off;
	u8 *dst = buf;
	u32 done = 0;
	while (done < n) {
		u32 lb = (u32)((off + done) / fs.block_size), bo = (u32)((off + done) % fs.block_size);
		u32 k = fs.block_size - bo;
		if (k > n - done) k = n - done;
		s64 pb = bmap(ino, lb);
		if (pb < 0) return done ? (long)done : -EIO;
		if (pb == 0) {
			memset(dst + done, 0, k);
		} else {
			struct buf *b = bread((u32)pb);
			if (!b) return done ? (long)done : -EIO;
			memcpy(dst + done, b->data + bo, k);
			brelse(b);
		}
		done += k;
	}
	return done;
}

/* The directory entry at byte *pos (skipping unused ones); advances *pos past it. */
static int ext2_readdir(struct inode *dir, u64 *pos, struct dirent_k *out)
{
	while (*pos < dir->size) {
		u32 lb = (u32)(*pos / fs.block_size), bo = (u32)(*pos % fs.block_size);
		s64 pb = bmap(dir, lb);
		if (pb <= 0) {
			if (pb < 0) return -EIO;
			*pos = (u64)(lb + 1) * fs.block_size;
			continue;
		}
		struct buf *b = bread((u32)pb);
		if (!b) return -EIO;
		const u8 *e = b->data + bo;
		u32 ino = le32(e), rec_len = le16(e + 4);
		u32 name_len = (fs.incompat & INCOMPAT_FILETYPE) ? e[6] : le16(e + 6);
		u8 ftype = e[7];
		if (rec_len < 8 || bo + rec_len > fs.block_size || name_len > rec_len - 8) {
			brelse(b);
			printk("EXT2-fs: corrupt directory %u at offset %llu\n", dir->ino, *pos);
			return -EIO;
		}
		*pos += rec_len;
		if (ino != 0) {
			out->ino = ino;
			out->namelen = name_len;
			memcpy(out->name, e + 8, name_len);
			out->name[name_len] = 0;
			static const u8 ft2dt[8] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, 12, DT_LNK };
			out->type = (fs.incompat & INCOMPAT_FILETYPE) && ftype < 8 ? ft2dt[ftype] : DT_UNKNOWN;
			brelse(b);
			return 1;
		}
		brelse(b);
	}
	return 0;
}

static int ext2_lookup(struct inode *dir, const char *name, u32 len, struct inode **res)
{
	u64 pos = 0;
	struct dirent_k *d = kmalloc(sizeof *d);
	if (!d) return -ENOMEM;
	int r;
	while ((r = ext2_readdir(dir, &pos, d)) > 0) {
		if (d->namelen == len && memcmp(d->name, name, len) == 0) {
			u32 ino = d->ino;
			kfree(d);
			int err = -EIO;
			*res = ext2_iget(ino, &err);
			return *res ? 0 : err;
		}
	}
	kfree(d);
	return r < 0 ? r : -ENOENT;
}

static int ext2_readlink(struct inode *ino, char *buf, u32 n)
{
	if (!S_ISLNK(ino->mode)) return -EINVAL;
	u32 len = ino->size < n ? (u32)ino->size : n;
	struct ext2_inode_info *info = ino->priv;
	if (ino->size < 60 && ino->blocks == 0) {   /* fast symlink: the target is in i_block */
		/* i_block was converted to host order word by word: take the bytes back out */
		for (u32 k = 0; k < len; k++) buf[k] = (char)(info->block[k / 4] >> (8 * (k % 4)));
		return len;
	}
	long r = ext2_read(ino, 0, buf, len);
	return (int)r;
}

static void ext2_evict(struct inode *ino) { kfree(ino->priv); }

static const struct inode_ops ext2_ops = {
	.lookup = ext2_lookup,
	.read = ext2_read,
	.readdir = ext2_readdir,
	.readlink = ext2_readlink,
	.evict = ext2_evict,
};

struct inode *ext2_mount(void)
{
	if (blk_capacity() < 4) return NULL;
	/* the superblock: 1024 bytes at byte 1024 (sectors 2, 3) */
	u8 *sbuf = page_alloc();
	if (!sbuf) return NULL;
	struct sg sg = { __pa(sbuf), 1024 };
	if (blk_rw(2, &sg, 1, false)) {
		printk("EXT2-fs: cannot read the superblock\n");
		page_free(sbuf);
		return NULL;
	}
	if (le16(sbuf + 56) != EXT2_MAGIC) {
		printk("EXT2-fs: no ext2 filesystem on the disk (magic %04x)\n", le16(sbuf + 56));
		page_free(sbuf);
		return NULL;
	}
	u32 rev = le32(sbuf + 76);
	fs.block_size = 1024u << le32(sbuf + 24);
	fs.sb.files = le32(sbuf + 0);
	fs.sb.blocks = le32(sbuf + 4);
	fs.sb.free_blocks = le32(sbuf + 12);
	fs.sb.free_files = le32(sbuf + 16);
	fs.first_data_block = le32(sbuf + 20);
	fs.blocks_per_group = le32(sbuf + 32);
	fs.inodes_per_group = le32(sbuf + 40);
	fs.inode_size = rev >= 1 ? le16(sbuf + 88) : 128;
	fs.incompat = rev >= 1 ? le32(sbuf + 96) : 0;
	char label[17];
	memcpy(label, sbuf + 120, 16);
	label[16] = 0;
	page_free(sbuf);
	if (fs.incompat & ~INCOMPAT_SUPPORTED) {
		printk("EXT2-fs: unsupported incompatible features %08x\n", fs.incompat & ~INCOMPAT_SUPPORTED);
		return NULL;
	}
	if (fs.block_size > 4096 || !fs.blocks_per_group || !fs.inodes_per_group) {
		printk("EXT2-fs: unsupported geometry (block size %u)\n", fs.block_size);
		return NULL;
	}
	fs.addr_per_block = fs.block_size / 4;
	fs.ngroups = (fs.sb.blocks - fs.first_data_block + fs.blocks_per_group - 1) / fs.blocks_per_group;
	fs.sb.type = "ext2";
	fs.sb.readonly = true;
	fs.sb.block_size = fs.block_size;
	bcache_init(fs.block_size);

	/* group descriptors (32 bytes each) follow the superblock's block */
	fs.inode_table = kmalloc(fs.ngroups * 4);
	if (!fs.inode_table) return NULL;
	u32 per_block = fs.block_size / 32;
	for (u32 g = 0; g < fs.ngroups; g++) {
		struct buf *b = bread(fs.first_data_block + 1 + g / per_block);
		if (!b) return NULL;
		fs.inode_table[g] = le32(b->data + (g % per_block) * 32 + 8);
		brelse(b);
	}
	int err;
	struct inode *root = ext2_iget(EXT2_ROOT_INO, &err);
	if (!root || !S_ISDIR(root->mode)) {
		printk("EXT2-fs: bad root directory\n");
		return NULL;
	}
	fs.sb.root = root;
	pr_info("EXT2-fs: \"%s\": %u KiB (%u-byte blocks, %u groups), %u inodes (%u bytes), features %08x, mounted read-only\n",
		label, fs.sb.blocks * (fs.block_size / 1024), fs.block_size, fs.ngroups, fs.sb.files, fs.inode_size, fs.incompat);
	return root;
}

/*
 * devfs on /dev: console and tty (the UART), null, zero. The console is also what init's
 * standard input, output and error are opened on.
 */
#include "kernel.h"
#include "vfs.h"
#include "alloc.h"
#include "console.h"
#include "ioctl.h"

static struct super dev_sb = { .type = "devfs", .block_size = 4096 };

static long tty_f_read(struct file *f, void *buf, u32 n) { return tty_read(buf, n); }
static long tty_f_write(struct file *f, const void *buf, u32 n) { return tty_write(buf, n); }
static int tty_f_ioctl(struct file *f, u32 cmd, u32 arg) { return tty_ioctl(cmd, arg); }
static const struct file_ops tty_fops = { .read = tty_f_read, .write = tty_f_write, .ioctl = tty_f_ioctl, .stream = true };

static long null_read(struct file *f, void *buf, u32 n) { return 0; }
static long null_write(struct file *f, const void *buf, u32 n) { return n; }
static const struct file_ops null_fops = { .read = null_read, .write = null_write };

static long zero_read(struct file *f, void *buf, u32 n) { memset(buf, 0, n); return n; }
static const struct file_ops zero_fops = { .read = zero_read, .write = null_write };

struct devnode { const char *name; u32 rdev; const struct file_ops *fops; struct inode *ino; };
static struct devnode nodes[] = {
	{ "console", (5 << 8) | 1, &tty_fops, NULL },
	{ "null", (1 << 8) | 3, &null_fops, NULL },
	{ "tty", (5 << 8) | 0, &tty_fops, NULL },
	{ "zero", (1 << 8) | 5, &zero_fops, NULL },
};
static struct inode *dev_root;

static int dev_lookup(struct inode *dir, const char *name, u32 len, struct inode **res)
{
	if (len == 2 && name[0] == '.' && name[1] == '.') { iget(dir); *res = dir; return 0; }
	for (u32 k = 0; k < ARRAY_SIZE(nodes); k++) {
		if (strlen(nodes[k].name) == len && memcmp(nodes[k].name, name, len) == 0) {
			iget(nodes[k].ino);
			*res = nodes[k].ino;
			return 0;
		}
	}
	return -ENOENT;
}

static int dev_readdir(struct inode *dir, u64 *pos, struct dirent_k *out)
{
	u64 k = *pos;
	if (k < 2) {
		out->ino = k == 0 ? dir->ino : (dir->covered ? dir->covered->ino : dir->ino);
		out->type = DT_DIR;
		out->namelen = (u32)k + 1;
		memcpy(out->name, "..", out->namelen);
	} else if (k - 2 < ARRAY_SIZE(nodes)) {
		struct devnode *d = &nodes[k - 2];
		out->ino = d->ino->ino;
		out->type = DT_CHR;
		out->namelen = strlen(d->name);
		memcpy(out->name, d->name, out->namelen);
	} else {
		return 0;
	}
	out->name[out->namelen] = 0;
	(*pos)++;
	return 1;
}

static const struct inode_ops dev_dir_ops = { .lookup = dev_lookup, .readdir = dev_readdir };
static const struct inode_ops dev_node_ops = { 0 };

struct inode *devfs_mount(void)
{
	dev_root = inode_new(&dev_sb, 1);
	dev_root->mode = S_IFDIR | 0755;
	dev_root->nlink = 2;
	dev_root->ops = &dev_dir_ops;
	dev_root->atime = dev_root->mtime = dev_root->ctime = 0;
	for (u32 k = 0; k < ARRAY_SIZE(nodes); k++) {
		struct inode *i = inode_new(&dev_sb, k + 2);
		i->mode = S_IFCHR | 0666;
		i->rdev = nodes[k].rdev;
		i->fops = nodes[k].fops;
		i->ops = &dev_node_ops;
		nodes[k].ino = i;    /* keeps its reference */
	}
	dev_sb.root = dev_root;
	return dev_root;
}

struct file *devfs_console_file(void)
{
	return file_open_inode(nodes[0].ino, O_RDWR);
}

/*
 * tmpfs: a writable filesystem in RAM, mounted on /tmp. Directories are lists of entries; file
 * data lives in pages allocated as they are written (holes read as zeros). A directory entry
 * holds a reference to its inode, so an inode lives while it is linked or open.
 */
#include "kernel.h"
#include "vfs.h"
#include "alloc.h"
#include "mm.h"
#include "timer.h"

struct tmp_dirent {
	struct tmp_dirent *next;
	struct inode *ino;
	u32 len;
	char name[];
};

struct tmp_node {
	struct tmp_dirent *entries;   /* directories */
	struct inode *parent;         /* directories: the parent directory (not a reference) */
	u8 **pages;                   /* regular files */
	u32 npages;                   /* capacity of pages[] */
	char *target;                 /* symlinks */
};

static struct super tmp_sb = { .type = "tmpfs" };
static const struct inode_ops tmp_ops;
static u32 next_ino = 1;

static u32 now(void) { return BOOT_EPOCH + (u32)(uptime_tb() / tb_freq); }

static struct inode *tmp_new(u32 mode)
{
	struct tmp_node *n = kzalloc(sizeof *n);
	struct inode *i = n ? inode_new(&tmp_sb, next_ino++) : NULL;
	if (!i) {
		kfree(n);
		return NULL;
	}
	i->priv = n;
	i->mode = mode;
	i->ops = &tmp_ops;
	i->atime = i->mtime = i->ctime = now();
	i->nlink = S_ISDIR(mode) ? 2 : 1;
	return i;
}

static struct tmp_dirent *find(struct inode *dir, const char *name, u32 len, struct tmp_dirent ***link)
{
	struct tmp_node *n = dir->priv;
	for (struct tmp_dirent **pp = &n->entries; *pp; pp = &(*pp)->next) {
		if ((*pp)->len == len && memcmp((*pp)->name, name, len) == 0) {
			if (link) *link = pp;
			return *pp;
		}
	}
	return NULL;
}

static int tmp_lookup(struct inode *dir, const char *name, u32 len, struct inode **res)
{
	struct tmp_node *n = dir->priv;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*res = n->parent ? n->parent : dir;
		iget(*res);
		return 0;
	}
	struct tmp_dirent *d = find(dir, name, len, NULL);
	if (!d) return -ENOENT;
	iget(d->ino);
	*res = d->ino;
	return 0;
}

static int tmp_readdir(struct inode *dir, u64 *pos, struct dirent_k *out)
{
	struct tmp_node *n = dir->priv;
	if (*pos < 2) {
		struct inode *i = *pos == 0 ? dir : (n->parent ? n->parent : dir->covered ? dir->covered : dir);
		out->ino = i->ino;
		out->type = DT_DIR;
		out->namelen = (u32)*pos + 1;
		memcpy(out->name, "..", out->namelen);
		out->name[out->namelen] = 0;
		(*pos)++;
		return 1;
	}
	u64 k = *pos - 2;
	struct tmp_dirent *d = n->entries;
	while (d && k--) d = d->next;
	if (!d) return 0;
	out->ino = d->ino->ino;
	out->type = mode_to_dt(d->ino->mode);
	out->namelen = d->len;
	memcpy(out->name, d->name, d->len);
	out->name[d->len] = 0;
	(*pos)++;
	return 1;
}

static int link_into(struct inode *dir, const char *name, u32 len, struct inode *i)
{
	struct tmp_dirent *d = kmalloc(sizeof *d + len + 1);
	if (!d) return -ENOMEM;
	d->ino = i;           /* takes the caller's reference */
	d->len = len;
	memcpy(d->name, name, len);
	d->name[len] = 0;
	struct tmp_node *n = dir->priv;
	struct tmp_dirent **pp = &n->entries;   /* keep entries in creation order */
	while (*pp) pp = &(*pp)->next;
	d->next = NULL;
	*pp = d;
	dir->mtime = dir->ctime = now();
	return 0;
}

static int tmp_create(struct inode *dir, const char *name, u32 len, u32 mode, struct inode **res)
{
	if (find(dir, name, len, NULL)) return -EEXIST;
	struct inode *i = tmp_new(mode);
	if (!i) return -ENOMEM;
	if (S_ISDIR(mode)) {
		((struct tmp_node *)i->priv)->parent = dir;
		dir->nlink++;
	}
	int e = link_into(dir, name, len, i);
	if (e) {
		iput(i);
		return e;
	}
	iget(i);
	*res = i;
	return 0;
}

static void free_data(struct inode *i, u32 from_page)
{
	struct tmp_node *n = i->priv;
	for (u32 p = from_page; p < n->npages; p++) {
		if (n->pages[p]) {
			page_free(n->pages[p]);
			n->pages[p] = NULL;
		}
	}
}

static int tmp_truncate(struct inode *i, u64 size)
{
	struct tmp_node *n = i->priv;
	if (!S_ISREG(i->mode)) return -EINVAL;
	if (size < i->size) {
		free_data(i, (u32)((size + PAGE_SIZE - 1) / PAGE_SIZE));
		u32 p = (u32)(size / PAGE_SIZE), off = (u32)(size % PAGE_SIZE);
		if (off && p < n->npages && n->pages[p]) memset(n->pages[p] + off, 0, PAGE_SIZE - off);
	}
	i->size = size;
	i->mtime = i->ctime = now();
	return 0;
}

static long tmp_read(struct inode *i, u64 off, void *buf, u32 n)
{
	struct tmp_node *t = i->priv;
	if (S_ISDIR(i->mode)) return -EISDIR;
	if (off >= i->size) return 0;
	if (n > i->size - off) n = (u32)(i->size - off);
	u8 *dst = buf;
	for (u32 done = 0; done < n; ) {
		u32 p = (u32)((off + done) / PAGE_SIZE), po = (u32)((off + done) % PAGE_SIZE);
		u32 k = PAGE_SIZE - po < n - done ? PAGE_SIZE - po : n - done;
		if (p < t->npages && t->pages[p]) memcpy(dst + done, t->pages[p] + po, k);
		else memset(dst + done, 0, k);
		done += k;
	}
	return n;
}

static long tmp_write(struct inode *i, u64 off, const void *buf, u32 n)
{
	struct tmp_node *t = i->priv;
	if (!S_ISREG(i->mode)) return -EINVAL;
	if (off + n > (1ull << 31)) return -EFBIG;
	u32 need = (u32)((off + n + PAGE_SIZE - 1) / PAGE_SIZE);
	if (need > t->npages) {
		u32 cap = t->npages ? t->npages : 8;
		while (cap < need) cap *= 2;
		u8 **np = kzalloc(cap * sizeof *np);
		if (!np) return -ENOSPC;
		if (t->pages) memcpy(np, t->pages, t->npages * sizeof *np);
		kfree(t->pages);
		t->pages = np;
		t->npages = cap;
	}
	const u8 *src = buf;
	u32 done = 0;
	while (done < n) {
		u32 p = (u32)((off + done) / PAGE_SIZE), po = (u32)((off + done) % PAGE_SIZE);
		u32 k = PAGE_SIZE - po < n - done ? PAGE_SIZE - po : n - done;
		if (!t->pages[p]) {
			t->pages[p] = page_alloc_zeroed();
			if (!t->pages[p]) break;
			i->blocks += PAGE_SIZE / 512;
		}
		memcpy(t->pages[p] + po, src + done, k);
		done += k;
	}
	if (off + done > i->size) i->size = off + done;
	i->mtime = i->ctime = now();
	return done ? (long)done : -ENOSPC;
}

static int tmp_unlink(struct inode *dir, const char *name, u32 len, bool dir_wanted)
{
	struct tmp_dirent **link;
	struct tmp_dirent *d = find(dir, name, len, &link);
	if (!d) return -ENOENT;
	struct inode *i = d->ino;
	if (dir_wanted) {
		if (!S_ISDIR(i->mode)) return -ENOTDIR;
		if (((struct tmp_node *)i->priv)->entries) return -ENOTEMPTY;
		if (i->mounted) return -EBUSY;
		dir->nlink--;
		i->nlink = 0;
	} else {
		if (S_ISDIR(i->mode)) return -EISDIR;
		i->nlink--;
	}
	*link = d->next;
	kfree(d);
	i->ctime = dir->mtime = dir->ctime = now();
	iput(i);
	return 0;
}

static int tmp_rename(struct inode *odir, const char *on, u32 ol, struct inode *ndir, const char *nn, u32 nl)
{
	if (ndir->sb != &tmp_sb) return -EXDEV;
	struct tmp_dirent **link;
	struct tmp_dirent *d = find(odir, on, ol, &link);
	if (!d) return -ENOENT;
	struct inode *i = d->ino;
	if (odir == ndir && ol == nl && memcmp(on, nn, ol) == 0) return 0;
	/* a directory cannot move below itself */
	if (S_ISDIR(i->mode))
		for (struct inode *p = ndir; p; p = ((struct tmp_node *)p->priv)->parent)
			if (p == i) return -EINVAL;
	struct tmp_dirent *t = find(ndir, nn, nl, NULL);
	if (t) {
		if (S_ISDIR(t->ino->mode) != S_ISDIR(i->mode)) return S_ISDIR(t->ino->mode) ? -EISDIR : -ENOTDIR;
		int e = tmp_unlink(ndir, nn, nl, S_ISDIR(t->ino->mode));
		if (e) return e;
		d = find(odir, on, ol, &link);
	}
	iget(i);
	int e = link_into(ndir, nn, nl, i);
	if (e) {
		iput(i);
		return e;
	}
	*link = d->next;
	kfree(d);
	iput(i);
	if (S_ISDIR(i->mode) && odir != ndir) {
		((struct tmp_node *)i->priv)->parent = ndir;
		odir->nlink--;
		ndir->nlink++;
	}
	odir->mtime = odir->ctime = now();
	return 0;
}

static int tmp_readlink(struct inode *i, char *buf, u32 n)
{
	struct tmp_node *t = i->priv;
	if (!S_ISLNK(i->mode) || !t->target) return -EINVAL;
	u32 len = strlen(t->target);
	if (len > n) len = n;
	memcpy(buf, t->target, len);
	return len;
}

static void tmp_evict(struct inode *i)
{
	struct tmp_node *t = i->priv;
	free_data(i, 0);
	kfree(t->pages);
	kfree(t->target);
	kfree(t);
}

static const struct inode_ops tmp_ops = {
	.lookup = tmp_lookup,
	.read = tmp_read,
	.write = tmp_write,
	.readdir = tmp_readdir,
	.create = tmp_create,
	.unlink = tmp_unlink,
	.rename = tmp_rename,
	.truncate = tmp_truncate,
	.readlink = tmp_readlink,
	.evict = tmp_evict,
};

/* Create a symbolic link (symlink(2) on tmpfs). */
int tmpfs_symlink(struct inode *dir, const char *name, u32 len, const char *target)
{
	if (dir->sb != &tmp_sb) return -EROFS;
	struct inode *i;
	int e = tmp_create(dir, name, len, S_IFLNK | 0777, &i);
	if (e) return e;
	struct tmp_node *t = i->priv;
	t->target = kstrdup(target);
	i->size = strlen(target);
	iput(i);
	return t->target ? 0 : -ENOMEM;
}

struct inode *tmpfs_mount(void)
{
	struct inode *root = tmp_new(S_IFDIR | 01777);
	tmp_sb.root = root;
	tmp_sb.block_size = PAGE_SIZE;
	return root;
}

/* The VFS: inode cache and references, path lookup, mounts, open files and descriptors. */
#include "kernel.h"
#include "ppc.h"
#include "vfs.h"
#include "alloc.h"
#include "sched.h"

struct inode *root_inode;

/* ---- inodes ---- */

struct inode *icache_find(struct super *sb, u32 ino)
{
	for (struct inode *i = sb->icache; i; i = i->hash_next)
		if (i->ino == ino) {
			i->refcnt++;
			return i;
		}
	return NULL;
}

struct inode *inode_new(struct super *sb, u32 ino)
{
	struct inode *i = kzalloc(sizeof *i);
	if (!i) return NULL;
	i->ino = ino;
	i->sb = sb;
	i->refcnt = 1;
	i->nlink = 1;
	i->hash_next = sb->icache;
	sb->icache = i;
	return i;
}

void iget(struct inode *ino) { ino->refcnt++; }

void iput(struct inode *ino)
{
	if (!ino) return;
	BUG_ON(ino->refcnt <= 0);
	if (--ino->refcnt > 0) return;
	/* unhash and let the filesystem decide (tmpfs keeps linked inodes, it holds a reference) */
	struct inode **pp = &ino->sb->icache;
	while (*pp && *pp != ino) pp = &(*pp)->hash_next;
	if (*pp) *pp = ino->hash_next;
	if (ino->ops && ino->ops->evict) ino->ops->evict(ino);
	kfree(ino);
}

long vfs_read_kernel(struct inode *ino, u64 off, void *buf, u32 n)
{
	if (!ino->ops || !ino->ops->read) return -EINVAL;
	return ino->ops->read(ino, off, buf, n);
}

u8 mode_to_dt(u32 mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	case S_IFIFO: return DT_FIFO;
	default: return DT_UNKNOWN;
	}
}

/* ---- path lookup ---- */

#define MAX_LINKS 8

static int lookup_path(struct inode *base, const char *path, int flags, struct inode **res, int depth);

/* One step: `name` in directory `dir` (both referenced; returns a new reference). */
static int step(struct inode *dir, const char *name, u32 len, struct inode **res)
{
	if (!S_ISDIR(dir->mode)) return -ENOTDIR;
	if (len == 1 && name[0] == '.') {
		iget(dir);
		*res = dir;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		if (dir == root_inode) {
			iget(dir);
			*res = dir;
			return 0;
		}
		if (dir->covered) dir = dir->covered;   /* ".." of a mounted root: the mount point's */
	}
	if (!dir->ops || !dir->ops->lookup) return -ENOTDIR;
	struct inode *r;
	int e = dir->ops->lookup(dir, name, len, &r);
	if (e) return e;
	while (r->mounted) {
		struct inode *m = r->mounted;
		iget(m);
		iput(r);
		r = m;
	}
	*res = r;
	return 0;
}

static int follow(struct inode *dir, struct inode **cur, int depth)
{
	if (depth >= MAX_LINKS) return -ELOOP;
	char *buf = kmalloc(PATH_MAX);
	if (!buf) return -ENOMEM;
	int n = (*cur)->ops->readlink ? (*cur)->ops->readlink(*cur, buf, PATH_MAX - 1) : -EINVAL;
	if (n < 0) { kfree(buf); return n; }
	buf[n] = 0;
	struct inode *target;
	int e = lookup_path(dir, buf, LOOKUP_FOLLOW, &target, depth + 1);
	kfree(buf);
	if (e) return e;
	iput(*cur);
	*cur = target;
	return 0;
}

static int lookup_path(struct inode *base, const char *path, int flags, struct inode **res, int depth)
{
	if (!*path) return -ENOENT;
	struct inode *cur = *path == '/' ? root_inode : base;
	iget(cur);
	while (*path) {
		while (*path == '/') path++;
		if (!*path) break;
		u32 len = 0;
		while (path[len] && path[len] != '/') len++;
		if (len > NAME_MAX) { iput(cur); return -ENAMETOOLONG; }
		struct inode *next;
		int e = step(cur, path, len, &next);
		if (e) { iput(cur); return e; }
		path += len;
		bool last = true;
		for (const char *p = path; *p; p++) if (*p != '/') { last = false; break; }
		if (S_ISLNK(next->mode) && (!last || (flags & LOOKUP_FOLLOW))) {
			e = follow(cur, &next, depth);
			if (e) { iput(cur); return e; }
		}
		/* a trailing slash wants a directory */
		if (last && *path == '/' && !S_ISDIR(next->mode)) { iput(cur); iput(next); return -ENOTDIR; }
		iput(cur);
		cur = next;
	}
	*res = cur;
	return 0;
}

int namei_at(struct inode *base, const char *path, int flags, struct inode **res)
{
	return lookup_path(base ? base : current->cwd ? current->cwd : root_inode, path, flags, res, 0);
}

int namei(const char *path, int flags, struct inode **res) { return namei_at(NULL, path, flags, res); }

/* The directory holding the last component of `path`, and that component. */
int nameiparent_at(struct inode *base, const char *path, struct inode **dir, char *name)
{
	u32 n = strlen(path);
	while (n > 1 && path[n - 1] == '/') n--;
	u32 s = n;
	while (s > 0 && path[s - 1] != '/') s--;
	u32 len = n - s;
	if (len == 0 || len > NAME_MAX) return len ? -ENAMETOOLONG : -ENOENT;
	memcpy(name, path + s, len);
	name[len] = 0;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) return -EINVAL;
	if (!base) base = current->cwd ? current->cwd : root_inode;
	if (s == 0) {
		iget(base);
		*dir = base;
		return 0;
	}
	char *p = kmalloc(s + 1);
	if (!p) return -ENOMEM;
	memcpy(p, path, s);
	p[s] = 0;
	int e = lookup_path(base, p, LOOKUP_FOLLOW, dir, 0);
	kfree(p);
	if (!e && !S_ISDIR((*dir)->mode)) { iput(*dir); return -ENOTDIR; }
	return e;
}

int vfs_mount(const char *path, struct inode *fsroot)
{
	struct inode *mp;
	int e = namei(path, LOOKUP_FOLLOW, &mp);
	if (e) return e;
	if (!S_ISDIR(mp->mode)) { iput(mp); return -ENOTDIR; }
	mp->mounted = fsroot;      /* both references stay for good */
	fsroot->covered = mp;
	return 0;
}

/* ---- files ---- */

static long reg_read(struct file *f, void *buf, u32 n)
{
	struct inode *i = f->inode;
	if (S_ISDIR(i->mode)) return -EISDIR;
	if (!i->ops || !i->ops->read) return -EINVAL;
	long r = i->ops->read(i, f->pos, buf, n);
	if (r > 0) f->pos += r;
	return r;
}

static long reg_write(struct file *f, const void *buf, u32 n)
{
	struct inode *i = f->inode;
	if (!i->ops || !i->ops->write) return i->sb && i->sb->readonly ? -EROFS : -EINVAL;
	if (f->flags & O_APPEND) f->pos = i->size;
	long r = i->ops->write(i, f->pos, buf, n);
	if (r > 0) f->pos += r;
	return r;
}

const struct file_ops regular_fops = { .read = reg_read, .write = reg_write };

struct file *file_open_inode(struct inode *ino, u32 flags)
{
	struct file *f = kzalloc(sizeof *f);
	if (!f) return NULL;
	f->refcnt = 1;
	f->flags = flags;
	f->inode = ino;
	iget(ino);
	f->ops = ino->fops ? ino->fops : &regular_fops;
	return f;
}

int vfs_open_at(struct inode *base, const char *path, u32 flags, u32 mode, struct file **res)
{
	struct inode *ino = NULL;
	int e = namei_at(base, path, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &ino);
	if (e == -ENOENT && (flags & O_CREAT)) {
		struct inode *dir;
		char name[NAME_MAX + 1];
		e = nameiparent_at(base, path, &dir, name);
		if (e) return e;
		if (!dir->ops || !dir->ops->create) e = dir->sb->readonly ? -EROFS : -EACCES;
		else e = dir->ops->create(dir, name, strlen(name), S_IFREG | (mode & 07777), &ino);
		iput(dir);
		if (e) return e;
	} else if (e) {
		return e;
	} else if ((flags & O_CREAT) && (flags & O_EXCL)) {
		iput(ino);
		return -EEXIST;
	}
	u32 acc = flags & O_ACCMODE;
	if (S_ISLNK(ino->mode)) { iput(ino); return -ELOOP; }
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode)) { iput(ino); return -ENOTDIR; }
	if (S_ISDIR(ino->mode) && acc != O_RDONLY) { iput(ino); return -EISDIR; }
	if (acc != O_RDONLY && ino->sb && ino->sb->readonly && !ino->fops) { iput(ino); return -EROFS; }
	if ((flags & O_TRUNC) && acc != O_RDONLY && S_ISREG(ino->mode)) {
		if (!ino->ops->truncate) { iput(ino); return -EROFS; }
		e = ino->ops->truncate(ino, 0);
		if (e) { iput(ino); return e; }
	}
	struct file *f = file_open_inode(ino, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC));
	iput(ino);
	if (!f) return -ENOMEM;
	*res = f;
	return 0;
}

void fget(struct file *f) { f->refcnt++; }

void fput(struct file *f)
{
	if (--f->refcnt > 0) return;
	if (f->ops && f->ops->release) f->ops->release(f);
	iput(f->inode);
	kfree(f->path);
	kfree(f);
}

int fd_install(struct file *f, int min, bool cloexec)
{
	for (int fd = min; fd < NR_OPEN; fd++) {
		if (!current->fd[fd]) {
			current->fd[fd] = f;
			if (cloexec) current->cloexec |= 1ull << fd;
			else current->cloexec &= ~(1ull << fd);
			return fd;
		}
	}
	return -EMFILE;
}

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= NR_OPEN) return NULL;
	return current->fd[fd];
}

int fd_close(int fd)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	current->fd[fd] = NULL;
	current->cloexec &= ~(1ull << fd);
	fput(f);
	return 0;
}

void files_close_all(void)
{
	for (int fd = 0; fd < NR_OPEN; fd++)
		if (current->fd[fd]) fd_close(fd);
}

void files_close_on_exec(void)
{
	for (int fd = 0; fd < NR_OPEN; fd++)
		if (current->fd[fd] && (current->cloexec & (1ull << fd))) fd_close(fd);
}

void files_fork(struct task *child)
{
	for (int fd = 0; fd < NR_OPEN; fd++) {
		child->fd[fd] = current->fd[fd];
		if (child->fd[fd]) fget(child->fd[fd]);
	}
	child->cloexec = current->cloexec;
	child->cwd = current->cwd;
	if (child->cwd) iget(child->cwd);
	child->cwd_path = kstrdup(current->cwd_path ? current->cwd_path : "/");
}

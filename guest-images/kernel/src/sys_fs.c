/*
 * File system calls. Data moves between files and user memory a page at a time through the
 * process's page tables (user_ptr), so regular files are read straight into the user's pages;
 * streams (pipes, the tty) go through a one-page bounce buffer so that a read returns what is
 * there instead of waiting to fill a second page.
 */
#include "kernel.h"
#include "ppc.h"
#include "sched.h"
#include "mmu.h"
#include "vfs.h"
#include "alloc.h"
#include "syscall.h"
#include "timer.h"

#define AT_FDCWD -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_EMPTY_PATH 0x1000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

/* ---- read / write ---- */

static long file_read(struct file *f, u32 buf, u32 n)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH)) return -EBADF;
	if (!f->ops->read) return -EINVAL;
	if (f->ops->stream) {
		u32 k = n < PAGE_SIZE ? n : PAGE_SIZE;
		char *kb = page_alloc();
		if (!kb) return -ENOMEM;
		long r = f->ops->read(f, kb, k);
		if (r > 0 && copy_to_user(buf, kb, r)) r = -EFAULT;
		page_free(kb);
		return r;
	}
	u32 done = 0;
	while (done < n) {
		char *p = user_ptr(current->mm, buf + done, ACC_WRITE);
		if (!p) return done ? (long)done : -EFAULT;
		u32 chunk = PAGE_SIZE - ((buf + done) & ~PAGE_MASK);
		if (chunk > n - done) chunk = n - done;
		long r = f->ops->read(f, p, chunk);
		if (r < 0) return done ? (long)done : r;
		done += r;
		if ((u32)r < chunk) break;
	}
	return done;
}

static long file_write(struct file *f, u32 buf, u32 n)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH)) return -EBADF;
	if (!f->ops->write) return -EINVAL;
	u32 done = 0;
	char *kb = f->ops->stream ? page_alloc() : NULL;
	if (f->ops->stream && !kb) return -ENOMEM;
	while (done < n) {
		long r;
		u32 chunk;
		if (kb) {
			chunk = n - done < PAGE_SIZE ? n - done : PAGE_SIZE;
			if (copy_from_user(kb, buf + done, chunk)) { r = -EFAULT; goto fail; }
			r = f->ops->write(f, kb, chunk);
		} else {
			const char *p = user_ptr(current->mm, buf + done, ACC_READ);
			if (!p) { r = -EFAULT; goto fail; }
			chunk = PAGE_SIZE - ((buf + done) & ~PAGE_MASK);
			if (chunk > n - done) chunk = n - done;
			r = f->ops->write(f, p, chunk);
		}
		if (r < 0) goto fail;
		done += r;
		if ((u32)r < chunk) break;
		continue;
fail:
		if (kb) page_free(kb);
		return done ? (long)done : r;
	}
	if (kb) page_free(kb);
	return done;
}

long sys_read(int fd, u32 buf, u32 n)
{
	struct file *f = fd_get(fd);
	return f ? file_read(f, buf, n) : -EBADF;
}

long sys_write(int fd, u32 buf, u32 n)
{
	struct file *f = fd_get(fd);
	return f ? file_write(f, buf, n) : -EBADF;
}

static long vector_io(int fd, u32 iov, int cnt, bool write)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	if (cnt < 0 || cnt > 1024) return -EINVAL;
	long total = 0;
	for (int i = 0; i < cnt; i++) {
		u32 v[2];
		if (copy_from_user(v, iov + 8 * i, 8)) return total ? total : -EFAULT;
		if (!v[1]) continue;
		long r = write ? file_write(f, v[0], v[1]) : file_read(f, v[0], v[1]);
		if (r < 0) return total ? total : r;
		total += r;
		if ((u32)r < v[1]) break;
	}
	return total;
}

long sys_readv(int fd, u32 iov, int cnt) { return vector_io(fd, iov, cnt, false); }
long sys_writev(int fd, u32 iov, int cnt) { return vector_io(fd, iov, cnt, true); }

long sys_pread64(int fd, u32 buf, u32 n, u64 off)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	if (f->ops->stream) return -ESPIPE;
	u64 save = f->pos;
	f->pos = off;
	long r = file_read(f, buf, n);
	f->pos = save;
	return r;
}

long sys_pwrite64(int fd, u32 buf, u32 n, u64 off)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	if (f->ops->stream) return -ESPIPE;
	u64 save = f->pos;
	u32 flags = f->flags;
	f->pos = off;
	f->flags &= ~O_APPEND;
	long r = file_write(f, buf, n);
	f->pos = save;
	f->flags = flags;
	return r;
}

/* ---- paths ---- */

/* The directory a *at() call's relative path starts from. */
static int at_base(int dfd, struct inode **base)
{
	if (dfd == AT_FDCWD) {
		*base = NULL;
		return 0;
	}
	struct file *f = fd_get(dfd);
	if (!f) return -EBADF;
	if (!S_ISDIR(f->inode->mode)) return -ENOTDIR;
	*base = f->inode;
	return 0;
}

static long get_path(u32 upath, char **out)
{
	char *p = kmalloc(PATH_MAX);
	if (!p) return -ENOMEM;
	long n = strncpy_from_user(p, upath, PATH_MAX);
	if (n < 0) {
		kfree(p);
		return n;
	}
	*out = p;
	return n;
}

/* Resolve (dfd, path) to an inode; AT_EMPTY_PATH with "" means dfd itself. */
static int resolve_at(int dfd, u32 upath, int flags, struct inode **res)
{
	char *path;
	long n = get_path(upath, &path);
	if (n < 0) return n;
	int e;
	if (n == 0 && (flags & AT_EMPTY_PATH)) {
		struct file *f = dfd == AT_FDCWD ? NULL : fd_get(dfd);
		if (dfd == AT_FDCWD) {
			*res = current->cwd;
			iget(*res);
			e = 0;
		} else if (!f) {
			e = -EBADF;
		} else {
			*res = f->inode;
			iget(*res);
			e = 0;
		}
	} else {
		struct inode *base;
		e = at_base(dfd, &base);
		if (!e) e = namei_at(base, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, res);
	}
	kfree(path);
	return e;
}

long sys_openat(int dfd, u32 upath, u32 flags, u32 mode)
{
	char *path;
	long n = get_path(upath, &path);
	if (n < 0) return n;
	struct inode *base;
	struct file *f = NULL;
	int e = at_base(dfd, &base);
	if (!e) e = vfs_open_at(base, path, flags, mode, &f);
	if (!e) {
		if (path[0] == '/' || dfd == AT_FDCWD) f->path = absolute_path(path);
		e = fd_install(f, 0, flags & O_CLOEXEC);
		if (e < 0) fput(f);
	}
	kfree(path);
	return e;
}

long sys_open(u32 path, u32 flags, u32 mode) { return sys_openat(AT_FDCWD, path, flags, mode); }
long sys_close(int fd) { return fd_close(fd); }

static long do_lseek(struct file *f, s64 off, int whence, u64 *res)
{
	if (f->ops->stream) return -ESPIPE;
	s64 base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = f->inode->size; break;
	default: return -EINVAL;
	}
	if (base + off < 0) return -EINVAL;
	f->pos = base + off;
	*res = f->pos;
	return 0;
}

long sys_lseek(int fd, s32 off, int whence)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	u64 pos;
	long e = do_lseek(f, off, whence, &pos);
	if (e) return e;
	return pos > 0x7fffffff ? -EOVERFLOW : (long)pos;
}

long sys_llseek(int fd, u32 hi, u32 lo, u32 result, int whence)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	u64 pos;
	long e = do_lseek(f, (s64)(((u64)hi << 32) | lo), whence, &pos);
	if (e) return e;
	return copy_to_user(result, &pos, 8);
}

/* ---- descriptors ---- */

long sys_dup(int fd)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	fget(f);
	int n = fd_install(f, 0, false);
	if (n < 0) fput(f);
	return n;
}

long sys_dup3(int fd, int nfd, u32 flags)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	if (nfd < 0 || nfd >= NR_OPEN) return -EBADF;
	if (fd == nfd) return -EINVAL;
	fget(f);
	if (current->fd[nfd]) fd_close(nfd);
	current->fd[nfd] = f;
	if (flags & O_CLOEXEC) current->cloexec |= 1ull << nfd;
	else current->cloexec &= ~(1ull << nfd);
	return nfd;
}

long sys_dup2(int fd, int nfd)
{
	if (fd == nfd) return fd_get(fd) ? fd : -EBADF;
	return sys_dup3(fd, nfd, 0);
}

long sys_pipe2(u32 ufds, u32 flags)
{
	struct file *r, *w;
	int e = pipe_create(&r, &w);
	if (e) return e;
	r->flags |= flags & O_NONBLOCK;
	w->flags |= flags & O_NONBLOCK;
	int fds[2];
	fds[0] = fd_install(r, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(w, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		if (fds[0] >= 0) fd_close(fds[0]);
		else fput(r);
		fput(w);
		return -EMFILE;
	}
	if (copy_to_user(ufds, fds, sizeof fds)) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_fcntl(int fd, int cmd, u32 arg)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		if (arg >= NR_OPEN) return -EINVAL;
		fget(f);
		int n = fd_install(f, arg, cmd == F_DUPFD_CLOEXEC);
		if (n < 0) fput(f);
		return n;
	}
	case F_GETFD:
		return (current->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (arg & FD_CLOEXEC) current->cloexec |= 1ull << fd;
		else current->cloexec &= ~(1ull << fd);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_GETLK: case F_SETLK: case F_SETLKW:
		return 0;   /* one user: locks always succeed */
	default:
		return -EINVAL;
	}
}

long sys_ioctl(int fd, u32 cmd, u32 arg)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	if (!f->ops->ioctl) return -ENOTTY;
	return f->ops->ioctl(f, cmd, arg);
}

/* ---- stat ---- */

struct stat64 {
	u64 st_dev;
	u64 st_ino;
	u32 st_mode, st_nlink, st_uid, st_gid;
	u64 st_rdev;
	u16 pad2;
	s64 st_size;
	s32 st_blksize;
	s64 st_blocks;
	s32 st_atime;
	u32 st_atime_nsec;
	s32 st_mtime;
	u32 st_mtime_nsec;
	s32 st_ctime;
	u32 st_ctime_nsec;
	u32 unused4, unused5;
};
STATIC_ASSERT(sizeof(struct stat64) == 104);
STATIC_ASSERT(offsetof(struct stat64, st_size) == 48);
STATIC_ASSERT(offsetof(struct stat64, st_atime) == 72);

static u32 dev_of(struct inode *i) { return i->sb ? i->sb->dev : 0; }

static long put_stat64(struct inode *i, u32 buf)
{
	struct stat64 st;
	memset(&st, 0, sizeof st);
	st.st_dev = dev_of(i);
	st.st_ino = i->ino;
	st.st_mode = i->mode;
	st.st_nlink = i->nlink;
	st.st_uid = i->uid;
	st.st_gid = i->gid;
	st.st_rdev = i->rdev;
	st.st_size = i->size;
	st.st_blksize = i->sb && i->sb->block_size ? i->sb->block_size : PAGE_SIZE;
	st.st_blocks = i->blocks;
	st.st_atime = i->atime;
	st.st_mtime = i->mtime;
	st.st_ctime = i->ctime;
	return copy_to_user(buf, &st, sizeof st);
}

long sys_fstat64(int fd, u32 buf)
{
	struct file *f = fd_get(fd);
	return f ? put_stat64(f->inode, buf) : -EBADF;
}

long sys_fstatat64(int dfd, u32 path, u32 buf, int flags)
{
	struct inode *i;
	int e = resolve_at(dfd, path, flags, &i);
	if (e) return e;
	e = put_stat64(i, buf);
	iput(i);
	return e;
}

long sys_stat64(u32 path, u32 buf) { return sys_fstatat64(AT_FDCWD, path, buf, 0); }
long sys_lstat64(u32 path, u32 buf) { return sys_fstatat64(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW); }

long sys_statx(int dfd, u32 path, int flags, u32 mask, u32 buf)
{
	struct inode *i;
	int e = resolve_at(dfd, path, flags, &i);
	if (e) return e;
	u32 sx[64];
	memset(sx, 0, sizeof sx);
	sx[0] = 0x7ff;                                            /* STATX_BASIC_STATS */
	sx[1] = i->sb && i->sb->block_size ? i->sb->block_size : PAGE_SIZE;
	sx[4] = i->nlink;
	sx[5] = i->uid;
	sx[6] = i->gid;
	sx[7] = i->mode << 16;                                    /* u16 at offset 28 */
	sx[9] = i->ino;                                           /* u64 at 32 */
	sx[10] = (u32)(i->size >> 32);
	sx[11] = (u32)i->size;
	sx[13] = i->blocks;                                       /* u64 at 48 */
	sx[17] = i->atime;                                        /* timestamps: s64 sec, u32 nsec */
	sx[25] = i->ctime;
	sx[29] = i->mtime;
	sx[32] = i->rdev >> 8;
	sx[33] = i->rdev & 0xff;
	sx[34] = dev_of(i) >> 8;
	sx[35] = dev_of(i) & 0xff;
	e = copy_to_user(buf, sx, 256);
	iput(i);
	return e;
}

long sys_getdents64(int fd, u32 buf, u32 n)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	struct inode *dir = f->inode;
	if (!S_ISDIR(dir->mode) || !dir->ops->readdir) return -ENOTDIR;
	struct dirent_k *d = kmalloc(sizeof *d);
	u8 *kb = page_alloc();
	if (!d || !kb) { kfree(d); if (kb) page_free(kb); return -ENOMEM; }
	u32 lim = n < PAGE_SIZE ? n : PAGE_SIZE, used = 0;
	long r = 0;
	for (;;) {
		u64 pos = f->pos;
		r = dir->ops->readdir(dir, &pos, d);
		if (r <= 0) break;
		u32 reclen = ALIGN_UP(19 + d->namelen + 1, 8);
		if (used + reclen > lim) {
			if (used == 0) r = -EINVAL;
			break;
		}
		u8 *e = kb + used;
		memset(e, 0, reclen);
		u64 ino = d->ino, off = pos;
		memcpy(e, &ino, 8);
		memcpy(e + 8, &off, 8);
		e[16] = reclen >> 8;
		e[17] = reclen & 0xff;
		e[18] = d->type;
		memcpy(e + 19, d->name, d->namelen);
		used += reclen;
		f->pos = pos;
	}
	if (r >= 0 && used && copy_to_user(buf, kb, used)) r = -EFAULT;
	page_free(kb);
	kfree(d);
	return r < 0 ? r : (long)used;
}

long sys_readlinkat(int dfd, u32 upath, u32 buf, u32 n)
{
	char *path;
	long len = get_path(upath, &path);
	if (len < 0) return len;
	long r;
	if (strcmp(path, "/proc/self/exe") == 0) {
		const char *exe = current->exe ? current->exe : "/";
		r = strlen(exe);
		if ((u32)r > n) r = n;
		if (copy_to_user(buf, exe, r)) r = -EFAULT;
		kfree(path);
		return r;
	}
	struct inode *base, *i;
	r = at_base(dfd, &base);
	if (!r) r = namei_at(base, path, 0, &i);
	kfree(path);
	if (r) return r;
	if (!S_ISLNK(i->mode) || !i->ops->readlink) {
		iput(i);
		return -EINVAL;
	}
	char *kb = kmalloc(PATH_MAX);
	r = kb ? i->ops->readlink(i, kb, n < PATH_MAX ? n : PATH_MAX) : -ENOMEM;
	if (r > 0 && copy_to_user(buf, kb, r)) r = -EFAULT;
	kfree(kb);
	iput(i);
	return r;
}

long sys_faccessat(int dfd, u32 path, int mode, int flags)
{
	struct inode *i;
	int e = resolve_at(dfd, path, flags & AT_SYMLINK_NOFOLLOW, &i);
	if (e) return e;
	if ((mode & 1) && !S_ISDIR(i->mode) && !(i->mode & 0111)) e = -EACCES;   /* X_OK */
	if ((mode & 2) && i->sb && i->sb->readonly && !i->fops) e = -EROFS;      /* W_OK */
	iput(i);
	return e;
}

/* ---- directories ---- */

static long set_cwd(struct inode *i, char *abs)
{
	if (!S_ISDIR(i->mode)) {
		iput(i);
		kfree(abs);
		return -ENOTDIR;
	}
	iput(current->cwd);
	current->cwd = i;
	kfree(current->cwd_path);
	current->cwd_path = abs;
	return 0;
}

long sys_chdir(u32 upath)
{
	char *path;
	long n = get_path(upath, &path);
	if (n < 0) return n;
	struct inode *i;
	int e = namei(path, LOOKUP_FOLLOW, &i);
	char *abs = e ? NULL : absolute_path(path);
	kfree(path);
	if (e) return e;
	return set_cwd(i, abs);
}

long sys_fchdir(int fd)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	iget(f->inode);
	return set_cwd(f->inode, kstrdup(f->path ? f->path : "/"));
}

long sys_getcwd(u32 buf, u32 size)
{
	const char *p = current->cwd_path ? current->cwd_path : "/";
	u32 n = strlen(p) + 1;
	if (n > size) return -ERANGE;
	if (copy_to_user(buf, p, n)) return -EFAULT;
	return n;
}

/* The parent directory and last name of (dfd, path). */
static int parent_at(int dfd, u32 upath, struct inode **dir, char *name)
{
	char *path;
	long n = get_path(upath, &path);
	if (n < 0) return n;
	struct inode *base;
	int e = at_base(dfd, &base);
	if (!e) e = nameiparent_at(base, path, dir, name);
	kfree(path);
	return e;
}

long sys_mkdirat(int dfd, u32 path, u32 mode)
{
	struct inode *dir, *i;
	char name[NAME_MAX + 1];
	int e = parent_at(dfd, path, &dir, name);
	if (e) return e;
	struct inode *existing;
	if (dir->ops->lookup(dir, name, strlen(name), &existing) == 0) {
		iput(existing);
		e = -EEXIST;
	} else if (!dir->ops->create) {
		e = -EROFS;
	} else {
		e = dir->ops->create(dir, name, strlen(name), S_IFDIR | (mode & 07777), &i);
		if (!e) iput(i);
	}
	iput(dir);
	return e;
}

long sys_unlinkat(int dfd, u32 path, int flags)
{
	struct inode *dir;
	char name[NAME_MAX + 1];
	int e = parent_at(dfd, path, &dir, name);
	if (e) return e;
	if (!dir->ops->unlink) {
		struct inode *i;
		e = dir->ops->lookup(dir, name, strlen(name), &i);
		if (!e) { iput(i); e = -EROFS; }
	} else {
		e = dir->ops->unlink(dir, name, strlen(name), (flags & AT_REMOVEDIR) != 0);
	}
	iput(dir);
	return e;
}

long sys_renameat(int odfd, u32 opath, int ndfd, u32 npath)
{
	struct inode *od, *nd;
	char on[NAME_MAX + 1], nn[NAME_MAX + 1];
	int e = parent_at(odfd, opath, &od, on);
	if (e) return e;
	e = parent_at(ndfd, npath, &nd, nn);
	if (e) { iput(od); return e; }
	if (od->sb != nd->sb) e = -EXDEV;
	else if (!od->ops->rename) e = -EROFS;
	else e = od->ops->rename(od, on, strlen(on), nd, nn, strlen(nn));
	iput(od);
	iput(nd);
	return e;
}

int tmpfs_symlink(struct inode *dir, const char *name, u32 len, const char *target);

long sys_symlinkat(u32 utarget, int dfd, u32 path)
{
	char *target;
	long n = get_path(utarget, &target);
	if (n < 0) return n;
	struct inode *dir;
	char name[NAME_MAX + 1];
	int e = parent_at(dfd, path, &dir, name);
	if (!e) {
		e = tmpfs_symlink(dir, name, strlen(name), target);
		iput(dir);
	}
	kfree(target);
	return e;
}

long sys_truncate64(u32 path, u64 len)
{
	struct inode *i;
	int e = resolve_at(AT_FDCWD, path, 0, &i);
	if (e) return e;
	e = S_ISDIR(i->mode) ? -EISDIR : i->ops->truncate ? i->ops->truncate(i, len) : -EROFS;
	iput(i);
	return e;
}

long sys_ftruncate64(int fd, u64 len)
{
	struct file *f = fd_get(fd);
	if (!f) return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY) return -EINVAL;
	struct inode *i = f->inode;
	return i->ops && i->ops->truncate ? i->ops->truncate(i, len) : -EINVAL;
}

/* struct statfs64 (88 bytes on ppc32) */
static long put_statfs(struct inode *i, u32 size, u32 buf)
{
	if (size != 88) return -EINVAL;
	struct super *sb = i->sb;
	u32 s[22];
	memset(s, 0, sizeof s);
	bool ext2 = sb && sb->type && strcmp(sb->type, "ext2") == 0;
	s[0] = ext2 ? 0xef53 : 0x01021994;     /* EXT2_SUPER_MAGIC / TMPFS_MAGIC */
	s[1] = sb && sb->block_size ? sb->block_size : PAGE_SIZE;
	u32 total = ext2 ? sb->blocks : mem_total_pages(), free = ext2 ? sb->free_blocks : mem_free_pages();
	s[3] = total;                          /* f_blocks (u64 at 8) */
	s[5] = free;                           /* f_bfree */
	s[7] = free;                           /* f_bavail */
	s[9] = ext2 ? sb->files : 65536;       /* f_files */
	s[11] = ext2 ? sb->free_files : 65536; /* f_ffree */
	s[14] = NAME_MAX;                      /* f_namelen (after the 8-byte fsid at 48) */
	s[15] = s[1];                          /* f_frsize */
	s[16] = ext2 ? 1 : 0;                  /* f_flags: ST_RDONLY */
	return copy_to_user(buf, s, 88);
}

long sys_statfs64(u32 path, u32 size, u32 buf)
{
	struct inode *i;
	int e = resolve_at(AT_FDCWD, path, 0, &i);
	if (e) return e;
	e = put_statfs(i, size, buf);
	iput(i);
	return e;
}

long sys_fstatfs64(int fd, u32 size, u32 buf)
{
	struct file *f = fd_get(fd);
	return f ? put_statfs(f->inode, size, buf) : -EBADF;
}

/*
 * The virtual file system (vfs.c): inodes with per-filesystem operations, open files, path
 * lookup across mount points (ext2 root, tmpfs on /tmp, devfs on /dev), file descriptors.
 * All operations work on kernel buffers; the system calls move data to and from user pages.
 */
#ifndef VFS_H
#define VFS_H
#include "types.h"

#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10

#define NAME_MAX 255
#define PATH_MAX 1024

/* open flags (PowerPC values) */
#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_DIRECTORY 00040000
#define O_NOFOLLOW  00100000
#define O_LARGEFILE 00200000
#define O_CLOEXEC   02000000
#define O_PATH      010000000

struct inode;
struct file;
struct super;
struct task;

struct dirent_k {
	u32 ino;
	u8 type;      /* DT_* */
	u32 namelen;
	char name[NAME_MAX + 1];
};

struct inode_ops {
	int (*lookup)(struct inode *dir, const char *name, u32 len, struct inode **res);
	long (*read)(struct inode *ino, u64 off, void *buf, u32 n);
	long (*write)(struct inode *ino, u64 off, const void *buf, u32 n);
	int (*readdir)(struct inode *dir, u64 *pos, struct dirent_k *out);   /* 1, 0 at the end, <0 */
	int (*create)(struct inode *dir, const char *name, u32 len, u32 mode, struct inode **res);
	int (*unlink)(struct inode *dir, const char *name, u32 len, bool dir_wanted);
	int (*rename)(struct inode *odir, const char *on, u32 ol, struct inode *ndir, const char *nn, u32 nl);
	int (*truncate)(struct inode *ino, u64 size);
	int (*readlink)(struct inode *ino, char *buf, u32 n);
	void (*evict)(struct inode *ino);       /* last reference gone */
};

struct file_ops {
	long (*read)(struct file *f, void *buf, u32 n);
	long (*write)(struct file *f, const void *buf, u32 n);
	int (*ioctl)(struct file *f, u32 cmd, u32 arg);
	void (*release)(struct file *f);
	bool stream;          /* pipe/tty: reads may return short, no seeking */
};

struct super {
	const char *type;
	u32 dev;
	bool readonly;
	struct inode *root;
	u32 block_size;
	u32 blocks, free_blocks, files, free_files;
	struct inode *icache;   /* inodes in memory (linked through hash_next) */
};

struct inode {
	u32 ino;
	u32 mode;
	u32 nlink;
	u32 uid, gid;
	u64 size;
	u32 atime, mtime, ctime;
	u32 blocks;             /* 512-byte units */
	u32 rdev;
	int refcnt;
	struct super *sb;
	const struct inode_ops *ops;
	const struct file_ops *fops;   /* device nodes: how an open file of it behaves */
	struct inode *mounted;         /* root of a filesystem mounted here */
	struct inode *covered;         /* a filesystem root: the directory it is mounted on */
	struct inode *hash_next;
	void *priv;
};

struct file {
	int refcnt;
	u32 flags;
	u64 pos;
	struct inode *inode;
	const struct file_ops *ops;
	void *priv;
	char *path;            /* absolute path it was opened by (for fchdir), or NULL */
};

extern struct inode *root_inode;

/* inodes */
struct inode *inode_new(struct super *sb, u32 ino);     /* refcnt 1, in sb->icache */
struct inode *icache_find(struct super *sb, u32 ino);    /* with a reference, or NULL */
void iget(struct inode *ino);
void iput(struct inode *ino);
long vfs_read_kernel(struct inode *ino, u64 off, void *buf, u32 n);

/* paths */
#define LOOKUP_FOLLOW 1
int namei_at(struct inode *base, const char *path, int flags, struct inode **res);
int namei(const char *path, int flags, struct inode **res);
int nameiparent_at(struct inode *base, const char *path, struct inode **dir, char *name);
int vfs_mount(const char *path, struct inode *fsroot);

/* files and descriptors */
struct file *file_open_inode(struct inode *ino, u32 flags);
int vfs_open_at(struct inode *base, const char *path, u32 flags, u32 mode, struct file **res);
void fget(struct file *f);
void fput(struct file *f);
int fd_install(struct file *f, int min, bool cloexec);   /* lowest free fd >= min, or -EMFILE */
struct file *fd_get(int fd);                             /* no new reference */
int fd_close(int fd);
void files_close_all(void);
void files_close_on_exec(void);
void files_fork(struct task *child);
u8 mode_to_dt(u32 mode);
char *absolute_path(const char *path);   /* exec.c: kmalloc'ed, lexically normalised */

/* filesystems */
struct inode *ext2_mount(void);
struct inode *tmpfs_mount(void);
struct inode *devfs_mount(void);
struct file *devfs_console_file(void);
int pipe_create(struct file **rd, struct file **wr);
extern const struct file_ops regular_fops;
#endif

/*
 * Pipes: a one-page ring buffer between a read end and a write end. Readers sleep while it is
 * empty (end of file once every writer is gone), writers while it is full (EPIPE and SIGPIPE
 * once every reader is gone). Writes of up to PIPE_BUF bytes are atomic.
 */
#include "kernel.h"
#include "ppc.h"
#include "vfs.h"
#include "alloc.h"
#include "sched.h"

#define PIPE_SIZE 4096
#define PIPE_BUF 4096

struct pipe {
	u8 *buf;
	u32 head, tail;        /* head: next write, tail: next read (free-running) */
	int readers, writers;
};

static struct super pipe_sb = { .type = "pipefs" };
static u32 pipe_ino = 1;

static long pipe_read(struct file *f, void *dst, u32 n)
{
	struct pipe *p = f->priv;
	u32 fl = irq_save();
	while (p->head == p->tail) {
		if (p->writers == 0) { irq_restore(fl); return 0; }
		if (f->flags & O_NONBLOCK) { irq_restore(fl); return -EAGAIN; }
		if (signal_pending()) { irq_restore(fl); return -EINTR; }
		sleep_on(p);
	}
	u32 k = 0;
	while (k < n && p->tail != p->head) ((u8 *)dst)[k++] = p->buf[p->tail++ % PIPE_SIZE];
	wakeup(p);
	irq_restore(fl);
	return k;
}

static long pipe_write(struct file *f, const void *src, u32 n)
{
	struct pipe *p = f->priv;
	u32 done = 0;
	u32 fl = irq_save();
	while (done < n) {
		if (p->readers == 0) {
			irq_restore(fl);
			send_signal(current, SIGPIPE);
			return done ? (long)done : -EPIPE;
		}
		u32 room = PIPE_SIZE - (p->head - p->tail);
		/* small writes go in whole or not at all */
		if (room == 0 || (n - done <= PIPE_BUF && room < n - done && done == 0)) {
			if (f->flags & O_NONBLOCK) { irq_restore(fl); return done ? (long)done : -EAGAIN; }
			if (signal_pending()) { irq_restore(fl); return done ? (long)done : -EINTR; }
			sleep_on(p);
			continue;
		}
		while (room-- && done < n) p->buf[p->head++ % PIPE_SIZE] = ((const u8 *)src)[done++];
		wakeup(p);
	}
	irq_restore(fl);
	return done;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	if ((f->flags & O_ACCMODE) == O_RDONLY) p->readers--;
	else p->writers--;
	wakeup(p);
	if (p->readers == 0 && p->writers == 0) {
		page_free(p->buf);
		kfree(p);
	}
}

static const struct file_ops pipe_fops = { .read = pipe_read, .write = pipe_write, .release = pipe_release, .stream = true };

int pipe_create(struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof *p);
	struct inode *ino = p ? inode_new(&pipe_sb, pipe_ino++) : NULL;
	if (p) p->buf = page_alloc();
	if (!p || !ino || !p->buf) {
		if (p && p->buf) page_free(p->buf);
		kfree(p);
		if (ino) iput(ino);
		return -ENOMEM;
	}
	ino->mode = S_IFIFO | 0600;
	ino->fops = &pipe_fops;
	*rd = file_open_inode(ino, O_RDONLY);
	*wr = file_open_inode(ino, O_WRONLY);
	iput(ino);
	if (!*rd || !*wr) return -ENOMEM;
	(*rd)->priv = (*wr)->priv = p;
	p->readers = p->writers = 1;
	return 0;
}

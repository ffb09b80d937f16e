/*
 * System call dispatch (Linux/PowerPC 32-bit ABI): r0 = number, r3..r8 = arguments; the result
 * goes back in r3, with CR0[SO] set and r3 = the positive errno on failure. 64-bit arguments
 * occupy an aligned register pair (r5:r6 or r7:r8), high word first.
 *
 * Unknown numbers return ENOSYS with a one-line console note (at most one per number).
 */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "sched.h"
#include "mmu.h"
#include "vfs.h"
#include "alloc.h"
#include "syscall.h"
#include "timer.h"
#include "random.h"
#include "fdt.h"
#include "console.h"

#define CR0_SO 0x10000000

/* ---- identity, system information ---- */

static char hostname[65] = "hv440";

static long sys_uname(u32 buf)
{
	/* struct new_utsname: six 65-byte fields */
	char u[6][65];
	memset(u, 0, sizeof u);
	strlcpy(u[0], "Linux", 65);
	strlcpy(u[1], hostname, 65);
	strlcpy(u[2], UTS_RELEASE, 65);
	strlcpy(u[3], "#1 " KERNEL_NAME " " KERNEL_VERSION, 65);
	strlcpy(u[4], "ppc", 65);
	strlcpy(u[5], "(none)", 65);
	return copy_to_user(buf, u, sizeof u);
}

static long sys_sethostname(u32 name, u32 len)
{
	if (len > 64) return -EINVAL;
	char h[65];
	if (copy_from_user(h, name, len)) return -EFAULT;
	h[len] = 0;
	memcpy(hostname, h, len + 1);
	return 0;
}

static long sys_sysinfo(u32 buf)
{
	/* struct sysinfo (ppc32): uptime, loads[3], totalram, freeram, sharedram, bufferram,
	 * totalswap, freeswap, procs (u16) + pad, totalhigh, freehigh, mem_unit, padding: 64 bytes */
	u32 s[16];
	memset(s, 0, sizeof s);
	s[0] = (u32)(uptime_tb() / tb_freq);
	s[4] = mem_total_pages() * PAGE_SIZE;
	s[5] = mem_free_pages() * PAGE_SIZE;
	int procs = 0;
	for (struct task *t = task_list; t; t = t->next) procs++;
	s[10] = (u32)procs << 16;
	s[13] = 1;
	return copy_to_user(buf, s, sizeof s);
}

static long sys_times(u32 buf)
{
	u32 t[4] = { current->utime * USER_HZ / HZ, current->stime * USER_HZ / HZ,
		     current->cutime * USER_HZ / HZ, current->cstime * USER_HZ / HZ };
	if (buf && copy_to_user(buf, t, sizeof t)) return -EFAULT;
	return (long)(jiffies * USER_HZ / HZ);
}

static long sys_getrusage(int who, u32 buf)
{
	u32 ticks_u = who == -1 ? current->cutime : current->utime, ticks_s = who == -1 ? current->cstime : current->stime;
	u32 ru[18] = { 0 };
	ru[0] = ticks_u / HZ;
	ru[1] = (ticks_u % HZ) * (1000000 / HZ);
	ru[2] = ticks_s / HZ;
	ru[3] = (ticks_s % HZ) * (1000000 / HZ);
	return copy_to_user(buf, ru, sizeof ru);
}

/* Resource limits: the stack is USER_STACK_MAX, files NR_OPEN, everything else unlimited. */
#define RLIM_INFINITY 0xffffffffu
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7

static void rlimit_of(int res, u64 *cur, u64 *max)
{
	*cur = *max = ~0ull;
	if (res == RLIMIT_STACK) *cur = USER_STACK_MAX;
	if (res == RLIMIT_NOFILE) *cur = *max = NR_OPEN;
	if (res == RLIMIT_CORE) *cur = 0;
}

static long sys_ugetrlimit(int res, u32 buf)
{
	if (res < 0 || res > 15) return -EINVAL;
	u64 cur, max;
	rlimit_of(res, &cur, &max);
	u32 r[2] = { cur > RLIM_INFINITY ? RLIM_INFINITY : (u32)cur, max > RLIM_INFINITY ? RLIM_INFINITY : (u32)max };
	return copy_to_user(buf, r, 8);
}

static long sys_prlimit64(int pid, int res, u32 newl, u32 oldl)
{
	if (pid && pid != current->pid) return -ESRCH;
	if (res < 0 || res > 15) return -EINVAL;
	if (oldl) {
		u64 r[2];
		rlimit_of(res, &r[0], &r[1]);
		if (copy_to_user(oldl, r, 16)) return -EFAULT;
	}
	return 0;   /* new limits are accepted and ignored */
}

/* ---- time ---- */

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

static int clock_now(int clk, u64 *ns)
{
	switch (clk) {
	case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE:
		*ns = (u64)BOOT_EPOCH * 1000000000ull + tb_to_ns(uptime_tb());
		return 0;
	case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
		*ns = tb_to_ns(uptime_tb());
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
		*ns = (u64)(current->utime + current->stime) * (1000000000ull / HZ);
		return 0;
	default:
		return -EINVAL;
	}
}

static long sys_clock_gettime(int clk, u32 ts, bool t64)
{
	u64 ns;
	int e = clock_now(clk, &ns);
	if (e) return e;
	if (t64) {
		u64 v[2] = { ns / 1000000000ull, ns % 1000000000ull };
		return copy_to_user(ts, v, 16);
	}
	u32 v[2] = { (u32)(ns / 1000000000ull), (u32)(ns % 1000000000ull) };
	return copy_to_user(ts, v, 8);
}

static long sys_clock_getres(int clk, u32 ts, bool t64)
{
	u64 ns;
	int e = clock_now(clk, &ns);
	if (e) return e;
	if (!ts) return 0;
	u32 res = (clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE) ? 1000000000 / HZ : 1;
	if (t64) {
		u64 v[2] = { 0, res };
		return copy_to_user(ts, v, 16);
	}
	u32 v[2] = { 0, res };
	return copy_to_user(ts, v, 8);
}

static long sys_gettimeofday(u32 tv, u32 tz)
{
	u64 ns;
	clock_now(CLOCK_REALTIME, &ns);
	if (tv) {
		u32 v[2] = { (u32)(ns / 1000000000ull), (u32)(ns % 1000000000ull / 1000) };
		if (copy_to_user(tv, v, 8)) return -EFAULT;
	}
	if (tz) {
		u32 z[2] = { 0, 0 };
		if (copy_to_user(tz, z, 8)) return -EFAULT;
	}
	return 0;
}

static long sys_time(u32 t)
{
	u64 ns;
	clock_now(CLOCK_REALTIME, &ns);
	u32 s = (u32)(ns / 1000000000ull);
	if (t && copy_to_user(t, &s, 4)) return -EFAULT;
	return s;
}

/* Sleep until `ns` on clock `clk` (absolute) or for `ns` (relative); EINTR with the rest. */
static long do_nanosleep(int clk, int flags, u64 ns, u32 rem, bool t64)
{
	u64 now;
	int e = clock_now(clk, &now);
	if (e) return e;
	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID) return -EINVAL;
	u64 delta = (flags & TIMER_ABSTIME) ? (ns > now ? ns - now : 0) : ns;
	u64 start = get_tb(), end = start + ns_to_tb(delta);
	if (delta == 0) return 0;
	if (sleep_until(end)) return 0;
	if (rem && !(flags & TIMER_ABSTIME)) {
		u64 left = tb_to_ns(end - get_tb());
		if (t64) {
			u64 v[2] = { left / 1000000000ull, left % 1000000000ull };
			copy_to_user(rem, v, 16);
		} else {
			u32 v[2] = { (u32)(left / 1000000000ull), (u32)(left % 1000000000ull) };
			copy_to_user(rem, v, 8);
		}
	}
	return -EINTR;
}

static long read_timespec(u32 uts, bool t64, u64 *ns)
{
	if (t64) {
		s64 v[2];
		if (copy_from_user(v, uts, 16)) return -EFAULT;
		if (v[0] < 0 || (u64)v[1] >= 1000000000ull) return -EINVAL;
		*ns = (u64)v[0] * 1000000000ull + (u32)v[1];
	} else {
		s32 v[2];
		if (copy_from_user(v, uts, 8)) return -EFAULT;
		if (v[0] < 0 || (u32)v[1] >= 1000000000u) return -EINVAL;
		*ns = (u64)v[0] * 1000000000ull + (u32)v[1];
	}
	return 0;
}

static long sys_clock_nanosleep(int clk, int flags, u32 req, u32 rem, bool t64)
{
	u64 ns;
	long e = read_timespec(req, t64, &ns);
	return e ? e : do_nanosleep(clk, flags, ns, rem, t64);
}

/* ---- memory ---- */

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

static long sys_brk(u32 addr)
{
	struct mm *mm = current->mm;
	if (addr < mm->start_brk) return mm->brk;
	u32 old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(addr, PAGE_SIZE);
	if (new_end > old_end) {
		for (struct vma *v = mm->vmas; v; v = v->next)   /* never run into another mapping */
			if (v->start < new_end && old_end < v->end) return mm->brk;
		struct vma *heap = old_end > mm->start_brk ? vma_find(mm, old_end - 1) : NULL;
		if (heap && (heap->flags & VMA_HEAP) && heap->end == old_end) heap->end = new_end;
		else if (mm_map(mm, old_end, new_end - old_end, PROT_READ | PROT_WRITE, VMA_HEAP, NULL, 0, 0)) return mm->brk;
	} else if (new_end < old_end) {
		mm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = addr;
	return addr;
}

static long sys_mmap2(u32 addr, u32 len, u32 prot, u32 flags, int fd, u32 pgoff)
{
	struct mm *mm = current->mm;
	if (!len) return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || (flags & MAP_SHARED && !(flags & MAP_ANONYMOUS) && (prot & PROT_WRITE))) return -EINVAL;
	struct inode *ino = NULL;
	u64 fsize = 0;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get(fd);
		if (!f) return -EBADF;
		if (!S_ISREG(f->inode->mode)) return -ENODEV;
		ino = f->inode;
		fsize = ino->size;
	}
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK || addr + len > SIGPAGE_ADDR || addr + len < addr) return -EINVAL;
	} else {
		addr = 0;
		if (!addr) addr = mm_find_free(mm, len);
		if (!addr) return -ENOMEM;
	}
	u64 foff = (u64)pgoff * PAGE_SIZE;
	u32 fend = 0;
	if (ino) fend = foff >= fsize ? addr : (u32)MIN((u64)addr + len, addr + (fsize - foff));
	int e = mm_map(mm, addr, len, prot & 7, 0, ino, (u32)foff, fend);
	return e ? e : (long)addr;
}

static long sys_munmap(u32 addr, u32 len)
{
	if (addr & ~PAGE_MASK || !len) return -EINVAL;
	return mm_unmap(current->mm, addr, len);
}

static long sys_mprotect(u32 addr, u32 len, u32 prot)
{
	if (addr & ~PAGE_MASK) return -EINVAL;
	if (!len) return 0;
	return mm_protect(current->mm, addr, len, prot & 7);
}

static long sys_mremap(u32 old, u32 old_len, u32 new_len, u32 flags)
{
	if (flags & MREMAP_FIXED) return -EINVAL;
	return mm_remap(current->mm, old, old_len, new_len, flags & MREMAP_MAYMOVE);
}

/* ---- misc ---- */

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_CMD_RESTART 0x01234567
#define LINUX_REBOOT_CMD_HALT 0xcdef0123
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000

/*
 * hv440_mark(what): tells the board where a measured workload starts (1) and ends (2), through
 * the board's measurement DCR (device tree node compatible "hv440,measure"), so the host can
 * clear and freeze its exit statistics around it (what `echo c > vm*_vcpu*_timing` was for) and
 * time it the same way bare and virtualized. A no-op where the board has no such device.
 */
static long sys_hv440_mark(u32 what)
{
	static int present = -1;
	if (present < 0) present = fdt_next_compatible(-1, "hv440,measure") >= 0;
	if (what != 1 && what != 2) return -EINVAL;
	if (present) mtdcr(0x3f0, what);
	return 0;
}

static long sys_reboot(u32 magic1, u32 magic2, u32 cmd)
{
	if (magic1 != LINUX_REBOOT_MAGIC1 || (magic2 != 672274793 && magic2 != 85072278 && magic2 != 369367448 && magic2 != 537993216))
		return -EINVAL;
	if (cmd == LINUX_REBOOT_CMD_CAD_ON || cmd == LINUX_REBOOT_CMD_CAD_OFF) return 0;
	const char *what = cmd == LINUX_REBOOT_CMD_RESTART ? "Restarting system" :
			   cmd == LINUX_REBOOT_CMD_HALT ? "System halted" :
			   cmd == LINUX_REBOOT_CMD_POWER_OFF ? "Power down" : NULL;
	if (!what) return -EINVAL;
	if (!console_at_line_start()) printk("\n");
	printk("reboot: %s\n", what);
	machine_stop();
}

static long sys_getrandom(u32 buf, u32 n, u32 flags)
{
	u8 tmp[256];
	for (u32 done = 0; done < n; ) {
		u32 k = n - done < sizeof tmp ? n - done : sizeof tmp;
		get_random_bytes(tmp, k);
		if (copy_to_user(buf + done, tmp, k)) return done ? (long)done : -EFAULT;
		done += k;
	}
	return n;
}

static long sys_set_tid_address(u32 p)
{
	current->clear_child_tid = p;
	return current->pid;
}

#define PR_SET_PDEATHSIG 1
#define PR_GET_FPEXC 11
#define PR_SET_FPEXC 12
#define PR_SET_NAME 15
#define PR_GET_NAME 16

static long sys_prctl(u32 op, u32 a2)
{
	switch (op) {
	case PR_SET_NAME: {
		char n[16];
		if (strncpy_from_user(n, a2, sizeof n) < 0) n[15] = 0;
		n[15] = 0;
		strlcpy(current->comm, n, sizeof current->comm);
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user(a2, current->comm, 16);
	case PR_SET_PDEATHSIG:
		return 0;
	case PR_SET_FPEXC: {
		/* PR_FP_EXC_DISABLED 0, NONRECOV 1, ASYNC 2, PRECISE 3 -> MSR[FE0,FE1] */
		u32 fe = a2 & 3;
		u32 msr = current->regs->msr & ~(MSR_FE0 | MSR_FE1);
		if (fe & 2) msr |= MSR_FE0;
		if (fe & 1) msr |= MSR_FE1;
		current->regs->msr = msr;
		return 0;
	}
	case PR_GET_FPEXC: {
		u32 msr = current->regs->msr, v = (msr & MSR_FE0 ? 2 : 0) | (msr & MSR_FE1 ? 1 : 0);
		return copy_to_user(a2, &v, 4);
	}
	default:
		return -EINVAL;
	}
}

static long sys_sched_yield(void)
{
	need_resched = true;
	need_work = 1;
	return 0;
}

static long sys_pause(void)
{
	u32 f = irq_save();
	while (!signal_pending()) sleep_on(&sys_pause);
	irq_restore(f);
	return -EINTR;
}

static long sys_umask(u32 mask)
{
	static u32 cur = 022;
	u32 old = cur;
	cur = mask & 0777;
	return old;
}

/* ---- dispatch ---- */

static u8 reported[64];   /* one note per unknown syscall number (bitmap of 0..511) */
static u32 notes;         /* and at most 32 in all */

static long unknown(struct pt_regs *regs, u32 nr)
{
	bool first = nr >= 512 || !(reported[nr / 8] & (1 << (nr % 8)));
	if (first && notes < 32) {
		notes++;
		if (nr < 512) reported[nr / 8] |= 1 << (nr % 8);
		printk("%s[%d]: unimplemented system call %u (r3=%08x): ENOSYS\n", current->comm, current->pid, nr, regs->gpr[3]);
	}
	return -ENOSYS;
}

static u64 pair(u32 hi, u32 lo) { return ((u64)hi << 32) | lo; }

void do_syscall(struct pt_regs *regs)
{
	u32 nr = regs->gpr[0];
	u32 a = regs->gpr[3], b = regs->gpr[4], c = regs->gpr[5], d = regs->gpr[6], e = regs->gpr[7], f = regs->gpr[8];
	long r;
	regs->orig_gpr3 = a;
	switch (nr) {
	case 1: r = sys_exit(a); break;
	case 2: case 189: r = sys_fork(regs); break;                     /* fork, vfork */
	case 3: r = sys_read(a, b, c); break;
	case 4: r = sys_write(a, b, c); break;
	case 5: r = sys_open(a, b, c); break;
	case 6: r = sys_close(a); break;
	case 7: r = sys_waitpid(a, b, c); break;
	case 8: r = sys_open(a, O_CREAT | O_WRONLY | O_TRUNC, b); break; /* creat */
	case 10: r = sys_unlinkat(-100, a, 0); break;                   /* unlink */
	case 11: r = sys_execve(regs, a, b, c); break;
	case 12: r = sys_chdir(a); break;
	case 13: r = sys_time(a); break;
	case 19: r = sys_lseek(a, b, c); break;
	case 20: r = current->pid; break;                               /* getpid */
	case 24: case 47: case 49: case 50: r = 0; break;               /* getuid, getgid, geteuid, getegid */
	case 23: case 46: case 138: case 139: r = 0; break;             /* setuid, setgid, setfsuid, setfsgid */
	case 29: r = sys_pause(); break;
	case 33: r = sys_faccessat(-100, a, b, 0); break;               /* access */
	case 36: case 118: case 148: r = 0; break;                      /* sync, fsync, fdatasync */
	case 37: r = sys_kill(a, b); break;
	case 38: r = sys_renameat(-100, a, -100, b); break;             /* rename */
	case 39: r = sys_mkdirat(-100, a, b); break;                    /* mkdir */
	case 40: r = sys_unlinkat(-100, a, 0x200); break;               /* rmdir */
	case 41: r = sys_dup(a); break;
	case 42: r = sys_pipe2(a, 0); break;
	case 43: r = sys_times(a); break;
	case 45: r = sys_brk(a); break;
	case 54: r = sys_ioctl(a, b, c); break;
	case 55: case 204: r = sys_fcntl(a, b, c); break;               /* fcntl, fcntl64 */
	case 57: case 66: r = current->pid; break;                      /* setpgid, setsid */
	case 60: r = sys_umask(a); break;
	case 63: r = sys_dup2(a, b); break;
	case 64: r = current->parent ? current->parent->pid : 0; break; /* getppid */
	case 65: case 132: case 147: r = current->pid; break;           /* getpgrp, getpgid, getsid */
	case 74: r = sys_sethostname(a, b); break;
	case 75: r = 0; break;                                          /* setrlimit */
	case 76: case 190: r = sys_ugetrlimit(a, b); break;             /* getrlimit, ugetrlimit */
	case 77: r = sys_getrusage(a, b); break;
	case 78: r = sys_gettimeofday(a, b); break;
	case 83: r = sys_symlinkat(a, -100, b); break;                  /* symlink */
	case 85: r = sys_readlinkat(-100, a, b, c); break;              /* readlink */
	case 88: r = sys_reboot(a, b, c); break;
	case 91: r = sys_munmap(a, b); break;
	case 94: case 95: case 15: case 16: case 181: case 297: case 289: r = 0; break;   /* chmod/chown family */
	case 114: r = sys_wait4(a, b, c, d); break;
	case 116: r = sys_sysinfo(a); break;
	case 119: case 172: r = sys_rt_sigreturn(regs); break;          /* sigreturn, rt_sigreturn */
	case 120: r = sys_clone(regs, a, b); break;
	case 122: r = sys_uname(a); break;
	case 125: r = sys_mprotect(a, b, c); break;
	case 133: r = sys_fchdir(a); break;
	case 136: r = 0; break;                                         /* personality */
	case 140: r = sys_llseek(a, b, c, d, e); break;
	case 145: r = sys_readv(a, b, c); break;
	case 146: r = sys_writev(a, b, c); break;
	case 158: r = sys_sched_yield(); break;
	case 162: r = sys_clock_nanosleep(CLOCK_MONOTONIC, 0, a, b, false); break;   /* nanosleep */
	case 163: r = sys_mremap(a, b, c, d); break;
	case 164: case 169: r = 0; break;                               /* setresuid, setresgid */
	case 165: case 170: {                                           /* getresuid, getresgid */
		u32 z = 0;
		r = copy_to_user(a, &z, 4) || copy_to_user(b, &z, 4) || copy_to_user(c, &z, 4) ? -EFAULT : 0;
		break;
	}
	case 173: r = sys_rt_sigaction(a, b, c, d); break;
	case 174: r = sys_rt_sigprocmask(a, b, c, d); break;
	case 175: r = sys_rt_sigpending(a, b); break;
	case 179: r = sys_pread64(a, b, c, pair(e, f)); break;
	case 180: r = sys_pwrite64(a, b, c, pair(e, f)); break;
	case 182: r = sys_getcwd(a, b); break;
	case 185: r = sys_sigaltstack(a, b); break;
	case 192: r = sys_mmap2(a, b, c, d, e, f); break;
	case 90: r = (f & ~PAGE_MASK) ? -EINVAL : sys_mmap2(a, b, c, d, e, f >> PAGE_SHIFT); break;   /* mmap */
	case 92: r = sys_truncate64(a, b); break;                       /* truncate */
	case 93: r = sys_ftruncate64(a, b); break;                      /* ftruncate */
	case 193: r = sys_truncate64(a, pair(c, d)); break;
	case 194: r = sys_ftruncate64(a, pair(c, d)); break;
	case 195: r = sys_stat64(a, b); break;
	case 196: r = sys_lstat64(a, b); break;
	case 197: r = sys_fstat64(a, b); break;
	case 202: r = sys_getdents64(a, b, c); break;
	case 205: r = 0; break;                                         /* madvise */
	case 207: r = current->pid; break;                              /* gettid */
	case 208: r = sys_kill(a, b); break;                            /* tkill */
	case 232: r = sys_set_tid_address(a); break;
	case 234: r = sys_exit_group(a); break;
	case 246: r = sys_clock_gettime(a, b, false); break;
	case 247: r = sys_clock_getres(a, b, false); break;
	case 248: r = sys_clock_nanosleep(a, b, c, d, false); break;
	case 250: r = (int)a == current->pid || (int)a == -1 ? sys_kill(b, c) : -ESRCH; break;   /* tgkill */
	case 252: r = sys_statfs64(a, b, c); break;
	case 253: r = sys_fstatfs64(a, b, c); break;
	case 286: r = sys_openat(a, b, c, d); break;
	case 287: r = sys_mkdirat(a, b, c); break;
	case 291: r = sys_fstatat64(a, b, c, d); break;
	case 292: r = sys_unlinkat(a, b, c); break;
	case 293: r = sys_renameat(a, b, c, d); break;
	case 295: r = sys_symlinkat(a, b, c); break;
	case 296: r = sys_readlinkat(a, b, c, d); break;
	case 298: case 439: r = sys_faccessat(a, b, c, d); break;       /* faccessat, faccessat2 */
	case 300: r = 0; break;                                         /* set_robust_list: accepted */
	case 304: case 412: r = 0; break;                               /* utimensat */
	case 316: r = sys_dup3(a, b, c); break;
	case 317: r = sys_pipe2(a, b); break;
	case 325: r = sys_prlimit64(a, b, c, d); break;
	case 357: r = sys_renameat(a, b, c, d); break;                  /* renameat2 (flags ignored) */
	case 359: r = sys_getrandom(a, b, c); break;
	case 383: r = sys_statx(a, b, c, d, e); break;
	case 387: r = -ENOSYS; break;                                   /* rseq: glibc goes on without */
	case 403: r = sys_clock_gettime(a, b, true); break;
	case 406: r = sys_clock_getres(a, b, true); break;
	case 407: r = sys_clock_nanosleep(a, b, c, d, true); break;
	case 171: r = sys_prctl(a, b); break;
	case HV440_NR_MARK: r = sys_hv440_mark(a); break;
	default:
		r = unknown(regs, nr);
	}
	if (r == SYSCALL_NO_RESULT) return;
	if ((u32)r >= (u32)-MAX_ERRNO) {
		regs->gpr[3] = -r;
		regs->ccr |= CR0_SO;
	} else {
		regs->gpr[3] = r;
		regs->ccr &= ~CR0_SO;
	}
}

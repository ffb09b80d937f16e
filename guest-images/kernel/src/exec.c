/*
 * execve: load a static ELF32 big-endian PowerPC executable (ET_EXEC; no interpreter) into a new
 * address space and build the initial stack as Linux does:
 *
 *   sp -> argc, argv[0..argc-1], NULL, envp[..], NULL, auxv pairs (AT_NULL last)
 *         ... AT_RANDOM bytes, platform string, argument and environment strings, execfn
 *   USER_STACK_TOP
 *
 * The auxiliary vector follows Linux's order for PowerPC (ARCH_DLINFO first: two AT_IGNOREPPC,
 * cache line sizes), then AT_HWCAP (0x8C008000 = 32-bit | MMU | FPU | BookE, what Linux reports
 * on a 440EPx), AT_PAGESZ, AT_CLKTCK, AT_PHDR/PHENT/PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, the ids,
 * AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM. Segments are mapped, not read: pages
 * come in from the file on first touch (mmu.c).
 */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "sched.h"
#include "mmu.h"
#include "vfs.h"
#include "alloc.h"
#include "fpu.h"
#include "syscall.h"
#include "timer.h"
#include "random.h"

#define EM_PPC 20
#define ET_EXEC 2
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_DCACHEBSIZE 19
#define AT_ICACHEBSIZE 20
#define AT_UCACHEBSIZE 21
#define AT_IGNOREPPC 22
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31

#define HWCAP_440EPX 0x8c008000u
#define PLATFORM "ppc440"

struct elf32_ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version, entry, phoff, shoff, flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf32_phdr { u32 type, offset, vaddr, paddr, filesz, memsz, flags, align; };

/* The absolute, lexically normalised form of `path` (relative to the cwd). */
char *absolute_path(const char *path)
{
	const char *cwd = current->cwd_path ? current->cwd_path : "/";
	u32 n = strlen(cwd) + strlen(path) + 2;
	char *joined = kmalloc(n);
	char *out = kmalloc(n + 1);
	if (!joined || !out) { kfree(joined); kfree(out); return NULL; }
	if (path[0] == '/') strlcpy(joined, path, n);
	else snprintf(joined, n, "%s/%s", cwd, path);
	u32 o = 0;
	for (const char *p = joined; *p; ) {
		while (*p == '/') p++;
		if (!*p) break;
		u32 len = 0;
		while (p[len] && p[len] != '/') len++;
		if (len == 1 && p[0] == '.') { p += len; continue; }
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/') o--;
			if (o > 0) o--;
			p += len;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, p, len);
		o += len;
		p += len;
	}
	if (o == 0) out[o++] = '/';
	out[o] = 0;
	kfree(joined);
	return out;
}

/* Push a string onto the new stack; returns its user address. */
static u32 push_str(struct mm *mm, u32 *sp, const char *s, int *err)
{
	u32 n = strlen(s) + 1;
	*sp -= n;
	if (copy_to_mm(mm, *sp, s, n)) *err = -EFAULT;
	return *sp;
}

long do_execve(const char *path, char *const *argv, int argc, char *const *envp, int envc)
{
	struct inode *ino;
	int e = namei(path, LOOKUP_FOLLOW, &ino);
	if (e) return e;
	struct mm *mm = NULL;
	u32 *vec = NULL, *ptrs = NULL;
	char *exe = NULL;
	struct elf32_phdr *ph = kmalloc(PAGE_SIZE);
	struct elf32_ehdr eh;
	if (!ph) { e = -ENOMEM; goto out; }
	if (S_ISDIR(ino->mode)) { e = -EISDIR; goto out; }
	if (!S_ISREG(ino->mode) || !(ino->mode & 0111)) { e = -EACCES; goto out; }
	if (vfs_read_kernel(ino, 0, &eh, sizeof eh) != sizeof eh || memcmp(eh.ident, "\177ELF", 4) != 0) { e = -ENOEXEC; goto out; }
	if (eh.ident[4] != 1 || eh.ident[5] != 2 || eh.machine != EM_PPC || eh.phentsize != sizeof *ph ||
	    eh.phnum == 0 || eh.phnum * sizeof *ph > PAGE_SIZE) {
		e = -ENOEXEC;
		goto out;
	}
	if (eh.type != ET_EXEC) { printk("exec %s: only static (ET_EXEC) executables are supported\n", path); e = -ENOEXEC; goto out; }
	if (vfs_read_kernel(ino, eh.phoff, ph, eh.phnum * sizeof *ph) != (long)(eh.phnum * sizeof *ph)) { e = -ENOEXEC; goto out; }

	mm = mm_create();
	if (!mm) { e = -ENOMEM; goto out; }
	u32 brk = 0, phdr = 0, stack_prot = PROT_READ | PROT_WRITE;
	for (int i = 0; i < eh.phnum; i++) {
		struct elf32_phdr *p = &ph[i];
		if (p->type == PT_INTERP) {
			printk("exec %s: dynamically linked programs are not supported\n", path);
			e = -ENOEXEC;
			goto out;
		}
		if (p->type == PT_GNU_STACK && (p->flags & PF_X)) stack_prot |= PROT_EXEC;
		if (p->type != PT_LOAD || p->memsz == 0) continue;
		u32 start = p->vaddr & PAGE_MASK, end = ALIGN_UP(p->vaddr + p->memsz, PAGE_SIZE);
		if (p->filesz > p->memsz || end <= start || end > SIGPAGE_ADDR || (p->vaddr - p->offset) % PAGE_SIZE) {
			e = -ENOEXEC;
			goto out;
		}
		u32 prot = (p->flags & PF_R ? PROT_READ : 0) | (p->flags & PF_W ? PROT_WRITE : 0) | (p->flags & PF_X ? PROT_EXEC : 0);
		e = mm_map(mm, start, end - start, prot, 0, ino, p->offset - (p->vaddr - start), p->vaddr + p->filesz);
		if (e) goto out;
		if (end > brk) brk = end;
		if (eh.phoff >= p->offset && eh.phoff + eh.phnum * sizeof *ph <= p->offset + p->filesz)
			phdr = p->vaddr + (eh.phoff - p->offset);
	}
	mm->start_brk = mm->brk = brk;
	if ((e = mm_map(mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_MAX, stack_prot, VMA_STACK, NULL, 0, 0)) ||
	    (e = mm_map(mm, SIGPAGE_ADDR, PAGE_SIZE, PROT_READ | PROT_EXEC, VMA_SIGPAGE, NULL, 0, 0)))
		goto out;

	/* the strings, then the vectors */
	exe = absolute_path(path);
	if (!exe) { e = -ENOMEM; goto out; }
	ptrs = kmalloc((argc + envc + 2) * sizeof(u32));
	if (!ptrs) { e = -ENOMEM; goto out; }
	u32 sp = USER_STACK_TOP - 16;
	u32 execfn = push_str(mm, &sp, exe, &e);
	for (int i = envc - 1; i >= 0; i--) ptrs[argc + 1 + i] = push_str(mm, &sp, envp[i], &e);
	for (int i = argc - 1; i >= 0; i--) ptrs[i] = push_str(mm, &sp, argv[i], &e);
	u32 platform = push_str(mm, &sp, PLATFORM, &e);
	u8 rnd[16];
	get_random_bytes(rnd, sizeof rnd);
	sp = (sp - 16) & ~15u;
	u32 random = sp;
	if (copy_to_mm(mm, random, rnd, 16)) e = -EFAULT;
	if (e) goto out;

	u32 auxv[][2] = {
		{ AT_IGNOREPPC, AT_IGNOREPPC }, { AT_IGNOREPPC, AT_IGNOREPPC },
		{ AT_DCACHEBSIZE, 32 }, { AT_ICACHEBSIZE, 32 }, { AT_UCACHEBSIZE, 0 },
		{ AT_HWCAP, HWCAP_440EPX }, { AT_PAGESZ, PAGE_SIZE }, { AT_CLKTCK, USER_HZ },
		{ AT_PHDR, phdr }, { AT_PHENT, sizeof *ph }, { AT_PHNUM, eh.phnum }, { AT_BASE, 0 },
		{ AT_FLAGS, 0 }, { AT_ENTRY, eh.entry }, { AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 },
		{ AT_EGID, 0 }, { AT_SECURE, 0 }, { AT_RANDOM, random }, { AT_HWCAP2, 0 },
		{ AT_EXECFN, execfn }, { AT_PLATFORM, platform }, { AT_NULL, 0 },
	};
	u32 nwords = 1 + argc + 1 + envc + 1 + 2 * ARRAY_SIZE(auxv);
	vec = kmalloc(nwords * 4);
	if (!vec) { e = -ENOMEM; goto out; }
	u32 k = 0;
	vec[k++] = argc;
	for (int i = 0; i < argc; i++) vec[k++] = ptrs[i];
	vec[k++] = 0;
	for (int i = 0; i < envc; i++) vec[k++] = ptrs[argc + 1 + i];
	vec[k++] = 0;
	u32 auxv_off = k * 4;
	for (u32 i = 0; i < ARRAY_SIZE(auxv); i++) {
		vec[k++] = auxv[i][0];
		vec[k++] = auxv[i][1];
	}
	sp = (sp - nwords * 4) & ~15u;
	if (copy_to_mm(mm, sp, vec, nwords * 4)) { e = -EFAULT; goto out; }

	/* the point of no return: switch to the new address space */
	struct mm *old = current->mm;
	u32 f = irq_save();
	current->mm = mm;
	switch_mm(mm);
	irq_restore(f);
	if (old) mm_destroy(old);
	mm = NULL;
	kfree(current->exe);
	current->exe = exe;
	exe = NULL;
	const char *base = strrchr(path, '/');
	strlcpy(current->comm, base ? base + 1 : path, sizeof current->comm);
	files_close_on_exec();
	for (int s = 1; s <= NSIG; s++)
		if (current->sigact[s].handler != SIG_IGN) memset(&current->sigact[s], 0, sizeof current->sigact[s]);
	current->sig_altstack_sp = current->sig_altstack_size = 0;
	fpu_release(current);
	memset(&current->fp, 0, sizeof current->fp);
	current->used_fp = false;
	current->clear_child_tid = 0;

	struct pt_regs *r = current->regs;
	/* not the first two words: the C functions running on this stack saved LR there */
	memset(&r->gpr, 0, sizeof *r - offsetof(struct pt_regs, gpr));
	r->gpr[1] = sp;
	r->gpr[3] = argc;
	r->gpr[4] = sp + 4;
	r->gpr[5] = sp + 4 * (argc + 2);
	r->gpr[6] = sp + auxv_off;
	r->nip = eh.entry;
	r->msr = MSR_USER;
	r->trap = IV_SYSCALL;
	e = SYSCALL_NO_RESULT;
out:
	if (mm) mm_destroy(mm);
	kfree(vec);
	kfree(ptrs);
	kfree(exe);
	kfree(ph);
	iput(ino);
	return e;
}

int kernel_execve(const char *path, const char *const *argv, const char *const *envp)
{
	int argc = 0, envc = 0;
	while (argv[argc]) argc++;
	while (envp[envc]) envc++;
	long e = do_execve(path, (char *const *)argv, argc, (char *const *)envp, envc);
	return e == SYSCALL_NO_RESULT ? 0 : (int)e;
}

/* execve(path, argv, envp) from user space: copy the arguments in, then do_execve. */
#define ARG_BYTES (64 * 1024)
#define ARG_MAX_PTRS 4096

static int copy_strings(u32 uvec, char **out, int *count, char **area, u32 *used)
{
	*count = 0;
	if (!uvec) return 0;
	for (;;) {
		u32 p;
		if (copy_from_user(&p, uvec + 4 * *count, 4)) return -EFAULT;
		if (!p) return 0;
		if (*count >= ARG_MAX_PTRS / 2) return -E2BIG;
		long n = strncpy_from_user(*area + *used, p, ARG_BYTES - *used);
		if (n == -ENAMETOOLONG) return -E2BIG;
		if (n < 0) return n;
		out[(*count)++] = *area + *used;
		*used += n + 1;
	}
}

long sys_execve(struct pt_regs *regs, u32 upath, u32 uargv, u32 uenvp)
{
	char *area = pages_alloc(ARG_BYTES / PAGE_SIZE);
	char **argv = kmalloc(ARG_MAX_PTRS * sizeof(char *));
	char path[PATH_MAX];
	long e;
	if (!area || !argv) { e = -ENOMEM; goto out; }
	e = strncpy_from_user(path, upath, sizeof path);
	if (e < 0) goto out;
	int argc, envc;
	u32 used = 0;
	if ((e = copy_strings(uargv, argv, &argc, &area, &used))) goto out;
	if ((e = copy_strings(uenvp, argv + argc, &envc, &area, &used))) goto out;
	e = do_execve(path, argv, argc, argv + argc, envc);
out:
	if (area) pages_free(area, ARG_BYTES / PAGE_SIZE);
	kfree(argv);
	return e;
}

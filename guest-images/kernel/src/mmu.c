/*
 * Memory management unit: the 440's 64-entry TLB is loaded in software from page tables.
 *
 * TLB slots 61..63 hold bolted 256 MiB entries for lowmem (KERNELBASE -> 0, +256 MiB, ...), made
 * at boot and never replaced. Slots 0..60 are filled on demand by the TLB miss handlers
 * (entry.S) from the page tables, victims chosen round-robin; the fault path below preloads the
 * entry it just made valid the same way.
 *
 * Each address space gets a TLB ID (TID 1..255, loaded into PID when it runs), so a context
 * switch flushes nothing. A TID is recycled only after a flush of all refill slots: freed TIDs
 * are "stale" until then, and tid_alloc flushes once when it runs out of clean ones.
 *
 * User pages are demand-faulted: anonymous ones zero-filled, file-backed ones (ELF segments,
 * private file mappings) read from the file. fork() shares every page copy-on-write: writable
 * pages lose their write permission in both address spaces and get PTE_COW; the first write
 * faults (a storage interrupt, since the TLB entry lacks UW) and copies the page unless it has
 * no other user left. Read-only pages are simply shared (reference counted).
 *
 * The kernel reaches user memory only through the page tables (user_ptr and the copy
 * functions), faulting pages in as the user access would, so it never takes TLB misses or
 * faults on user addresses itself.
 */
#include "kernel.h"
#include "ppc.h"
#include "mm.h"
#include "mmu.h"
#include "alloc.h"
#include "asm.h"
#include "vfs.h"

/* The TLB miss handlers' state (entry.S addresses its fields by offset). */
struct tlb_state {
	u32 r9, r11, r12, r13, cr, vec;
	u32 victim;       /* last refill slot used */
	u32 nfree;        /* number of refill slots (0..nfree-1) */
	u32 *pgd;         /* page directory of the running process (NULL: kernel thread) */
	u32 tid;          /* its TLB ID (= PID register) */
} tlb_state;
STATIC_ASSERT(offsetof(struct tlb_state, victim) == TLBS_VICTIM);
STATIC_ASSERT(offsetof(struct tlb_state, nfree) == TLBS_NFREE);
STATIC_ASSERT(offsetof(struct tlb_state, pgd) == TLBS_PGD);
STATIC_ASSERT(offsetof(struct tlb_state, tid) == TLBS_TID);
STATIC_ASSERT(sizeof(struct tlb_state) == TLBS_SIZE);

/* The kernel's page directory: only the ioremap window uses it. */
u32 swapper_pg_dir[1024] __attribute__((aligned(4096)));
static u32 ioremap_next = IOREMAP_BASE;
static u32 lowmem_size;

/* ---- TLB ---- */

void tlb_flush_page(int tid, u32 va)
{
	u32 f = irq_save();
	int i = tlb_search(va, tid);
	if (i >= 0 && i < TLB_REFILL_SLOTS) tlb_write(i, 0, 0, 0, 0);
	irq_restore(f);
}

void tlb_flush_all(void)
{
	u32 f = irq_save();
	tlb_invalidate_range(0, TLB_REFILL_SLOTS);
	irq_restore(f);
}

/* ---- TLB IDs ---- */

static u32 tid_used[8], tid_stale[8];
static int tid_next = 1;

static bool tid_bit(u32 *map, int t) { return (map[t >> 5] >> (t & 31)) & 1; }

static int tid_alloc(void)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < 255; k++) {
			int t = 1 + (tid_next - 1 + k) % 255;
			if (!tid_bit(tid_used, t) && !tid_bit(tid_stale, t)) {
				tid_used[t >> 5] |= 1u << (t & 31);
				tid_next = t % 255 + 1;
				return t;
			}
		}
		/* every free TID may still have entries in the TLB: flush them all once */
		tlb_flush_all();
		memset(tid_stale, 0, sizeof tid_stale);
	}
	return -1;
}

static void tid_free(int t)
{
	tid_used[t >> 5] &= ~(1u << (t & 31));
	tid_stale[t >> 5] |= 1u << (t & 31);
}

/* ---- page tables ---- */

static u32 *pte_get(u32 *pgd, u32 va, bool alloc)
{
	u32 *pt = (u32 *)pgd[va >> 22];
	if (!pt) {
		if (!alloc) return NULL;
		pt = page_alloc_zeroed();
		if (!pt) return NULL;
		pgd[va >> 22] = (u32)pt;
	}
	return &pt[(va >> PAGE_SHIFT) & 1023];
}

static u32 prot_bits(u32 prot)
{
	u32 f = 0;
	if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) f |= PTE_UR;
	if (prot & PROT_WRITE) f |= PTE_UW;
	if (prot & PROT_EXEC) f |= PTE_UX;
	return f;
}

/* ---- boot ---- */

void mmu_init(u32 ram)
{
	lowmem_size = ram > LOWMEM_MAX ? LOWMEM_MAX : ram;
	/* slot 63 (first 256 MiB) was bolted by head.S; the rest of lowmem goes below it */
	u32 n = (lowmem_size + (256u << 20) - 1) >> 28;
	for (u32 i = 1; i < n; i++)
		tlb_write(TLB_ENTRIES - 1 - i, (KERNELBASE + (i << 28)) | TLB0_V | TLB0_SIZE_256M, i << 28,
			  TLB2_SX | TLB2_SW | TLB2_SR, 0);
	tlb_state.nfree = TLB_REFILL_SLOTS;
	tlb_state.victim = TLB_REFILL_SLOTS - 1;
	tlb_state.pgd = NULL;
	mtspr(SPRN_PID, 0);
	pr_info("MMU: 440 software-managed TLB, %d entries; lowmem %u MiB at 0x%08x in %u bolted 256 MiB entries (slots %d-%d), "
		"refill slots 0-%d round-robin, 4 KiB user pages, TID per process\n",
		TLB_ENTRIES, lowmem_size >> 20, KERNELBASE, n, TLB_ENTRIES - (int)n, TLB_ENTRIES - 1, TLB_REFILL_SLOTS - 1);
	if (ram > LOWMEM_MAX) printk("MMU: only %u of %u MiB of RAM are usable (no highmem)\n", LOWMEM_MAX >> 20, ram >> 20);
}

/* Map device registers into the ioremap window (uncached, guarded, supervisor RW). */
void *ioremap(u64 pa, u32 size)
{
	if (pa >> 32) return NULL;   /* PTEs hold 32-bit physical addresses (ERPN 0) */
	u32 base = (u32)pa & PAGE_MASK;
	u32 len = ALIGN_UP((u32)pa + size - base, PAGE_SIZE);
	if (ioremap_next + len > IOREMAP_END) return NULL;
	u32 va = ioremap_next;
	ioremap_next += len;
	for (u32 off = 0; off < len; off += PAGE_SIZE) {
		u32 *pte = pte_get(swapper_pg_dir, va + off, true);
		if (!pte) return NULL;
		*pte = (base + off) | PTE_PRESENT | PTE_I | PTE_G | PTE_SR | PTE_SW;
	}
	return (void *)(va + ((u32)pa - base));
}

/* ---- address spaces ---- */

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof *mm);
	if (!mm) return NULL;
	mm->pgd = page_alloc_zeroed();
	mm->tid = tid_alloc();
	if (!mm->pgd || mm->tid < 0) {
		if (mm->pgd) page_free(mm->pgd);
		if (mm->tid > 0) tid_free(mm->tid);
		kfree(mm);
		return NULL;
	}
	return mm;
}

static void vma_free(struct vma *v)
{
	if (v->inode) iput(v->inode);
	kfree(v);
}

void mm_destroy(struct mm *mm)
{
	for (u32 i = 0; i < KERNELBASE >> 22; i++) {
		u32 *pt = (u32 *)mm->pgd[i];
		if (!pt) continue;
		for (int k = 0; k < 1024; k++)
			if (pt[k] & PTE_PRESENT) page_put(__va(pt[k] & PTE_RPN_MASK));
		page_free(pt);
	}
	page_free(mm->pgd);
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		mm->vmas = v->next;
		vma_free(v);
	}
	tid_free(mm->tid);
	kfree(mm);
}

void switch_mm(struct mm *mm)
{
	tlb_state.pgd = mm ? mm->pgd : NULL;
	tlb_state.tid = mm ? mm->tid : 0;
	mtspr(SPRN_PID, tlb_state.tid);
	isync();
}

struct vma *vma_find(struct mm *mm, u32 addr)
{
	for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end) return v;
	return NULL;
}

static void vma_insert(struct mm *mm, struct vma *n)
{
	struct vma **pp = &mm->vmas;
	while (*pp && (*pp)->start < n->start) pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
}

/* Make `addr` a VMA boundary (split the VMA containing it). */
static int vma_split(struct mm *mm, u32 addr)
{
	struct vma *v = vma_find(mm, addr);
	if (!v || v->start == addr) return 0;
	struct vma *n = kmalloc(sizeof *n);
	if (!n) return -ENOMEM;
	*n = *v;
	n->start = addr;
	if (n->inode) {
		iget(n->inode);
		n->foff = v->foff + (addr - v->start);
	}
	v->end = addr;
	v->next = n;
	return 0;
}

/* Drop the pages of [start, end) from the page tables (and the TLB: page by page, or all of it
 * for a big range). */
static void unmap_pages(struct mm *mm, u32 start, u32 end)
{
	bool flush_all = end - start > 32 * PAGE_SIZE;
	for (u32 va = start; va < end; va += PAGE_SIZE) {
		u32 *pte = pte_get(mm->pgd, va, false);
		if (!pte) {
			va = (va | 0x3fffff) + 1 - PAGE_SIZE;   /* no page table: skip its 4 MiB */
			continue;
		}
		if (*pte & PTE_PRESENT) {
			page_put(__va(*pte & PTE_RPN_MASK));
			mm->rss--;
			if (!flush_all) tlb_flush_page(mm->tid, va);
		}
		*pte = 0;
	}
	if (flush_all) tlb_flush_all();
}

int mm_unmap(struct mm *mm, u32 start, u32 len)
{
	u32 end = start + ALIGN_UP(len, PAGE_SIZE);
	if (start & ~PAGE_MASK || end < start || end > KERNELBASE) return -EINVAL;
	if (vma_split(mm, start) || vma_split(mm, end)) return -ENOMEM;
	struct vma **pp = &mm->vmas;
	while (*pp) {
		struct vma *v = *pp;
		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			vma_free(v);
		} else {
			pp = &v->next;
		}
	}
	unmap_pages(mm, start, end);
	return 0;
}

int mm_map(struct mm *mm, u32 start, u32 len, u32 prot, u32 flags, struct inode *ino, u32 foff, u32 fend)
{
	u32 end = start + ALIGN_UP(len, PAGE_SIZE);
	if (start & ~PAGE_MASK || end <= start || end > KERNELBASE) return -EINVAL;
	int r = mm_unmap(mm, start, end - start);   /* MAP_FIXED semantics */
	if (r) return r;
	struct vma *v = kzalloc(sizeof *v);
	if (!v) return -ENOMEM;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	if (ino) {
		v->inode = ino;
		iget(ino);
		v->foff = foff;
		v->fend = fend;
	}
	vma_insert(mm, v);
	return 0;
}

int mm_protect(struct mm *mm, u32 start, u32 len, u32 prot)
{
	u32 end = start + ALIGN_UP(len, PAGE_SIZE);
	if (start & ~PAGE_MASK || end < start || end > KERNELBASE) return -EINVAL;
	for (u32 a = start; a < end; ) {   /* the whole range must be mapped */
		struct vma *v = vma_find(mm, a);
		if (!v) return -ENOMEM;
		a = v->end;
	}
	if (vma_split(mm, start) || vma_split(mm, end)) return -ENOMEM;
	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (v->start < start || v->end > end) continue;
		v->prot = prot;
		for (u32 va = v->start; va < v->end; va += PAGE_SIZE) {
			u32 *pte = pte_get(mm->pgd, va, false);
			if (!pte || !(*pte & PTE_PRESENT)) continue;
			u32 pa = *pte & PTE_RPN_MASK;
			u32 bits = prot_bits(prot);
			bool shared = page_refs(__va(pa)) > 1;
			if ((bits & PTE_UW) && (shared || (*pte & PTE_COW))) bits = (bits & ~PTE_UW) | PTE_COW;
			*pte = pa | PTE_PRESENT | bits;
			tlb_flush_page(mm->tid, va);
		}
	}
	return 0;
}

u32 mm_find_free(struct mm *mm, u32 len)
{
	len = ALIGN_UP(len, PAGE_SIZE);
	u32 floor = ALIGN_UP(mm->brk, PAGE_SIZE) + (16u << 20);   /* leave the heap room to grow */
	if (len > MMAP_TOP) return 0;
	u32 addr = MMAP_TOP - len;
	for (;;) {
		if (addr < floor) return 0;
		struct vma *hit = NULL;
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < addr + len && addr < v->end) hit = v;   /* the highest overlap */
		if (!hit) return addr;
		if (hit->start < len) return 0;
		addr = hit->start - len;
	}
}

/* mremap: shrink in place, grow in place if the range after is free, else move the pages. */
long mm_remap(struct mm *mm, u32 old, u32 old_len, u32 new_len, bool may_move)
{
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	struct vma *v = vma_find(mm, old);
	if (!v || old & ~PAGE_MASK || !new_len || old + old_len > v->end) return -EFAULT;
	if (new_len <= old_len) {
		if (new_len < old_len) mm_unmap(mm, old + new_len, old_len - new_len);
		return old;
	}
	bool free_after = old + new_len <= KERNELBASE && old + old_len == v->end;
	for (struct vma *w = mm->vmas; free_after && w; w = w->next)
		if (w != v && w->start < old + new_len && old + old_len < w->end) free_after = false;
	if (free_after && !v->inode) {
		v->end = old + new_len;
		return old;
	}
	if (!may_move || v->inode) return -ENOMEM;
	u32 dst = mm_find_free(mm, new_len);
	if (!dst) return -ENOMEM;
	int r = mm_map(mm, dst, new_len, v->prot, v->flags & ~VMA_HEAP, NULL, 0, 0);
	if (r) return r;
	/* move the present pages over */
	for (u32 off = 0; off < old_len; off += PAGE_SIZE) {
		u32 *src = pte_get(mm->pgd, old + off, false);
		if (!src || !(*src & PTE_PRESENT)) continue;
		u32 *d = pte_get(mm->pgd, dst + off, true);
		if (!d) return -ENOMEM;
		*d = *src;
		*src = 0;
		tlb_flush_page(mm->tid, old + off);
	}
	mm_unmap(mm, old, old_len);
	return dst;
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *mm = mm_create();
	if (!mm) return NULL;
	mm->start_brk = parent->start_brk;
	mm->brk = parent->brk;
	mm->rss = parent->rss;
	struct vma **tail = &mm->vmas;
	for (struct vma *v = parent->vmas; v; v = v->next) {
		struct vma *n = kmalloc(sizeof *n);
		if (!n) goto fail;
		*n = *v;
		n->next = NULL;
		if (n->inode) iget(n->inode);
		*tail = n;
		tail = &n->next;
	}
	for (u32 i = 0; i < KERNELBASE >> 22; i++) {
		u32 *ppt = (u32 *)parent->pgd[i];
		if (!ppt) continue;
		u32 *cpt = page_alloc_zeroed();
		if (!cpt) goto fail;
		mm->pgd[i] = (u32)cpt;
		for (int k = 0; k < 1024; k++) {
			u32 pte = ppt[k];
			if (!(pte & PTE_PRESENT)) continue;
			if (pte & PTE_UW) pte = (pte & ~PTE_UW) | PTE_COW;
			ppt[k] = pte;
			cpt[k] = pte;
			page_get(__va(pte & PTE_RPN_MASK));
		}
	}
	/* the parent's writable TLB entries are now wrong: drop them (all refill slots) */
	tlb_flush_all();
	return mm;
fail:
	mm_destroy(mm);
	return NULL;
}

/* ---- faults ---- */

/* Fill a fresh page for `va` in `v` (zero or file contents). */
static int fill_page(struct vma *v, u32 va, void *page)
{
	zero_page(page);
	if (v->flags & VMA_SIGPAGE) {
		u32 *code = page;
		code[0] = 0x38000000 | 172;   /* li r0,__NR_rt_sigreturn */
		code[1] = 0x44000002;         /* sc */
	}
	if (v->inode && va < v->fend) {
		u32 n = v->fend - va < PAGE_SIZE ? v->fend - va : PAGE_SIZE;
		long r = vfs_read_kernel(v->inode, (u64)v->foff + (va - v->start), page, n);
		if (r < 0) return r;
	}
	if (v->prot & PROT_EXEC) flush_icache_range((u32)page, (u32)page + PAGE_SIZE);
	return 0;
}

int handle_mm_fault(struct mm *mm, u32 addr, int access)
{
	struct vma *v = vma_find(mm, addr);
	if (!v) return -EFAULT;
	if ((access & ACC_WRITE) && !(v->prot & PROT_WRITE)) return -EFAULT;
	if ((access & ACC_EXEC) && !(v->prot & PROT_EXEC)) return -EFAULT;
	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC))) return -EFAULT;
	u32 va = addr & PAGE_MASK;
	u32 *pte = pte_get(mm->pgd, va, true);
	if (!pte) return -ENOMEM;
	if (!(*pte & PTE_PRESENT)) {
		void *page = page_alloc();
		if (!page) return -ENOMEM;
		int r = fill_page(v, va, page);
		if (r) {
			page_free(page);
			return -EFAULT;
		}
		*pte = __pa(page) | PTE_PRESENT | prot_bits(v->prot);
		mm->rss++;
		return 0;   /* the PTE was not present: the TLB cannot hold an entry for it */
	} else if ((access & ACC_WRITE) && (*pte & PTE_COW)) {
		void *old = __va(*pte & PTE_RPN_MASK);
		u32 flags = (*pte & ~PTE_RPN_MASK & ~PTE_COW) | PTE_UW;
		if (page_refs(old) == 1) {
			*pte = __pa(old) | flags;
		} else {
			void *page = page_alloc();
			if (!page) return -ENOMEM;
			copy_page(page, old);
			page_put(old);
			*pte = __pa(page) | flags;
		}
	}
	/* whatever the TLB holds for this page is out of date */
	tlb_flush_page(mm->tid, va);
	return 0;
}

/*
 * Load the TLB entry for a page of the running process right away, after handle_mm_fault
 * succeeded for it (which leaves no entry for the page in the TLB), as the miss handler would.
 */
void tlb_preload(struct mm *mm, u32 addr)
{
	u32 *pte = pte_get(mm->pgd, addr, false);
	if (!pte || !(*pte & PTE_PRESENT)) return;
	u32 f = irq_save();
	int slot = tlb_state.victim + 1;
	if (slot >= (int)tlb_state.nfree) slot = 0;
	tlb_state.victim = slot;
	tlb_write(slot, (addr & PAGE_MASK) | TLB0_V | TLB0_SIZE_4K, *pte & PTE_RPN_MASK, *pte & PTE_HWBITS, mm->tid);
	irq_restore(f);
}

/* ---- user memory ---- */

void *user_ptr(struct mm *mm, u32 uaddr, int access)
{
	if (!mm || uaddr >= KERNELBASE) return NULL;
	for (int tries = 0; tries < 2; tries++) {
		u32 *pte = pte_get(mm->pgd, uaddr, false);
		if (pte && (*pte & PTE_PRESENT)) {
			bool ok = (access & ACC_WRITE) ? (*pte & PTE_UW) != 0 : (*pte & PTE_UR) != 0;
			if (ok) return (char *)__va(*pte & PTE_RPN_MASK) + (uaddr & ~PAGE_MASK);
		}
		if (handle_mm_fault(mm, uaddr, access)) return NULL;
	}
	return NULL;
}

static struct mm *cur_mm(void);

int copy_to_mm(struct mm *mm, u32 dst, const void *src, u32 n)
{
	const char *s = src;
	while (n) {
		char *p = user_ptr(mm, dst, ACC_WRITE);
		if (!p) return -EFAULT;
		u32 k = PAGE_SIZE - (dst & ~PAGE_MASK);
		if (k > n) k = n;
		memcpy(p, s, k);
		s += k;
		dst += k;
		n -= k;
	}
	return 0;
}

int copy_to_user(u32 dst, const void *src, u32 n) { return copy_to_mm(cur_mm(), dst, src, n); }

int copy_from_user(void *dst, u32 src, u32 n)
{
	char *d = dst;
	while (n) {
		const char *p = user_ptr(cur_mm(), src, ACC_READ);
		if (!p) return -EFAULT;
		u32 k = PAGE_SIZE - (src & ~PAGE_MASK);
		if (k > n) k = n;
		memcpy(d, p, k);
		d += k;
		src += k;
		n -= k;
	}
	return 0;
}

long strncpy_from_user(char *dst, u32 src, u32 size)
{
	for (u32 i = 0; i < size; ) {
		const char *p = user_ptr(cur_mm(), src + i, ACC_READ);
		if (!p) return -EFAULT;
		u32 k = PAGE_SIZE - ((src + i) & ~PAGE_MASK);
		for (; k && i < size; k--, i++) {
			dst[i] = *p++;
			if (!dst[i]) return i;
		}
	}
	return -ENAMETOOLONG;
}

#include "sched.h"
static struct mm *cur_mm(void) { return current->mm; }

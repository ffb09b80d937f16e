/* Address spaces, page tables, the software-managed TLB, user memory access (mmu.c). */
#ifndef MMU_H
#define MMU_H
#include "types.h"
#include "mm.h"

struct inode;

#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

#define VMA_HEAP  0x1
#define VMA_STACK 0x2
#define VMA_SIGPAGE 0x4   /* the signal return trampoline page */

/* Where every process finds the signal return trampoline (one read-only executable page). */
#define SIGPAGE_ADDR MMAP_TOP

#define ACC_READ  1
#define ACC_WRITE 2
#define ACC_EXEC  4

/* A mapped region [start, end) (page aligned). File-backed regions are filled from `inode` on
 * first touch: the page at `start` holds the file at `foff`; bytes at EAs >= fend are zero. */
struct vma {
	u32 start, end;
	u32 prot;
	u32 flags;
	struct inode *inode;
	u32 foff;
	u32 fend;
	struct vma *next;      /* sorted by start */
};

struct mm {
	u32 *pgd;              /* page directory (kernel VA) */
	int tid;               /* TLB ID (the PID register while it runs) */
	struct vma *vmas;
	u32 start_brk, brk;
	u32 rss;               /* resident pages */
};

void mmu_init(u32 ram_bytes);
void *ioremap(u64 pa, u32 size);

struct mm *mm_create(void);
void mm_destroy(struct mm *mm);
struct mm *mm_fork(struct mm *parent);
void switch_mm(struct mm *mm);              /* PID and the TLB miss handler's directory; EE off */
struct vma *vma_find(struct mm *mm, u32 addr);
int mm_map(struct mm *mm, u32 start, u32 len, u32 prot, u32 flags, struct inode *ino, u32 foff, u32 fend);
int mm_unmap(struct mm *mm, u32 start, u32 len);
int mm_protect(struct mm *mm, u32 start, u32 len, u32 prot);
u32 mm_find_free(struct mm *mm, u32 len);   /* top-down below MMAP_TOP; 0 if none */
long mm_remap(struct mm *mm, u32 old, u32 old_len, u32 new_len, bool may_move);
int handle_mm_fault(struct mm *mm, u32 addr, int access);   /* 0, -EFAULT or -ENOMEM */
void tlb_preload(struct mm *mm, u32 addr);

/* TLB maintenance (EE is disabled inside) */
void tlb_flush_page(int tid, u32 va);
void tlb_flush_all(void);

/* User memory of the current process, through its page tables (the kernel never dereferences
 * user addresses itself). Return 0 or -EFAULT. */
int copy_from_user(void *dst, u32 src, u32 n);
int copy_to_user(u32 dst, const void *src, u32 n);
long strncpy_from_user(char *dst, u32 src, u32 size);   /* length, -EFAULT, -ENAMETOOLONG */
/* Kernel address of user byte `uaddr` (page faulted in as needed); NULL on a bad address. */
void *user_ptr(struct mm *mm, u32 uaddr, int access);
int copy_to_mm(struct mm *mm, u32 dst, const void *src, u32 n);

/* entry.S */
void tlb_write(int index, u32 w0, u32 w1, u32 w2, u32 tid);
int tlb_search(u32 ea, u32 tid);
void tlb_invalidate_range(int first, int count);
#endif

/*
 * Physical memory: a bitmap page allocator over all of RAM (lowmem), with a per-page reference
 * count for pages shared copy-on-write, and kmalloc: power-of-two size classes of 16..2048 bytes
 * carved from pages, page runs for anything bigger.
 *
 * No locking: the kernel is not preemptible and interrupt handlers never allocate or free.
 */
#include "kernel.h"
#include "mm.h"
#include "alloc.h"
#include "ppc.h"

static u32 npages;        /* pages of RAM managed */
static u32 *used;         /* bitmap: 1 = allocated or reserved */
static u16 *refs;         /* reference counts (allocated pages have >= 1) */
static u8 *slab_class;    /* kmalloc class + 1 of a slab page, 0 otherwise */
static u16 *span;         /* page count of a multi-page allocation, at its first page */
static u32 nfree, hint;

extern char _end[];

static inline u32 pfn_of(void *p) { return __pa(p) >> PAGE_SHIFT; }
static inline bool is_used(u32 pfn) { return (used[pfn >> 5] >> (pfn & 31)) & 1; }
static inline void set_used(u32 pfn) { used[pfn >> 5] |= 1u << (pfn & 31); }
static inline void clr_used(u32 pfn) { used[pfn >> 5] &= ~(1u << (pfn & 31)); }

/*
 * Manage [0, ram): the kernel image and the allocator's own tables (placed right after it)
 * are reserved, and so is [reserve_pa, reserve_pa + reserve_len) (the device tree).
 */
void mem_init(u32 ram, u32 reserve_pa, u32 reserve_len)
{
	npages = ram >> PAGE_SHIFT;
	u32 meta = __pa(_end);
	u32 words = (npages + 31) / 32;
	used = __va(meta);
	meta += words * 4;
	refs = __va(meta);
	meta += npages * 2;
	span = __va(meta);
	meta += npages * 2;
	slab_class = __va(meta);
	meta += npages;
	meta = ALIGN_UP(meta, PAGE_SIZE);
	memset(__va(__pa(_end)), 0, meta - __pa(_end));
	nfree = 0;
	for (u32 pfn = 0; pfn < npages; pfn++) {
		u32 pa = pfn << PAGE_SHIFT;
		bool reserved = pa < meta || (pa + PAGE_SIZE > reserve_pa && pa < reserve_pa + reserve_len);
		if (reserved) set_used(pfn);
		else nfree++;
	}
	hint = meta >> PAGE_SHIFT;
}

u32 mem_free_pages(void) { return nfree; }
u32 mem_total_pages(void) { return npages; }

void *pages_alloc(u32 n)
{
	for (u32 pass = 0; pass < 2; pass++) {
		u32 start = pass == 0 ? hint : 0, stop = pass == 0 ? npages : hint;
		for (u32 pfn = start; pfn + n <= stop; ) {
			if ((pfn & 31) == 0 && used[pfn >> 5] == 0xffffffffu) { pfn += 32; continue; }
			u32 k = 0;
			while (k < n && !is_used(pfn + k)) k++;
			if (k == n) {
				for (k = 0; k < n; k++) {
					set_used(pfn + k);
					refs[pfn + k] = 1;
				}
				span[pfn] = n;
				nfree -= n;
				hint = pfn + n;
				return __va(pfn << PAGE_SHIFT);
			}
			pfn += k + 1;
		}
	}
	return NULL;
}

void pages_free(void *p, u32 n)
{
	u32 pfn = pfn_of(p);
	for (u32 k = 0; k < n; k++) {
		BUG_ON(!is_used(pfn + k));
		clr_used(pfn + k);
		refs[pfn + k] = 0;
		slab_class[pfn + k] = 0;
	}
	span[pfn] = 0;
	nfree += n;
}

void *page_alloc(void) { return pages_alloc(1); }
void page_free(void *p) { pages_free(p, 1); }

void *page_alloc_zeroed(void)
{
	void *p = page_alloc();
	if (p) zero_page(p);
	return p;
}

void page_get(void *p) { refs[pfn_of(p)]++; }
u32 page_refs(void *p) { return refs[pfn_of(p)]; }

void page_put(void *p)
{
	u32 pfn = pfn_of(p);
	BUG_ON(refs[pfn] == 0);
	if (--refs[pfn] == 0) {
		refs[pfn] = 1;
		pages_free(p, 1);
	}
}

/* ---- kmalloc ---- */

#define NCLASSES 8   /* 16 << k bytes, k = 0..7 (16..2048) */
struct free_obj { struct free_obj *next; };
static struct free_obj *freelist[NCLASSES];

void *kmalloc(size_t n)
{
	if (n > 2048) {
		u32 np = (n + PAGE_SIZE - 1) >> PAGE_SHIFT;
		return pages_alloc(np);
	}
	int k = 0;
	while ((16u << k) < n) k++;
	if (!freelist[k]) {
		u8 *pg = page_alloc();
		if (!pg) return NULL;
		slab_class[pfn_of(pg)] = k + 1;
		for (u32 off = 0; off < PAGE_SIZE; off += 16u << k) {
			struct free_obj *o = (struct free_obj *)(pg + off);
			o->next = freelist[k];
			freelist[k] = o;
		}
	}
	struct free_obj *o = freelist[k];
	freelist[k] = o->next;
	return o;
}

void *kzalloc(size_t n)
{
	void *p = kmalloc(n);
	if (p) memset(p, 0, n);
	return p;
}

void kfree(void *p)
{
	if (!p) return;
	u32 pfn = pfn_of(p);
	int k = slab_class[pfn];
	if (k == 0) {
		BUG_ON(span[pfn] == 0);
		pages_free(p, span[pfn]);
		return;
	}
	struct free_obj *o = p;
	o->next = freelist[k - 1];
	freelist[k - 1] = o;
}

char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);
	if (d) memcpy(d, s, n);
	return d;
}

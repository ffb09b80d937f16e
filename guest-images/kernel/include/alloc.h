/* Physical page allocator and kmalloc (mm.c). All memory is lowmem: kernel VA = PA + KERNELBASE. */
#ifndef ALLOC_H
#define ALLOC_H
#include "types.h"

void mem_init(u32 ram_bytes, u32 reserve_pa, u32 reserve_len);
void *page_alloc(void);               /* one page, not zeroed; NULL when out of memory */
void *page_alloc_zeroed(void);
void *pages_alloc(u32 n);             /* n physically contiguous pages */
void pages_free(void *p, u32 n);
void page_free(void *p);
/* Reference counts for pages shared between address spaces (fork's copy-on-write). */
void page_get(void *p);
u32 page_refs(void *p);
void page_put(void *p);               /* frees the page when the last reference goes */
u32 mem_free_pages(void);
u32 mem_total_pages(void);

void *kmalloc(size_t n);
void *kzalloc(size_t n);
void kfree(void *p);
char *kstrdup(const char *s);
#endif

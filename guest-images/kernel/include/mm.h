/*
 * Memory layout and the page-table format.
 *
 * Kernel virtual map (TID 0, address space 0):
 *   0xC0000000 + PA   all RAM ("lowmem", up to 768 MiB), through bolted 256 MiB TLB entries in
 *                     the top TLB slots (63, 62, 61); never takes a TLB miss
 *   0xF0000000..      ioremap window: device registers, 4 KiB pages from swapper_pg_dir, refilled
 *                     by the TLB miss handlers like user pages
 * User map (TID = the process's TLB ID, address space 0, below KERNELBASE):
 *   ELF segments, brk heap above them, mmap area growing down from MMAP_TOP, stack below
 *   USER_STACK_TOP.
 *
 * Page tables: two levels, 10 + 10 + 12 bits. A page directory is one page of 1024 kernel
 * virtual addresses of page tables (0 = none); a page table is one page of 1024 PTEs. A PTE is
 * the physical page address plus flag bits laid out so that the TLB miss handler can copy them
 * straight into TLB word 2: the six permission bits and I/G sit where the TLB has them, and the
 * software bits use positions the handler masks off (PTE_HWBITS).
 */
#ifndef MM_H
#define MM_H

#define KERNELBASE      0xC0000000
#define LOWMEM_MAX      (768u << 20)
#define IOREMAP_BASE    0xF0000000
#define IOREMAP_END     0xFFFF0000

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define USER_STACK_TOP  0xC0000000
#define USER_STACK_MAX  (8u << 20)
#define MMAP_TOP        0xB8000000   /* mmap() allocates downwards from here */

/* TLB slots: 61..63 bolted (kernel lowmem), 0..60 refilled round-robin */
#define TLB_BOLTED_FIRST 61
#define TLB_REFILL_SLOTS TLB_BOLTED_FIRST

/* PTE bits (low 12 bits). Hardware positions: */
#define PTE_SR 0x001
#define PTE_SW 0x002
#define PTE_SX 0x004
#define PTE_UR 0x008
#define PTE_UW 0x010
#define PTE_UX 0x020
#define PTE_G  0x100
#define PTE_I  0x400
/* Software bits: */
#define PTE_PRESENT 0x040
#define PTE_COW     0x080   /* write-protected copy-on-write page (E is never used for RAM) */
#define PTE_HWBITS  0x53f   /* what goes into TLB word 2 */
#define PTE_RPN_MASK 0xfffff000

#ifndef __ASSEMBLER__
#include "types.h"
#define __va(pa) ((void *)((u32)(pa) + KERNELBASE))
#define __pa(va) ((u32)(va) - KERNELBASE)
#endif

#endif

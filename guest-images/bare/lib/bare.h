/*
 * The bare-metal test runtime: UART output, checks, TLB helpers, interrupt recording.
 *
 * Output protocol (UART0, one line each):
 *   BEGIN <program>
 *   PASS <check>                     the check held
 *   FAIL <check>: <details>          it did not (details are deterministic: values, no times)
 *   DONE <program>
 * then DBCR0[RST] = 0b11 (system reset request: QEMU with -no-reboot exits).
 */
#ifndef BARE_H
#define BARE_H

#include <stdarg.h>
#include "board.h"
#include "ppc440.h"
#include "frame.h"

typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef unsigned long long u64;
typedef int s32;

/* Physical memory the tests may use freely: 1 MiB .. 24 MiB (the image is below 1 MiB, the
 * device tree at 24 MiB). */
#define BARE_SCRATCH      0x00100000
#define BARE_SCRATCH_END  0x01800000

/* ---- special registers ---- */
#define STR_(x) #x
#define STR(x) STR_(x)
#define mfspr(n) ({ u32 v_; __asm__ volatile("mfspr %0," STR(n) : "=r"(v_)); v_; })
#define mtspr(n, v) __asm__ volatile("mtspr " STR(n) ",%0" :: "r"((u32)(v)) : "memory")
#define mfdcr(n) ({ u32 v_; __asm__ volatile("mfdcr %0," STR(n) : "=r"(v_)); v_; })
#define mtdcr(n, v) __asm__ volatile("mtdcr " STR(n) ",%0" :: "r"((u32)(v)) : "memory")
static inline u32 mfmsr(void) { u32 v; __asm__ volatile("mfmsr %0" : "=r"(v)); return v; }
static inline void mtmsr(u32 v) { __asm__ volatile("mtmsr %0; isync" :: "r"(v) : "memory"); }
static inline void isync(void) { __asm__ volatile("isync" ::: "memory"); }
static inline void msync(void) { __asm__ volatile("msync" ::: "memory"); }
static inline u32 tbl(void) { return mfspr(SPR_TBL_R); }
u64 tb_read(void);
void tb_write(u64 v);
/* Spins until the low timebase word has advanced by `ticks` (< 2^31) from `start`. */
void tb_wait_from(u32 start, u32 ticks);
static inline void tb_wait(u32 ticks) { tb_wait_from(tbl(), ticks); }

/* ---- output ---- */
void uart_putc(int c);
void uart_puts(const char *s);
void bprintf(const char *fmt, ...);   /* %s %c %d %u %x %08x (width/zero pad), %% */
void bvprintf(const char *fmt, va_list ap);

/* ---- checks ---- */
extern const char bare_name[];        /* each program defines its name */
extern u32 bare_dtb;                  /* r3 at entry */
extern u32 bare_pass, bare_fail;
/* Prints PASS <name> or FAIL <name>: <details>. Returns ok. */
int check(const char *name, int ok, const char *fmt, ...);
/* got == want, details "got X want Y" */
int check_eq(const char *name, u32 got, u32 want);
/* Same value check under a mask, details name the masked values. */
int check_eqm(const char *name, u32 got, u32 want, u32 mask);
void bare_finish(void) __attribute__((noreturn));
void bare_exit(void) __attribute__((noreturn));  /* DBCR0 system reset, no DONE line */
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

/* ---- TLB ---- */
struct tlbe { u32 w0, w1, w2; u32 tid; };
void tlb_write(int index, u32 w0, u32 w1, u32 w2, u32 tid);  /* sets MMUCR[STID]=tid first */
void tlb_read(int index, struct tlbe *e);       /* also returns TID (from MMUCR[STID]) */
void tlb_inval(int index);
/* tlbsx. with MMUCR[STS]/[STID]: returns index or -1 (CR0[EQ] clear); *rt gets the raw RT */
int tlb_search(u32 ea, u32 sts, u32 stid, u32 *rt);
/* Maps a page: EA, 36-bit RA as (erpn, rpn), size code, TS, TID, word-2 attributes. */
void tlb_map(int index, u32 ea, u32 erpn, u32 rpn, int size, int ts, u32 tid, u32 attr);
static inline u32 tlb_page_bytes(int size) { return 1024u << (2 * size); }

/* ---- memory access helpers (single instructions, for fault tests) ---- */
static inline u32 ld32(u32 ea) { u32 v; __asm__ volatile("lwz %0,0(%1)" : "=r"(v) : "b"(ea) : "memory"); return v; }
static inline void st32(u32 ea, u32 v) { __asm__ volatile("stw %0,0(%1)" :: "r"(v), "b"(ea) : "memory"); }
static inline u32 ld8(u32 ea) { u32 v; __asm__ volatile("lbz %0,0(%1)" : "=r"(v) : "b"(ea) : "memory"); return v; }
static inline void st8(u32 ea, u32 v) { __asm__ volatile("stb %0,0(%1)" :: "r"(v), "b"(ea) : "memory"); }
static inline u32 ld16(u32 ea) { u32 v; __asm__ volatile("lhz %0,0(%1)" : "=r"(v) : "b"(ea) : "memory"); return v; }
/* Loads that return `dflt` when the access faults and the handler skips it. */
static inline u32 ld32_or(u32 ea, u32 dflt) {
	u32 v = dflt;
	__asm__ volatile("lwz %0,0(%1)" : "+r"(v) : "b"(ea) : "memory");
	return v;
}

/* ---- interrupts ---- */
struct exc_frame {
	u32 gpr[32];
	u32 cr, lr, ctr, xer;
	u32 id, cls;
	u32 srr0, srr1, csrr0, csrr1, mcsrr0, mcsrr1;
	u32 esr, dear, msr, mcsr;
	u32 ret_pc, ret_msr;
	u32 pad[2];
};

/* One record per interrupt taken, in the order the handlers ran. */
struct exc_rec {
	u32 id, cls;
	u32 srr0, srr1, csrr0, csrr1, mcsrr0, mcsrr1;
	u32 esr, dear, msr, mcsr;
	u32 lr, tbl;
};
#define EXC_LOG 32
extern volatile struct exc_rec exc_log[EXC_LOG];
extern volatile int exc_count;       /* records since exc_clear() (may exceed EXC_LOG) */
extern volatile int exc_by_id[32];   /* per id, since exc_clear() */

/* What the handler does after recording (per id; ids 16..31 are run-time stubs). */
enum exc_action {
	EXC_DEFAULT = 0,  /* the per-id default below */
	EXC_SKIP,         /* return to save/restore 0 + 4 (past a faulting instruction) */
	EXC_RESUME,       /* return to save/restore 0 (asynchronous interrupts, sc) */
	EXC_RECOVER,      /* return to exc_recover_pc with MSR = exc_recover_msr */
	EXC_LR,           /* return to the interrupted LR (for faulting calls/fetches) */
	EXC_STOP,         /* print FAIL and stop the program */
};
/* Defaults: ISI/ITLB -> EXC_LR; sc, external, DEC, FIT, watchdog, critical, debug -> EXC_RESUME;
 * the other synchronous ones -> EXC_SKIP. */
extern volatile u8 exc_action[32];
extern volatile u32 exc_recover_pc, exc_recover_msr;
/* Optional hook per id, called after recording; returns the action (may edit the frame, e.g.
 * ret_msr or saved GPRs). */
typedef int (*exc_hook_t)(struct exc_frame *f, int action);
extern exc_hook_t exc_hook[32];
/* Address of the vector table (IVPR) and the IVOR value the runtime uses for id n. */
extern char exc_vectors[];
#define EXC_IVOR(n) ((n) * 0x20)
void exc_clear(void);                 /* forget records, reset actions/hooks to default */
void exc_install_vectors(void);       /* IVPR = exc_vectors, IVORn = n*0x20 */
/* Copies the class's stub template to `addr` with id `id` (16..31); icbi/isync. */
void exc_install_stub(u32 addr, int id, int cls);
/* Checks that exactly one interrupt of `id` was recorded (PASS/FAIL line `name`) and returns
 * its record (a zeroed record when there was none, so later checks still print). */
volatile struct exc_rec *exc_one(const char *name, int id);
/* Sets the whole MSR with rfi (mtmsr cannot change MSR[ME] on QEMU, section 0 #17). */
void msr_set(u32 msr);
/* Test functions that hold AT() labels: never inlined or cloned. */
#define TESTFN __attribute__((noipa))
/* Global label at an instruction inside inline asm (use once per label, in noinline code). */
#define AT(label, insn) ".globl " #label "\n" #label ":\n\t" insn "\n"
/* Runs fn(arg) with MSR = msr; see vectors.S. */
u32 run_as(u32 msr, u32 (*fn)(u32), u32 arg);
extern char run_as_ret[], run_as_sc[], run_as_back[];

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif

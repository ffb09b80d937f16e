/*
 * PowerPC 440 definitions (IBM PPC440x5 User's Manual; see /work/shared/reference/ppc440.md):
 * SPR numbers, MSR/TLB/timer/ESR bits, and the inline instructions C code needs. Usable from
 * assembly (.S) files too.
 */
#ifndef PPC_H
#define PPC_H

/* ---- SPRs ---- */
#define SPRN_XER    1
#define SPRN_LR     8
#define SPRN_CTR    9
#define SPRN_DEC    22
#define SPRN_SRR0   26
#define SPRN_SRR1   27
#define SPRN_PID    48
#define SPRN_DECAR  54
#define SPRN_CSRR0  58
#define SPRN_CSRR1  59
#define SPRN_DEAR   61
#define SPRN_ESR    62
#define SPRN_IVPR   63
#define SPRN_TBRL   268   /* timebase read (user) */
#define SPRN_TBRU   269
#define SPRN_SPRG0  272
#define SPRN_SPRG1  273
#define SPRN_SPRG2  274
#define SPRN_SPRG3  275
#define SPRN_TBWL   284   /* timebase write (supervisor) */
#define SPRN_TBWU   285
#define SPRN_PIR    286
#define SPRN_PVR    287
#define SPRN_DBSR   304
#define SPRN_DBCR0  308
#define SPRN_DBCR1  309
#define SPRN_DBCR2  310
#define SPRN_TSR    336
#define SPRN_TCR    340
#define SPRN_IVOR0  400
#define SPRN_MCSRR0 570
#define SPRN_MCSRR1 571
#define SPRN_MCSR   572
#define SPRN_MMUCR  946
#define SPRN_CCR0   947

/* ---- MSR ---- */
#define MSR_WE  0x00040000   /* wait state */
#define MSR_CE  0x00020000   /* critical interrupts */
#define MSR_EE  0x00008000   /* external, DEC, FIT */
#define MSR_PR  0x00004000   /* problem (user) state */
#define MSR_FP  0x00002000   /* FP available */
#define MSR_ME  0x00001000   /* machine check enable */
#define MSR_FE0 0x00000800
#define MSR_DE  0x00000200
#define MSR_FE1 0x00000100
#define MSR_IS  0x00000020
#define MSR_DS  0x00000010

#define MSR_KERNEL MSR_ME                      /* kernel: supervisor, AS 0, EE toggled as needed */
#define MSR_USER   (MSR_ME | MSR_EE | MSR_PR)  /* user: same address space 0, TID = PID */

/* ---- TLB entry words (tlbwe/tlbre) ---- */
#define TLB0_EPN_MASK 0xfffffc00
#define TLB0_V        0x00000200
#define TLB0_TS       0x00000100
#define TLB0_SIZE_4K   0x00000010
#define TLB0_SIZE_16M  0x00000070
#define TLB0_SIZE_256M 0x00000090
#define TLB2_W  0x0800
#define TLB2_I  0x0400
#define TLB2_M  0x0200
#define TLB2_G  0x0100
#define TLB2_E  0x0080
#define TLB2_UX 0x0020
#define TLB2_UW 0x0010
#define TLB2_UR 0x0008
#define TLB2_SX 0x0004
#define TLB2_SW 0x0002
#define TLB2_SR 0x0001
#define TLB_ENTRIES 64

/* ---- ESR ---- */
#define ESR_MCI 0x80000000
#define ESR_PIL 0x08000000
#define ESR_PPR 0x04000000
#define ESR_PTR 0x02000000
#define ESR_FP  0x01000000
#define ESR_ST  0x00800000
#define ESR_AP  0x00080000
#define ESR_PUO 0x00040000
#define ESR_BO  0x00020000
#define ESR_PIE 0x00010000

/* ---- timers ---- */
#define TCR_WIE 0x08000000
#define TCR_DIE 0x04000000
#define TCR_FIE 0x00800000
#define TCR_FP_2_21 0x02000000   /* FIT period: 2^21 timebase ticks */
#define TCR_ARE 0x00400000
#define TSR_ENW 0x80000000
#define TSR_WIS 0x40000000
#define TSR_DIS 0x08000000
#define TSR_FIS 0x04000000

/* DBCR0[RST] = 0b11: system reset request (how a bamboo guest stops the machine) */
#define DBCR0_RST_SYSTEM 0x30000000

/* ---- interrupt vector numbers (IVORn) ---- */
#define IV_CRITICAL  0
#define IV_MCHECK    1
#define IV_DSI       2
#define IV_ISI       3
#define IV_EXTERNAL  4
#define IV_ALIGN     5
#define IV_PROGRAM   6
#define IV_FPUNAVAIL 7
#define IV_SYSCALL   8
#define IV_APUNAVAIL 9
#define IV_DEC       10
#define IV_FIT       11
#define IV_WATCHDOG  12
#define IV_DTLB      13
#define IV_ITLB      14
#define IV_DEBUG     15

#ifndef __ASSEMBLER__
#include "types.h"

#define mfspr(n) ({ u32 _v; __asm__ volatile("mfspr %0,%1" : "=r"(_v) : "i"(n)); _v; })
#define mtspr(n, v) __asm__ volatile("mtspr %0,%1" : : "i"(n), "r"((u32)(v)) : "memory")
#define mfdcr(n) ({ u32 _v; __asm__ volatile("mfdcr %0,%1" : "=r"(_v) : "i"(n)); _v; })
#define mtdcr(n, v) __asm__ volatile("mtdcr %0,%1" : : "i"(n), "r"((u32)(v)) : "memory")

static inline u32 mfmsr(void) { u32 v; __asm__ volatile("mfmsr %0" : "=r"(v)); return v; }
static inline void mtmsr(u32 v) { __asm__ volatile("mtmsr %0; isync" : : "r"(v) : "memory"); }
static inline void isync(void) { __asm__ volatile("isync" : : : "memory"); }
static inline void msync(void) { __asm__ volatile("msync" : : : "memory"); }
static inline void barrier(void) { __asm__ volatile("" : : : "memory"); }

/* Interrupt (MSR[EE]) control. The kernel is not preemptible: EE only guards against the
 * interrupt handlers (UIC devices, DEC). */
static inline u32 irq_save(void) { u32 m = mfmsr(); __asm__ volatile("wrteei 0" : : : "memory"); return m; }
static inline void irq_restore(u32 m) { __asm__ volatile("wrtee %0" : : "r"(m) : "memory"); }
static inline void irq_enable(void) { __asm__ volatile("wrteei 1" : : : "memory"); }
static inline void irq_disable(void) { __asm__ volatile("wrteei 0" : : : "memory"); }

/* The 64-bit timebase (user-readable SPRs 268/269; TBU read twice around TBL). */
static inline u64 get_tb(void)
{
	u32 hi, lo, hi2;
	do {
		hi = mfspr(SPRN_TBRU);
		lo = mfspr(SPRN_TBRL);
		hi2 = mfspr(SPRN_TBRU);
	} while (hi != hi2);
	return ((u64)hi << 32) | lo;
}

/* Little-endian accesses: device registers and virtqueues (lwbrx/stwbrx like Linux's readl). */
static inline u32 in_le32(const volatile void *a) { u32 v; __asm__ volatile("lwbrx %0,0,%1; mbar" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline void out_le32(volatile void *a, u32 v) { __asm__ volatile("mbar; stwbrx %0,0,%1" : : "r"(v), "r"(a) : "memory"); }
static inline u8 in_8(const volatile void *a) { u32 v; __asm__ volatile("lbz %0,0(%1); mbar" : "=r"(v) : "b"(a) : "memory"); return (u8)v; }
static inline void out_8(volatile void *a, u8 v) { __asm__ volatile("mbar; stb %0,0(%1)" : : "r"(v), "b"(a) : "memory"); }
#endif

#endif

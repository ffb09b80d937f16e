/*
 * interrupts: the 440's interrupt mechanism as the PPC440x5 User's Manual (UM ch.6) defines it.
 * Every check compares exact register values: SRR0/SRR1 (or CSRR0/1, MCSRR0/1), ESR, DEAR, the
 * MSR the handler runs with, and which vector (IVPR | IVOR) was used.
 *
 * Conventions: "sentinel" values are written to ESR/DEAR/SRR0/SRR1 before an interrupt, so
 * that "unchanged" and "all other bits cleared" are both observable. ESR sentinels never use
 * MCI (its rules differ per interrupt type).
 */
#include "bare.h"

const char bare_name[] = "interrupts";

#define ESR_SENTINEL   (ESR_PIL | ESR_PPR | ESR_PTR | ESR_BO)   /* 0x0E020000 */
#define DEAR_SENTINEL  0xDEA0DEA0
#define SRR0_SENTINEL  0x5A5A5A58
#define SRR1_SENTINEL  0x00000100
#define CSRR0_SENTINEL 0x3C3C3C3C
#define CSRR1_SENTINEL 0x00000200

/* Test pages (EA -> scratch PA); see setup_pages(). */
#define EA_WPAGE    0x60000000   /* W=1 */
#define EA_IPAGE    0x60001000   /* I=1 */
#define EA_SPAGE    0x60002000   /* supervisor R/W only */
#define EA_URPAGE   0x60003000   /* user read-only (+ supervisor R/W) */
#define EA_NXPAGE   0x60004000   /* supervisor R/W, no execute */
#define EA_DATA     0x60005000   /* plain R/W data (supervisor + user) */
#define EA_UNMAPPED 0x70000000
#define EA_MCHECK   0xD0000000   /* -> PA 0x0_D0000000, where the board has nothing */
#define PA_PAGES    (BARE_SCRATCH + 0x10000)
#define PA_ALTVEC   0x00200000   /* 64 KiB alternate vector table */

static void setup_pages(void)
{
	u32 rw = TLB2_SR | TLB2_SW | TLB2_UR | TLB2_UW;
	tlb_map(8, EA_WPAGE, 0, PA_PAGES + 0x0000, TLB_4K, 0, 0, TLB2_W | rw);
	tlb_map(9, EA_IPAGE, 0, PA_PAGES + 0x1000, TLB_4K, 0, 0, TLB2_I | rw);
	tlb_map(10, EA_SPAGE, 0, PA_PAGES + 0x2000, TLB_4K, 0, 0, TLB2_SR | TLB2_SW);
	tlb_map(11, EA_URPAGE, 0, PA_PAGES + 0x3000, TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_UR);
	tlb_map(12, EA_NXPAGE, 0, PA_PAGES + 0x4000, TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_UX);
	tlb_map(13, EA_DATA, 0, PA_PAGES + 0x5000, TLB_4K, 0, 0, rw);
	tlb_map(14, EA_MCHECK, 0, EA_MCHECK, TLB_4K, 0, 0, TLB2_I | TLB2_G | TLB2_SR | TLB2_SW);
	/* TS=1 copy of the RAM mapping, for code running with MSR[IS]=MSR[DS]=1 */
	tlb_map(15, 0, 0, 0, TLB_256M, 1, 0, TLB2_ALLPERM);
}

static void sentinels(void)
{
	mtspr(SPR_ESR, ESR_SENTINEL);
	mtspr(SPR_DEAR, DEAR_SENTINEL);
}

/* ------------------------------------------------------------------ program interrupts */

static void TESTFN do_illegal(void)
{
	__asm__ volatile(AT(l_illegal, ".long 0x00000000") ::: "memory");
}

static void TESTFN do_trap(void)
{
	__asm__ volatile(AT(l_trap, "tw 31,0,0") ::: "memory");
}

static void TESTFN do_trap_not_taken(void)
{
	__asm__ volatile("li 0,1\n\t" AT(l_trap_nt, "twi 4,0,0") ::: "r0", "memory");
}

static u32 TESTFN u_mfmsr(u32 a)
{
	__asm__ volatile(AT(l_u_mfmsr, "mfmsr %0") : "+r"(a) :: "memory");
	return a;
}

static u32 TESTFN u_mfspr259(u32 a)
{
	__asm__ volatile(AT(l_u_spr259, "mfspr %0,259") : "+r"(a) :: "memory");
	return a;
}

static u32 TESTFN u_mfspr272(u32 a)
{
	__asm__ volatile(AT(l_u_spr272, "mfspr %0,272") : "+r"(a) :: "memory");
	return a;
}

/* user-readable SPRs: SPRG4 via 260, USPRG0 256, TBL 268. Returns SPRG4 read + 256 + ... */
static u32 TESTFN u_user_sprs(u32 a)
{
	u32 s4, u0, t;
	__asm__ volatile("mfspr %0,260\n\tmfspr %1,256\n\tmfspr %2,268"
			 : "=r"(s4), "=r"(u0), "=r"(t) :: "memory");
	(void)t;
	return s4 ^ u0 ^ a;
}

extern char l_illegal[], l_trap[], l_trap_nt[], l_u_mfmsr[], l_u_spr259[], l_u_spr272[];

static void test_program(void)
{
	volatile struct exc_rec *r;

	/* illegal instruction (primary opcode 0), supervisor, MSR = ME */
	exc_clear();
	msr_set(MSR_ME);
	sentinels();
	do_illegal();
	r = exc_one("int.program.illegal.taken", IV_PROGRAM);
	check_eq("int.program.illegal.srr0", r->srr0, (u32)l_illegal);
	check_eq("int.program.illegal.esr", r->esr, ESR_PIL);
	check_eq("int.program.illegal.srr1", r->srr1, MSR_ME);

	/* privileged instruction at PR=1 */
	exc_clear();
	msr_set(MSR_ME);
	sentinels();
	run_as(MSR_PR | MSR_ME, u_mfmsr, 0);
	r = exc_one("int.program.privileged.taken", IV_PROGRAM);
	check_eq("int.program.privileged.srr0", r->srr0, (u32)l_u_mfmsr);
	check_eq("int.program.privileged.esr", r->esr, ESR_PPR);
	check_eq("int.program.privileged.srr1", r->srr1, MSR_PR | MSR_ME);

	/* trap */
	exc_clear();
	msr_set(MSR_ME);
	sentinels();
	do_trap();
	r = exc_one("int.program.trap.taken", IV_PROGRAM);
	check_eq("int.program.trap.srr0", r->srr0, (u32)l_trap);
	check_eq("int.program.trap.esr", r->esr, ESR_PTR);
	check_eq("int.program.trap.srr1", r->srr1, MSR_ME);
	/* rfi returned with exactly the old MSR */
	check_eq("int.program.trap.rfi-msr", mfmsr(), MSR_ME);

	exc_clear();
	do_trap_not_taken();
	check("int.program.trap.not-taken", exc_count == 0, "%d interrupts", exc_count);

	/* user mfspr of an unimplemented user-range SPR (259): Illegal (UM p.187) */
	exc_clear();
	sentinels();
	run_as(MSR_PR | MSR_ME, u_mfspr259, 0);
	r = exc_one("int.program.user-spr259.taken", IV_PROGRAM);
	check_eq("int.program.user-spr259.srr0", r->srr0, (u32)l_u_spr259);
	check_eq("int.program.user-spr259.esr", r->esr, ESR_PIL);

	/* user mfspr of a privileged SPR (272 = SPRG0): Privileged */
	exc_clear();
	sentinels();
	run_as(MSR_PR | MSR_ME, u_mfspr272, 0);
	r = exc_one("int.program.user-spr272.taken", IV_PROGRAM);
	check_eq("int.program.user-spr272.esr", r->esr, ESR_PPR);

	/* user-readable SPRs do not trap */
	exc_clear();
	mtspr(SPR_SPRG4, 0x12340000);
	mtspr(SPR_USPRG0, 0x00005678);
	u32 v = run_as(MSR_PR | MSR_ME, u_user_sprs, 0x11111111);
	check("int.program.user-sprs-allowed", exc_count == 0 && v == (0x12345678 ^ 0x11111111),
	      "%d interrupts, value %08x", exc_count, v);
}

/* ------------------------------------------------------------------ system call, FP unavailable */

static void TESTFN do_sc(void)
{
	__asm__ volatile(AT(l_sc, "sc") AT(l_sc_next, "nop") ::: "memory", "r0", "r3", "r4", "r5",
			 "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "lr", "cr0");
}

static void TESTFN do_fp(void)
{
	__asm__ volatile(AT(l_fp, "fmr 1,1") ::: "memory");
}

extern char l_sc[], l_sc_next[], l_fp[];

static void test_sc_fp(void)
{
	volatile struct exc_rec *r;

	exc_clear();
	msr_set(MSR_ME);
	sentinels();
	do_sc();
	r = exc_one("int.sc.taken", IV_SYSCALL);
	check_eq("int.sc.srr0-next", r->srr0, (u32)l_sc_next);
	check_eq("int.sc.srr1", r->srr1, MSR_ME);
	check_eq("int.sc.esr-unchanged", r->esr, ESR_SENTINEL);

	exc_clear();
	msr_set(MSR_ME);
	sentinels();
	do_fp();
	r = exc_one("int.fpunavail.taken", IV_FPUNAVAIL);
	check_eq("int.fpunavail.srr0", r->srr0, (u32)l_fp);
	check_eq("int.fpunavail.esr-unchanged", r->esr, ESR_SENTINEL);

	exc_clear();
	msr_set(MSR_ME | MSR_FP);
	do_fp();
	check("int.fpunavail.fp-enabled", exc_count == 0, "%d interrupts", exc_count);
	msr_set(MSR_ME);
}

/* ------------------------------------------------------------------ alignment */

static void TESTFN do_lwarx(u32 ea)
{
	__asm__ volatile(AT(l_lwarx, "lwarx 0,0,%0") :: "r"(ea) : "r0", "memory");
}

static u32 TESTFN do_stwcx(u32 ea)
{
	u32 cr;
	__asm__ volatile("li 0,0x77\n\t" AT(l_stwcx, "stwcx. 0,0,%1") "mfcr %0"
			 : "=r"(cr) : "r"(ea) : "r0", "cr0", "memory");
	return cr;
}

static void TESTFN do_dcbz(u32 ea)
{
	__asm__ volatile(AT(l_dcbz, "dcbz 0,%0") :: "r"(ea) : "memory");
}

static void TESTFN do_dcbz2(u32 ea)
{
	__asm__ volatile(AT(l_dcbz2, "dcbz 0,%0") :: "r"(ea) : "memory");
}

static void TESTFN do_lfd(u32 ea)
{
	__asm__ volatile(AT(l_lfd, "lfd 1,0(%0)") :: "b"(ea) : "memory");
}

static void TESTFN do_stfd(u32 ea)
{
	__asm__ volatile(AT(l_stfd, "stfd 1,0(%0)") :: "b"(ea) : "memory");
}

extern char l_lwarx[], l_stwcx[], l_dcbz[], l_dcbz2[], l_lfd[], l_stfd[];

static void test_alignment(void)
{
	volatile struct exc_rec *r;
	u32 ea;

	/* misaligned lwarx: Alignment, ESR = 0 (not a store), DEAR = EA */
	ea = EA_DATA + 0x102;
	exc_clear();
	sentinels();
	do_lwarx(ea);
	r = exc_one("int.align.lwarx.taken", IV_ALIGN);
	check_eq("int.align.lwarx.srr0", r->srr0, (u32)l_lwarx);
	check_eq("int.align.lwarx.dear", r->dear, ea);
	check_eq("int.align.lwarx.esr", r->esr, 0);

	/* misaligned stwcx. without a reservation: still Alignment (UM p.186), ESR[ST] */
	ea = EA_DATA + 0x106;
	exc_clear();
	sentinels();
	do_stwcx(ea);
	r = exc_one("int.align.stwcx.taken", IV_ALIGN);
	check_eq("int.align.stwcx.srr0", r->srr0, (u32)l_stwcx);
	check_eq("int.align.stwcx.dear", r->dear, ea);
	check_eq("int.align.stwcx.esr", r->esr, ESR_ST);

	/* dcbz to a write-through page, and to a cache-inhibited page */
	ea = EA_WPAGE + 0x140;
	st32(ea, 0xAAAA5555);
	exc_clear();
	sentinels();
	do_dcbz(ea + 4);
	r = exc_one("int.align.dcbz-w.taken", IV_ALIGN);
	check_eq("int.align.dcbz-w.srr0", r->srr0, (u32)l_dcbz);
	check_eq("int.align.dcbz-w.dear", r->dear, ea + 4);
	check_eq("int.align.dcbz-w.esr", r->esr, ESR_ST);
	check_eq("int.align.dcbz-w.not-zeroed", ld32(ea), 0xAAAA5555);

	ea = EA_IPAGE + 0x180;
	st32(ea, 0xBBBB6666);
	exc_clear();
	sentinels();
	do_dcbz2(ea);
	r = exc_one("int.align.dcbz-i.taken", IV_ALIGN);
	check_eq("int.align.dcbz-i.srr0", r->srr0, (u32)l_dcbz2);
	check_eq("int.align.dcbz-i.esr", r->esr, ESR_ST);
	check_eq("int.align.dcbz-i.not-zeroed", ld32(ea), 0xBBBB6666);

	/* dcbz to an ordinary page zeroes the 32-byte line */
	ea = EA_DATA + 0x200;
	for (int i = 0; i < 16; i++)
		st32(ea + 4 * i, 0xFFFFFFFF);
	exc_clear();
	do_dcbz(ea + 0x0C);
	u32 z = 0, after = ld32(ea + 32);
	for (int i = 0; i < 8; i++)
		z |= ld32(ea + 4 * i);
	check("int.align.dcbz-normal", exc_count == 0 && z == 0 && after == 0xFFFFFFFF,
	      "%d interrupts, line or %08x, next word %08x", exc_count, z, after);

	/* misaligned integer load: done in hardware, no interrupt (CCR0[FLSTA]=0) */
	ea = EA_DATA + 0x30E;   /* crosses the 16-byte boundary at 0x310 */
	st32(EA_DATA + 0x30C, 0x11223344);
	st32(EA_DATA + 0x310, 0x55667788);
	exc_clear();
	u32 v = ld32(ea);
	check("int.align.lwz-misaligned", exc_count == 0 && v == 0x33445566,
	      "%d interrupts, value %08x", exc_count, v);

	/* FP load/store crossing a quadword boundary: Alignment, ESR[FP] (+[ST]) */
	msr_set(MSR_ME | MSR_FP);
	ea = EA_DATA + 0x40C;
	exc_clear();
	sentinels();
	do_lfd(ea);
	r = exc_one("int.align.lfd-cross16.taken", IV_ALIGN);
	check_eq("int.align.lfd-cross16.srr0", r->srr0, (u32)l_lfd);
	check_eq("int.align.lfd-cross16.dear", r->dear, ea);
	check_eq("int.align.lfd-cross16.esr", r->esr, ESR_FP);

	ea = EA_DATA + 0x41C;
	exc_clear();
	sentinels();
	do_stfd(ea);
	r = exc_one("int.align.stfd-cross16.taken", IV_ALIGN);
	check_eq("int.align.stfd-cross16.dear", r->dear, ea);
	check_eq("int.align.stfd-cross16.esr", r->esr, ESR_FP | ESR_ST);
	msr_set(MSR_ME);
}

/* ------------------------------------------------------------------ storage, TLB errors */

static u32 TESTFN u_load_super(u32 ea)
{
	u32 v = 0x77777777;
	__asm__ volatile(AT(l_u_ld_s, "lwz %0,0(%1)") : "+r"(v) : "b"(ea) : "memory");
	return v;
}

static u32 TESTFN u_store_ro(u32 ea)
{
	__asm__ volatile(AT(l_u_st_ro, "stw %1,0(%0)") :: "b"(ea), "r"(0x12345678) : "memory");
	return 0;
}

static u32 TESTFN do_load_unmapped(u32 ea)
{
	u32 v = 0x66666666;
	__asm__ volatile(AT(l_ld_unm, "lwz %0,0(%1)") : "+r"(v) : "b"(ea) : "memory");
	return v;
}

static void TESTFN do_store_unmapped(u32 ea)
{
	__asm__ volatile(AT(l_st_unm, "stb %1,0(%0)") :: "b"(ea), "r"(1) : "memory");
}

static void TESTFN do_dcbz_unmapped(u32 ea)
{
	__asm__ volatile("dcbz 0,%0" :: "r"(ea) : "memory");
}

static void TESTFN do_lfd_unmapped(u32 ea)
{
	__asm__ volatile(AT(l_lfd_unm, "lfd 2,0(%0)") :: "b"(ea) : "memory");
}

/* Calls `target` (a code address that cannot be fetched); the ISI/ITLB handler returns to LR. */
static void TESTFN call_addr(u32 target)
{
	__asm__ volatile("mtctr %0\n\tbctrl" :: "r"(target)
			 : "ctr", "lr", "memory", "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
			   "r10", "r11", "r12", "cr0", "cr1", "cr5", "cr6", "cr7");
}

extern char l_u_ld_s[], l_u_st_ro[], l_ld_unm[], l_st_unm[], l_lfd_unm[];

static void test_storage(void)
{
	volatile struct exc_rec *r;

	/* user load from a supervisor-only page: DSI, ESR = 0, DEAR = EA */
	exc_clear();
	sentinels();
	run_as(MSR_PR | MSR_ME, u_load_super, EA_SPAGE + 0x10);
	r = exc_one("int.dsi.user-load.taken", IV_DSI);
	check_eq("int.dsi.user-load.srr0", r->srr0, (u32)l_u_ld_s);
	check_eq("int.dsi.user-load.srr1", r->srr1, MSR_PR | MSR_ME);
	check_eq("int.dsi.user-load.dear", r->dear, EA_SPAGE + 0x10);
	check_eq("int.dsi.user-load.esr", r->esr, 0);

	/* user store to a user read-only page: DSI, ESR[ST] */
	exc_clear();
	sentinels();
	run_as(MSR_PR | MSR_ME, u_store_ro, EA_URPAGE + 0x24);
	r = exc_one("int.dsi.user-store.taken", IV_DSI);
	check_eq("int.dsi.user-store.srr0", r->srr0, (u32)l_u_st_ro);
	check_eq("int.dsi.user-store.dear", r->dear, EA_URPAGE + 0x24);
	check_eq("int.dsi.user-store.esr", r->esr, ESR_ST);

	/* supervisor fetch from a page without SX: ISI, SRR0 = target, ESR = 0, DEAR unchanged */
	exc_clear();
	sentinels();
	call_addr(EA_NXPAGE + 0x40);
	r = exc_one("int.isi.no-sx.taken", IV_ISI);
	check_eq("int.isi.no-sx.srr0", r->srr0, EA_NXPAGE + 0x40);
	check_eq("int.isi.no-sx.esr", r->esr, 0);
	check_eq("int.isi.no-sx.dear-unchanged", r->dear, DEAR_SENTINEL);

	/* data TLB miss: load (ESR = 0), store (ESR[ST]), FP load (ESR[FP]) */
	exc_clear();
	sentinels();
	do_load_unmapped(EA_UNMAPPED + 0x124);
	r = exc_one("int.dtlb.load.taken", IV_DTLB);
	check_eq("int.dtlb.load.srr0", r->srr0, (u32)l_ld_unm);
	check_eq("int.dtlb.load.dear", r->dear, EA_UNMAPPED + 0x124);
	check_eq("int.dtlb.load.esr", r->esr, 0);

	exc_clear();
	sentinels();
	do_store_unmapped(EA_UNMAPPED + 0x333);
	r = exc_one("int.dtlb.store.taken", IV_DTLB);
	check_eq("int.dtlb.store.srr0", r->srr0, (u32)l_st_unm);
	check_eq("int.dtlb.store.dear", r->dear, EA_UNMAPPED + 0x333);
	check_eq("int.dtlb.store.esr", r->esr, ESR_ST);

	exc_clear();
	sentinels();
	do_dcbz_unmapped(EA_UNMAPPED + 0x400);
	r = exc_one("int.dtlb.dcbz.taken", IV_DTLB);
	check_eq("int.dtlb.dcbz.esr", r->esr, ESR_ST);

	/* touch instructions never fault (UM 2.4 / dcbt) */
	exc_clear();
	__asm__ volatile("dcbt 0,%0\n\tdcbtst 0,%0" :: "r"(EA_UNMAPPED + 0x500) : "memory");
	check("int.dtlb.dcbt-no-fault", exc_count == 0, "%d interrupts", exc_count);

	msr_set(MSR_ME | MSR_FP);
	exc_clear();
	sentinels();
	do_lfd_unmapped(EA_UNMAPPED + 0x208);
	r = exc_one("int.dtlb.fpload.taken", IV_DTLB);
	check_eq("int.dtlb.fpload.srr0", r->srr0, (u32)l_lfd_unm);
	check_eq("int.dtlb.fpload.esr", r->esr, ESR_FP);
	msr_set(MSR_ME);

	/* instruction TLB miss: SRR0 = target; ESR and DEAR unchanged (UM 6.5.15) */
	exc_clear();
	sentinels();
	call_addr(EA_UNMAPPED + 0x80);
	r = exc_one("int.itlb.taken", IV_ITLB);
	check_eq("int.itlb.srr0", r->srr0, EA_UNMAPPED + 0x80);
	check_eq("int.itlb.srr1", r->srr1, MSR_ME);
	check_eq("int.itlb.esr-unchanged", r->esr, ESR_SENTINEL);
	check_eq("int.itlb.dear-unchanged", r->dear, DEAR_SENTINEL);
}

/* ------------------------------------------------------------------ MSR on entry */

static u32 TESTFN u_sc(u32 a)
{
	__asm__ volatile(AT(l_u_sc, "sc") ::: "memory", "r0", "r4", "r5", "r6", "r7", "r8", "r9",
			 "r10", "r11", "r12", "ctr", "lr", "cr0");
	return a;
}

extern char l_u_sc[];

static void test_msr_entry(void)
{
	volatile struct exc_rec *r;
	u32 msr = MSR_CE | MSR_EE | MSR_ME | MSR_FP | MSR_DWE | MSR_DE;

	/* non-critical: CE, ME, DE kept, everything else cleared (UM p.185) */
	exc_clear();
	msr_set(msr);
	do_sc();
	msr_set(MSR_ME);
	r = exc_one("int.msr-entry.noncrit.taken", IV_SYSCALL);
	check_eq("int.msr-entry.noncrit.srr1", r->srr1, msr);
	check_eq("int.msr-entry.noncrit.msr", r->msr, MSR_CE | MSR_ME | MSR_DE);

	/* from user mode in address space 1: PR, IS, DS cleared */
	exc_clear();
	run_as(MSR_PR | MSR_IS | MSR_DS | MSR_ME, u_sc, 0);
	r = exc_one("int.msr-entry.user-as1.taken", IV_SYSCALL);
	check_eq("int.msr-entry.user-as1.srr0", r->srr0, (u32)l_u_sc + 4);
	check_eq("int.msr-entry.user-as1.srr1", r->srr1, MSR_PR | MSR_IS | MSR_DS | MSR_ME);
	check_eq("int.msr-entry.user-as1.msr", r->msr, MSR_ME);
}

/* ------------------------------------------------------------------ critical input (UIC) */

#define CRIT_IRQ 20
#define EXT_IRQ  21

static int clear_crit_hook(struct exc_frame *f, int action)
{
	(void)f;
	mtdcr(UIC0_SR, UIC_BIT(CRIT_IRQ));
	return action;
}

static int clear_ext_hook(struct exc_frame *f, int action)
{
	(void)f;
	mtdcr(UIC0_SR, UIC_BIT(EXT_IRQ));
	return action;
}

/* Enables interrupts with rfi (MSR = msr) and continues at l_after_mtmsr, where a pending
 * interrupt is taken. (QEMU 7.2 with -icount aborts when `mtmsr` unmasks a pending interrupt,
 * "Raised interrupt while not in I/O function", so the tests enable with rfi.) */
void enable_and_mark(u32 msr);
__asm__(".text\n.globl enable_and_mark\nenable_and_mark:\n"
	"\tlis 4,l_after_mtmsr@ha\n\taddi 4,4,l_after_mtmsr@l\n"
	"\tmtspr 26,4\n\tmtspr 27,3\n\trfi\n"
	".globl l_after_mtmsr\nl_after_mtmsr:\n\tnop\n\tnop\n\tblr\n");

extern char l_after_mtmsr[];

static void uic_setup(void)
{
	mtdcr(UIC0_ER, 0);
	mtdcr(UIC0_CR, UIC_BIT(CRIT_IRQ));
	mtdcr(UIC0_TR, UIC_BIT(CRIT_IRQ) | UIC_BIT(EXT_IRQ));   /* edge: status stays until cleared */
	mtdcr(UIC0_PR, 0xFFFFFFFF);
	mtdcr(UIC0_SR, 0xFFFFFFFF);
	mtdcr(UIC0_ER, UIC_BIT(CRIT_IRQ) | UIC_BIT(EXT_IRQ));
}

static void test_critical(void)
{
	volatile struct exc_rec *r;

	uic_setup();
	exc_clear();
	exc_hook[IV_CRITICAL] = clear_crit_hook;
	msr_set(MSR_ME);
	mtdcr(UIC0_SRS, UIC_BIT(CRIT_IRQ));
	tb_wait(100);
	check("int.crit.masked-by-ce", exc_count == 0, "%d interrupts with MSR[CE]=0", exc_count);
	enable_and_mark(MSR_ME | MSR_CE | MSR_FP);
	u32 msr_after = mfmsr();
	msr_set(MSR_ME);
	r = exc_one("int.crit.taken", IV_CRITICAL);
	check_eq("int.crit.class", r->cls, CLASS_CRIT);
	check_eq("int.crit.csrr0", r->csrr0, (u32)l_after_mtmsr);
	check_eq("int.crit.csrr1", r->csrr1, MSR_ME | MSR_CE | MSR_FP);
	check_eq("int.crit.msr", r->msr, MSR_ME);
	/* SRR0/1 still hold what enable_and_mark's rfi used */
	check("int.crit.srr-unchanged",
	      r->srr0 == (u32)l_after_mtmsr && r->srr1 == (MSR_ME | MSR_CE | MSR_FP),
	      "SRR0 %08x SRR1 %08x", r->srr0, r->srr1);
	check_eq("int.crit.rfci-msr", msr_after, MSR_ME | MSR_CE | MSR_FP);
	mtdcr(UIC0_ER, 0);
	mtdcr(UIC0_CR, 0);
}

/* ------------------------------------------------------------------ machine check */

static u32 TESTFN do_mc_load(u32 ea)
{
	u32 v = 0x44444444;
	__asm__ volatile(AT(l_mc_load, "lwz %0,0(%1)") AT(l_mc_after, "nop")
			 : "+r"(v) : "b"(ea) : "memory");
	return v;
}

extern char l_mc_load[], l_mc_after[];

static int mc_hook(struct exc_frame *f, int action)
{
	(void)action;
	/* asynchronous data machine check: MCSRR0 is the load or a later instruction */
	mtspr(SPR_MCSR, 0xFFFFFFFF);
	if (f->mcsrr0 == (u32)l_mc_load)
		return EXC_SKIP;
	return EXC_RESUME;
}

static void test_mcheck(void)
{
	volatile struct exc_rec *r;

	exc_clear();
	exc_hook[IV_MCHECK] = mc_hook;
	msr_set(MSR_ME | MSR_CE);
	mtspr(SPR_MCSR, 0xFFFFFFFF);
	sentinels();
	mtspr(SPR_SRR0, SRR0_SENTINEL);
	mtspr(SPR_SRR1, SRR1_SENTINEL);
	mtspr(SPR_CSRR0, CSRR0_SENTINEL);
	mtspr(SPR_CSRR1, CSRR1_SENTINEL);
	do_mc_load(EA_MCHECK + 0x10);
	u32 msr_after = mfmsr();
	msr_set(MSR_ME);
	r = exc_one("int.mcheck.unmapped-pa.taken", IV_MCHECK);
	int taken = exc_count == 1;
	check_eq("int.mcheck.class", r->cls, CLASS_MC);
	check("int.mcheck.mcsrr0", r->mcsrr0 == (u32)l_mc_load || r->mcsrr0 == (u32)l_mc_after,
	      "MCSRR0 %08x, want %08x or %08x", r->mcsrr0, (u32)l_mc_load, (u32)l_mc_after);
	check_eq("int.mcheck.mcsrr1", r->mcsrr1, MSR_ME | MSR_CE);
	check_eq("int.mcheck.msr", r->msr, 0);
	check("int.mcheck.mcsr-mcs", taken && (r->mcsr & MCSR_MCS), "MCSR %08x", r->mcsr);
	check_eq("int.mcheck.esr-unchanged", r->esr, ESR_SENTINEL);
	check("int.mcheck.srr-unchanged", r->srr0 == SRR0_SENTINEL && r->srr1 == SRR1_SENTINEL,
	      "SRR0 %08x SRR1 %08x", r->srr0, r->srr1);
	check("int.mcheck.csrr-unchanged", r->csrr0 == CSRR0_SENTINEL && r->csrr1 == CSRR1_SENTINEL,
	      "CSRR0 %08x CSRR1 %08x", r->csrr0, r->csrr1);
	check("int.mcheck.rfmci-msr", taken && msr_after == (MSR_ME | MSR_CE),
	      "%d interrupts, MSR after %08x", exc_count, msr_after);
	/* MCSR is read/clear: writing ones clears (UM 6.4.12) */
	mtspr(SPR_MCSR, 0xFFFFFFFF);
	check_eq("int.mcheck.mcsr-write-clears", mfspr(SPR_MCSR), 0);
}

/* ------------------------------------------------------------------ priorities */

static int dec_off_hook(struct exc_frame *f, int action)
{
	(void)f;
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, TSR_DIS);
	return action;
}

static void test_priority(void)
{
	/* critical input and external input pending together: critical first (UM p.201) */
	uic_setup();
	exc_clear();
	exc_hook[IV_CRITICAL] = clear_crit_hook;
	exc_hook[IV_EXTERNAL] = clear_ext_hook;
	msr_set(MSR_ME);
	mtdcr(UIC0_SRS, UIC_BIT(CRIT_IRQ) | UIC_BIT(EXT_IRQ));
	enable_and_mark(MSR_ME | MSR_CE | MSR_EE);
	msr_set(MSR_ME);
	int n = exc_count;
	check("int.priority.crit-ext.count", n == 2, "%d interrupts", n);
	/* The critical interrupt must come first, at the interrupted instruction. (Had the
	 * external one been taken first, the critical one would interrupt the external handler's
	 * first instruction, as MSR[CE] stays set: it would still be logged first, but with CSRR0
	 * = the external vector.) */
	check("int.priority.crit-ext.order",
	      n >= 1 && exc_log[0].id == IV_CRITICAL && exc_log[0].csrr0 == (u32)l_after_mtmsr,
	      "first id %d CSRR0 %08x, want id 0 at %08x", n ? (int)exc_log[0].id : -1,
	      n ? exc_log[0].csrr0 : 0, (u32)l_after_mtmsr);
	mtdcr(UIC0_ER, 0);
	mtdcr(UIC0_CR, 0);

	/* external input and decrementer pending together: external first */
	uic_setup();
	mtdcr(UIC0_CR, 0);
	exc_clear();
	exc_hook[IV_EXTERNAL] = clear_ext_hook;
	exc_hook[IV_DEC] = dec_off_hook;
	msr_set(MSR_ME);
	mtspr(SPR_TSR, TSR_DIS);
	mtspr(SPR_TCR, TCR_DIE);
	mtspr(SPR_DEC, 50);
	u32 t0 = tbl();
	while (!(mfspr(SPR_TSR) & TSR_DIS) && (u32)(tbl() - t0) < 1000000)
		;
	mtdcr(UIC0_SRS, UIC_BIT(EXT_IRQ));
	sentinels();
	enable_and_mark(MSR_ME | MSR_EE);
	msr_set(MSR_ME);
	n = exc_count;
	check("int.priority.ext-dec.order",
	      n == 2 && exc_log[0].id == IV_EXTERNAL && exc_log[1].id == IV_DEC,
	      "%d interrupts, ids %d %d", n, n > 0 ? (int)exc_log[0].id : -1,
	      n > 1 ? (int)exc_log[1].id : -1);
	check("int.priority.ext-dec.srr0", n == 2 && exc_log[0].srr0 == (u32)l_after_mtmsr &&
	      exc_log[1].srr0 == (u32)l_after_mtmsr, "SRR0 %08x %08x",
	      n > 0 ? exc_log[0].srr0 : 0, n > 1 ? exc_log[1].srr0 : 0);
	/* external and decrementer interrupts leave ESR alone */
	check_eq("int.esr.async-unchanged", mfspr(SPR_ESR), ESR_SENTINEL);
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, 0xFFFFFFFF);
	mtdcr(UIC0_ER, 0);
}

/* ------------------------------------------------------------------ mtmsr, wrtee */

static void test_mtmsr(void)
{
	msr_set(MSR_ME);
	mtmsr(0);
	u32 a = mfmsr();
	mtmsr(MSR_ME | MSR_FP);
	u32 b = mfmsr();
	msr_set(MSR_ME);
	check_eq("int.mtmsr.clear-me", a, 0);
	check_eq("int.mtmsr.set-me", b, MSR_ME | MSR_FP);

	u32 c, d;
	__asm__ volatile("wrteei 1\n\tmfmsr %0\n\twrteei 0\n\tmfmsr %1" : "=r"(c), "=r"(d));
	check("int.wrteei", c == (MSR_ME | MSR_EE) && d == MSR_ME, "MSR %08x then %08x", c, d);
	msr_set(MSR_ME);
}

/* ------------------------------------------------------------------ vector composition */

extern char wrongvec_template[];
__asm__(".text\n.globl wrongvec_template\nwrongvec_template:\n\tba exc_wrongvec\n"
	".globl exc_wrongvec\nexc_wrongvec:\n"
	"\tmtspr 272,1\n\tlis 1,exc_frame_nc@ha\n\taddi 1,1,exc_frame_nc@l\n"
	"\tstw 3,12(1)\n\tli 3,18\n\tba exc_common_nc\n");

#define IVOR8_ODD 0xFFFF5A5F   /* bits 16:27 = 0x5A5 -> offset 0x5A50 */

static void test_vector_composition(void)
{
	volatile u32 *tbl32 = (volatile u32 *)PA_ALTVEC;
	u32 ba = *(const u32 *)wrongvec_template;   /* `ba exc_wrongvec` (absolute) */
	for (int i = 0; i < 0x10000 / 4; i++)
		tbl32[i] = ba;
	exc_install_stub(PA_ALTVEC + 0x5A50, 17, CLASS_NC);
	for (u32 a = PA_ALTVEC; a < PA_ALTVEC + 0x10000; a += 32)
		__asm__ volatile("dcbst 0,%0; msync; icbi 0,%0" :: "r"(a) : "memory");
	__asm__ volatile("msync; isync" ::: "memory");

	exc_clear();
	exc_action[17] = EXC_RESUME;
	exc_action[18] = EXC_RESUME;
	msr_set(MSR_ME);
	mtspr(SPR_IVPR, PA_ALTVEC | 0x0000FFFF);
	mtspr(SPR_IVOR0 + 8, IVOR8_ODD);
	isync();
	do_sc();
	exc_install_vectors();
	int n = exc_count;
	int id = n ? (int)exc_log[0].id : -1;
	check("int.vector.ivpr-ivor-bits", n == 1 && id == 17,
	      "%d interrupts, stub id %d (17 = IVPR[0:15]|IVOR[16:27], 18 = elsewhere)", n, id);
	check_eq("int.vector.srr0", n ? exc_log[0].srr0 : 0, (u32)l_sc_next);
}

/* ------------------------------------------------------------------ */

int main(void)
{
	setup_pages();
	msr_set(MSR_ME);
	test_program();
	test_sc_fp();
	test_alignment();
	test_storage();
	test_msr_entry();
	test_mtmsr();
	test_critical();
	test_priority();
	test_mcheck();
	test_vector_composition();
	msr_set(0);
	return 0;
}

/*
 * mmu: the 440 UTLB as the PPC440x5 User's Manual (UM ch.5) defines it: every page size, TID
 * and TS matching, the six permission bits, TLB error and storage interrupts, tlbre/tlbwe word
 * formats and MMUCR[STID], tlbsx[.] with MMUCR[STS]/[STID], little-endian (E) pages, 1 KiB
 * pages, invalidation and remapping (which also catches stale software translation caches).
 *
 * Entry 0 (RAM, 256 MiB) and 1 (UARTs) belong to crt0; this program uses 8..63 and never
 * creates two valid entries that can match the same access.
 */
#include "bare.h"

const char bare_name[] = "mmu";

#define EA_UNMAPPED 0x70000000
#define NONE        0xFFFFFFFF

/* physical scratch pages (4 KiB each) */
#define PA_PAGE(n)  (BARE_SCRATCH + (n) * 0x1000)
#define PA_SMALL    0x00800000   /* backing of the 1K..1M pages (1 MiB aligned) */
#define PA_16M      0x01000000
#define PA_256M     0x00000000

#define ESR_SENT    (ESR_PIL | ESR_PTR)
#define DEAR_SENT   0xDEA0DEA0

/* ------------------------------------------------------------------ access helpers */

/* Result of the last probe: value read (or the preset when the access faulted). */
static u32 xv;

static u32 TESTFN x_ld(u32 ea)
{
	u32 v = 0xDEADBEEF;
	__asm__ volatile("lwz %0,0(%1)" : "+r"(v) : "b"(ea) : "memory");
	return v;
}

static u32 TESTFN x_st(u32 ea)
{
	__asm__ volatile("stw %1,0(%0)" :: "b"(ea), "r"(0x5705705A) : "memory");
	return 0;
}

static u32 TESTFN x_dcbz(u32 ea)
{
	__asm__ volatile("dcbz 0,%0" :: "r"(ea) : "memory");
	return 0;
}

/* Calls code at `target`; returns its r3, or 0xDEADBEEF when the fetch faulted (the ISI/ITLB
 * handler returns to LR, i.e. just after the bctrl). */
u32 call_code(u32 target);
__asm__(".text\n.globl call_code\ncall_code:\n"
	"\tmflr 0\n\tstw 0,4(1)\n\tstwu 1,-16(1)\n"
	"\tmtctr 3\n\tlis 3,0xDEAD\n\tori 3,3,0xBEEF\n\tbctrl\n"
	"\taddi 1,1,16\n\tlwz 0,4(1)\n\tmtlr 0\n\tblr\n");

/* Runs fn(ea) with MSR = msr, records the interrupts. Returns the first interrupt id or -1. */
static int probe(u32 msr, u32 (*fn)(u32), u32 ea)
{
	exc_clear();
	mtspr(SPR_ESR, ESR_SENT);
	mtspr(SPR_DEAR, DEAR_SENT);
	xv = run_as(msr, fn, ea);
	return exc_count ? (int)exc_log[0].id : -1;
}

/* The access must not fault (and for loads, must read `want` unless want == NONE). */
static void expect_ok(const char *name, u32 want)
{
	int n = exc_count;
	check(name, n == 0 && (want == NONE || xv == want),
	      "%d interrupts (first id %d), value %08x want %08x", n, n ? (int)exc_log[0].id : -1,
	      xv, want);
}

/* Exactly one interrupt `id`, with ESR == esr (NONE: unchanged) and DEAR == dear (NONE:
 * unchanged) and, when srr0 != 0, SRR0 == srr0. */
static void expect_fault(const char *name, int id, u32 esr, u32 dear, u32 srr0)
{
	int n = exc_count;
	volatile struct exc_rec *r = &exc_log[0];
	u32 want_esr = esr == NONE ? ESR_SENT : esr;
	u32 want_dear = dear == NONE ? DEAR_SENT : dear;
	int ok = n == 1 && (int)r->id == id && r->esr == want_esr && r->dear == want_dear &&
		 (srr0 == 0 || r->srr0 == srr0);
	if (n == 0)
		check(name, 0, "no interrupt, want id %d", id);
	else
		check(name, ok, "%d interrupts, id %d ESR %08x DEAR %08x SRR0 %08x; want id %d ESR "
		      "%08x DEAR %08x", n, (int)r->id, r->esr, r->dear, r->srr0, id, want_esr,
		      want_dear);
}

static void sup_load(const char *name, u32 ea, u32 want)
{
	probe(MSR_ME, x_ld, ea);
	expect_ok(name, want);
}

static void sup_miss(const char *name, u32 ea)
{
	probe(MSR_ME, x_ld, ea);
	expect_fault(name, IV_DTLB, 0, ea, 0);
}

static inline u32 bswap32(u32 v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

/* Writes a two-instruction function `li r3,imm; blr` at physical `pa` (optionally with the
 * words byte-reversed, for a little-endian page). */
static void put_func(u32 pa, u32 imm, int reversed)
{
	u32 w0 = 0x38600000 | (imm & 0xffff), w1 = 0x4E800020;
	st32(pa, reversed ? bswap32(w0) : w0);
	st32(pa + 4, reversed ? bswap32(w1) : w1);
	__asm__ volatile("dcbst 0,%0; msync; icbi 0,%0; msync; isync" :: "r"(pa) : "memory");
}

/* ------------------------------------------------------------------ page sizes */

struct size_case {
	const char *name;
	int code;
	u32 ea, pa;
	u32 high_off;   /* an offset near the end of the page that is backed by RAM */
};

static const struct size_case sizes[] = {
	{ "1K", TLB_1K, 0x40000000, PA_SMALL, 0x3FC },
	{ "4K", TLB_4K, 0x40100000, PA_SMALL, 0xFFC },
	{ "16K", TLB_16K, 0x40200000, PA_SMALL, 0x3FFC },
	{ "64K", TLB_64K, 0x40300000, PA_SMALL, 0xFFFC },
	{ "256K", TLB_256K, 0x40400000, PA_SMALL, 0x3FFFC },
	{ "1M", TLB_1M, 0x40600000, PA_SMALL, 0xFFFFC },
	{ "16M", TLB_16M, 0x42000000, PA_16M, 0xFFFFFC },
	/* 256M maps PA 0..256M; only the first 128 MiB are RAM: use the last RAM word */
	{ "256M", TLB_256M, 0x50000000, PA_256M, RAM_SIZE - 4 },
};

static char nbuf[64];

static const char *nm(const char *a, const char *b, const char *c)
{
	char *p = nbuf;
	for (const char *s = a; *s; s++) *p++ = *s;
	for (const char *s = b; s && *s; s++) *p++ = *s;
	for (const char *s = c; s && *s; s++) *p++ = *s;
	*p = 0;
	return nbuf;
}

static void test_sizes(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		const struct size_case *c = &sizes[i];
		u32 bytes = tlb_page_bytes(c->code);
		tlb_map(8 + i, c->ea, 0, c->pa, c->code, 0, 0, TLB2_SR | TLB2_SW);

		/* store through the page, read through the identity mapping */
		u32 mark = 0x51230000 + i;
		probe(MSR_ME, x_st, c->ea + 0x10);
		check(nm("mmu.size.", c->name, ".store"), exc_count == 0 && ld32(c->pa + 0x10) == 0x5705705A,
		      "%d interrupts, PA word %08x", exc_count, ld32(c->pa + 0x10));
		st32(c->pa + 0x10, mark);
		sup_load(nm("mmu.size.", c->name, ".load"), c->ea + 0x10, mark);

		/* the page covers its last word */
		st32(c->pa + c->high_off, 0x1A570000 + i);
		sup_load(nm("mmu.size.", c->name, ".last-word"), c->ea + c->high_off, 0x1A570000 + i);

		/* ... and nothing after or before it */
		sup_miss(nm("mmu.size.", c->name, ".end-miss"), c->ea + bytes);
		sup_miss(nm("mmu.size.", c->name, ".below-miss"), c->ea - 4);
	}
	/* all the small pages alias the same physical word */
	st32(PA_SMALL + 0x20, 0xA11A5ED0);
	int ok = 1;
	for (unsigned i = 0; i < 6; i++) {
		probe(MSR_ME, x_ld, sizes[i].ea + 0x20);
		ok &= exc_count == 0 && xv == 0xA11A5ED0;
	}
	check("mmu.size.alias-all", ok, "a page did not read the shared word");

	/* the 1 KiB page ends at 1 KiB also after the first 1 KiB was used (UM 5.2: EA[0:21]) */
	tlb_map(40, 0x49000C00, 0, PA_SMALL + 0xC00, TLB_1K, 0, 0, TLB2_SR | TLB2_SW);
	st32(PA_SMALL + 0xC40, 0x0C400C40);
	sup_load("mmu.1k.upper-quarter.load", 0x49000C40, 0x0C400C40);
	sup_miss("mmu.1k.upper-quarter.neighbour-miss", 0x49000840);
	sup_miss("mmu.1k.upper-quarter.first-miss", 0x49000040);

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		tlb_inval(8 + i);
	tlb_inval(40);
}

/* ------------------------------------------------------------------ tlbre / tlbwe formats */

static void test_formats(void)
{
	struct tlbe e;
	u32 w0 = 0x4B000000 | TLB0_V | TLB0_TS | TLB0_SIZE(TLB_16K);
	u32 w1 = 0x00124000 | 0x7;   /* RPN | ERPN 7 (never accessed) */
	u32 w2 = TLB2_U0 | TLB2_U2 | TLB2_W | TLB2_M | TLB2_G | TLB2_UR | TLB2_SX | TLB2_SR;
	tlb_write(41, w0, w1, w2, 0x5C);
	mtspr(SPR_MMUCR, 0);
	isync();
	tlb_read(41, &e);
	check_eq("mmu.tlbre.word0", e.w0, w0);
	check_eq("mmu.tlbre.word1-rpn-erpn", e.w1, w1);
	check_eq("mmu.tlbre.word2", e.w2, w2);
	check_eq("mmu.tlbre.tid-to-mmucr-stid", e.tid, 0x5C);

	/* E bit and U1/U3/I are stored too */
	u32 w2e = TLB2_U1 | TLB2_U3 | TLB2_I | TLB2_E | TLB2_SW | TLB2_SR;
	tlb_write(41, w0, w1, w2e, 0x5C);
	tlb_read(41, &e);
	check_eq("mmu.tlbre.word2-e-bit", e.w2, w2e);

	/* parity fields are ignored on write and read as 0 (CCR0[CRPE] = 0) */
	__asm__ volatile("tlbwe %0,%1,0" :: "r"(0), "r"(41) : "memory");
	__asm__ volatile("tlbwe %0,%1,1" :: "r"(w1 | 0x300), "r"(41) : "memory");
	__asm__ volatile("tlbwe %0,%1,2" :: "r"(w2 | 0xC0000000), "r"(41) : "memory");
	__asm__ volatile("tlbwe %0,%1,0" :: "r"(w0 | 0xF), "r"(41) : "memory");
	isync();
	tlb_read(41, &e);
	check("mmu.tlbre.parity-zero", e.w0 == w0 && e.w1 == w1 && e.w2 == w2,
	      "words %08x %08x %08x", e.w0, e.w1, e.w2);

	/* tlbwe word 0 takes TID from MMUCR[STID] */
	mtspr(SPR_MMUCR, 0x000000A7);
	isync();
	__asm__ volatile("tlbwe %0,%1,0" :: "r"(w0), "r"(41) : "memory");
	isync();
	mtspr(SPR_MMUCR, 0);
	isync();
	tlb_read(41, &e);
	check_eq("mmu.tlbwe.tid-from-mmucr-stid", e.tid, 0xA7);
	tlb_inval(41);
	mtspr(SPR_MMUCR, 0);
}

/* ------------------------------------------------------------------ TID / PID */

#define EA_TID 0x44000000

static void test_tid(void)
{
	st32(PA_PAGE(1), 0x71D00001);
	st32(PA_PAGE(2), 0x71D00002);
	st32(PA_PAGE(3), 0x71D00000);
	tlb_map(16, EA_TID, 0, PA_PAGE(1), TLB_4K, 0, 0x01, TLB2_SR | TLB2_SW);
	tlb_map(17, EA_TID, 0, PA_PAGE(2), TLB_4K, 0, 0x02, TLB2_SR | TLB2_SW);
	tlb_map(18, EA_TID + 0x1000, 0, PA_PAGE(3), TLB_4K, 0, 0x00, TLB2_SR | TLB2_SW);

	mtspr(SPR_PID, 1);
	isync();
	sup_load("mmu.tid.pid1", EA_TID, 0x71D00001);
	mtspr(SPR_PID, 2);
	isync();
	sup_load("mmu.tid.pid2-after-change", EA_TID, 0x71D00002);
	mtspr(SPR_PID, 3);
	isync();
	sup_miss("mmu.tid.pid3-miss", EA_TID);
	mtspr(SPR_PID, 0);
	isync();
	sup_miss("mmu.tid.pid0-no-match-nonzero-tid", EA_TID);
	mtspr(SPR_PID, 0x7F);
	isync();
	sup_load("mmu.tid.tid0-global", EA_TID + 0x1000, 0x71D00000);
	mtspr(SPR_PID, 1);
	isync();
	sup_load("mmu.tid.pid1-again", EA_TID, 0x71D00001);
	mtspr(SPR_PID, 0);
	isync();
	tlb_inval(16);
	tlb_inval(17);
	tlb_inval(18);
}

/* ------------------------------------------------------------------ TS (MSR[IS], MSR[DS]) */

#define EA_TS 0x45000000

static void test_ts(void)
{
	/* TS=1 copy of RAM (code and stack for the DS=1/IS=1 runs) */
	tlb_map(63, 0, 0, 0, TLB_256M, 1, 0, TLB2_ALLPERM);
	st32(PA_PAGE(4), 0x75000000);
	st32(PA_PAGE(5), 0x75000001);
	tlb_map(20, EA_TS, 0, PA_PAGE(4), TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_SX);
	tlb_map(21, EA_TS, 0, PA_PAGE(5), TLB_4K, 1, 0, TLB2_SR | TLB2_SW | TLB2_SX);
	/* a page only in address space 1 */
	tlb_map(22, EA_TS + 0x1000, 0, PA_PAGE(5), TLB_4K, 1, 0, TLB2_SR | TLB2_SW);

	probe(MSR_ME, x_ld, EA_TS);
	expect_ok("mmu.ts.ds0", 0x75000000);
	probe(MSR_ME | MSR_DS, x_ld, EA_TS);
	expect_ok("mmu.ts.ds1", 0x75000001);
	probe(MSR_ME | MSR_DS, x_ld, EA_TS + 0x1000);
	expect_ok("mmu.ts.ds1-only-page", 0x75000001);
	probe(MSR_ME, x_ld, EA_TS + 0x1000);
	expect_fault("mmu.ts.ds0-miss-on-ts1-page", IV_DTLB, 0, EA_TS + 0x1000, 0);

	/* instruction fetch follows MSR[IS] */
	put_func(PA_PAGE(4) + 0x100, 0x0150, 0);
	put_func(PA_PAGE(5) + 0x100, 0x1150, 0);
	probe(MSR_ME, call_code, EA_TS + 0x100);
	expect_ok("mmu.ts.is0-fetch", 0x0150);
	probe(MSR_ME | MSR_IS | MSR_DS, call_code, EA_TS + 0x100);
	expect_ok("mmu.ts.is1-fetch", 0x1150);
	/* IS=1 fetch from a page that exists only in TS=0 (after invalidating the TS=1 one) */
	tlb_inval(21);
	probe(MSR_ME | MSR_IS | MSR_DS, call_code, EA_TS + 0x100);
	expect_fault("mmu.ts.is1-itlb-miss", IV_ITLB, NONE, NONE, EA_TS + 0x100);
	tlb_inval(20);
	tlb_inval(22);
	tlb_inval(63);
}

/* ------------------------------------------------------------------ permissions */

#define EA_PERM 0x46000000

static void perm_page(int n, u32 attr)
{
	tlb_map(24 + n, EA_PERM + n * 0x1000, 0, PA_PAGE(8 + n), TLB_4K, 0, 0, attr);
}

static void test_perms(void)
{
	u32 all_s = TLB2_SR | TLB2_SW | TLB2_SX;
	for (int n = 0; n < 8; n++) {
		st32(PA_PAGE(8 + n), 0x9E800000 + n);
		put_func(PA_PAGE(8 + n) + 0x200, 0x0C0D + n, 0);
	}
	perm_page(0, all_s | TLB2_UR);              /* UR */
	perm_page(1, all_s | TLB2_UW);              /* UW */
	perm_page(2, all_s | TLB2_UX);              /* UX */
	perm_page(3, TLB2_SR);                      /* SR */
	perm_page(4, TLB2_SW);                      /* SW */
	perm_page(5, TLB2_SX);                      /* SX */
	perm_page(6, 0);                            /* nothing */
	perm_page(7, TLB2_UR | TLB2_UW | TLB2_UX);  /* user only */
#define P(n) (EA_PERM + (n) * 0x1000)
	u32 U = MSR_PR | MSR_ME, S = MSR_ME;

	/* user reads */
	probe(U, x_ld, P(0)); expect_ok("mmu.perm.ur.user-load", 0x9E800000);
	probe(U, x_ld, P(1) + 4); expect_fault("mmu.perm.uw-only.user-load-dsi", IV_DSI, 0, P(1) + 4, 0);
	probe(U, x_ld, P(3) + 8); expect_fault("mmu.perm.sr-only.user-load-dsi", IV_DSI, 0, P(3) + 8, 0);
	/* user writes */
	probe(U, x_st, P(1) + 0x10); expect_ok("mmu.perm.uw.user-store", NONE);
	check_eq("mmu.perm.uw.user-store-data", ld32(PA_PAGE(9) + 0x10), 0x5705705A);
	probe(U, x_st, P(0) + 0x14); expect_fault("mmu.perm.ur-only.user-store-dsi", IV_DSI, ESR_ST, P(0) + 0x14, 0);
	probe(U, x_dcbz, P(0) + 0x40); expect_fault("mmu.perm.ur-only.user-dcbz-dsi", IV_DSI, ESR_ST, P(0) + 0x40, 0);
	/* user execute */
	probe(U, call_code, P(2) + 0x200); expect_ok("mmu.perm.ux.user-fetch", 0x0C0D + 2);
	probe(U, call_code, P(0) + 0x200); expect_fault("mmu.perm.no-ux.user-fetch-isi", IV_ISI, 0, NONE, P(0) + 0x200);
	probe(U, call_code, P(5) + 0x200); expect_fault("mmu.perm.sx-only.user-fetch-isi", IV_ISI, 0, NONE, P(5) + 0x200);

	/* supervisor reads */
	probe(S, x_ld, P(3)); expect_ok("mmu.perm.sr.sup-load", 0x9E800003);
	probe(S, x_ld, P(4) + 4); expect_fault("mmu.perm.sw-only.sup-load-dsi", IV_DSI, 0, P(4) + 4, 0);
	probe(S, x_ld, P(7) + 4); expect_fault("mmu.perm.user-only.sup-load-dsi", IV_DSI, 0, P(7) + 4, 0);
	/* supervisor writes */
	probe(S, x_st, P(4) + 0x18); expect_ok("mmu.perm.sw.sup-store", NONE);
	check_eq("mmu.perm.sw.sup-store-data", ld32(PA_PAGE(12) + 0x18), 0x5705705A);
	probe(S, x_st, P(3) + 0x1C); expect_fault("mmu.perm.sr-only.sup-store-dsi", IV_DSI, ESR_ST, P(3) + 0x1C, 0);
	probe(S, x_st, P(7) + 0x1C); expect_fault("mmu.perm.user-only.sup-store-dsi", IV_DSI, ESR_ST, P(7) + 0x1C, 0);
	/* supervisor execute */
	probe(S, call_code, P(5) + 0x200); expect_ok("mmu.perm.sx.sup-fetch", 0x0C0D + 5);
	probe(S, call_code, P(3) + 0x200); expect_fault("mmu.perm.no-sx.sup-fetch-isi", IV_ISI, 0, NONE, P(3) + 0x200);
	probe(S, call_code, P(7) + 0x200); expect_fault("mmu.perm.user-only.sup-fetch-isi", IV_ISI, 0, NONE, P(7) + 0x200);
	probe(U, call_code, P(7) + 0x200); expect_ok("mmu.perm.user-only.user-fetch", 0x0C0D + 7);
	/* no permission at all */
	probe(S, x_ld, P(6)); expect_fault("mmu.perm.none.sup-load-dsi", IV_DSI, 0, P(6), 0);
	probe(U, x_st, P(6) + 4); expect_fault("mmu.perm.none.user-store-dsi", IV_DSI, ESR_ST, P(6) + 4, 0);

	/* a permission change takes effect at once (no stale cached translation) */
	probe(S, x_ld, P(3)); /* cached as readable */
	perm_page(3, TLB2_SW);
	probe(S, x_ld, P(3) + 0x20); expect_fault("mmu.perm.revoke-read", IV_DSI, 0, P(3) + 0x20, 0);
	for (int n = 0; n < 8; n++)
		tlb_inval(24 + n);
#undef P
}

/* ------------------------------------------------------------------ TLB misses, inval, remap */

#define EA_MISC 0x4A000000

static void test_miss_inval(void)
{
	/* data TLB miss: load ESR 0, store ESR[ST], DEAR = EA */
	probe(MSR_ME, x_ld, EA_UNMAPPED + 0x44);
	expect_fault("mmu.dtlb.load", IV_DTLB, 0, EA_UNMAPPED + 0x44, 0);
	probe(MSR_ME, x_st, EA_UNMAPPED + 0x48);
	expect_fault("mmu.dtlb.store", IV_DTLB, ESR_ST, EA_UNMAPPED + 0x48, 0);
	probe(MSR_PR | MSR_ME, x_st, EA_UNMAPPED + 0x4C);
	expect_fault("mmu.dtlb.user-store", IV_DTLB, ESR_ST, EA_UNMAPPED + 0x4C, 0);
	/* instruction TLB miss: SRR0 = target, ESR and DEAR unchanged */
	probe(MSR_ME, call_code, EA_UNMAPPED + 0x100);
	expect_fault("mmu.itlb.miss", IV_ITLB, NONE, NONE, EA_UNMAPPED + 0x100);

	/* invalidating an entry that was just used */
	st32(PA_PAGE(20), 0x12340020);
	st32(PA_PAGE(21), 0x12340021);
	tlb_map(42, EA_MISC, 0, PA_PAGE(20), TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_SX);
	sup_load("mmu.inval.before", EA_MISC, 0x12340020);
	tlb_inval(42);
	sup_miss("mmu.inval.after", EA_MISC);
	/* remapping an entry that was just used, to another physical page */
	tlb_map(42, EA_MISC, 0, PA_PAGE(20), TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_SX);
	sup_load("mmu.remap.before", EA_MISC, 0x12340020);
	tlb_map(42, EA_MISC, 0, PA_PAGE(21), TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_SX);
	sup_load("mmu.remap.after", EA_MISC, 0x12340021);
	/* ... also for instruction fetches */
	put_func(PA_PAGE(20) + 0x300, 0x0AA0, 0);
	put_func(PA_PAGE(21) + 0x300, 0x0AA1, 0);
	probe(MSR_ME, call_code, EA_MISC + 0x300);
	expect_ok("mmu.remap.fetch-before", 0x0AA1);
	tlb_map(42, EA_MISC, 0, PA_PAGE(20), TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_SX);
	probe(MSR_ME, call_code, EA_MISC + 0x300);
	expect_ok("mmu.remap.fetch-after", 0x0AA0);
	tlb_inval(42);
	probe(MSR_ME, call_code, EA_MISC + 0x300);
	expect_fault("mmu.inval.fetch-after", IV_ITLB, NONE, NONE, EA_MISC + 0x300);
}

/* ------------------------------------------------------------------ little-endian pages */

#define EA_LE 0x47000000
#define EA_BE 0x47001000

static u32 TESTFN x_lhz(u32 ea)
{
	u32 v;
	__asm__ volatile("lhz %0,0(%1)" : "=r"(v) : "b"(ea) : "memory");
	return v;
}

static u32 TESTFN x_lbz(u32 ea)
{
	u32 v;
	__asm__ volatile("lbz %0,0(%1)" : "=r"(v) : "b"(ea) : "memory");
	return v;
}

static u32 TESTFN x_lwbrx(u32 ea)
{
	u32 v;
	__asm__ volatile("lwbrx %0,0,%1" : "=r"(v) : "r"(ea) : "memory");
	return v;
}

static void test_le(void)
{
	u32 pa = PA_PAGE(24);
	st32(pa, 0x11223344);
	st32(pa + 4, 0x55667788);
	tlb_map(32, EA_LE, 0, pa, TLB_4K, 0, 0, TLB2_E | TLB2_SR | TLB2_SW | TLB2_SX);
	tlb_map(33, EA_BE, 0, pa, TLB_4K, 0, 0, TLB2_SR | TLB2_SW | TLB2_SX);

	sup_load("mmu.le.lwz-reversed", EA_LE, 0x44332211);
	probe(MSR_ME, x_lhz, EA_LE + 4);
	expect_ok("mmu.le.lhz-reversed", 0x6655);
	probe(MSR_ME, x_lbz, EA_LE + 1);
	expect_ok("mmu.le.lbz-same", 0x22);
	probe(MSR_ME, x_lwbrx, EA_LE + 4);
	expect_ok("mmu.le.lwbrx-double-reversed", 0x55667788);
	probe(MSR_ME, x_st, EA_LE + 8);
	check_eq("mmu.le.stw-reversed", ld32(pa + 8), bswap32(0x5705705A));
	sup_load("mmu.le.be-alias-normal", EA_BE, 0x11223344);

	/* instruction fetch from an E=1 page: the words are byte-reversed before decoding */
	put_func(pa + 0x400, 0x4C45, 1);
	exc_action[IV_PROGRAM] = EXC_LR;
	exc_action[IV_MCHECK] = EXC_LR;
	u32 r = call_code(EA_LE + 0x400);
	int n = exc_count;
	exc_clear();
	check("mmu.le.fetch", n == 0 && r == 0x4C45, "%d interrupts, r3 %08x want 00004c45", n, r);
	tlb_inval(32);
	tlb_inval(33);
}

/* ------------------------------------------------------------------ tlbsx */

#define EA_SX 0x48000000

static void test_tlbsx(void)
{
	u32 rt;
	tlb_map(36, EA_SX, 0, PA_PAGE(28), TLB_4K, 0, 0, TLB2_SR);
	tlb_map(37, EA_SX + 0x1000, 0, PA_PAGE(29), TLB_4K, 1, 0, TLB2_SR);
	tlb_map(38, EA_SX + 0x2000, 0, PA_PAGE(30), TLB_4K, 0, 0x35, TLB2_SR);
	tlb_map(39, EA_SX + 0x10000, 0, PA_PAGE(28), TLB_64K, 0, 0, TLB2_SR);

	int i = tlb_search(EA_SX + 0x123, 0, 0, &rt);
	check("mmu.tlbsx.hit", i == 36 && rt == 36, "index %d RT %08x", i, rt);
	i = tlb_search(EA_SX + 0x1ABCC, 0, 0, &rt);
	check("mmu.tlbsx.hit-64k", i == 39 && rt == 39, "index %d RT %08x", i, rt);
	i = tlb_search(EA_SX + 0x5000, 0, 0, &rt);
	check("mmu.tlbsx.miss", i == -1, "index %d (CR0[EQ] set on a miss)", i);
	/* MMUCR[STS] selects the address space searched */
	i = tlb_search(EA_SX + 0x1000, 1, 0, &rt);
	check("mmu.tlbsx.sts1-hit", i == 37, "index %d", i);
	i = tlb_search(EA_SX + 0x1000, 0, 0, &rt);
	check("mmu.tlbsx.sts0-miss-ts1-entry", i == -1, "index %d (a TS=1 entry matched STS=0)", i);
	i = tlb_search(EA_SX, 1, 0, &rt);
	check("mmu.tlbsx.sts1-miss-ts0-entry", i == -1, "index %d (a TS=0 entry matched STS=1)", i);
	/* MMUCR[STID] */
	i = tlb_search(EA_SX + 0x2000, 0, 0x35, &rt);
	check("mmu.tlbsx.stid-hit", i == 38, "index %d", i);
	i = tlb_search(EA_SX + 0x2000, 0, 0x36, &rt);
	check("mmu.tlbsx.stid-miss", i == -1, "index %d", i);
	i = tlb_search(EA_SX + 0x2000, 0, 0, &rt);
	check("mmu.tlbsx.stid0-miss", i == -1, "index %d", i);
	i = tlb_search(EA_SX, 0, 0x77, &rt);
	check("mmu.tlbsx.tid0-global", i == 36, "index %d", i);
	/* PID does not take part in tlbsx */
	mtspr(SPR_PID, 0x35);
	isync();
	i = tlb_search(EA_SX + 0x2000, 0, 0, &rt);
	mtspr(SPR_PID, 0);
	isync();
	check("mmu.tlbsx.ignores-pid", i == -1, "index %d", i);

	/* tlbsx. sets CR0 = 0b00 || hit || XER[SO]; tlbsx (no dot) leaves CR0 alone; EA = RA+RB */
	u32 cr_hit, cr_miss, cr_nodot, idx;
	mtspr(SPR_MMUCR, 0);
	isync();
	__asm__ volatile(
		"lis 0,0x8000\n\tmtxer 0\n\t"
		"tlbsx. %3,%4,%5\n\tmfcr %0\n\t"
		"tlbsx. 0,0,%6\n\tmfcr %1\n\t"
		"li 0,0\n\tmtxer 0\n\tcmpwi 0,0\n\t"   /* CR0 = EQ */
		"tlbsx 0,0,%6\n\tmfcr %2\n\t"
		: "=&r"(cr_hit), "=&r"(cr_miss), "=&r"(cr_nodot), "=&b"(idx)
		: "b"(EA_SX), "r"(0x10), "r"(EA_UNMAPPED)
		: "r0", "cr0", "xer");
	check_eq("mmu.tlbsx.dot-hit-cr0", cr_hit >> 28, 0x3);
	check_eq("mmu.tlbsx.dot-hit-ra-rb", idx, 36);
	check_eq("mmu.tlbsx.dot-miss-cr0", cr_miss >> 28, 0x1);
	check_eq("mmu.tlbsx.nodot-cr0-unchanged", cr_nodot >> 28, 0x2);

	/* tlbre word 0 updates MMUCR[STID]: a following tlbsx searches with it */
	struct tlbe e;
	__asm__ volatile("tlbre %0,%1,0\n\tisync" : "=r"(e.w0) : "r"(38) : "memory");
	u32 stid = mfspr(SPR_MMUCR) & 0xff;
	u32 hit;
	__asm__ volatile("tlbsx. %0,0,%1\n\tmfcr %0" : "=r"(hit) : "r"(EA_SX + 0x2000) : "cr0");
	mtspr(SPR_MMUCR, 0);
	isync();
	check("mmu.tlbre.stid-then-tlbsx", stid == 0x35 && (hit & 0x20000000),
	      "MMUCR[STID] %02x, CR %08x", stid, hit);
	for (int k = 36; k < 40; k++)
		tlb_inval(k);
}

/* ------------------------------------------------------------------ */

int main(void)
{
	msr_set(MSR_ME);
	test_formats();
	test_sizes();
	test_tid();
	test_ts();
	test_perms();
	test_miss_inval();
	test_le();
	test_tlbsx();
	msr_set(0);
	return 0;
}

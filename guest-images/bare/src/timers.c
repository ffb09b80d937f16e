/*
 * timers: time base, decrementer, fixed-interval timer and watchdog (up to the watchdog
 * interrupt) as UM ch.7 defines them, plus the MSR[WE] wait state woken by the decrementer.
 *
 * Nothing here assumes a timer frequency: waits are counted in time-base ticks, and checks
 * compare relations (DEC decreases by the ticks that passed, an auto-reload period equals
 * DECAR, FIT/watchdog events happen at the selected time-base bit's 0->1 transition). The FIT
 * and watchdog periods (2^13..2^33 ticks) are tested by writing the time base to just below
 * the transition, so every wait is a few thousand ticks at most.
 */
#include "bare.h"

const char bare_name[] = "timers";

static volatile u32 hits, hit_tsr, hit_tbl, flag;

static void clear_timers(void)
{
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, 0xFFFFFFFF);
	isync();
}

/* Spins until TBL has passed `target` (signed distance), at most `guard` ticks. */
static void wait_until(u32 target, u32 guard)
{
	u32 t0 = tbl();
	while ((s32)(tbl() - target) < 0 && (u32)(tbl() - t0) < guard)
		;
}

static void set_tbl(u32 v)
{
	mtspr(SPR_TBL_W, v);
	isync();
}

/* ------------------------------------------------------------------ time base */

static u32 TESTFN u_read_tb(u32 a)
{
	u32 hi, lo, hi2;
	__asm__ volatile("mfspr %0,269\n\tmfspr %1,268\n\tmfspr %2,269" : "=r"(hi), "=r"(lo), "=r"(hi2));
	(void)a;
	return lo;
}

static u32 TESTFN u_write_tbl(u32 a)
{
	__asm__ volatile(AT(l_u_mttbl, "mtspr 284,%0") :: "r"(a) : "memory");
	return 0;
}

extern char l_u_mttbl[];

static void test_tb(void)
{
	exc_clear();
	u32 a = tbl();
	u32 b = run_as(MSR_PR | MSR_ME, u_read_tb, 0);
	u32 c = tbl();
	check("timers.tb.user-read", exc_count == 0 && (s32)(b - a) > 0 && (s32)(c - b) > 0,
	      "%d interrupts, TBL %08x %08x %08x", exc_count, a, b, c);

	exc_clear();
	mtspr(SPR_ESR, 0);
	run_as(MSR_PR | MSR_ME, u_write_tbl, 0);
	volatile struct exc_rec *r = exc_one("timers.tb.user-write-privileged", IV_PROGRAM);
	check("timers.tb.user-write-esr", r->esr == ESR_PPR && r->srr0 == (u32)l_u_mttbl,
	      "ESR %08x SRR0 %08x", r->esr, r->srr0);

	/* the time base advances between two reads a few hundred instructions apart */
	u32 t1 = tbl();
	for (volatile int i = 0; i < 100; i++)
		;
	u32 t2 = tbl();
	check("timers.tb.advances", t2 != t1, "TBL %08x twice", t1);

	mtspr(SPR_TBL_W, 0);
	mtspr(SPR_TBU_W, 0x123);
	mtspr(SPR_TBL_W, 0x00400000);
	u32 hi = mfspr(SPR_TBU_R), lo = mfspr(SPR_TBL_R);
	check("timers.tb.write", hi == 0x123 && lo >= 0x00400000 && lo < 0x00400000 + 100000,
	      "TB %08x:%08x after writing 00000123:00400000", hi, lo);

	/* TBL carries into TBU */
	mtspr(SPR_TBL_W, 0);
	mtspr(SPR_TBU_W, 0x200);
	mtspr(SPR_TBL_W, 0xFFFFF000);
	u32 t0 = tbl();
	while (tbl() >= 0xFFFFF000 && (u32)(tbl() - t0) < 100000)
		;
	u64 tb = tb_read();
	check("timers.tb.carry", (u32)(tb >> 32) == 0x201 && (u32)tb < 0x10000,
	      "TB %08x:%08x", (u32)(tb >> 32), (u32)tb);
	mtspr(SPR_TBL_W, 0);
	mtspr(SPR_TBU_W, 0);
}

/* ------------------------------------------------------------------ decrementer */

static int dec_hook(struct exc_frame *f, int action)
{
	(void)f;
	hits++;
	hit_tsr = mfspr(SPR_TSR);
	hit_tbl = tbl();
	mtspr(SPR_TSR, TSR_DIS);
	return action;
}

/* For a decrementer interrupt that should not happen: count it and switch the DEC off. */
static int dec_stop_hook(struct exc_frame *f, int action)
{
	(void)f;
	hits++;
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, TSR_DIS);
	return action;
}

/* Waits (at most `guard` ticks) until `hits` reaches n. */
static void wait_hits(u32 n, u32 guard)
{
	u32 t0 = tbl();
	while (hits < n && (u32)(tbl() - t0) < guard)
		;
}

void enable_and_mark(u32 msr);
__asm__(".text\n.globl enable_and_mark\nenable_and_mark:\n"
	"\tlis 4,l_mark@ha\n\taddi 4,4,l_mark@l\n"
	"\tmtspr 26,4\n\tmtspr 27,3\n\trfi\n"
	".globl l_mark\nl_mark:\n\tnop\n\tnop\n\tblr\n");
extern char l_mark[];

static void test_dec(void)
{
	clear_timers();
	msr_set(MSR_ME);

	/* the DEC reads back and counts down at the time-base rate */
	mtspr(SPR_DEC, 0x7FFFFFFF);
	u32 ta = tbl();
	u32 d1 = mfspr(SPR_DEC);
	tb_wait(10000);
	u32 d2 = mfspr(SPR_DEC);
	u32 tb2 = tbl();
	check("timers.dec.read-after-write", d1 <= 0x7FFFFFFF && d1 > 0x7FFFFFFF - 10000,
	      "DEC %08x just after writing 7fffffff", d1);
	check("timers.dec.rate", d1 - d2 >= 10000 && d1 - d2 <= tb2 - ta,
	      "DEC went from %08x to %08x while the time base advanced by 10000 or a little more",
	      d1, d2);

	/* decrementer interrupt, no auto-reload */
	clear_timers();
	exc_clear();
	exc_hook[IV_DEC] = dec_hook;
	hits = 0;
	msr_set(MSR_ME | MSR_EE);
	mtspr(SPR_TCR, TCR_DIE);
	u32 tw = tbl();
	mtspr(SPR_DEC, 5000);
	wait_hits(1, 200000);
	u32 dec_after = mfspr(SPR_DEC);
	check("timers.dec.interrupt", hits == 1 && exc_count == 1 && exc_log[0].id == IV_DEC,
	      "%u interrupts", hits);
	check("timers.dec.interrupt-tsr-dis", hit_tsr & TSR_DIS, "TSR %08x in the handler", hit_tsr);
	check("timers.dec.interrupt-delay", hit_tbl - tw >= 5000 && hit_tbl - tw < 5000 + 20000,
	      "interrupt %u ticks after writing DEC = 5000", hit_tbl - tw);
	check_eq("timers.dec.interrupt-srr1", exc_count ? exc_log[0].srr1 : 0, MSR_ME | MSR_EE);
	/* ARE = 0: the DEC stops at 0, no further exception */
	tb_wait(30000);
	check("timers.dec.stops-at-zero", hits == 1 && !(mfspr(SPR_TSR) & TSR_DIS),
	      "%u interrupts, TSR %08x", hits, mfspr(SPR_TSR));
	check_eq("timers.dec.reads-zero-after-expiry", dec_after, 0);
	msr_set(MSR_ME);

	/* TCR[DIE] = 0: TSR[DIS] is set, no interrupt */
	clear_timers();
	exc_clear();
	msr_set(MSR_ME | MSR_EE);
	mtspr(SPR_DEC, 2000);
	tb_wait(10000);
	msr_set(MSR_ME);
	check("timers.dec.die-off-status-only", exc_count == 0 && (mfspr(SPR_TSR) & TSR_DIS),
	      "%d interrupts, TSR %08x", exc_count, mfspr(SPR_TSR));

	/* MSR[EE] = 0 holds the interrupt until EE is set */
	clear_timers();
	exc_clear();
	exc_hook[IV_DEC] = dec_hook;
	hits = 0;
	mtspr(SPR_TCR, TCR_DIE);
	mtspr(SPR_DEC, 2000);
	tb_wait(10000);
	u32 held = exc_count;
	enable_and_mark(MSR_ME | MSR_EE);
	msr_set(MSR_ME);
	check("timers.dec.held-by-ee", held == 0 && hits == 1 && exc_log[0].srr0 == (u32)l_mark,
	      "%u before EE, %u after, SRR0 %08x", held, hits, exc_count ? exc_log[0].srr0 : 0);

	/* writing DEC = 0 stops it without a decrementer exception (UM 7.2) */
	clear_timers();
	exc_clear();
	exc_hook[IV_DEC] = dec_stop_hook;
	mtspr(SPR_TCR, TCR_DIE);
	mtspr(SPR_DEC, 0);
	msr_set(MSR_ME | MSR_EE);
	tb_wait(10000);
	msr_set(MSR_ME);
	check("timers.dec.write-zero-no-exception", exc_count == 0 && !(mfspr(SPR_TSR) & TSR_DIS),
	      "%d interrupts, TSR %08x", exc_count, mfspr(SPR_TSR));

	/* auto-reload from DECAR: 8 interrupts in 8.5 periods, each one period apart */
	const u32 P = 20000;
	clear_timers();
	exc_clear();
	exc_hook[IV_DEC] = dec_hook;
	hits = 0;
	mtspr(SPR_DECAR, P);
	mtspr(SPR_TCR, TCR_DIE | TCR_ARE);
	msr_set(MSR_ME | MSR_EE);
	u32 t0 = tbl();
	mtspr(SPR_DEC, P);
	wait_until(t0 + 8 * P + P / 2, 8 * P + P);
	msr_set(MSR_ME);
	mtspr(SPR_TCR, 0);
	u32 n = hits;
	check("timers.dec.autoreload-count", n == 8, "%u interrupts in 8.5 DECAR periods", n);
	int ok = n >= 2;
	u32 bad = 0;
	for (u32 i = 1; i < n && i < EXC_LOG; i++) {
		u32 d = exc_log[i].tbl - exc_log[i - 1].tbl;
		if (d < P - P / 8 || d > P + P / 8)
			ok = 0, bad = d;
	}
	check("timers.dec.autoreload-period", ok, "%u interrupts, an interval of %u ticks (DECAR %u)",
	      n, bad, P);
	clear_timers();
}

/* ------------------------------------------------------------------ TSR / TCR */

static void test_tsr_tcr(void)
{
	clear_timers();
	mtspr(SPR_DEC, 100);
	tb_wait(2000);
	u32 s0 = mfspr(SPR_TSR) & TSR_DIS;
	mtspr(SPR_TSR, 0);
	u32 s1 = mfspr(SPR_TSR) & TSR_DIS;
	mtspr(SPR_TSR, TSR_FIS);
	u32 s2 = mfspr(SPR_TSR) & TSR_DIS;
	mtspr(SPR_TSR, TSR_DIS);
	u32 s3 = mfspr(SPR_TSR) & TSR_DIS;
	check("timers.tsr.write-zero-keeps", s0 && s1 && s2, "DIS %x, after writing 0 %x, after "
	      "writing FIS %x", s0, s1, s2);
	check("timers.tsr.write-one-clears", s3 == 0, "DIS still set");
	mtspr(SPR_TSR, TSR_DIS | TSR_FIS);
	check_eq("timers.tsr.write-cannot-set", mfspr(SPR_TSR) & (TSR_DIS | TSR_FIS), 0);

	u32 tcr = TCR_WP(2) | TCR_FP(1) | TCR_ARE;
	mtspr(SPR_TCR, tcr);
	check_eq("timers.tcr.readback", mfspr(SPR_TCR), tcr);
	clear_timers();
}

/* ------------------------------------------------------------------ fixed-interval timer */

static int fit_hook(struct exc_frame *f, int action)
{
	(void)f;
	hits++;
	hit_tsr = mfspr(SPR_TSR);
	hit_tbl = tbl();
	mtspr(SPR_TSR, TSR_FIS);
	return action;
}

static const char *const fit_names[4][3] = {
	{ "timers.fit.fp0-2^13.not-early", "timers.fit.fp0-2^13.at-transition", "timers.fit.fp0-2^13.once" },
	{ "timers.fit.fp1-2^17.not-early", "timers.fit.fp1-2^17.at-transition", "timers.fit.fp1-2^17.once" },
	{ "timers.fit.fp2-2^21.not-early", "timers.fit.fp2-2^21.at-transition", "timers.fit.fp2-2^21.once" },
	{ "timers.fit.fp3-2^25.not-early", "timers.fit.fp3-2^25.at-transition", "timers.fit.fp3-2^25.once" },
};

static void test_fit(void)
{
	for (int fp = 0; fp < 4; fp++) {
		u32 w = 1u << (12 + 4 * fp);         /* the selected bit; period 2w */
		u32 edge = 2 * w * 3 + w;             /* TBL value where the bit goes 0 -> 1 */
		clear_timers();
		exc_clear();
		exc_hook[IV_FIT] = fit_hook;
		hits = 0;
		mtspr(SPR_TCR, TCR_FP(fp));
		set_tbl(edge - 3000);                 /* selected bit 0: no transition by the write */
		mtspr(SPR_TSR, TSR_FIS);              /* forget events of the previous selection */
		mtspr(SPR_TCR, TCR_FP(fp) | TCR_FIE);
		msr_set(MSR_ME | MSR_EE);
		wait_until(edge - 1000, 100000);
		u32 early = hits;
		wait_until(edge + 2048, 100000);
		msr_set(MSR_ME);
		check(fit_names[fp][0], early == 0, "FIT %u time(s) before the transition", early);
		if (hits)
			check(fit_names[fp][1], hit_tbl - edge < 2048,
			      "interrupt at %d ticks from the 0->1 transition", (int)(hit_tbl - edge));
		else
			check(fit_names[fp][1], 0, "no FIT interrupt");
		check(fit_names[fp][2], hits == 1, "%u interrupts for one transition", hits);
	}

	/* only the selected bit counts: FP=3 (2^25) ignores the 2^12 bit's transitions */
	clear_timers();
	exc_clear();
	mtspr(SPR_TCR, TCR_FP(3));
	set_tbl(0x00000800);
	mtspr(SPR_TSR, TSR_FIS);
	tb_wait(0x4000);
	check("timers.fit.other-bits-ignored", !(mfspr(SPR_TSR) & TSR_FIS), "TSR %08x",
	      mfspr(SPR_TSR));

	/* an mtspr to TBL that sets the selected bit is a 0->1 transition too (UM 7.3/7.4) */
	clear_timers();
	mtspr(SPR_TCR, TCR_FP(0));
	set_tbl(0x00000000);
	mtspr(SPR_TSR, TSR_FIS);
	set_tbl(0x00001800);
	check("timers.fit.tb-write-transition", mfspr(SPR_TSR) & TSR_FIS, "TSR %08x",
	      mfspr(SPR_TSR));
	clear_timers();
}

/* ------------------------------------------------------------------ watchdog (up to WIS) */

static int wdt_hook(struct exc_frame *f, int action)
{
	(void)f;
	hits++;
	hit_tsr = mfspr(SPR_TSR);
	hit_tbl = tbl();
	mtspr(SPR_TSR, TSR_ENW | TSR_WIS);
	return action;
}

#define WDT_BIT0 0x00100000   /* TCR[WP]=0: period 2^21, bit of weight 2^20 */

/* Crosses the next 0->1 transition of the 2^20 bit, starting `below` ticks before it. */
static void wdt_expire(u32 k)
{
	u32 edge = WDT_BIT0 + k * 2 * WDT_BIT0;
	set_tbl(edge - 3000);
	wait_until(edge + 2000, 100000);
}

static void test_watchdog(void)
{
	/* state machine with TCR[WIE] = 0, TCR[WRC] = 0 */
	clear_timers();
	mtspr(SPR_TCR, TCR_WP(0));
	set_tbl(WDT_BIT0 - 3000);
	mtspr(SPR_TSR, 0xFFFFFFFF);
	check_eq("timers.wdt.not-early", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS), 0);
	wdt_expire(0);
	check_eq("timers.wdt.first-sets-enw", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS), TSR_ENW);
	wdt_expire(1);
	check_eq("timers.wdt.second-sets-wis", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS),
		 TSR_ENW | TSR_WIS);
	wdt_expire(2);
	check_eq("timers.wdt.third-wrc0-no-reset", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS | TSR_WRS),
		 TSR_ENW | TSR_WIS);

	/* petting (clearing ENW) restarts the sequence */
	clear_timers();
	mtspr(SPR_TCR, TCR_WP(0));
	set_tbl(0);
	mtspr(SPR_TSR, 0xFFFFFFFF);
	wdt_expire(3);
	mtspr(SPR_TSR, TSR_ENW);
	wdt_expire(4);
	check_eq("timers.wdt.pet", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS), TSR_ENW);

	/* the four periods: 2^21 (TBL bit 11), 2^25 (bit 7), 2^29 (bit 3), 2^33 (TBU bit 31) */
	static const char *const names[4] = {
		"timers.wdt.wp0-2^21", "timers.wdt.wp1-2^25", "timers.wdt.wp2-2^29",
		"timers.wdt.wp3-2^33",
	};
	for (int wp = 0; wp < 4; wp++) {
		clear_timers();
		mtspr(SPR_TCR, TCR_WP(wp));
		u32 before, after;
		if (wp < 3) {
			u32 w = 1u << (20 + 4 * wp);
			set_tbl(w - 3000);
			mtspr(SPR_TSR, 0xFFFFFFFF);
			before = mfspr(SPR_TSR) & TSR_ENW;
			wait_until(w + 1000, 100000);
		} else {
			mtspr(SPR_TBL_W, 0);
			mtspr(SPR_TBU_W, 0);
			mtspr(SPR_TBL_W, 0xFFFFF448);
			mtspr(SPR_TSR, 0xFFFFFFFF);
			before = mfspr(SPR_TSR) & TSR_ENW;
			wait_until(1000, 100000);
		}
		after = mfspr(SPR_TSR) & TSR_ENW;
		check(names[wp], !before && after, "ENW before %x after %x the transition", before,
		      after);
	}
	mtspr(SPR_TBL_W, 0);
	mtspr(SPR_TBU_W, 0);

	/* an mtspr that sets the selected bit is a watchdog exception too (UM 7.4) */
	clear_timers();
	mtspr(SPR_TCR, TCR_WP(0));
	set_tbl(0);
	mtspr(SPR_TSR, 0xFFFFFFFF);
	set_tbl(WDT_BIT0 + 0x1000);
	check_eq("timers.wdt.tb-write-transition", mfspr(SPR_TSR) & TSR_ENW, TSR_ENW);

	/* the watchdog interrupt: critical class, on the second expiry, when WIE and MSR[CE] */
	clear_timers();
	exc_clear();
	exc_hook[IV_WATCHDOG] = wdt_hook;
	hits = 0;
	hit_tsr = 0;
	mtspr(SPR_TCR, TCR_WP(0) | TCR_WIE);
	msr_set(MSR_ME);
	set_tbl(0);
	mtspr(SPR_TSR, 0xFFFFFFFF);
	wdt_expire(5);
	u32 tsr1 = mfspr(SPR_TSR);
	wdt_expire(6);      /* WIS, but MSR[CE] = 0 */
	u32 tsr2 = mfspr(SPR_TSR), held = hits;
	enable_and_mark(MSR_ME | MSR_CE);
	msr_set(MSR_ME);
	check("timers.wdt.interrupt-held-by-ce", (tsr1 & (TSR_ENW | TSR_WIS)) == TSR_ENW &&
	      (tsr2 & (TSR_ENW | TSR_WIS)) == (TSR_ENW | TSR_WIS) && held == 0,
	      "TSR %08x then %08x, %u interrupts with MSR[CE]=0", tsr1, tsr2, held);
	volatile struct exc_rec *r = exc_one("timers.wdt.interrupt", IV_WATCHDOG);
	check("timers.wdt.interrupt-critical",
	      r->cls == CLASS_CRIT && r->csrr0 == (u32)l_mark && r->csrr1 == (MSR_ME | MSR_CE) &&
	      r->msr == MSR_ME && (hit_tsr & TSR_WIS),
	      "class %x CSRR0 %08x CSRR1 %08x MSR %08x TSR %08x", r->cls, r->csrr0, r->csrr1,
	      r->msr, hit_tsr);
	clear_timers();
	mtspr(SPR_TBL_W, 0);
}

/* ------------------------------------------------------------------ wait state */

static int wake_hook(struct exc_frame *f, int action)
{
	hits++;
	flag = 1;
	mtspr(SPR_TSR, TSR_DIS);
	f->ret_msr &= ~MSR_WE;     /* return awake */
	return action;
}

static u32 TESTFN wait_for_interrupt(u32 msr)
{
	u32 seen;
	__asm__ volatile("mtmsr %1\n\t" AT(l_after_wait, "lwz %0,0(%2)")
			 : "=&r"(seen) : "r"(msr), "b"(&flag) : "memory");
	return seen;
}

extern char l_after_wait[];

static void test_wait(void)
{
	clear_timers();
	exc_clear();
	exc_hook[IV_DEC] = wake_hook;
	hits = 0;
	flag = 0;
	msr_set(MSR_ME);
	mtspr(SPR_TCR, TCR_DIE);
	mtspr(SPR_DEC, 20000);
	u32 seen = wait_for_interrupt(MSR_ME | MSR_EE | MSR_WE);
	wait_hits(1, 200000);
	msr_set(MSR_ME);
	clear_timers();
	check("timers.wait.sleeps-until-interrupt", seen == 1,
	      "the instruction after mtmsr(WE) ran before the decrementer interrupt");
	check("timers.wait.srr0-srr1", exc_count == 1 && exc_log[0].srr0 == (u32)l_after_wait &&
	      exc_log[0].srr1 == (MSR_ME | MSR_EE | MSR_WE),
	      "%d interrupts, SRR0 %08x SRR1 %08x", exc_count, exc_log[0].srr0, exc_log[0].srr1);
}

/* ------------------------------------------------------------------ */

int main(void)
{
	msr_set(MSR_ME);
	test_tb();
	test_tsr_tcr();
	test_dec();
	test_fit();
	test_watchdog();
	test_wait();
	clear_timers();
	msr_set(0);
	return 0;
}

/*
 * Paravirtualization: see pv.h. pv_init runs once at boot, after hv_detect, with interrupts
 * off. On bare metal (no /hypervisor) it does nothing at all, so a PV kernel runs exactly like
 * one without this file.
 *
 * The magic-page flavour patches the kernel's own text, as Linux's arch/powerpc/kernel/kvm.c
 * does on Book3S and e500: every mfmsr, every mfspr/mtspr of SPRG0-7, SRR0/1, DEAR and ESR
 * becomes a load or store on the page, tlbsync a nop, and every mtmsr, wrtee and wrteei a branch
 * to its own copy of a template (pv_asm.S) that ends with a branch back. The copies live in pages
 * from the page allocator, which must be within the 32 MiB reach of `b` (they are: the allocator
 * hands out the pages right after the kernel; patching fails cleanly otherwise).
 */
#include "kernel.h"
#include "ppc.h"
#include "mm.h"
#include "alloc.h"
#include "hv.h"
#include "pv.h"
#include "irq.h"
#include "timer.h"
#include "sched.h"

extern u32 pv_tmpl_start[], pv_tmpl_end[], pv_hcall_insns[];
extern u32 pv_mtmsr[], pv_mtmsr_reg[], pv_mtmsr_back1[], pv_mtmsr_orig[], pv_mtmsr_back2[], pv_mtmsr_end[];
extern u32 pv_wrtee[], pv_wrtee_reg[], pv_wrtee_back1[], pv_wrtee_orig[], pv_wrtee_back2[], pv_wrtee_end[];
extern u32 pv_wrteei0[], pv_wrteei0_back[], pv_wrteei0_end[];
extern char _stext[], _etext[];

#define RT(i)          (((i) >> 21) & 31)
#define NO_RT(i)       ((i) & ~0x03e00000u)
#define INSN_LWZ       0x80000000u
#define INSN_STW       0x90000000u
#define INSN_NOP       0x60000000u
#define INSN_OR        0x7c000378u     /* or rA,rS,rB */
#define INSN_LI        0x38000000u     /* addi rT,0,SI */
#define INSN_B         0x48000000u
#define INSN_MFMSR     0x7c0000a6u
#define INSN_MTMSR     0x7c000124u
#define INSN_WRTEE     0x7c000106u
#define INSN_WRTEEI_0  0x7c000146u
#define INSN_WRTEEI_1  0x7c008146u
#define INSN_TLBSYNC   0x7c00046cu
#define INSN_MFSPR(n)  (0x7c0002a6u | (((n) & 31) << 16) | (((n) >> 5) << 11))
#define INSN_MTSPR(n)  (0x7c0003a6u | (((n) & 31) << 16) | (((n) >> 5) << 11))

static u32 ld(u32 rt, u32 off) { return INSN_LWZ | rt << 21 | (PV_D(off) & 0xffff); }
static u32 st(u32 rs, u32 off) { return INSN_STW | rs << 21 | (PV_D(off) & 0xffff); }

/* The SPRs kept in the page: SPR number, field, needs KVM_MAGIC_FEAT_MAS0_TO_SPRG7, may be written. */
static const struct { u16 spr, off; u8 feat, writable; } spr_fields[] = {
	{ SPRN_SPRG0, PV_SPRG0, 0, 1 }, { SPRN_SPRG1, PV_SPRG1, 0, 1 },
	{ SPRN_SPRG2, PV_SPRG2, 0, 1 }, { SPRN_SPRG3, PV_SPRG3, 0, 1 },
	{ SPRN_SRR0, PV_SRR0, 0, 1 }, { SPRN_SRR1, PV_SRR1, 0, 1 }, { SPRN_DEAR, PV_DAR, 0, 1 },
	{ SPRN_ESR, PV_ESR, 1, 1 },
	{ 276, PV_SPRG4, 1, 1 }, { 277, PV_SPRG5, 1, 1 }, { 278, PV_SPRG6, 1, 1 }, { 279, PV_SPRG7, 1, 1 },
	{ 260, PV_SPRG4, 1, 0 }, { 261, PV_SPRG5, 1, 0 }, { 262, PV_SPRG6, 1, 0 }, { 263, PV_SPRG7, 1, 0 },
};

enum { K_NONE, K_MFMSR, K_MFSPR, K_MTSPR, K_TLBSYNC, K_MTMSR, K_WRTEE, K_WRTEEI1, K_WRTEEI0, K_KINDS };

static u32 magic_features;


/* What a word is to the patcher; *repl gets the replacing word for the simple kinds. */
static int classify(u32 insn, u32 *repl)
{
	if (insn >> 26 != 31) return K_NONE;    /* everything patched is primary opcode 31 */
	u32 rt = RT(insn), base = NO_RT(insn);
	switch ((insn >> 1) & 0x3ff) {
	case 83:
		if (base != INSN_MFMSR) return K_NONE;
		*repl = ld(rt, PV_MSR);
		return K_MFMSR;
	case 146: return base == INSN_MTMSR ? K_MTMSR : K_NONE;
	case 131: return base == INSN_WRTEE ? K_WRTEE : K_NONE;
	case 163: return insn == INSN_WRTEEI_1 ? K_WRTEEI1 : insn == INSN_WRTEEI_0 ? K_WRTEEI0 : K_NONE;
	case 566:
		if (insn != INSN_TLBSYNC) return K_NONE;
		*repl = INSN_NOP;
		return K_TLBSYNC;
	case 339: case 467: {
		u32 spr = ((insn >> 16) & 31) | ((insn >> 6) & 0x3e0);
		if (spr > 279 || (spr >= 64 && spr < 260)) return K_NONE;   /* most of them: no table walk */
		for (u32 k = 0; k < ARRAY_SIZE(spr_fields); k++) {
			if (spr_fields[k].spr != spr || (spr_fields[k].feat && !(magic_features & KVM_MAGIC_FEAT_MAS0_TO_SPRG7))) continue;
			if (base == INSN_MFSPR(spr)) { *repl = ld(rt, spr_fields[k].off); return K_MFSPR; }
			if (spr_fields[k].writable && base == INSN_MTSPR(spr)) { *repl = st(rt, spr_fields[k].off); return K_MTSPR; }
		}
		return K_NONE;
	}
	default:
		return K_NONE;
	}
}

static u32 tmpl_words(int kind)
{
	switch (kind) {
	case K_MTMSR: return pv_mtmsr_end - pv_mtmsr;
	case K_WRTEE: case K_WRTEEI1: return pv_wrtee_end - pv_wrtee;
	case K_WRTEEI0: return pv_wrteei0_end - pv_wrteei0;
	default: return 0;
	}
}

static bool in_templates(const u32 *p) { return p >= pv_tmpl_start && p < pv_tmpl_end; }

static void write_insn(u32 *p, u32 v)
{
	*p = v;
	flush_icache_range((u32)p, (u32)p + 4);
}

/* `b` from `from` to `to`, or 0 when out of reach */
static u32 branch(const u32 *from, const u32 *to)
{
	s32 d = (s32)((u32)to - (u32)from);
	if (d < -(32 << 20) || d >= (32 << 20)) return 0;
	return INSN_B | ((u32)d & 0x03fffffc);
}

/* The instruction that puts source register rs into r30 (r30/r31 were saved in the page). */
static u32 fetch_r30(u32 rs)
{
	if (rs == 30) return ld(30, PV_SCRATCH2);
	if (rs == 31) return ld(30, PV_SCRATCH1);
	return INSN_OR | rs << 21 | 30 << 16 | rs << 11;
}

/* Copies the template for the site at p into buf and points the site at it; false if out of reach. */
static bool patch_template(u32 *p, int kind, u32 *buf)
{
	u32 insn = *p, *t, n = tmpl_words(kind);
	u32 back[2], nback;
	switch (kind) {
	case K_MTMSR: t = pv_mtmsr; break;
	case K_WRTEEI0: t = pv_wrteei0; break;
	default: t = pv_wrtee; break;
	}
	memcpy(buf, t, n * 4);
	if (kind == K_MTMSR) {
		buf[pv_mtmsr_reg - t] = fetch_r30(RT(insn));
		buf[pv_mtmsr_orig - t] = insn;
		back[0] = pv_mtmsr_back1 - t; back[1] = pv_mtmsr_back2 - t; nback = 2;
	} else if (kind == K_WRTEEI0) {
		back[0] = pv_wrteei0_back - t; nback = 1;
	} else {
		buf[pv_wrtee_reg - t] = kind == K_WRTEEI1 ? (INSN_LI | 30 << 21 | 0x8000) : fetch_r30(RT(insn));
		buf[pv_wrtee_orig - t] = insn;
		back[0] = pv_wrtee_back1 - t; back[1] = pv_wrtee_back2 - t; nback = 2;
	}
	for (u32 k = 0; k < nback; k++) {
		u32 b = branch(&buf[back[k]], p + 1);
		if (!b) return false;
		buf[back[k]] = b;
	}
	u32 b = branch(p, buf);
	if (!b) return false;
	flush_icache_range((u32)buf, (u32)(buf + n));
	write_insn(p, b);
	return true;
}

/* Room for n words of template copies: whole pages from the allocator, as they are needed. */
static u32 *tmpl_next, *tmpl_limit;
static u32 *tmpl_alloc(u32 n)
{
	if (!tmpl_next || tmpl_next + n > tmpl_limit) {
		tmpl_next = page_alloc();
		if (!tmpl_next) return NULL;
		tmpl_limit = tmpl_next + PAGE_SIZE / 4;
	}
	u32 *t = tmpl_next;
	tmpl_next += n;
	return t;
}

/* Patches the kernel text for the magic page; returns false (text partly patched) on failure. */
static bool patch_kernel(u32 *sites)
{
	u32 repl = 0;
	for (u32 *p = (u32 *)_stext; p < (u32 *)_etext; p++) {
		if (*p >> 26 != 31 || in_templates(p)) continue;    /* the cheap test first: 24K words */
		int kind = classify(*p, &repl);
		if (kind == K_NONE) continue;
		u32 n = tmpl_words(kind);
		if (n) {
			u32 *buf = tmpl_alloc(n);
			if (!buf || !patch_template(p, kind, buf)) return false;
		} else {
			write_insn(p, repl);
		}
		(*sites)++;
	}
	return true;
}

static void magic_page(void)
{
	u32 in[8] = { PV_PAGE, PV_PAGE }, out[8];
	long r = pv_hcall(KVM_HC_PPC_MAP_MAGIC_PAGE, in, out);
	if (r != 0) {
		printk("paravirt: MAP_MAGIC_PAGE failed (%ld)\n", r);
		return;
	}
	magic_features = out[0];
	/* the page must hold what the trapping mfmsr returns (it is not patched yet) */
	u32 msr = mfmsr(), seen = *(volatile u32 *)(PV_PAGE + PV_MSR);
	if (seen != msr) {
		printk("paravirt: magic page probe failed (msr %08x, page says %08x)\n", msr, seen);
		return;
	}
	u32 sites = 0, flags = irq_save();
	bool ok = patch_kernel(&sites);
	irq_restore(flags);
	if (!ok) {
		printk("paravirt: live patching for a fast VM failed\n");
		return;
	}
	pr_info("paravirt: magic page, %u sites patched\n", sites);
}

static void donate_page(void)
{
	void *page = page_alloc_zeroed();
	if (!page) return;
	u32 in[8] = { PV_PAGE, __pa(page), PAGE_SIZE }, out[8];
	long r = pv_hcall(HV440_HC_PATCH_PAGE, in, out);
	if (r != 0) {
		page_free(page);
		printk("paravirt: page donation refused (%ld)\n", r);
		return;
	}
	pr_info("paravirt: host patching, page 0x%08x\n", __pa(page));
}

void pv_init(const struct hv_info *hv)
{
	if (!hv->present) return;
	if (boot.nopv) {
		pr_info("paravirt: disabled (nopv)\n");
		return;
	}
	bool has_sc = false;
	for (int i = 0; i < hv->hcall_words; i++) has_sc |= hv->hcall[i] == 0x44000002u;
	if (!has_sc) {
		pr_info("paravirt: no usable hcall-instructions\n");
		return;
	}
	for (int i = 0; i < 4; i++) write_insn(&pv_hcall_insns[i], i < hv->hcall_words ? hv->hcall[i] : INSN_NOP);
	u32 in[8] = { 0 }, out[8];
	long r = pv_hcall(KVM_HC_FEATURES, in, out);
	if (r != 0) {
		pr_info("paravirt: FEATURES failed (%ld)\n", r);
		return;
	}
	if (out[0] & KVM_FEATURE_MAGIC_PAGE) magic_page();
	else if (out[0] & HV440_FEATURE_PATCH_PAGE) donate_page();
	else pr_info("paravirt: nothing offered that this kernel uses (features 0x%x)\n", out[0]);
}

/* ---- the EE stress test (boot option pvstress=MS) ---- */

/*
 * For MS ms of timebase: batches of pv_stress_loop, each entered with EE off and a character
 * queued for the console, so the UART's transmit interrupt is pending when the loop first turns
 * EE on; meanwhile the DEC ticks (4 ms) and the FIT, enabled for the test, fires every 2^21
 * timebase ticks (3.1 ms at 667 MHz: longer than an interrupt handler that talks to the UART takes
 * under the hypervisor, where every MMIO access is an exit), at arbitrary points, inside templates
 * too. Checks: no
 * interrupt inside a masked window, mfmsr agrees with the last EE change, every pattern register
 * survives, no DEC tick is lost or extra (within one of the timebase's count: its phase is
 * unknown), every FIT event was taken once (the last one may still be pending at the end).
 */
void pv_stress(u32 ms)
{
	struct pv_stress s;
	memset(&s, 0, sizeof s);
	s.msr_on = mfmsr() | MSR_EE;
	s.msr_off = s.msr_on & ~MSR_EE;
	s.count = &irq_count;
	u32 tcr = mfspr(SPRN_TCR), tb_tick = tb_freq / HZ, batches = 0, bad_regs = 0;
	/* the counters and the timebase are read together with EE off, at both ends */
	irq_disable();
	mtspr(SPRN_TCR, tcr | TCR_FIE | TCR_FP_2_21);
	u64 t0 = get_tb(), span = (u64)ms * tb_freq / 1000;
	mtspr(SPRN_TSR, TSR_FIS);    /* after the TCR write: the old period may have set it */
	u32 irq0 = irq_count, fit0 = fit_count;
	u64 j0 = jiffies;
	while (get_tb() - t0 < span) {
		irq_disable();
		if (batches < 32) printk(".");
		pv_stress_loop(&s, 32);
		batches++;
		for (int n = 0; n < 32; n++) {
			u32 want = n == 30 ? s.msr_on : n == 31 ? s.msr_off : PVS_PATTERN(n);
			if (n >= 1 && n <= 6) continue;     /* stack, r2, arguments, scratch */
			if (s.regs[n] != want) bad_regs++;
		}
		if ((s.regs[32] & 0x0fffffff) != (PVS_CR_PATTERN & 0x0fffffff)) bad_regs++;
		if (s.regs[33] != PVS_XER_PATTERN || s.regs[34] != PVS_LR_PATTERN) bad_regs++;
	}
	irq_disable();
	u64 t1 = get_tb(), j1 = jiffies;
	u32 ticks = (u32)(j1 - j0), fits = fit_count - fit0, irqs = irq_count - irq0;
	mtspr(SPRN_TCR, tcr);
	mtspr(SPRN_TSR, TSR_FIS);
	irq_enable();
	/* FIT events are the 0->1 transitions of timebase bit 20 in (t0, t1]: one may have been
	 * cleared with FIS just after t0 and one may still be pending at t1, but none may be counted
	 * that did not happen; the DEC's phase is unknown (+-1) */
	u32 want_ticks = (u32)((t1 - t0) / tb_tick);
	u32 want_fits = (u32)(((t1 + (1u << 20)) >> 21) - ((t0 + (1u << 20)) >> 21));
	bool lost = ticks + 1 < want_ticks || ticks > want_ticks + 1 || fits + 2 < want_fits || fits > want_fits;
	u32 uart = irqs - ticks - fits;
	bool ok = !lost && !s.early && !s.wrong_ee && !bad_regs && uart > 0;
	printk("\npvstress: %s: %u iterations, %u ticks (%u expected), %u FIT (%u expected), %u UART interrupts, "
		"%u early, %u wrong EE, %u bad registers\n", ok ? "ok" : "FAILED", batches * 32, ticks, want_ticks, fits, want_fits,
		uart, s.early, s.wrong_ee, bad_regs);
}

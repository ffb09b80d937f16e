/*
 * uic-uart: UIC0 (DCR 0xC0..0xC8) register behaviour per the 4xx UIC chapter (SR write-1-to-
 * clear, SRS, ER, CR, PR, TR, MSR = SR & ER, VR/VCR critical vectors), UART0's THRE and receive
 * (MCR loopback) interrupts delivered through UIC0 input 0 to the external input (MSR[EE]) and,
 * with UIC0_CR set, to the critical input (MSR[CE], CSRR0/1, rfci), and DCR access rules
 * (unimplemented DCR -> Illegal, user mode -> Privileged).
 *
 * While UART interrupts are enabled nothing is printed (printing would itself raise THRE):
 * results are collected first and reported with the UART interrupt sources off.
 */
#include "bare.h"

const char bare_name[] = "uic-uart";

#define U(off) (*(volatile u8 *)(UART0_BASE + (off)))
#define RBR 0
#define IER 1
#define IIR 2
#define FCR 2
#define MCR 4
#define LSR 5

#define IRQ0 UIC_BIT(UART0_UIC_IRQ)
#define SW_A 20      /* inputs without a device on bamboo, driven through SRS */
#define SW_B 25

static void uic_quiet(void)
{
	mtdcr(UIC0_ER, 0);
	mtdcr(UIC0_CR, 0);
	mtdcr(UIC0_TR, 0);
	mtdcr(UIC0_PR, 0xFFFFFFFF);     /* every source active high, as Linux/U-Boot set it */
	mtdcr(UIC0_VCR, 0);
	mtdcr(UIC0_SR, 0xFFFFFFFF);
}

void enable_and_mark(u32 msr);
__asm__(".text\n.globl enable_and_mark\nenable_and_mark:\n"
	"\tlis 4,l_mark@ha\n\taddi 4,4,l_mark@l\n"
	"\tmtspr 26,4\n\tmtspr 27,3\n\trfi\n"
	".globl l_mark\nl_mark:\n\tnop\n\tnop\n\tblr\n");
extern char l_mark[];

/* ------------------------------------------------------------------ UIC registers */

static u32 TESTFN do_mfdcr_bad(u32 a)
{
	__asm__ volatile(AT(l_mfdcr_bad, "mfdcr %0,0x3FF") : "+r"(a) :: "memory");
	return a;
}

static u32 TESTFN do_mtdcr_bad(u32 a)
{
	__asm__ volatile(AT(l_mtdcr_bad, "mtdcr 0x3FF,%0") :: "r"(a) : "memory");
	return a;
}

static u32 TESTFN u_mfdcr(u32 a)
{
	__asm__ volatile(AT(l_u_mfdcr, "mfdcr %0,0xC2") : "+r"(a) :: "memory");
	return a;
}

extern char l_mfdcr_bad[], l_mtdcr_bad[], l_u_mfdcr[];

static void test_uic_regs(void)
{
	msr_set(MSR_ME);
	uic_quiet();

	mtdcr(UIC0_ER, 0x12345678);
	check_eq("uic.er-readback", mfdcr(UIC0_ER), 0x12345678);
	mtdcr(UIC0_ER, 0);
	mtdcr(UIC0_CR, 0x9ABCDEF0);
	check_eq("uic.cr-readback", mfdcr(UIC0_CR), 0x9ABCDEF0);
	mtdcr(UIC0_CR, 0);
	mtdcr(UIC0_TR, 0x0F0F0F0F);
	check_eq("uic.tr-readback", mfdcr(UIC0_TR), 0x0F0F0F0F);
	mtdcr(UIC0_TR, 0);
	mtdcr(UIC0_PR, 0xF0F0FFFF);
	check_eq("uic.pr-readback", mfdcr(UIC0_PR), 0xF0F0FFFF);
	mtdcr(UIC0_PR, 0xFFFFFFFF);
	mtdcr(UIC0_VCR, 0xFFFFFFFF);
	check_eq("uic.vcr-readback", mfdcr(UIC0_VCR), 0xFFFFFFFD);
	mtdcr(UIC0_VCR, 0);
	mtdcr(UIC0_SR, 0xFFFFFFFF);

	/* SRS sets status; MSR = SR & ER; SR is write-1-to-clear (edge inputs) */
	mtdcr(UIC0_TR, UIC_BIT(SW_A) | UIC_BIT(SW_B));
	mtdcr(UIC0_SRS, UIC_BIT(SW_A));
	check_eq("uic.srs-sets-sr", mfdcr(UIC0_SR) & UIC_BIT(SW_A), UIC_BIT(SW_A));
	check_eq("uic.msr-masked-by-er", mfdcr(UIC0_MSR) & UIC_BIT(SW_A), 0);
	mtdcr(UIC0_ER, UIC_BIT(SW_A));      /* MSR[EE] = MSR[CE] = 0: nothing is taken */
	check_eq("uic.msr-is-sr-and-er", mfdcr(UIC0_MSR), UIC_BIT(SW_A));
	mtdcr(UIC0_SR, 0);
	check_eq("uic.sr-write-zero-keeps", mfdcr(UIC0_SR) & UIC_BIT(SW_A), UIC_BIT(SW_A));
	mtdcr(UIC0_SR, UIC_BIT(SW_A));
	check_eq("uic.sr-write-one-clears", mfdcr(UIC0_SR) & UIC_BIT(SW_A), 0);
	mtdcr(UIC0_ER, 0);

	/* critical vector: VR = VCR[VBA] + 512 * (distance of the highest-priority enabled active
	 * critical input from the highest-priority bit); VCR[PRO]=0: bit 0 highest, 1: bit 31 */
	mtdcr(UIC0_CR, UIC_BIT(SW_A) | UIC_BIT(SW_B));
	mtdcr(UIC0_ER, UIC_BIT(SW_A) | UIC_BIT(SW_B));
	mtdcr(UIC0_SRS, UIC_BIT(SW_A) | UIC_BIT(SW_B));
	mtdcr(UIC0_VCR, 0x00ABC000);
	check_eq("uic.vr-pro0", mfdcr(UIC0_VR), 0x00ABC000 + SW_A * 512);
	mtdcr(UIC0_VCR, 0x00ABC001);
	check_eq("uic.vr-pro1", mfdcr(UIC0_VR), 0x00ABC000 + (31 - SW_B) * 512);
	mtdcr(UIC0_SR, UIC_BIT(SW_A));
	mtdcr(UIC0_VCR, 0x00ABC000);
	check_eq("uic.vr-pro0-next", mfdcr(UIC0_VR), 0x00ABC000 + SW_B * 512);
	uic_quiet();

	/* DCR numbers nobody implements: Illegal instruction (section 0 #16: board dependent) */
	exc_clear();
	mtspr(SPR_ESR, 0);
	do_mfdcr_bad(0);
	volatile struct exc_rec *r = exc_one("uic.dcr-unimplemented-mfdcr", IV_PROGRAM);
	check("uic.dcr-unimplemented-mfdcr-esr", r->esr == ESR_PIL && r->srr0 == (u32)l_mfdcr_bad,
	      "ESR %08x SRR0 %08x", r->esr, r->srr0);
	exc_clear();
	do_mtdcr_bad(0);
	r = exc_one("uic.dcr-unimplemented-mtdcr", IV_PROGRAM);
	check("uic.dcr-unimplemented-mtdcr-esr", r->esr == ESR_PIL && r->srr0 == (u32)l_mtdcr_bad,
	      "ESR %08x SRR0 %08x", r->esr, r->srr0);
	/* mfdcr is privileged */
	exc_clear();
	run_as(MSR_PR | MSR_ME, u_mfdcr, 0);
	r = exc_one("uic.dcr-user-privileged", IV_PROGRAM);
	check("uic.dcr-user-privileged-esr", r->esr == ESR_PPR && r->srr0 == (u32)l_u_mfdcr,
	      "ESR %08x SRR0 %08x", r->esr, r->srr0);
}

/* ------------------------------------------------------------------ UART interrupts */

static volatile u32 h_iir, h_rbr, h_lsr, h_sr_after, h_count;

/* External/critical handler for UART0: acknowledge at the UART (IIR read, RBR read when data
 * is ready), then at the UIC (SR write-1-to-clear). */
static int uart_hook(struct exc_frame *f, int action)
{
	(void)f;
	h_count++;
	h_iir = U(IIR);
	h_lsr = U(LSR);
	if (h_lsr & 0x01)
		h_rbr = U(RBR);
	mtdcr(UIC0_SR, IRQ0);
	h_sr_after = mfdcr(UIC0_SR) & IRQ0;
	return action;
}

static void hooks_reset(void)
{
	exc_clear();
	exc_hook[IV_EXTERNAL] = uart_hook;
	exc_hook[IV_CRITICAL] = uart_hook;
	h_iir = h_rbr = h_lsr = h_sr_after = 0xEE;
	h_count = 0;
}

static void uart_off(void)
{
	U(IER) = 0;
	U(MCR) = 0;
	(void)U(IIR);
	while (U(LSR) & 0x01)
		(void)U(RBR);
	mtdcr(UIC0_SR, IRQ0);
}

static void test_uart(void)
{
	/* wait until the greeting has left the transmitter */
	while (!(U(LSR) & 0x40))
		;
	msr_set(MSR_ME);
	uic_quiet();
	U(FCR) = 0;                 /* no FIFOs: IIR bits 6:7 read 0 */
	uart_off();

	/* --- THRE interrupt -> UIC0 input 0 (level, active high) -> external input */
	u32 iir_idle = U(IIR);
	mtdcr(UIC0_ER, IRQ0);
	hooks_reset();
	U(IER) = 0x02;              /* ETBEI with THR empty: THRE interrupt pending */
	u32 sr_thre = mfdcr(UIC0_SR) & IRQ0;
	u32 msr_thre = mfdcr(UIC0_MSR) & IRQ0;
	mtdcr(UIC0_SR, IRQ0);       /* the input is still active: the bit comes back */
	u32 sr_reassert = mfdcr(UIC0_SR) & IRQ0;
	u32 pending_masked = exc_count;
	enable_and_mark(MSR_ME | MSR_EE);
	msr_set(MSR_ME);
	u32 thre_n = exc_count, thre_id = exc_count ? exc_log[0].id : 99;
	u32 thre_srr0 = exc_count ? exc_log[0].srr0 : 0;
	u32 thre_iir = h_iir, thre_sr_after = h_sr_after;
	uart_off();

	/* --- receive-data interrupt through MCR loopback */
	hooks_reset();
	U(MCR) = 0x10;              /* loopback: THR -> RBR, nothing leaves the UART */
	U(IER) = 0x01;              /* ERBFI */
	U(RBR) = 'Z';
	u32 lsr_rx = U(LSR) & 0x01;
	enable_and_mark(MSR_ME | MSR_EE);
	msr_set(MSR_ME);
	u32 rx_n = exc_count, rx_id = exc_count ? exc_log[0].id : 99;
	u32 rx_iir = h_iir, rx_rbr = h_rbr, rx_lsr_after = U(LSR) & 0x01;
	uart_off();

	/* --- the same source routed to the critical input by UIC0_CR */
	hooks_reset();
	mtdcr(UIC0_CR, IRQ0);
	U(IER) = 0x02;
	enable_and_mark(MSR_ME | MSR_CE);
	msr_set(MSR_ME);
	u32 cr_n = exc_count, cr_id = exc_count ? exc_log[0].id : 99;
	u32 cr_cls = exc_count ? exc_log[0].cls : 99, cr_csrr0 = exc_count ? exc_log[0].csrr0 : 0;
	u32 cr_csrr1 = exc_count ? exc_log[0].csrr1 : 0, cr_iir = h_iir;
	uart_off();
	mtdcr(UIC0_CR, 0);

	/* --- edge-triggered input: the status bit stays after the line drops */
	mtdcr(UIC0_ER, 0);
	mtdcr(UIC0_TR, IRQ0);
	mtdcr(UIC0_SR, IRQ0);
	U(IER) = 0x02;              /* rising edge */
	u32 edge_set = mfdcr(UIC0_SR) & IRQ0;
	(void)U(IIR);               /* THRE acknowledged: the line drops */
	u32 edge_latched = mfdcr(UIC0_SR) & IRQ0;
	mtdcr(UIC0_SR, IRQ0);
	u32 edge_cleared = mfdcr(UIC0_SR) & IRQ0;
	uart_off();
	mtdcr(UIC0_TR, 0);

	/* --- polarity: with PR=0 (active low) the idle (low) UART line is an active input */
	mtdcr(UIC0_PR, 0xFFFFFFFF & ~IRQ0);
	u32 pol_low = mfdcr(UIC0_SR) & IRQ0;
	mtdcr(UIC0_PR, 0xFFFFFFFF);
	mtdcr(UIC0_SR, IRQ0);
	u32 pol_high = mfdcr(UIC0_SR) & IRQ0;
	uic_quiet();
	exc_clear();

	/* report */
	check_eq("uart.iir-no-interrupt", iir_idle, 0x01);
	check_eq("uic.uart-thre-sets-sr", sr_thre, IRQ0);
	check_eq("uic.uart-thre-msr", msr_thre, IRQ0);
	check_eq("uic.sr-level-reasserts", sr_reassert, IRQ0);
	check("uic.uart-thre-masked-by-ee", pending_masked == 0, "%u interrupts", pending_masked);
	check("uart.thre-external-interrupt", thre_n == 1 && thre_id == IV_EXTERNAL &&
	      thre_srr0 == (u32)l_mark, "%u interrupts, id %u SRR0 %08x", thre_n, thre_id, thre_srr0);
	check_eq("uart.thre-iir", thre_iir, 0x02);
	check_eq("uic.uart-acked-sr-clear", thre_sr_after, 0);
	check_eq("uart.loopback-data-ready", lsr_rx, 1);
	check("uart.rx-external-interrupt", rx_n == 1 && rx_id == IV_EXTERNAL, "%u interrupts, id %u",
	      rx_n, rx_id);
	check_eq("uart.rx-iir", rx_iir, 0x04);
	check_eq("uart.rx-data", rx_rbr, 'Z');
	check_eq("uart.rx-data-ready-cleared", rx_lsr_after, 0);
	check("uart.thre-critical-interrupt", cr_n == 1 && cr_id == IV_CRITICAL &&
	      cr_cls == CLASS_CRIT && cr_csrr0 == (u32)l_mark && cr_csrr1 == (MSR_ME | MSR_CE),
	      "%u interrupts, id %u class %u CSRR0 %08x CSRR1 %08x", cr_n, cr_id, cr_cls, cr_csrr0,
	      cr_csrr1);
	check_eq("uart.thre-critical-iir", cr_iir, 0x02);
	check("uic.edge-latched", edge_set == IRQ0 && edge_latched == IRQ0 && edge_cleared == 0,
	      "SR bit after edge %x, after the line dropped %x, after clearing %x", edge_set,
	      edge_latched, edge_cleared);
	check("uic.polarity-active-low", pol_low == IRQ0 && pol_high == 0,
	      "SR bit with PR=0 %x, with PR=1 %x (idle line is low)", pol_low, pol_high);
}

int main(void)
{
	test_uic_regs();
	test_uart();
	msr_set(0);
	return 0;
}

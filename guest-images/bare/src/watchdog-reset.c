/*
 * watchdog-reset: the watchdog's final step (UM 7.4). With TCR[WRC] = 0b11 the third expiry
 * (TSR[ENW] = TSR[WIS] = 1 already) requests a system reset, which stops the machine like
 * DBCR0[RST] = 0b11 does (QEMU -no-reboot exits; hv440 stops with reason "watchdog reset").
 * A 440 that follows the manual therefore never prints the DONE line: the expected output ends
 * after the last PASS. If no reset happens within 200000 ticks of the expiry the program says
 * so and stops itself.
 */
#include "bare.h"

const char bare_name[] = "watchdog-reset";

#define BIT 0x00100000   /* TCR[WP] = 0: the 2^21 period, time-base bit of weight 2^20 */

static void set_tbl(u32 v)
{
	mtspr(SPR_TBL_W, v);
	isync();
}

static void wait_until(u32 target, u32 guard)
{
	u32 t0 = tbl();
	while ((s32)(tbl() - target) < 0 && (u32)(tbl() - t0) < guard)
		;
}

/* Crosses the k-th 0->1 transition of the selected bit, starting 3000 ticks before it. */
static void expire(u32 k)
{
	u32 edge = BIT + k * 2 * BIT;
	set_tbl(edge - 3000);
	wait_until(edge + 2000, 100000);
}

int main(void)
{
	msr_set(MSR_ME);
	mtspr(SPR_TCR, TCR_WP(0));
	set_tbl(0);
	mtspr(SPR_TSR, 0xFFFFFFFF);
	check_eq("wdt-reset.tsr-clear", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS | TSR_WRS), 0);

	/* TCR[WRC] can be set by software but not cleared (cleared only by a reset) */
	mtspr(SPR_TCR, TCR_WP(0) | TCR_WRC(3));
	mtspr(SPR_TCR, TCR_WP(0));
	check_eq("wdt-reset.wrc-sticky", mfspr(SPR_TCR) & TCR_WRC_MASK, TCR_WRC(3));
	mtspr(SPR_TCR, TCR_WP(0) | TCR_WRC(3));

	expire(0);
	check_eq("wdt-reset.first-expiry-enw", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS), TSR_ENW);
	expire(1);
	check_eq("wdt-reset.second-expiry-wis", mfspr(SPR_TSR) & (TSR_ENW | TSR_WIS),
		 TSR_ENW | TSR_WIS);
	/* let the lines leave the UART before the reset */
	while (!(*(volatile u8 *)(UART0_BASE + 5) & 0x40))
		;
	expire(2);
	tb_wait(200000);
	check("wdt-reset.third-expiry-resets", 0, "still running after the third expiry (TSR %08x)",
	      mfspr(SPR_TSR));
	mtspr(SPR_TCR, 0);
	return 0;
}

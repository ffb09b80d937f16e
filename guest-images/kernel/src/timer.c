/*
 * The tick: DEC counts down at the timebase rate and reloads itself from DECAR (TCR[ARE]),
 * interrupting every tb_freq / HZ ticks (TCR[DIE]); the handler acknowledges TSR[DIS]. Time of
 * day and monotonic time come from the 64-bit timebase itself, not from counting ticks.
 */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "timer.h"
#include "sched.h"

volatile u64 jiffies;
u32 tb_freq;
static u32 tb_per_tick;
static u64 boot_tb;

void timer_init(u32 hz)
{
	tb_freq = hz;
	tb_per_tick = hz / HZ;
	boot_tb = get_tb();
	mtspr(SPRN_DEC, 0);
	mtspr(SPRN_TSR, TSR_DIS | TSR_FIS | TSR_ENW | TSR_WIS);
	mtspr(SPRN_DECAR, tb_per_tick);
	mtspr(SPRN_TCR, TCR_DIE | TCR_ARE);
	mtspr(SPRN_DEC, tb_per_tick);
	pr_info("clocksource: timebase %u Hz; clockevent: decrementer, HZ=%d (%u ticks, auto-reload)\n", hz, HZ, tb_per_tick);
}

void timer_interrupt(struct pt_regs *regs)
{
	mtspr(SPRN_TSR, TSR_DIS);
	jiffies++;
	sched_tick(user_mode(regs));
}

u64 uptime_tb(void) { return get_tb() - boot_tb; }

u64 tb_to_ns(u64 tb)
{
	u64 sec = tb / tb_freq, rem = tb % tb_freq;
	return sec * 1000000000ull + rem * 1000000000ull / tb_freq;
}

u64 ns_to_tb(u64 ns)
{
	u64 sec = ns / 1000000000ull, rem = ns % 1000000000ull;
	return sec * tb_freq + rem * tb_freq / 1000000000ull;
}

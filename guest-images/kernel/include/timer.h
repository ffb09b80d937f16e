/* The DEC tick and timekeeping from the timebase (timer.c). */
#ifndef TIMER_H
#define TIMER_H
#include "types.h"
struct pt_regs;

#define HZ 250
#define USER_HZ 100          /* times(), AT_CLKTCK */
/* CLOCK_REALTIME at boot: there is no RTC, so a fixed, documented epoch keeps runs
 * deterministic (2009-01-01 00:00:00 UTC). */
#define BOOT_EPOCH 1230768000u

extern volatile u64 jiffies;
extern u32 tb_freq;

void timer_init(u32 tb_hz);
void timer_interrupt(struct pt_regs *regs);
u64 uptime_tb(void);                         /* timebase ticks since boot */
u64 tb_to_ns(u64 tb);
u64 ns_to_tb(u64 ns);
#endif

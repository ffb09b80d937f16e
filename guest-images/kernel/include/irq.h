/* The UICs (irq.c). IRQ numbers: UIC<n> input k = 32 * n + k. */
#ifndef IRQ_H
#define IRQ_H
#include "types.h"
struct pt_regs;

#define NR_IRQS 64
typedef void (*irq_handler_t)(int irq, void *arg);

void irq_init(void);
/* The IRQ of a device node ("interrupts" + "interrupt-parent"); also programs the UIC's trigger
 * and polarity for it. -1 if the node has none or its controller is unknown. */
int irq_of_node(int node);
void irq_register(int irq, irq_handler_t h, void *arg, const char *name);
void do_irq(struct pt_regs *regs);
/* External, decrementer and fixed-interval timer interrupts taken since boot, and the FIT ones
 * alone (pv.c's stress test watches them). */
extern volatile u32 irq_count, fit_count;

/* DCR access by number at run time (the DCR number is part of the mfdcr/mtdcr encoding). */
u32 dcr_read(u32 dcrn);
void dcr_write(u32 dcrn, u32 value);
#endif

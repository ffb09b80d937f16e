/*
 * The Universal Interrupt Controllers. Each "ibm,uic" node gives a controller: its DCR base
 * (dcr-reg), its index (cell-index) and, for a cascaded one, its own "interrupts" on the parent
 * (bamboo: UIC1 on UIC0 inputs 30 and 31). Device interrupt specifiers are <input type> with
 * type 4/8 = level high/low, 1/2 = edge rising/falling; irq_of_node programs TR/PR to match.
 *
 * Dispatch: the external-input handler reads UIC0's masked status, takes the highest priority
 * input (IBM bit 0 first), runs its handler, then acknowledges it in SR (for a level input the
 * status bit would re-assert while the device still holds the line, so the device is served
 * first). A cascade input is dispatched the same way one level down.
 */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "irq.h"
#include "fdt.h"

#define UIC_SR  0
#define UIC_ER  2
#define UIC_CR  3
#define UIC_PR  4
#define UIC_TR  5
#define UIC_MSR 6
#define UIC_VCR 8

#define MAX_UICS 2

struct uic {
	bool present;
	u32 dcr;
	u32 phandle;
	int node;
	int cascade_irq;     /* parent input, or -1 for the root controller */
};

struct irq_desc {
	irq_handler_t handler;
	void *arg;
	const char *name;
	u32 count;
};

static struct uic uics[MAX_UICS];
static struct irq_desc irqs[NR_IRQS];

static inline u32 mask_of(int input) { return 0x80000000u >> input; }

static void uic_write(struct uic *u, int reg, u32 v) { dcr_write(u->dcr + reg, v); }
static u32 uic_read(struct uic *u, int reg) { return dcr_read(u->dcr + reg); }

static void dispatch(struct uic *u, int base);

static void cascade_handler(int irq, void *arg)
{
	struct uic *child = arg;
	dispatch(child, (int)(child - uics) * 32);
}

/* Serve every pending, enabled input of one controller. */
static void dispatch(struct uic *u, int base)
{
	for (;;) {
		u32 pending = uic_read(u, UIC_MSR);
		if (!pending) return;
		int input = __builtin_clz(pending);
		int irq = base + input;
		struct irq_desc *d = &irqs[irq];
		d->count++;
		if (d->handler) d->handler(irq, d->arg);
		else {
			printk("irq %d: no handler, masked\n", irq);
			uic_write(u, UIC_ER, uic_read(u, UIC_ER) & ~mask_of(input));
		}
		uic_write(u, UIC_SR, mask_of(input));
	}
}

void do_irq(struct pt_regs *regs)
{
	if (uics[0].present) dispatch(&uics[0], 0);
}

static struct uic *uic_by_phandle(u32 ph)
{
	for (int i = 0; i < MAX_UICS; i++)
		if (uics[i].present && uics[i].phandle == ph) return &uics[i];
	return NULL;
}

/* Configure trigger/polarity for input `input` of `u` from a specifier's type cell. */
static void set_type(struct uic *u, int input, u32 type)
{
	u32 m = mask_of(input);
	bool edge = (type & 3) != 0;
	bool high = (type & (1 | 4)) != 0;
	uic_write(u, UIC_TR, edge ? uic_read(u, UIC_TR) | m : uic_read(u, UIC_TR) & ~m);
	uic_write(u, UIC_PR, high ? uic_read(u, UIC_PR) | m : uic_read(u, UIC_PR) & ~m);
	uic_write(u, UIC_SR, m);   /* drop anything latched with the old setting */
}

int irq_of_node(int node)
{
	int len;
	const u32 *spec = fdt_prop(node, "interrupts", &len);
	if (!spec || len < 8) return -1;
	struct uic *u = uic_by_phandle(fdt_interrupt_parent(node));
	if (!u || spec[0] >= 32) return -1;
	set_type(u, spec[0], spec[1]);
	return (int)(u - uics) * 32 + spec[0];
}

volatile u32 irq_count, fit_count;

void irq_register(int irq, irq_handler_t h, void *arg, const char *name)
{
	if (irq < 0 || irq >= NR_IRQS) return;
	struct uic *u = &uics[irq / 32];
	u32 f = irq_save();
	irqs[irq].handler = h;
	irqs[irq].arg = arg;
	irqs[irq].name = name;
	uic_write(u, UIC_CR, uic_read(u, UIC_CR) & ~mask_of(irq % 32));   /* non-critical */
	uic_write(u, UIC_ER, uic_read(u, UIC_ER) | mask_of(irq % 32));
	irq_restore(f);
}

void irq_init(void)
{
	/* find the controllers */
	for (int node = fdt_next_compatible(-1, "ibm,uic"); node >= 0; node = fdt_next_compatible(node, "ibm,uic")) {
		u32 idx = 0, ph = 0;
		int len;
		const u32 *dcr = fdt_prop(node, "dcr-reg", &len);
		fdt_prop_u32(node, "cell-index", &idx);
		if (!dcr || len < 4 || idx >= MAX_UICS) continue;
		if (!fdt_prop_u32(node, "phandle", &ph)) fdt_prop_u32(node, "linux,phandle", &ph);
		struct uic *u = &uics[idx];
		u->present = true;
		u->dcr = dcr[0];
		u->phandle = ph;
		u->node = node;
		u->cascade_irq = -1;
		/* everything masked, non-critical, status cleared, no vectors */
		uic_write(u, UIC_ER, 0);
		uic_write(u, UIC_CR, 0);
		uic_write(u, UIC_VCR, 0);
		uic_write(u, UIC_SR, 0xffffffff);
	}
	/* cascades: a controller with its own "interrupts" feeds its parent */
	for (int i = 0; i < MAX_UICS; i++) {
		struct uic *u = &uics[i];
		if (!u->present) continue;
		if (fdt_prop(u->node, "interrupts", NULL)) {
			int irq = irq_of_node(u->node);
			if (irq >= 0) {
				u->cascade_irq = irq;
				irq_register(irq, cascade_handler, u, "cascade");
			}
		}
		if (u->cascade_irq >= 0)
			pr_info("UIC%d (32 IRQ sources) at DCR 0x%x, cascaded on irq %d\n", i, u->dcr, u->cascade_irq);
		else
			pr_info("UIC%d (32 IRQ sources) at DCR 0x%x\n", i, u->dcr);
	}
	if (!uics[0].present) panic("no interrupt controller (ibm,uic) in the device tree");
}

/* Formatted output, the console log, panics and register dumps. */
#include "kernel.h"
#include "ppc.h"
#include "regs.h"
#include "console.h"

bool console_quiet;

static void put(char **p, char *end, char c)
{
	if (*p < end) **p = c;
	(*p)++;
}

static void put_num(char **p, char *end, u64 v, int base, bool upper, bool neg, int width, bool zero, bool left)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + (neg ? 1 : 0);
	if (!left && !zero)
		for (; len < width; width--) put(p, end, ' ');
	if (neg) put(p, end, '-');
	if (!left && zero)
		for (; len < width; width--) put(p, end, '0');
	while (n) put(p, end, tmp[--n]);
	if (left)
		for (; len < width; width--) put(p, end, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char *p = buf, *end = buf + (size ? size - 1 : 0);
	for (; *fmt; fmt++) {
		if (*fmt != '%') { put(&p, end, *fmt); continue; }
		fmt++;
		bool left = false, zero = false;
		for (;; fmt++) {
			if (*fmt == '-') left = true;
			else if (*fmt == '0') zero = true;
			else break;
		}
		int width = 0, prec = -1;
		if (*fmt == '*') { width = va_arg(ap, int); fmt++; }
		while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') { prec = va_arg(ap, int); fmt++; }
			while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0');
		}
		int lng = 0;
		while (*fmt == 'l') { lng++; fmt++; }
		if (*fmt == 'z') fmt++;
		switch (*fmt) {
		case 'd': case 'i': {
			s64 v = lng >= 2 ? va_arg(ap, s64) : va_arg(ap, int);
			put_num(&p, end, v < 0 ? -(u64)v : (u64)v, 10, false, v < 0, width, zero, left);
			break;
		}
		case 'u': case 'x': case 'X': case 'o': {
			u64 v = lng >= 2 ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			int base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			put_num(&p, end, v, base, *fmt == 'X', false, width, zero, left);
			break;
		}
		case 'p':
			put(&p, end, '0');
			put(&p, end, 'x');
			put_num(&p, end, (u32)va_arg(ap, void *), 16, false, false, 8, true, false);
			break;
		case 'c':
			put(&p, end, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s) s = "(null)";
			int n = prec >= 0 ? (int)strnlen(s, prec) : (int)strlen(s);
			if (!left) for (int k = n; k < width; k++) put(&p, end, ' ');
			for (int k = 0; k < n; k++) put(&p, end, s[k]);
			if (left) for (int k = n; k < width; k++) put(&p, end, ' ');
			break;
		}
		case '%':
			put(&p, end, '%');
			break;
		default:
			put(&p, end, '%');
			put(&p, end, *fmt);
			if (!*fmt) fmt--;
		}
	}
	if (size) *(p < end ? p : end) = 0;
	return p - buf;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void vprintk(const char *fmt, va_list ap)
{
	char buf[320];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
	console_write(buf, n);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	if (console_quiet) return;
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* Stop the machine: drain the console, then ask for a system reset through DBCR0[RST], which
 * the bamboo board (QEMU with -no-reboot, hv440) turns into "stop". */
void machine_stop(void)
{
	irq_disable();
	console_flush();
	mtspr(SPRN_DBCR0, DBCR0_RST_SYSTEM);
	for (;;) __asm__ volatile("");
}

void panic(const char *fmt, ...)
{
	static bool in_panic;
	irq_disable();
	console_sync();
	if (!in_panic) {
		in_panic = true;
		va_list ap;
		va_start(ap, fmt);
		char buf[256];
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		printk("Kernel panic - not syncing: %s\n", buf);
	}
	machine_stop();
}

void show_regs(const struct pt_regs *r)
{
	printk("NIP %08x MSR %08x LR %08x CTR %08x XER %08x CR %08x\n", r->nip, r->msr, r->lr, r->ctr, r->xer, r->ccr);
	printk("DEAR %08x ESR %08x TRAP %x\n", r->dear, r->esr, r->trap & 0xff);
	for (int i = 0; i < 32; i += 4)
		printk("GPR%02d: %08x %08x %08x %08x\n", i, r->gpr[i], r->gpr[i + 1], r->gpr[i + 2], r->gpr[i + 3]);
}

/*
 * Bare-metal runtime: polled UART0 output, a tiny printf, check()/report, the TLB helpers, the
 * interrupt dispatcher that records every interrupt, and the DBCR0 exit.
 */
#include "bare.h"

u32 bare_dtb;
u32 bare_pass, bare_fail;

/* ---------------------------------------------------------------- UART */

#define UART_REG(off) (*(volatile u8 *)(UART0_BASE + (off)))
#define LSR_THRE 0x20

/* Lines end with LF only (no CR), so outputs compare byte for byte. */
void uart_putc(int c)
{
	while (!(UART_REG(5) & LSR_THRE))
		;
	UART_REG(0) = (u8)c;
}

/* Nothing prints from interrupt handlers, so lines are never interleaved. */
void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static void out_num(u32 v, int base, int width, int zero, int neg)
{
	char buf[12];
	int n = 0;
	do {
		u32 d = v % base;
		buf[n++] = d < 10 ? '0' + d : 'a' + d - 10;
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (n < width)
		uart_putc(zero ? '0' : ' '), width--;
	while (n)
		uart_putc(buf[--n]);
}

void bvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			uart_putc(*fmt);
			continue;
		}
		fmt++;
		int zero = 0, width = 0;
		if (*fmt == '0')
			zero = 1, fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt) {
		case 's': uart_puts(va_arg(ap, const char *)); break;
		case 'c': uart_putc(va_arg(ap, int)); break;
		case 'd': {
			int v = va_arg(ap, int);
			out_num(v < 0 ? -(u32)v : (u32)v, 10, width, zero, v < 0);
			break;
		}
		case 'u': out_num(va_arg(ap, u32), 10, width, zero, 0); break;
		case 'x': out_num(va_arg(ap, u32), 16, width, zero, 0); break;
		case '%': uart_putc('%'); break;
		case 0: return;
		default: uart_putc('?'); break;
		}
	}
}

void bprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bvprintf(fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- checks */

int check(const char *name, int ok, const char *fmt, ...)
{
	if (ok) {
		bare_pass++;
		bprintf("PASS %s\n", name);
	} else {
		va_list ap;
		bare_fail++;
		bprintf("FAIL %s: ", name);
		va_start(ap, fmt);
		bvprintf(fmt, ap);
		va_end(ap);
		uart_putc('\n');
	}
	return ok;
}

int check_eq(const char *name, u32 got, u32 want)
{
	return check(name, got == want, "got %08x want %08x", got, want);
}

int check_eqm(const char *name, u32 got, u32 want, u32 mask)
{
	return check(name, (got & mask) == (want & mask), "got %08x want %08x (mask %08x)",
		     got & mask, want & mask, mask);
}

void bare_exit(void)
{
	for (;;) {
		mtspr(SPR_DBCR0, DBCR0_RST_SYSTEM);
		isync();
	}
}

void bare_finish(void)
{
	bprintf("DONE %s\n", bare_name);
	/* let the transmitter drain (LSR[TEMT]) before the reset request */
	while (!(UART_REG(5) & 0x40))
		;
	bare_exit();
}

void *memset(void *d, int c, unsigned long n)
{
	u8 *p = d;
	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	u8 *p = d;
	const u8 *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

/* ---------------------------------------------------------------- timebase */

u64 tb_read(void)
{
	u32 hi, lo, hi2;
	do {
		hi = mfspr(SPR_TBU_R);
		lo = mfspr(SPR_TBL_R);
		hi2 = mfspr(SPR_TBU_R);
	} while (hi != hi2);
	return ((u64)hi << 32) | lo;
}

void tb_write(u64 v)
{
	mtspr(SPR_TBL_W, 0);          /* no carry into TBU while writing it */
	mtspr(SPR_TBU_W, (u32)(v >> 32));
	mtspr(SPR_TBL_W, (u32)v);
}

void tb_wait_from(u32 start, u32 ticks)
{
	while ((u32)(tbl() - start) < ticks)
		;
}

/* ---------------------------------------------------------------- TLB */

void tlb_write(int index, u32 w0, u32 w1, u32 w2, u32 tid)
{
	u32 mmucr = mfspr(SPR_MMUCR);
	mtspr(SPR_MMUCR, (mmucr & ~MMUCR_STID_MASK) | (tid & 0xff));
	/* invalidate first, so that no half-written entry is ever valid */
	__asm__ volatile("tlbwe %0,%1,0" :: "r"(0), "r"(index) : "memory");
	__asm__ volatile("tlbwe %0,%1,1" :: "r"(w1), "r"(index) : "memory");
	__asm__ volatile("tlbwe %0,%1,2" :: "r"(w2), "r"(index) : "memory");
	__asm__ volatile("tlbwe %0,%1,0" :: "r"(w0), "r"(index) : "memory");
	isync();
	mtspr(SPR_MMUCR, mmucr);
	isync();
}

void tlb_read(int index, struct tlbe *e)
{
	u32 mmucr = mfspr(SPR_MMUCR);
	__asm__ volatile("tlbre %0,%1,0" : "=r"(e->w0) : "r"(index));
	e->tid = mfspr(SPR_MMUCR) & MMUCR_STID_MASK;
	__asm__ volatile("tlbre %0,%1,1" : "=r"(e->w1) : "r"(index));
	__asm__ volatile("tlbre %0,%1,2" : "=r"(e->w2) : "r"(index));
	mtspr(SPR_MMUCR, mmucr);
	isync();
}

void tlb_inval(int index)
{
	__asm__ volatile("tlbwe %0,%1,0" :: "r"(0), "r"(index) : "memory");
	isync();
}

int tlb_search(u32 ea, u32 sts, u32 stid, u32 *rt)
{
	u32 mmucr = mfspr(SPR_MMUCR), r, cr;
	mtspr(SPR_MMUCR, (mmucr & ~(MMUCR_STID_MASK | MMUCR_STS)) | (sts ? MMUCR_STS : 0) |
		 (stid & 0xff));
	isync();
	__asm__ volatile("li %0,0x5a5a\n\ttlbsx. %0,0,%2\n\tmfcr %1"
			 : "=&r"(r), "=r"(cr) : "r"(ea) : "cr0");
	mtspr(SPR_MMUCR, mmucr);
	isync();
	if (rt)
		*rt = r;
	return (cr & 0x20000000) ? (int)(r & 63) : -1;
}

void tlb_map(int index, u32 ea, u32 erpn, u32 rpn, int size, int ts, u32 tid, u32 attr)
{
	u32 mask = ~(tlb_page_bytes(size) - 1);
	tlb_write(index, (ea & mask) | TLB0_V | (ts ? TLB0_TS : 0) | TLB0_SIZE(size),
		  (rpn & mask) | (erpn & 0xf), attr, tid);
}

/* ---------------------------------------------------------------- interrupts */

volatile struct exc_rec exc_log[EXC_LOG];
volatile int exc_count;
volatile int exc_by_id[32];
volatile u8 exc_action[32];
volatile u32 exc_recover_pc, exc_recover_msr;
exc_hook_t exc_hook[32];
static u32 exc_total;

void exc_clear(void)
{
	for (int i = 0; i < 32; i++) {
		exc_action[i] = EXC_DEFAULT;
		exc_hook[i] = 0;
		exc_by_id[i] = 0;
	}
	exc_count = 0;
	msync();
}

static int default_action(u32 id)
{
	switch (id) {
	case IV_ISI: case IV_ITLB:
		return EXC_LR;
	case IV_SYSCALL: case IV_EXTERNAL: case IV_DEC: case IV_FIT: case IV_WATCHDOG:
	case IV_CRITICAL: case IV_DEBUG:
		return EXC_RESUME;
	default:
		return EXC_SKIP;
	}
}

extern volatile u32 run_as_msr;
void exc_dispatch(struct exc_frame *f);
void exc_dispatch(struct exc_frame *f)
{
	u32 id = f->id & 31;
	u32 sr0 = f->cls == CLASS_NC ? f->srr0 : f->cls == CLASS_CRIT ? f->csrr0 : f->mcsrr0;
	u32 sr1 = f->cls == CLASS_NC ? f->srr1 : f->cls == CLASS_CRIT ? f->csrr1 : f->mcsrr1;

	/* run_as() coming home: not an interrupt of the test */
	if (id == IV_SYSCALL && f->gpr[0] == RUN_AS_MAGIC && sr0 == (u32)run_as_sc + 4) {
		f->ret_pc = (u32)run_as_back;
		f->ret_msr = run_as_msr;
		return;
	}

	int n = exc_count++;
	exc_by_id[id]++;
	if (n < EXC_LOG) {
		volatile struct exc_rec *r = &exc_log[n];
		r->id = f->id;
		r->cls = f->cls;
		r->srr0 = f->srr0;
		r->srr1 = f->srr1;
		r->csrr0 = f->csrr0;
		r->csrr1 = f->csrr1;
		r->mcsrr0 = f->mcsrr0;
		r->mcsrr1 = f->mcsrr1;
		r->esr = f->esr;
		r->dear = f->dear;
		r->msr = f->msr;
		r->mcsr = f->mcsr;
		r->lr = f->lr;
		r->tbl = tbl();
	}

	int action = exc_action[id];
	if (action == EXC_DEFAULT)
		action = default_action(id < 16 ? id : IV_DSI);
	f->ret_msr = sr1;          /* a hook may change it (e.g. clear MSR[WE]) */
	if (exc_hook[id])
		action = exc_hook[id](f, action);

	if (++exc_total > 100000) {
		bprintf("FAIL %s.runaway-interrupts: id %u at %08x\n", bare_name, id, sr0);
		action = EXC_STOP;
	}

	switch (action) {
	case EXC_SKIP:
		f->ret_pc = sr0 + 4;
		break;
	case EXC_RECOVER:
		f->ret_pc = exc_recover_pc;
		f->ret_msr = exc_recover_msr;
		break;
	case EXC_LR:
		f->ret_pc = f->lr;
		break;
	case EXC_STOP:
		bprintf("FAIL %s.stopped: interrupt id %u at %08x\n", bare_name, id, sr0);
		bare_finish();
	case EXC_RESUME:
	default:
		f->ret_pc = sr0;
		break;
	}
}

/* Returned by exc_one() when there is no record: every field reads 0xEEEEEEEE, which no
 * check expects, so dependent checks fail instead of matching zeros. */
static struct exc_rec exc_none = {
	0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE,
	0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE, 0xEEEEEEEE,
};

volatile struct exc_rec *exc_one(const char *name, int id)
{
	int n = exc_count;
	int first = n ? (int)exc_log[0].id : -1;
	check(name, n == 1 && first == id, "%d interrupts, first id %d (want one of id %d)", n,
	      first, id);
	return n ? &exc_log[0] : &exc_none;
}

void exc_install_vectors(void)
{
	mtspr(SPR_IVPR, (u32)exc_vectors);
#define IV(n) mtspr(SPR_IVOR0 + n, EXC_IVOR(n))
	IV(0); IV(1); IV(2); IV(3); IV(4); IV(5); IV(6); IV(7);
	IV(8); IV(9); IV(10); IV(11); IV(12); IV(13); IV(14); IV(15);
#undef IV
	isync();
}

extern char exc_stub_nc[], exc_stub_crit[], exc_stub_mc[];

void exc_install_stub(u32 addr, int id, int cls)
{
	const u32 *src = (const u32 *)(cls == CLASS_NC ? exc_stub_nc :
				       cls == CLASS_CRIT ? exc_stub_crit : exc_stub_mc);
	volatile u32 *dst = (volatile u32 *)addr;
	for (int i = 0; i < 6; i++)
		dst[i] = src[i];
	dst[4] = (src[4] & 0xffff0000) | (u32)id;   /* li r3,id */
	for (u32 a = addr & ~31u; a < addr + 24; a += 32)
		__asm__ volatile("dcbst 0,%0; msync; icbi 0,%0" :: "r"(a) : "memory");
	__asm__ volatile("msync; isync" ::: "memory");
}

/* ---------------------------------------------------------------- start-up */

void bare_init(void);
void bare_init(void)
{
	exc_install_vectors();
	exc_clear();
	/* UART0: 8N1, FIFOs on; the divisor is left as the board set it (QEMU ignores it). */
	UART_REG(3) = 0x03;
	UART_REG(1) = 0x00;
	bprintf("BEGIN %s\n", bare_name);
}

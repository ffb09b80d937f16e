/*
 * 16550 UART console.
 *
 * The port is the device tree's /chosen stdout-path (else the first "ns16550" node); its
 * registers are byte-wide at stride 1. Before uart_init, output is kept in a small buffer; until
 * uart_enable_irq, and after console_sync (panic), characters are written by polling LSR[THRE].
 *
 * Interrupt-driven mode: output goes into a ring buffer; IER[ETBEI] is on while the ring holds
 * data, and the THRE interrupt moves up to 16 bytes (the FIFO depth) per THR-empty event. Input
 * raises the data-ready / timeout interrupt; bytes go into an input ring that tty_read consumes
 * (raw: no echo, no line editing). Kernel messages never sleep: when the ring is full they
 * drain it by polling. User writes sleep until the interrupt handler has made room.
 *
 * '\n' is sent as "\r\n" (the tty's ONLCR).
 */
#include "kernel.h"
#include "ppc.h"
#include "console.h"
#include "fdt.h"
#include "irq.h"
#include "mmu.h"
#include "sched.h"

#define RBR 0
#define THR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6

#define IER_RDI 0x01
#define IER_THRI 0x02
#define LSR_DR 0x01
#define LSR_THRE 0x20

static volatile u8 *uart;
static u32 uart_phys, uart_clock, uart_baud;
static int uart_irq = -1;
static bool irq_mode, sync_mode, thri_on;
static bool at_line_start = true;

#define TX_SIZE 4096
#define RX_SIZE 1024
static char tx_ring[TX_SIZE];
static u32 tx_head, tx_tail;       /* head: next free slot, tail: next byte to send */
static char rx_ring[RX_SIZE];
static u32 rx_head, rx_tail;

static char early_buf[2048];
static u32 early_len;

static inline u8 rd(int r) { return in_8(uart + r); }
static inline void wr(int r, u8 v) { out_8(uart + r, v); }

static inline u32 tx_count(void) { return tx_head - tx_tail; }

static void wait_thre(void)
{
	while (!(rd(LSR) & LSR_THRE))
		;
}

/* THR and the 16-byte FIFO are empty: send up to 16 queued bytes without looking at LSR. */
static void tx_fill_fifo(void)
{
	for (int i = 0; i < 16 && tx_count(); i++) wr(THR, tx_ring[tx_tail++ % TX_SIZE]);
}

static void set_thri(bool on)
{
	if (on == thri_on) return;
	thri_on = on;
	wr(IER, IER_RDI | (on ? IER_THRI : 0));
}

/* Queue one character (EE off). Kernel messages make room by polling the transmitter. */
static void queue_char(char c)
{
	while (tx_count() >= TX_SIZE) {
		wait_thre();
		tx_fill_fifo();
	}
	tx_ring[tx_head++ % TX_SIZE] = c;
}

static u32 expand(const char *s, size_t n, void (*out)(char))
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') out('\r');
		out(s[i]);
		at_line_start = s[i] == '\n';
	}
	return n;
}

/* Polled output, 16 bytes per THR-empty wait. */
static char chunk[16];
static int chunk_len;

static void chunk_flush(void)
{
	if (!chunk_len) return;
	wait_thre();
	for (int i = 0; i < chunk_len; i++) wr(THR, chunk[i]);
	chunk_len = 0;
}

static void chunk_put(char c)
{
	if (chunk_len == 16) chunk_flush();
	chunk[chunk_len++] = c;
}

void console_write(const char *s, size_t n)
{
	if (!uart) {
		for (size_t i = 0; i < n && early_len < sizeof early_buf; i++) early_buf[early_len++] = s[i];
		return;
	}
	u32 f = irq_save();
	if (!irq_mode || sync_mode) {
		expand(s, n, chunk_put);
		chunk_flush();
	} else {
		expand(s, n, queue_char);
		if (tx_count()) set_thri(true);
	}
	irq_restore(f);
}

bool console_at_line_start(void) { return at_line_start; }

void console_flush(void)
{
	if (!uart) return;
	u32 f = irq_save();
	while (tx_count()) {
		wait_thre();
		tx_fill_fifo();
	}
	irq_restore(f);
}

void console_sync(void)
{
	if (!uart) return;
	console_flush();
	sync_mode = true;
}

/* The interrupt: drain IIR's sources one after the other. */
static void uart_interrupt(int irq, void *arg)
{
	for (int loops = 0; loops < 256; loops++) {
		u8 iir = rd(IIR);
		if (iir & 1) break;   /* no interrupt pending */
		switch (iir & 0x0e) {
		case 0x04: case 0x0c:     /* received data, character timeout */
			while (rd(LSR) & LSR_DR) {
				char c = rd(RBR);
				if (rx_head - rx_tail < RX_SIZE) rx_ring[rx_head++ % RX_SIZE] = c;
			}
			wakeup(rx_ring);
			break;
		case 0x02:                /* THR empty */
			tx_fill_fifo();
			if (!tx_count()) set_thri(false);
			wakeup(tx_ring);
			break;
		case 0x06:                /* line status */
			(void)rd(LSR);
			break;
		default:                  /* modem status */
			(void)rd(MSR);
			break;
		}
	}
}

void uart_init(void)
{
	int node = -1;
	int chosen = fdt_path("/chosen");
	const char *path = chosen >= 0 ? fdt_prop_str(chosen, "stdout-path") : NULL;
	if (!path && chosen >= 0) path = fdt_prop_str(chosen, "linux,stdout-path");
	if (path) {
		char p[128];
		strlcpy(p, path, sizeof p);
		char *colon = strchr(p, ':');   /* "path:options" */
		if (colon) *colon = 0;
		node = fdt_path(p);
	}
	if (node < 0) node = fdt_next_compatible(-1, "ns16550");
	if (node < 0) return;
	u64 pa, size;
	if (!fdt_reg(node, 0, &pa, &size)) return;
	uart_phys = (u32)pa;
	uart = ioremap(pa, size ? size : 8);
	if (!uart) return;
	fdt_prop_u32(node, "clock-frequency", &uart_clock);
	if (!fdt_prop_u32(node, "current-speed", &uart_baud)) uart_baud = 115200;
	if (uart_clock && uart_baud) {
		u32 div = (uart_clock + 8 * uart_baud) / (16 * uart_baud);
		wr(LCR, 0x80);
		wr(DLL, div & 0xff);
		wr(DLM, div >> 8);
	}
	wr(LCR, 0x03);            /* 8N1 */
	wr(IER, 0);
	wr(FCR, 0x07);            /* FIFOs on, both reset */
	wr(MCR, 0x0b);            /* DTR, RTS, OUT2 */
	uart_irq = irq_of_node(node);
	expand(early_buf, early_len, chunk_put);
	chunk_flush();
	early_len = 0;
}

void uart_enable_irq(void)
{
	if (!uart) return;
	if (uart_irq >= 0) {
		irq_register(uart_irq, uart_interrupt, NULL, "ttyS0");
		irq_mode = true;
		wr(IER, IER_RDI);
	}
	pr_info("ttyS0 at MMIO 0x%08x (irq = %d, clock %u Hz) is a 16550A, %u baud, %s\n", uart_phys, uart_irq,
		uart_clock, uart_baud, irq_mode ? "interrupt driven" : "polled");
}

long tty_write(const char *buf, size_t n)
{
	if (!uart) return n;
	if (!irq_mode || sync_mode) {
		console_write(buf, n);
		return n;
	}
	u32 f = irq_save();
	for (size_t i = 0; i < n; i++) {
		/* room for "\r\n" */
		while (tx_count() + 2 > TX_SIZE) {
			set_thri(true);
			sleep_on(tx_ring);
		}
		expand(buf + i, 1, queue_char);
	}
	if (tx_count()) set_thri(true);
	irq_restore(f);
	return n;
}

long tty_read(char *buf, size_t n)
{
	if (!n) return 0;
	u32 f = irq_save();
	while (rx_head == rx_tail) {
		if (signal_pending()) { irq_restore(f); return -EINTR; }
		sleep_on(rx_ring);
	}
	size_t k = 0;
	while (k < n && rx_head != rx_tail) {
		char c = rx_ring[rx_tail++ % RX_SIZE];
		buf[k++] = c == '\r' ? '\n' : c;   /* ICRNL */
	}
	irq_restore(f);
	return k;
}

/* ---- tty ioctls: a termios that reads back what was set (the driver itself stays raw) ---- */
#include "ioctl.h"
#include "mmu.h"

struct termios_ppc {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_cc[19];
	u8 c_line;
	u32 c_ispeed, c_ospeed;
} __attribute__((packed));
STATIC_ASSERT(sizeof(struct termios_ppc) == 44);

static struct termios_ppc termios = {
	.c_iflag = 0x0100 | 0x0200,                          /* ICRNL | IXON */
	.c_oflag = 0x0001 | 0x0002,                          /* OPOST | ONLCR */
	.c_cflag = 0x0011 | 0x0300 | 0x0800 | 0x4000 | 0x8000, /* B115200 | CS8 | CREAD | HUPCL | CLOCAL */
	.c_lflag = 0x0080 | 0x0100 | 0x0008 | 0x0002 | 0x0004 | 0x0400 | 0x0040 | 0x0001,
	.c_cc = { 3, 28, 127, 21, 4, 1, 0, 0, 0, 0, 0, 0, 26, 17, 19 },
	.c_ispeed = 115200,
	.c_ospeed = 115200,
};
static u16 winsize[4] = { 24, 80, 0, 0 };

int tty_ioctl(u32 cmd, u32 arg)
{
	switch (cmd) {
	case TCGETS:
		return copy_to_user(arg, &termios, sizeof termios);
	case TCSETS: case TCSETSW: case TCSETSF:
		return copy_from_user(&termios, arg, sizeof termios);
	case TIOCGWINSZ:
		return copy_to_user(arg, winsize, sizeof winsize);
	case TIOCSWINSZ:
		return copy_from_user(winsize, arg, sizeof winsize);
	case TIOCGPGRP: {
		u32 pgrp = 1;
		return copy_to_user(arg, &pgrp, 4);
	}
	case TIOCSPGRP:
		return 0;
	case FIONREAD: {
		u32 n = rx_head - rx_tail;
		return copy_to_user(arg, &n, 4);
	}
	default:
		return -ENOTTY;
	}
}

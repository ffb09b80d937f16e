/* The console: UART0 (or the device tree's stdout-path), interrupt driven once irq_init has run. */
#ifndef CONSOLE_H
#define CONSOLE_H
#include "types.h"

void console_write(const char *s, size_t n);   /* kernel messages: never sleeps */
void console_flush(void);                      /* send everything queued (polling) */
void console_sync(void);                       /* from now on polled, unbuffered (panic) */
bool console_at_line_start(void);
void uart_init(void);                          /* probe from the device tree; polled output */
void uart_enable_irq(void);                    /* switch to interrupt-driven TX/RX */
/* The tty as a file: user output may sleep while the ring is full; reads sleep for input. */
long tty_write(const char *buf, size_t n);
long tty_read(char *buf, size_t n);
#endif

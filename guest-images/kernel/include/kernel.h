/* Kernel-wide declarations: console output, panics, the string library, boot parameters. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include "types.h"
#include "errno.h"

#define KERNEL_NAME    "hv440-kernel"
#define KERNEL_VERSION "0.1"
#define UTS_RELEASE    "6.1.0-hv440"   /* what uname() reports: a Linux-compatible ABI */

struct pt_regs;

/* printk.c */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF(3, 4);
void printk(const char *fmt, ...) PRINTF(1, 2);       /* always printed */
void pr_info(const char *fmt, ...) PRINTF(1, 2);      /* boot chatter: not with `quiet` */
NORETURN void panic(const char *fmt, ...) PRINTF(1, 2);
void show_regs(const struct pt_regs *regs);
NORETURN void machine_stop(void);
extern bool console_quiet;

/* lib.c */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);   /* gcc may call it (freestanding contract) */
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *d, const char *s, size_t size);
void zero_page(void *page);
void copy_page(void *dst, const void *src);
void flush_icache_range(u32 start, u32 end);

/* main.c: the kernel command line */
struct bootparams {
	char cmdline[512];
	const char *init;          /* init=PATH (default /sbin/init) */
	int run_argc;              /* run=PATH ARGS...: handed to init as its arguments */
	char *run_argv[16];
	bool quiet;
	bool nopv;                 /* nopv: do not use a hypervisor's paravirtual interface */
	u32 pvstress_ms;           /* pvstress=MS: run pv.c's EE stress test for MS ms before init */
	u32 mem_bytes;             /* RAM size from /memory */
	u32 tb_freq;               /* timebase-frequency from the cpu node */
	u32 cpu_freq;
	const char *model;
	const char *cpu_name;
};
extern struct bootparams boot;

#define BUG_ON(c) do { if (unlikely(c)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)

#endif

/*
 * hello: the smallest self-test. Keeps the boot TLB exactly as QEMU's bamboo -kernel boot
 * leaves it (the UART at 0xEF600300 is reached through boot entry #1), prints a greeting with
 * polled UART0 writes, and stops with DBCR0[RST] = 0b11.
 */
#include "bare.h"

const char bare_name[] = "hello";
const int bare_keep_boot_tlb = 1;

int main(void)
{
	bprintf("Hello from a bare-metal PowerPC 440 (PVR %08x)\n", mfspr(SPR_PVR));
	check("hello.uart", 1, "");
	return 0;
}

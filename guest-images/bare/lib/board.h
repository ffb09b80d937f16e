/*
 * Board constants for the bare-metal self-tests (bamboo, 440EP/440EPx, all at ERPN 0).
 * Usable from C and from assembler (.S) files.
 *
 * The virtio-mmio block device does not exist on QEMU's bamboo; it is the hv440 emulator's
 * addition. Its address and UIC input are defined here only, so both are easy to move.
 */
#ifndef BARE_BOARD_H
#define BARE_BOARD_H

/* 16550 UARTs (byte registers, stride 1). QEMU bamboo creates UART0 and UART1. */
#define UART0_BASE        0xEF600300
#define UART1_BASE        0xEF600400
#define UART0_UIC_IRQ     0           /* UIC0 input 0 */

/* The 4 KiB page that holds the UARTs (mapped I|G, supervisor R/W, by crt0 as TLB entry 1). */
#define IO_PAGE_BASE      0xEF600000

/* UIC0 (DCR base). Input n <-> mask 0x80000000 >> n. */
#define UIC0_DCR_BASE     0xC0

/* virtio-mmio (version 2) block device: hv440 only (not on QEMU bamboo). */
#define VIRTIO_BLK_BASE   0xEF680000
#define VIRTIO_BLK_UIC_IRQ 24         /* UIC0 input 24 */

/* Where QEMU (and hv440) put the device tree blob with -kernel; r3 at entry. */
#define DTB_ADDR          0x01800000

/* Physical RAM the tests assume (QEMU bamboo default -m 128). */
#define RAM_SIZE          0x08000000

#endif

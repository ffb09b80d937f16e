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
#define UIC0_SR           0xC0        /* status, write 1 to clear */
#define UIC0_SRS          0xC1        /* status set */
#define UIC0_ER           0xC2        /* enable */
#define UIC0_CR           0xC3        /* 1 = critical output */
#define UIC0_PR           0xC4        /* polarity */
#define UIC0_TR           0xC5        /* 1 = edge triggered */
#define UIC0_MSR          0xC6        /* masked status (SR & ER), read only */
#define UIC0_VR           0xC7        /* vector */
#define UIC0_VCR          0xC8        /* vector configuration */
#define UIC_BIT(n)        (0x80000000u >> (n))

/* virtio-mmio (version 2) block device: hv440 only (not on QEMU bamboo). */
#define VIRTIO_BLK_BASE   0xEF680000
#define VIRTIO_BLK_UIC_IRQ 24         /* UIC0 input 24 */

/* Where QEMU (and hv440) put the device tree blob with -kernel; r3 at entry. */
#define DTB_ADDR          0x01800000

/* Physical RAM the tests assume (QEMU bamboo default -m 128). */
#define RAM_SIZE          0x08000000

#endif

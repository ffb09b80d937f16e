/*
 * PPC440 register numbers and bit masks used by the bare-metal tests (IBM numbering turned
 * into 32-bit masks; see /work/shared/reference/ppc440.md sections 1-4). C and assembler.
 */
#ifndef BARE_PPC440_H
#define BARE_PPC440_H

/* SPR numbers */
#define SPR_XER     1
#define SPR_LR      8
#define SPR_CTR     9
#define SPR_DEC     22
#define SPR_SRR0    26
#define SPR_SRR1    27
#define SPR_PID     48
#define SPR_DECAR   54
#define SPR_CSRR0   58
#define SPR_CSRR1   59
#define SPR_DEAR    61
#define SPR_ESR     62
#define SPR_IVPR    63
#define SPR_USPRG0  256
#define SPR_SPRG4R  260
#define SPR_TBL_R   268
#define SPR_TBU_R   269
#define SPR_SPRG0   272
#define SPR_SPRG1   273
#define SPR_SPRG2   274
#define SPR_SPRG3   275
#define SPR_SPRG4   276
#define SPR_SPRG5   277
#define SPR_SPRG6   278
#define SPR_SPRG7   279
#define SPR_TBL_W   284
#define SPR_TBU_W   285
#define SPR_PIR     286
#define SPR_PVR     287
#define SPR_DBSR    304
#define SPR_DBCR0   308
#define SPR_TSR     336
#define SPR_TCR     340
#define SPR_IVOR0   400
#define SPR_MCSRR0  570
#define SPR_MCSRR1  571
#define SPR_MCSR    572
#define SPR_CCR1    888
#define SPR_MMUCR   946
#define SPR_CCR0    947

/* MSR */
#define MSR_WE      0x00040000
#define MSR_CE      0x00020000
#define MSR_EE      0x00008000
#define MSR_PR      0x00004000
#define MSR_FP      0x00002000
#define MSR_ME      0x00001000
#define MSR_FE0     0x00000800
#define MSR_DWE     0x00000400
#define MSR_DE      0x00000200
#define MSR_FE1     0x00000100
#define MSR_IS      0x00000020
#define MSR_DS      0x00000010

/* ESR */
#define ESR_MCI     0x80000000
#define ESR_PIL     0x08000000
#define ESR_PPR     0x04000000
#define ESR_PTR     0x02000000
#define ESR_FP      0x01000000
#define ESR_ST      0x00800000
#define ESR_DLK     0x00200000
#define ESR_ILK     0x00100000
#define ESR_AP      0x00080000
#define ESR_PUO     0x00040000
#define ESR_BO      0x00020000
#define ESR_PIE     0x00010000

/* TCR / TSR */
#define TCR_WP_MASK 0xC0000000
#define TCR_WP(n)   ((n) << 30)
#define TCR_WRC_MASK 0x30000000
#define TCR_WRC(n)  ((n) << 28)
#define TCR_WIE     0x08000000
#define TCR_DIE     0x04000000
#define TCR_FP_MASK 0x03000000
#define TCR_FP(n)   ((n) << 24)
#define TCR_FIE     0x00800000
#define TCR_ARE     0x00400000
#define TSR_ENW     0x80000000
#define TSR_WIS     0x40000000
#define TSR_WRS     0x30000000
#define TSR_DIS     0x08000000
#define TSR_FIS     0x04000000

/* DBCR0 */
#define DBCR0_RST_SYSTEM 0x30000000

/* MCSR (UM ch.6) */
#define MCSR_MCS    0x80000000
#define MCSR_IB     0x40000000
#define MCSR_DRB    0x20000000
#define MCSR_DWB    0x10000000
#define MCSR_TLBP   0x08000000

/* TLB word 0 */
#define TLB0_EPN_MASK 0xFFFFFC00
#define TLB0_V      0x00000200
#define TLB0_TS     0x00000100
#define TLB0_SIZE(n) ((n) << 4)
#define TLB0_SIZE_MASK 0x000000F0
#define TLB_1K      0
#define TLB_4K      1
#define TLB_16K     2
#define TLB_64K     3
#define TLB_256K    4
#define TLB_1M      5
#define TLB_16M     7
#define TLB_256M    9
/* TLB word 1 */
#define TLB1_RPN_MASK 0xFFFFFC00
#define TLB1_ERPN_MASK 0x0000000F
/* TLB word 2 */
#define TLB2_U0     0x00008000
#define TLB2_U1     0x00004000
#define TLB2_U2     0x00002000
#define TLB2_U3     0x00001000
#define TLB2_W      0x00000800
#define TLB2_I      0x00000400
#define TLB2_M      0x00000200
#define TLB2_G      0x00000100
#define TLB2_E      0x00000080
#define TLB2_UX     0x00000020
#define TLB2_UW     0x00000010
#define TLB2_UR     0x00000008
#define TLB2_SX     0x00000004
#define TLB2_SW     0x00000002
#define TLB2_SR     0x00000001
#define TLB2_ALLPERM 0x0000003F

/* MMUCR */
#define MMUCR_STS   0x00010000
#define MMUCR_STID_MASK 0x000000FF

/* Interrupt ids used by the vector helper: 0..15 = IVOR number. */
#define IV_CRITICAL  0
#define IV_MCHECK    1
#define IV_DSI       2
#define IV_ISI       3
#define IV_EXTERNAL  4
#define IV_ALIGN     5
#define IV_PROGRAM   6
#define IV_FPUNAVAIL 7
#define IV_SYSCALL   8
#define IV_APUNAVAIL 9
#define IV_DEC       10
#define IV_FIT       11
#define IV_WATCHDOG  12
#define IV_DTLB      13
#define IV_ITLB      14
#define IV_DEBUG     15

/* Runtime TLB layout (crt0): entry 0 = RAM, 1 = I/O page, 2..7 reserved for the runtime. */
#define TLBI_RAM     0
#define TLBI_IO      1
#define TLBI_VIRTIO  2
#define TLBI_FIRST_FREE 8

#endif

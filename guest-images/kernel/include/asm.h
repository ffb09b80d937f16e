/* Offsets shared between entry.S and C (checked by STATIC_ASSERTs in mmu.c and sched.c). */
#ifndef ASM_H
#define ASM_H

/* struct tlb_state (mmu.c): scratch and state of the TLB miss handlers */
#define TLBS_R9     0
#define TLBS_R11    4
#define TLBS_R12    8
#define TLBS_R13    12
#define TLBS_CR     16
#define TLBS_VEC    20
#define TLBS_VICTIM 24
#define TLBS_NFREE  28
#define TLBS_PGD    32
#define TLBS_TID    36
#define TLBS_SIZE   40

/* struct task (sched.h): the saved kernel stack pointer is the first word */
#define TASK_KSP 0

/* switch_to's frame: back chain, LR save (of the caller), CR, r14..r31 */
#define SWITCH_FRAME 96
#define SWITCH_CR    8
#define SWITCH_GPRS  16
#define SWITCH_LR    (SWITCH_FRAME + 4)

#endif

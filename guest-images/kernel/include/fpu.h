/* Lazy FPU switching (fpu.c). */
#ifndef FPU_H
#define FPU_H
struct task;
struct pt_regs;
struct fp_state;
void fp_unavailable(struct pt_regs *regs);
void fpu_flush(struct task *t);      /* make t->fp current (fork, signal frames) */
void fpu_release(struct task *t);    /* t exits or execs: its live FP state is dead */
void fp_save(struct fp_state *s);    /* entry.S */
void fp_load(const struct fp_state *s);
#endif

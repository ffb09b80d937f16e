/*
 * mac: every multiply-accumulate and multiply-halfword instruction of the 440 (ppc440.md 5.2),
 * plain and record form, on the operands of mac_table.h, printing RT, XER and CR.
 *
 * QEMU 7.2 computes the accumulate forms wrongly (ppc440.md section 0, items 3 and 4), so the
 * expected output (expected/mac.out) is produced by guest-images/tools/mac_model.py from the
 * manual's semantics; expected/mac.qemu.out is what QEMU printed, for reference only.
 */
#include <stdint.h>
#include <stdio.h>

#include "mac_table.h"

typedef struct {
	uint32_t rt, xer, cr;
} res_t;

#define DEF(name, mn)                                                                              \
	static res_t name(uint32_t ra, uint32_t rb, uint32_t rt, uint32_t x)                       \
	{                                                                                          \
		res_t r;                                                                           \
		r.rt = rt;                                                                         \
		__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t" mn " %[rt],%[ra],%[rb]\n\t"   \
				 "mfxer %[xo]\n\tmfcr %[cr]"                                       \
				 : [rt] "+&r"(r.rt), [xo] "=&r"(r.xer), [cr] "=&r"(r.cr)           \
				 : [x] "r"(x), [z] "r"(0), [ra] "r"(ra), [rb] "r"(rb)              \
				 : "xer", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");  \
		return r;                                                                          \
	}
#define DEF_BOTH(n) DEF(f_##n, #n) DEF(f_##n##_rc, #n ".")
MAC_INSNS(DEF_BOTH)

struct insn {
	const char *mn;
	res_t (*fn)(uint32_t, uint32_t, uint32_t, uint32_t);
};
#define TAB_BOTH(n) { #n, f_##n }, { #n ".", f_##n##_rc },
static const struct insn insns[] = { MAC_INSNS(TAB_BOTH) };

#define MAC_VEC(a, b, t) { a, b, t },
static const uint32_t vecs[][3] = { MAC_VECTORS };
#undef MAC_VEC
#define MAC_XER(x) x,
static const uint32_t xers[] = { MAC_XERS };

int main(void)
{
	for (unsigned i = 0; i < sizeof insns / sizeof insns[0]; i++)
		for (unsigned v = 0; v < sizeof vecs / sizeof vecs[0]; v++)
			for (unsigned x = 0; x < sizeof xers / sizeof xers[0]; x++) {
				res_t r = insns[i].fn(vecs[v][0], vecs[v][1], vecs[v][2], xers[x]);
				printf("%-11s ra=%08x rb=%08x rt=%08x x=%08x -> rt=%08x xer=%08x "
				       "cr=%08x\n", insns[i].mn, vecs[v][0], vecs[v][1], vecs[v][2],
				       xers[x], r.rt, r.xer, r.cr);
			}
	printf("mac: done\n");
	return 0;
}

/*
 * intops: the 440's fixed-point instructions on edge operands, each executed by inline asm.
 * Lines print operands and the result, XER and the whole CR in hex (CR starts at 0 unless
 * said otherwise, so any field written by mistake shows up).
 *
 * Lines starting with "UNDEF:" hold values the 440 manual calls undefined (divide by zero,
 * 0x80000000 / -1): they record what QEMU produced; a test should only check that the line
 * exists. The defined parts of those operations (XER) are printed on a normal line.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	uint32_t rt, xer, cr;
} res_t;

#define CR_CLOBBERS "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7"

static const uint32_t vals6[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678 };
#define N6 (sizeof vals6 / sizeof vals6[0])
static const uint32_t xins[] = { 0, 0xe0000000 }; /* XER in: clear, or SO|OV|CA */

static void pr(const char *mn, const char *ops, res_t r)
{
	printf("%-9s %s -> rt=%08x xer=%08x cr=%08x\n", mn, ops, r.rt, r.xer, r.cr);
}

/* ---- XO-form arithmetic: rt = op(ra, rb) and rt = op(ra), in four forms each ---------------- */

#define DEF_AB(id, mn)                                                                            \
	static res_t id(uint32_t a, uint32_t b, uint32_t x)                                       \
	{                                                                                         \
		res_t r;                                                                          \
		__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t" mn " %[rt],%[a],%[b]\n\t"    \
				 "mfxer %[xo]\n\tmfcr %[cr]"                                      \
				 : [rt] "=&r"(r.rt), [xo] "=&r"(r.xer), [cr] "=&r"(r.cr)          \
				 : [x] "r"(x), [z] "r"(0), [a] "r"(a), [b] "r"(b)                 \
				 : "xer", CR_CLOBBERS);                                           \
		return r;                                                                         \
	}
#define DEF_A(id, mn)                                                                             \
	static res_t id(uint32_t a, uint32_t b, uint32_t x)                                       \
	{                                                                                         \
		res_t r;                                                                          \
		(void)b;                                                                          \
		__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t" mn " %[rt],%[a]\n\t"          \
				 "mfxer %[xo]\n\tmfcr %[cr]"                                      \
				 : [rt] "=&r"(r.rt), [xo] "=&r"(r.xer), [cr] "=&r"(r.cr)          \
				 : [x] "r"(x), [z] "r"(0), [a] "r"(a)                             \
				 : "xer", CR_CLOBBERS);                                           \
		return r;                                                                         \
	}
#define FORMS(D, base)                                                                            \
	D(base##_, #base) D(base##_o, #base "o") D(base##_r, #base ".") D(base##_or, #base "o.")
#define TAB(base)                                                                                 \
	{ #base, base##_ }, { #base "o", base##_o }, { #base ".", base##_r }, { #base "o.", base##_or }

FORMS(DEF_AB, add)
FORMS(DEF_AB, addc)
FORMS(DEF_AB, adde)
FORMS(DEF_AB, subf)
FORMS(DEF_AB, subfc)
FORMS(DEF_AB, subfe)
FORMS(DEF_AB, mullw)
FORMS(DEF_AB, divw)
FORMS(DEF_AB, divwu)
FORMS(DEF_A, addme)
FORMS(DEF_A, addze)
FORMS(DEF_A, subfme)
FORMS(DEF_A, subfze)
FORMS(DEF_A, neg)
DEF_AB(mulhw_, "mulhw")
DEF_AB(mulhw_r, "mulhw.")
DEF_AB(mulhwu_, "mulhwu")
DEF_AB(mulhwu_r, "mulhwu.")

typedef res_t (*opfn)(uint32_t, uint32_t, uint32_t);
struct op {
	const char *mn;
	opfn fn;
};

static const struct op binops[] = {
	TAB(add), TAB(addc), TAB(adde), TAB(subf), TAB(subfc), TAB(subfe), TAB(mullw),
	{ "mulhw", mulhw_ }, { "mulhw.", mulhw_r }, { "mulhwu", mulhwu_ }, { "mulhwu.", mulhwu_r },
};
static const struct op unops[] = { TAB(addme), TAB(addze), TAB(subfme), TAB(subfze), TAB(neg) };
static const struct op divops[] = { TAB(divw), TAB(divwu) };

static void test_xo(void)
{
	char ops[64];
	printf("== XO arithmetic (binary)\n");
	for (unsigned o = 0; o < sizeof binops / sizeof binops[0]; o++)
		for (unsigned i = 0; i < N6; i++)
			for (unsigned j = 0; j < N6; j++)
				for (unsigned x = 0; x < 2; x++) {
					snprintf(ops, sizeof ops, "%08x %08x x=%08x", vals6[i],
						 vals6[j], xins[x]);
					pr(binops[o].mn, ops, binops[o].fn(vals6[i], vals6[j], xins[x]));
				}
	printf("== XO arithmetic (unary)\n");
	static const uint32_t uv[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001,
				       0xfffffffe, 0x12345678 };
	for (unsigned o = 0; o < sizeof unops / sizeof unops[0]; o++)
		for (unsigned i = 0; i < sizeof uv / sizeof uv[0]; i++)
			for (unsigned x = 0; x < 2; x++) {
				snprintf(ops, sizeof ops, "%08x x=%08x", uv[i], xins[x]);
				pr(unops[o].mn, ops, unops[o].fn(uv[i], 0, xins[x]));
			}

	printf("== divide\n");
	static const uint32_t dv[] = { 0, 1, 7, 0xfffffff9 /* -7 */, 0x7fffffff, 0x80000000,
				       0xffffffff, 3, 0x12345678 };
	for (unsigned o = 0; o < sizeof divops / sizeof divops[0]; o++) {
		int is_signed = divops[o].mn[4] != 'u';
		for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++)
			for (unsigned j = 0; j < sizeof dv / sizeof dv[0]; j++)
				for (unsigned x = 0; x < 2; x++) {
					uint32_t a = dv[i], b = dv[j];
					res_t r = divops[o].fn(a, b, xins[x]);
					snprintf(ops, sizeof ops, "%08x %08x x=%08x", a, b, xins[x]);
					int undef = b == 0 ||
						    (is_signed && a == 0x80000000 && b == 0xffffffff);
					if (!undef) {
						pr(divops[o].mn, ops, r);
						continue;
					}
					/* RT and CR0[LT,GT,EQ] undefined; XER and CR0[SO] are not */
					printf("%-9s %s -> rt=undef xer=%08x cr=%08x\n", divops[o].mn,
					       ops, r.xer, r.cr & 0x1fffffff);
					printf("UNDEF: %-9s %s -> rt=%08x cr=%08x\n", divops[o].mn, ops,
					       r.rt, r.cr);
				}
	}
}

/* ---- immediate arithmetic -------------------------------------------------------------------- */

#define IMM_OP(mn, a, imm, x)                                                                      \
	({                                                                                         \
		res_t _r;                                                                          \
		__asm__ volatile("mtxer %[xi]\n\tmtcrf 0xff,%[z]\n\t" mn " %[rt],%[ra],%[i]\n\t"   \
				 "mfxer %[xo]\n\tmfcr %[cr]"                                       \
				 : [rt] "=&r"(_r.rt), [xo] "=&r"(_r.xer), [cr] "=&r"(_r.cr)        \
				 : [xi] "r"(x), [z] "r"(0), [ra] "b"(a), [i] "n"(imm)              \
				 : "xer", CR_CLOBBERS);                                            \
		_r;                                                                                \
	})

#define IMM_ALL(mn, imm)                                                                          \
	for (unsigned i = 0; i < N6; i++) {                                                       \
		snprintf(ops, sizeof ops, "%08x %6d x=a0000000", vals6[i], imm);                  \
		pr(mn, ops, IMM_OP(mn, vals6[i], imm, 0xa0000000));                               \
	}
#define IMM_SET(mn)                                                                               \
	IMM_ALL(mn, 0) IMM_ALL(mn, 1) IMM_ALL(mn, -1) IMM_ALL(mn, 32767) IMM_ALL(mn, -32768)      \
		IMM_ALL(mn, 3)

static void test_imm(void)
{
	char ops[64];
	printf("== immediate arithmetic\n");
	IMM_SET("addi")
	IMM_SET("addis")
	IMM_SET("addic")
	IMM_SET("addic.")
	IMM_SET("subfic")
	IMM_SET("mulli")
	/* addi/addis with RA=0 use the literal 0, not r0 */
	uint32_t r1, r2;
	__asm__ volatile("li 0,0x1234\n\taddi %0,0,-5\n\taddis %1,0,0x7abc"
			 : "=&r"(r1), "=&r"(r2)
			 : : "r0");
	printf("addi/addis ra=0: %08x %08x\n", r1, r2);
}

/* ---- logical ------------------------------------------------------------------------------- */

#define LFORMS(base) DEF_AB(base##_, #base) DEF_AB(base##_r, #base ".")
#define LTAB(base) { #base, base##_ }, { #base ".", base##_r }
LFORMS(and)
LFORMS(andc)
LFORMS(nand)
LFORMS(nor)
LFORMS(or)
LFORMS(orc)
LFORMS(xor)
LFORMS(eqv)
LFORMS(slw)
LFORMS(srw)
LFORMS(sraw)
static const struct op logops[] = { LTAB(and), LTAB(andc), LTAB(nand), LTAB(nor),
				    LTAB(or), LTAB(orc), LTAB(xor), LTAB(eqv) };

/* the X-form logical ops are "op ra,rs,rb": DEF_AB's operand order fits (rt := ra) */
#define ULFORMS(base) DEF_A(base##_, #base) DEF_A(base##_r, #base ".")
ULFORMS(cntlzw)
ULFORMS(extsb)
ULFORMS(extsh)
static const struct op unlog[] = { LTAB(cntlzw), LTAB(extsb), LTAB(extsh) };

static void test_logical(void)
{
	char ops[64];
	printf("== logical\n");
	static const uint32_t lv[] = { 0, 0xffffffff, 0xf0f0f0f0, 0x12345678, 0x80000000 };
	enum { NL = sizeof lv / sizeof lv[0] };
	for (unsigned o = 0; o < sizeof logops / sizeof logops[0]; o++)
		for (unsigned i = 0; i < NL; i++)
			for (unsigned j = 0; j < NL; j++) {
				snprintf(ops, sizeof ops, "%08x %08x x=80000000", lv[i], lv[j]);
				pr(logops[o].mn, ops, logops[o].fn(lv[i], lv[j], 0x80000000));
			}
#define LIMM(mn, a, imm)                                                                           \
	do {                                                                                       \
		res_t _q = IMM_OP(mn, a, imm, 0);                                                  \
		snprintf(ops, sizeof ops, "%08x %04x", (uint32_t)(a), (unsigned)(imm));            \
		pr(mn, ops, _q);                                                                   \
	} while (0)
	for (unsigned i = 0; i < NL; i++) {
		LIMM("andi.", lv[i], 0x8001);
		LIMM("andis.", lv[i], 0x8001);
		LIMM("andi.", lv[i], 0);
		LIMM("ori", lv[i], 0xa5a5);
		LIMM("oris", lv[i], 0xa5a5);
		LIMM("xori", lv[i], 0xffff);
		LIMM("xoris", lv[i], 0xffff);
	}
	printf("== cntlzw / extsb / extsh\n");
	static uint32_t cv[40];
	unsigned nc = 0;
	cv[nc++] = 0;
	for (int k = 0; k < 32; k++)
		cv[nc++] = (1u << k) | ((1u << k) >> 1);
	cv[nc++] = 0x0000807f;
	cv[nc++] = 0x00007f80;
	cv[nc++] = 0xffffff80;
	for (unsigned o = 0; o < sizeof unlog / sizeof unlog[0]; o++)
		for (unsigned i = 0; i < nc; i++) {
			snprintf(ops, sizeof ops, "%08x x=80000000", cv[i]);
			pr(unlog[o].mn, ops, unlog[o].fn(cv[i], 0, 0x80000000));
		}
}

/* ---- rotates and shifts ---------------------------------------------------------------------- */

#define REP32A(M, p)                                                                              \
	M(0, p) M(1, p) M(2, p) M(3, p) M(4, p) M(5, p) M(6, p) M(7, p) M(8, p) M(9, p) M(10, p)  \
	M(11, p) M(12, p) M(13, p) M(14, p) M(15, p) M(16, p) M(17, p) M(18, p) M(19, p)          \
	M(20, p) M(21, p) M(22, p) M(23, p) M(24, p) M(25, p) M(26, p) M(27, p) M(28, p)          \
	M(29, p) M(30, p) M(31, p)
#define REP32B(M, p)                                                                              \
	M(0, p) M(1, p) M(2, p) M(3, p) M(4, p) M(5, p) M(6, p) M(7, p) M(8, p) M(9, p) M(10, p)  \
	M(11, p) M(12, p) M(13, p) M(14, p) M(15, p) M(16, p) M(17, p) M(18, p) M(19, p)          \
	M(20, p) M(21, p) M(22, p) M(23, p) M(24, p) M(25, p) M(26, p) M(27, p) M(28, p)          \
	M(29, p) M(30, p) M(31, p)

#define RLWINM(v, sh, mb, me)                                                                      \
	({                                                                                         \
		uint32_t _r;                                                                       \
		__asm__("rlwinm %0,%1,%2,%3,%4" : "=r"(_r) : "r"(v), "n"(sh), "n"(mb), "n"(me));   \
		_r;                                                                                \
	})
#define RLWIMI(ra, v, sh, mb, me)                                                                  \
	({                                                                                         \
		uint32_t _r = (ra);                                                                \
		__asm__("rlwimi %0,%1,%2,%3,%4"                                                    \
			: "+r"(_r)                                                                 \
			: "r"(v), "n"(sh), "n"(mb), "n"(me));                                      \
		_r;                                                                                \
	})

static uint32_t grid[32][32];

#define G_RLWINM_ME(me, mb) grid[mb][me] = RLWINM(v, 5, mb, me);
#define G_RLWINM_MB(mb, _) REP32B(G_RLWINM_ME, mb)
#define G_RLWIMI_ME(me, mb) grid[mb][me] = RLWIMI(0x5a5a5a5a, v, 9, mb, me);
#define G_RLWIMI_MB(mb, _) REP32B(G_RLWIMI_ME, mb)
/* every shift amount with a few mask shapes (plain, middle, wrapped, single bit, wrap-all) */
#define G_SH(sh, _)                                                                               \
	grid[sh][0] = RLWINM(v, sh, 0, 31);                                                       \
	grid[sh][1] = RLWINM(v, sh, 8, 23);                                                       \
	grid[sh][2] = RLWINM(v, sh, 24, 7);                                                       \
	grid[sh][3] = RLWINM(v, sh, 31, 0);                                                       \
	grid[sh][4] = RLWINM(v, sh, 16, 16);                                                      \
	grid[sh][5] = RLWINM(v, sh, 1, 0);                                                        \
	grid[sh][6] = RLWIMI(0xa5a5a5a5, v, sh, 4, 27);                                           \
	grid[sh][7] = RLWIMI(0xa5a5a5a5, v, sh, 28, 3);

static void print_grid(const char *what, int rows, int cols)
{
	for (int i = 0; i < rows; i++) {
		printf("%s %2d:", what, i);
		for (int j = 0; j < cols; j++)
			printf(" %08x", grid[i][j]);
		printf("\n");
	}
}

static uint32_t rlwnm(uint32_t v, uint32_t n, int which)
{
	uint32_t r;
	switch (which) {
	case 0: __asm__("rlwnm %0,%1,%2,0,31" : "=r"(r) : "r"(v), "r"(n)); break;
	case 1: __asm__("rlwnm %0,%1,%2,8,23" : "=r"(r) : "r"(v), "r"(n)); break;
	case 2: __asm__("rlwnm %0,%1,%2,24,7" : "=r"(r) : "r"(v), "r"(n)); break;
	case 3: __asm__("rlwnm %0,%1,%2,31,0" : "=r"(r) : "r"(v), "r"(n)); break;
	default: __asm__("rlwnm %0,%1,%2,12,12" : "=r"(r) : "r"(v), "r"(n)); break;
	}
	return r;
}

static res_t srawi_n(uint32_t v, int n, int rc, uint32_t x);

static void test_rotate(void)
{
	volatile uint32_t vv = 0xdeadbeef;
	uint32_t v = vv;
	printf("== rlwinm sh=5, rs=%08x, row mb, column me\n", v);
	REP32A(G_RLWINM_MB, 0)
	print_grid("rlwinm mb", 32, 32);
	printf("== rlwimi sh=9, rs=%08x, ra=5a5a5a5a, row mb, column me\n", v);
	REP32A(G_RLWIMI_MB, 0)
	print_grid("rlwimi mb", 32, 32);
	printf("== rlwinm/rlwimi every sh, rs=%08x: (0,31) (8,23) (24,7) (31,0) (16,16) (1,0) "
	       "imi(4,27) imi(28,3)\n", v);
	REP32A(G_SH, 0)
	print_grid("rot sh", 32, 8);

	v = vv ^ 0x6c6c6c6c;
	printf("== rlwnm rs=%08x, rb=n (also n+32, n|0xffffffe0): (0,31) (8,23) (24,7) (31,0) "
	       "(12,12)\n", v);
	for (uint32_t n = 0; n < 32; n++) {
		printf("rlwnm n=%2u:", n);
		for (int w = 0; w < 5; w++) {
			uint32_t a = rlwnm(v, n, w), b = rlwnm(v, n + 32, w),
				 c = rlwnm(v, n | 0xffffffe0, w);
			printf(" %08x%s", a, (a == b && a == c) ? "" : "!");
		}
		printf("\n");
	}

	printf("== record-form rotates\n");
	static const uint32_t rv[] = { 0, 0x80000000, 0x00000001, 0x40000000, 0xfffffffe };
	for (unsigned i = 0; i < sizeof rv / sizeof rv[0]; i++)
		for (int so = 0; so < 2; so++) {
			uint32_t x = so ? 0x80000000 : 0, r1, r2, r3, c1, c2, c3, ra = 0x0f0f0f0f;
			__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t"
					 "rlwinm. %[r1],%[v],1,0,31\n\tmfcr %[c1]\n\t"
					 "rlwnm. %[r2],%[v],%[n],0,30\n\tmfcr %[c2]\n\t"
					 "rlwimi. %[r3],%[v],31,0,15\n\tmfcr %[c3]"
					 : [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "+&r"(ra),
					   [c1] "=&r"(c1), [c2] "=&r"(c2), [c3] "=&r"(c3)
					 : [x] "r"(x), [z] "r"(0), [v] "r"(rv[i]), [n] "r"(31)
					 : "xer", CR_CLOBBERS);
			r3 = ra;
			printf("rotate. v=%08x so=%d: rlwinm.=%08x cr=%08x rlwnm.=%08x cr=%08x "
			       "rlwimi.=%08x cr=%08x\n", rv[i], so, r1, c1, r2, c2, r3, c3);
		}

	printf("== slw / srw / sraw: n = 0..63 and counts with high bits; values 80000001 "
	       "7fffffff ffffffff deadbeef\n");
	static const uint32_t sv[] = { 0x80000001, 0x7fffffff, 0xffffffff, 0xdeadbeef };
	static uint32_t counts[72];
	unsigned ncounts = 0;
	for (uint32_t n = 0; n < 64; n++)
		counts[ncounts++] = n;
	counts[ncounts++] = 0x40;
	counts[ncounts++] = 0x41;
	counts[ncounts++] = 0x5f;
	counts[ncounts++] = 0xffffffff;
	counts[ncounts++] = 0x80000001;
	counts[ncounts++] = 0xffffffe0;
	for (unsigned c = 0; c < ncounts; c++) {
		printf("shift n=%08x:", counts[c]);
		for (unsigned i = 0; i < 4; i++) {
			res_t a = slw_(sv[i], counts[c], 0), b = srw_(sv[i], counts[c], 0),
			      s = sraw_(sv[i], counts[c], 0);
			printf(" %08x %08x %08x/%x", a.rt, b.rt, s.rt, s.xer >> 29);
		}
		printf("\n");
	}
	char ops[64];
	static const uint32_t rc_counts[] = { 0, 1, 31, 32, 33 };
	for (unsigned c = 0; c < 5; c++)
		for (unsigned i = 0; i < 4; i++) {
			snprintf(ops, sizeof ops, "%08x n=%2u x=80000000", sv[i], rc_counts[c]);
			pr("slw.", ops, slw_r(sv[i], rc_counts[c], 0x80000000));
			pr("srw.", ops, srw_r(sv[i], rc_counts[c], 0x80000000));
			pr("sraw.", ops, sraw_r(sv[i], rc_counts[c], 0x20000000));
		}
	printf("== srawi n = 0..31 (rt/CA) of 80000001 7fffffff ffffffff deadbeef 00000000\n");
	for (int n = 0; n < 32; n++) {
		printf("srawi n=%2d:", n);
		static const uint32_t wv[] = { 0x80000001, 0x7fffffff, 0xffffffff, 0xdeadbeef, 0 };
		for (unsigned i = 0; i < 5; i++) {
			res_t r = srawi_n(wv[i], n, 0, 0x20000000);
			printf(" %08x/%x", r.rt, r.xer >> 29);
		}
		printf("\n");
	}
	for (int n = 0; n < 32; n += 31) {
		snprintf(ops, sizeof ops, "%08x n=%d x=80000000", 0x80000000u, n);
		pr("srawi.", ops, srawi_n(0x80000000, n, 1, 0x80000000));
		snprintf(ops, sizeof ops, "%08x n=%d x=80000000", 0u, n);
		pr("srawi.", ops, srawi_n(0, n, 1, 0x80000000));
	}
}

#define SRAWI_CASE(n, _)                                                                          \
	case n:                                                                                   \
		if (rc)                                                                           \
			__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\tsrawi. %[rt],%[v]," #n \
					 "\n\tmfxer %[xo]\n\tmfcr %[cr]"                          \
					 : [rt] "=&r"(r.rt), [xo] "=&r"(r.xer), [cr] "=&r"(r.cr)  \
					 : [x] "r"(x), [z] "r"(0), [v] "r"(v)                     \
					 : "xer", CR_CLOBBERS);                                   \
		else                                                                              \
			__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\tsrawi %[rt],%[v]," #n  \
					 "\n\tmfxer %[xo]\n\tmfcr %[cr]"                          \
					 : [rt] "=&r"(r.rt), [xo] "=&r"(r.xer), [cr] "=&r"(r.cr)  \
					 : [x] "r"(x), [z] "r"(0), [v] "r"(v)                     \
					 : "xer", CR_CLOBBERS);                                   \
		break;

static res_t srawi_n(uint32_t v, int n, int rc, uint32_t x)
{
	res_t r = { 0, 0, 0 };
	switch (n) {
		REP32A(SRAWI_CASE, 0)
	}
	return r;
}

/* ---- compares ---------------------------------------------------------------------------------- */

static void test_compare(void)
{
	printf("== cmpw / cmplw into cr0, cr3, cr7 (x = XER in)\n");
	static const uint32_t cv[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe };
	enum { NC = sizeof cv / sizeof cv[0] };
	for (unsigned i = 0; i < NC; i++)
		for (unsigned j = 0; j < NC; j++) {
			uint32_t c[4], x = (i + j) & 1 ? 0x80000000 : 0;
			__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t"
					 "cmpw %[a],%[b]\n\tcmplw 3,%[a],%[b]\n\tcmpw 7,%[b],%[a]\n\t"
					 "mfcr %[c0]\n\tmtcrf 0xff,%[z]\n\t"
					 "cmp 5,0,%[a],%[b]\n\tcmpl 1,0,%[b],%[a]\n\tmfcr %[c1]"
					 : [c0] "=&r"(c[0]), [c1] "=&r"(c[1])
					 : [x] "r"(x), [z] "r"(0), [a] "r"(cv[i]), [b] "r"(cv[j])
					 : "xer", CR_CLOBBERS);
			printf("cmp %08x %08x x=%08x -> cmpw/cmplw3/cmpw7(b,a)=%08x "
			       "cmp5/cmpl1(b,a)=%08x\n", cv[i], cv[j], x, c[0], c[1]);
		}
	printf("== cmpwi / cmplwi (x=80000000)\n");
	for (unsigned i = 0; i < NC; i++) {
		uint32_t c;
		__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t"
				 "cmpwi %[a],0\n\tcmpwi 1,%[a],-1\n\tcmpwi 2,%[a],32767\n\t"
				 "cmpwi 3,%[a],-32768\n\tcmplwi 4,%[a],0\n\tcmplwi 5,%[a],65535\n\t"
				 "cmplwi 6,%[a],1\n\tcmplwi 7,%[a],32768\n\tmfcr %[c]"
				 : [c] "=&r"(c)
				 : [x] "r"(0x80000000), [z] "r"(0), [a] "r"(cv[i])
				 : "xer", CR_CLOBBERS);
		printf("cmpi %08x -> 0/-1/32767/-32768 l:0/65535/1/32768 = %08x\n", cv[i], c);
	}
}

/* ---- CR logical, mcrf, mcrxr, mtcrf/mfcr ------------------------------------------------------ */

#define CRL(mn, bt, ba, bb)                                                                        \
	do {                                                                                       \
		uint32_t _c;                                                                       \
		__asm__ volatile("mtcrf 0xff,%[i]\n\t" mn " " #bt "," #ba "," #bb "\n\tmfcr %[c]"  \
				 : [c] "=&r"(_c)                                                   \
				 : [i] "r"(crinit)                                                 \
				 : CR_CLOBBERS);                                                   \
		printf("%-6s %2d,%2d,%2d: %08x\n", mn, bt, ba, bb, _c);                           \
	} while (0)
/* crinit = 0x5ac3f00f: bit 1 = 1, bit 0 = 0, bit 4 = 1 ... (a,b) = (0,0) (0,1) (1,0) (1,1) */
#define CRL4(mn)                                                                                   \
	CRL(mn, 0, 0, 2);                                                                          \
	CRL(mn, 7, 0, 1);                                                                          \
	CRL(mn, 13, 1, 2);                                                                         \
	CRL(mn, 31, 1, 3);                                                                         \
	CRL(mn, 1, 1, 1);                                                                          \
	CRL(mn, 16, 16, 16)

static void test_cr(void)
{
	const uint32_t crinit = 0x5ac3f00f;
	printf("== CR logical, cr=%08x before\n", crinit);
	CRL4("crand");
	CRL4("crandc");
	CRL4("creqv");
	CRL4("crnand");
	CRL4("crnor");
	CRL4("cror");
	CRL4("crorc");
	CRL4("crxor");
	uint32_t c1, c2, c3;
	__asm__ volatile("mtcrf 0xff,%[i]\n\tmcrf 0,7\n\tmfcr %[a]\n\tmcrf 5,1\n\tmfcr %[b]\n\t"
			 "mcrf 3,3\n\tmfcr %[c]"
			 : [a] "=&r"(c1), [b] "=&r"(c2), [c] "=&r"(c3)
			 : [i] "r"(crinit)
			 : CR_CLOBBERS);
	printf("mcrf 0,7: %08x; 5,1: %08x; 3,3: %08x\n", c1, c2, c3);

	printf("== mcrxr\n");
	static const uint32_t xv[] = { 0, 0x80000000, 0x40000000, 0x20000000, 0xe0000000,
				       0xe000007f, 0x00000045 };
	for (unsigned i = 0; i < sizeof xv / sizeof xv[0]; i++) {
		uint32_t c, x;
		__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[i]\n\tmcrxr 2\n\tmfcr %[c]\n\t"
				 "mfxer %[xo]"
				 : [c] "=&r"(c), [xo] "=&r"(x)
				 : [x] "r"(xv[i]), [i] "r"(0xffffffff)
				 : "xer", CR_CLOBBERS);
		printf("mcrxr 2 xer=%08x (cr=ffffffff) -> cr=%08x xer=%08x\n", xv[i], c, x);
	}

	printf("== mtcrf (cr=12345678, rs=9abcdef0)\n");
#define MTCRF(fxm)                                                                                 \
	do {                                                                                       \
		uint32_t _c;                                                                       \
		__asm__ volatile("mtcrf 0xff,%[i]\n\tmtcrf " #fxm ",%[s]\n\tmfcr %[c]"             \
				 : [c] "=&r"(_c)                                                   \
				 : [i] "r"(0x12345678), [s] "r"(0x9abcdef0)                        \
				 : CR_CLOBBERS);                                                   \
		printf("mtcrf %-4s -> %08x\n", #fxm, _c);                                          \
	} while (0)
	MTCRF(0x00);
	MTCRF(0x01);
	MTCRF(0x80);
	MTCRF(0x3c);
	MTCRF(0xa5);
	MTCRF(0xff);
}

/* ---- dlmzb ------------------------------------------------------------------------------------ */

static void test_dlmzb(void)
{
	printf("== dlmzb / dlmzb. (rs, rb, xer in) -> ra xer cr\n");
	static const uint32_t pairs[][2] = {
		{ 0x00112233, 0x44556677 }, { 0x11002233, 0x44556677 }, { 0x11220033, 0x44556677 },
		{ 0x11223300, 0x44556677 }, { 0x11223344, 0x00556677 }, { 0x11223344, 0x55006677 },
		{ 0x11223344, 0x55660077 }, { 0x11223344, 0x55667700 }, { 0x11223344, 0x55667788 },
		{ 0x00000000, 0x00000000 }, { 0x11223344, 0x00000000 }, { 0x80808080, 0x80808000 },
	};
	static const uint32_t xv[] = { 0, 0x8000007f, 0x60000000 };
	for (unsigned i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		for (unsigned x = 0; x < 3; x++) {
			uint32_t ra1, ra2, x1, x2, c1, c2;
			__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t"
					 "dlmzb %[r1],%[s],%[b]\n\tmfxer %[x1]\n\tmfcr %[c1]\n\t"
					 "mtxer %[x]\n\tdlmzb. %[r2],%[s],%[b]\n\tmfxer %[x2]\n\t"
					 "mfcr %[c2]"
					 : [r1] "=&r"(ra1), [r2] "=&r"(ra2), [x1] "=&r"(x1),
					   [x2] "=&r"(x2), [c1] "=&r"(c1), [c2] "=&r"(c2)
					 : [x] "r"(xv[x]), [z] "r"(0), [s] "r"(pairs[i][0]),
					   [b] "r"(pairs[i][1])
					 : "xer", CR_CLOBBERS);
			printf("dlmzb %08x %08x x=%08x -> ra=%u xer=%08x cr=%08x | dlmzb. ra=%u "
			       "xer=%08x cr=%08x\n", pairs[i][0], pairs[i][1], xv[x], ra1, x1, c1,
			       ra2, x2, c2);
		}
}

/* ---- load/store string and multiple ---------------------------------------------------------- */

static unsigned char src_buf[96] __attribute__((aligned(64)));
static unsigned char dst_buf[96] __attribute__((aligned(64)));

#define PRESET_R5_R12                                                                              \
	"lis 5,0xa5a5\n\tori 5,5,0xa500\n\taddi 6,5,1\n\taddi 7,5,2\n\taddi 8,5,3\n\t"             \
	"addi 9,5,4\n\taddi 10,5,5\n\taddi 11,5,6\n\taddi 12,5,7\n\t"
#define STORE_R5_R12                                                                               \
	"stw 5,0(%[o])\n\tstw 6,4(%[o])\n\tstw 7,8(%[o])\n\tstw 8,12(%[o])\n\t"                    \
	"stw 9,16(%[o])\n\tstw 10,20(%[o])\n\tstw 11,24(%[o])\n\tstw 12,28(%[o])"
#define R5_R12 "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12"

static void print_regs(const char *what, int n, const uint32_t *r)
{
	printf("%s:", what);
	for (int i = 0; i < 8; i++)
		printf(" %08x", r[i]);
	printf(" (n=%d)\n", n);
}

static void print_dst(const char *what, int n)
{
	printf("%s n=%2d:", what, n);
	for (int i = 0; i < 40; i++)
		printf("%s%02x", i % 4 ? "" : " ", dst_buf[i]);
	printf("\n");
}

#define LSWI(nb, enc)                                                                              \
	do {                                                                                       \
		uint32_t _o[8];                                                                    \
		__asm__ volatile(PRESET_R5_R12 "lswi 5,%[s]," #enc "\n\t" STORE_R5_R12            \
				 :                                                                 \
				 : [s] "b"(src_buf + 1), [o] "b"(_o)                               \
				 : R5_R12, "memory");                                              \
		print_regs("lswi r5..r12", nb, _o);                                                \
	} while (0)
#define STSWI(nb, enc)                                                                             \
	do {                                                                                       \
		memset(dst_buf, 0xee, sizeof dst_buf);                                             \
		__asm__ volatile(PRESET_R5_R12 "stswi 5,%[d]," #enc                                \
				 :                                                                 \
				 : [d] "b"(dst_buf + 3)                                            \
				 : R5_R12, "memory");                                              \
		print_dst("stswi dst-3", nb);                                                      \
	} while (0)

static void test_string(void)
{
	for (int i = 0; i < (int)sizeof src_buf; i++)
		src_buf[i] = (unsigned char)(i + 1);
	printf("== lswi from src+1 (src[i] = i+1), r5..r12 preset a5a5a500+i\n");
	LSWI(1, 1);
	LSWI(2, 2);
	LSWI(3, 3);
	LSWI(4, 4);
	LSWI(5, 5);
	LSWI(7, 7);
	LSWI(8, 8);
	LSWI(12, 12);
	LSWI(15, 15);
	LSWI(31, 31);
	LSWI(32, 0);
	printf("== stswi to dst+3 (dst preset ee), r5..r12 = a5a5a500+i\n");
	STSWI(1, 1);
	STSWI(3, 3);
	STSWI(4, 4);
	STSWI(6, 6);
	STSWI(13, 13);
	STSWI(31, 31);
	STSWI(32, 0);

	static const int xcounts[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 31, 32 };
	printf("== lswx from src+2 (ra+rb), count in XER[TBC] (xer also has SO|CA set)\n");
	for (unsigned k = 0; k < sizeof xcounts / sizeof xcounts[0]; k++) {
		uint32_t o[8], xo;
		__asm__ volatile("mtxer %[x]\n\t" PRESET_R5_R12 "lswx 5,%[a],%[b]\n\t"
				 STORE_R5_R12 "\n\tmfxer %[xo]"
				 : [xo] "=&r"(xo)
				 : [x] "r"(0xa0000000 | xcounts[k]), [a] "b"(src_buf),
				   [b] "r"(2), [o] "b"(o)
				 : R5_R12, "xer", "memory");
		if (xcounts[k] == 0) {
			/* a zero byte count leaves RT undefined (the other registers unchanged) */
			printf("UNDEF: lswx n=0 -> rt=%08x\n", o[0]);
			o[0] = 0;
		}
		print_regs("lswx r5..r12", xcounts[k], o);
		if (xo != (0xa0000000u | xcounts[k]))
			printf("lswx changed xer: %08x\n", xo);
	}
	printf("== stswx to dst+1 (ra+rb), count in XER[TBC]\n");
	for (unsigned k = 0; k < sizeof xcounts / sizeof xcounts[0]; k++) {
		memset(dst_buf, 0xee, sizeof dst_buf);
		__asm__ volatile("mtxer %[x]\n\t" PRESET_R5_R12 "stswx 5,%[a],%[b]"
				 :
				 : [x] "r"(xcounts[k]), [a] "b"(dst_buf), [b] "r"(1)
				 : R5_R12, "xer", "memory");
		print_dst("stswx dst-1", xcounts[k]);
	}
	printf("== lswi wrapping from r30 to r0..: lswi 30,src,12\n");
	{
		uint32_t o[3];
		__asm__ volatile("lswi 30,%[s],12\n\t"
				 "stw 30,0(%[o])\n\tstw 31,4(%[o])\n\tstw 0,8(%[o])"
				 :
				 : [s] "b"(src_buf + 5), [o] "b"(o)
				 : "r0", "r30", "r31", "memory");
		printf("lswi wrap: r30=%08x r31=%08x r0=%08x\n", o[0], o[1], o[2]);
	}

	printf("== lmw / stmw\n");
	uint32_t words[8] = { 0x01010101, 0x02020202, 0x03030303, 0x04040404,
			      0x05050505, 0x06060606, 0x07070707, 0x08080808 };
	uint32_t o[8] = { 0 };
	__asm__ volatile("lmw 25,4(%[s])\n\t"
			 "stw 25,0(%[o])\n\tstw 26,4(%[o])\n\tstw 27,8(%[o])\n\tstw 28,12(%[o])\n\t"
			 "stw 29,16(%[o])\n\tstw 30,20(%[o])\n\tstw 31,24(%[o])"
			 :
			 : [s] "b"(words), [o] "b"(o)
			 : "r25", "r26", "r27", "r28", "r29", "r30", "r31", "memory");
	print_regs("lmw r25,4(words)", 7, o);
	uint32_t m[8];
	memset(m, 0xee, sizeof m);
	__asm__ volatile("lis 28,0x1111\n\tori 28,28,0x2222\n\taddi 29,28,1\n\taddi 30,28,2\n\t"
			 "addi 31,28,3\n\tstmw 28,8(%[d])"
			 :
			 : [d] "b"(m)
			 : "r28", "r29", "r30", "r31", "memory");
	print_regs("stmw r28,8(m)", 4, m);
}

/* ---- reservations, byte-reversed, misaligned, update forms ------------------------------------- */

static unsigned char page_buf[8192] __attribute__((aligned(4096)));

static void test_loadstore(void)
{
	printf("== lwarx / stwcx. (xer SO set)\n");
	static uint32_t word __attribute__((aligned(16))) = 0x11111111;
	uint32_t loaded, c1, c2, after1, after2;
	__asm__ volatile("mtxer %[x]\n\tmtcrf 0xff,%[z]\n\t"
			 "lwarx %[l],0,%[p]\n\taddi %[l],%[l],1\n\tstwcx. %[l],0,%[p]\n\t"
			 "mfcr %[c1]\n\tlwz %[a1],0(%[p])\n\t"
			 "li %[a2],0x777\n\tstwcx. %[a2],0,%[p]\n\tmfcr %[c2]\n\tlwz %[a2],0(%[p])"
			 : [l] "=&b"(loaded), [c1] "=&r"(c1), [c2] "=&r"(c2), [a1] "=&r"(after1),
			   [a2] "=&r"(after2)
			 : [x] "r"(0x80000000), [z] "r"(0), [p] "b"(&word)
			 : "xer", "memory", CR_CLOBBERS);
	printf("lwarx+stwcx.: stored=%08x cr=%08x mem=%08x; second stwcx.: cr=%08x mem=%08x\n",
	       loaded, c1, after1, c2, after2);
	/* the usual atomic increment loop */
	for (int i = 0; i < 5; i++) {
		uint32_t t;
		__asm__ volatile("1: lwarx %0,0,%1\n\taddi %0,%0,16\n\tstwcx. %0,0,%1\n\tbne- 1b"
				 : "=&b"(t)
				 : "b"(&word)
				 : "cr0", "memory");
	}
	printf("atomic loop: %08x\n", word);

	printf("== byte-reversed loads/stores\n");
	for (int i = 0; i < 64; i++)
		src_buf[i] = (unsigned char)(0x10 + i);
	for (int off = 0; off < 4; off++) {
		uint32_t h, w;
		__asm__ volatile("lhbrx %0,%2,%3\n\tlwbrx %1,%2,%3"
				 : "=&r"(h), "=&r"(w)
				 : "b"(src_buf), "r"(off)
				 : "memory");
		memset(dst_buf, 0, 16);
		__asm__ volatile("sthbrx %0,%2,%3\n\tstwbrx %1,%2,%4"
				 :
				 : "r"(0xa1b2c3d4), "r"(0x01020304), "b"(dst_buf), "r"(off),
				   "r"(off + 6)
				 : "memory");
		printf("brx off=%d: lhbrx=%08x lwbrx=%08x stores:", off, h, w);
		for (int i = 0; i < 12; i++)
			printf(" %02x", dst_buf[i]);
		printf("\n");
	}

	printf("== misaligned loads/stores across cache lines (32 B) and pages\n");
	for (int i = 0; i < 8192; i++)
		page_buf[i] = (unsigned char)(i * 13 + 7);
	static const unsigned offs[] = { 1, 2, 3, 29, 30, 31, 62, 4093, 4094, 4095 };
	for (unsigned k = 0; k < sizeof offs / sizeof offs[0]; k++) {
		unsigned off = offs[k];
		uint32_t w, h, ha, bb;
		__asm__ volatile("lwzx %0,%4,%5\n\tlhzx %1,%4,%5\n\tlhax %2,%4,%5\n\tlbzx %3,%4,%5"
				 : "=&r"(w), "=&r"(h), "=&r"(ha), "=&r"(bb)
				 : "b"(page_buf), "r"(off)
				 : "memory");
		__asm__ volatile("stwx %0,%2,%3\n\tsthx %1,%2,%4"
				 :
				 : "r"(0xcafef00d), "r"(0xbeef), "b"(page_buf), "r"(off),
				   "r"(off + 8)
				 : "memory");
		printf("off %4u: lwz=%08x lhz=%08x lha=%08x lbz=%08x after stw/sth:", off, w, h, ha,
		       bb);
		for (unsigned i = off - 1; i < off + 13; i++)
			printf(" %02x", page_buf[i]);
		printf("\n");
	}

	printf("== update forms\n");
	{
		uint32_t base = (uint32_t)(uintptr_t)(page_buf + 100), p1 = base, p2 = base,
			 p3 = base, p4 = base, p5 = base;
		uint32_t v1, v2, v3, v4;
		__asm__ volatile("lwzu %[v1],8(%[p1])\n\tlbzu %[v2],-3(%[p2])\n\t"
				 "lhau %[v3],6(%[p3])\n\tlwzux %[v4],%[p4],%[n]\n\t"
				 "stwu %[w],12(%[p5])"
				 : [v1] "=&r"(v1), [v2] "=&r"(v2), [v3] "=&r"(v3), [v4] "=&r"(v4),
				   [p1] "+b"(p1), [p2] "+b"(p2), [p3] "+b"(p3), [p4] "+b"(p4),
				   [p5] "+b"(p5)
				 : [n] "r"(-20), [w] "r"(0x5555aaaa)
				 : "memory");
		printf("lwzu %08x ra+%d; lbzu %08x ra%d; lhau %08x ra+%d; lwzux %08x ra%d; stwu "
		       "ra+%d mem=%02x%02x%02x%02x\n", v1, (int)(p1 - base), v2, (int)(p2 - base),
		       v3, (int)(p3 - base), v4, (int)(p4 - base), (int)(p5 - base), page_buf[112],
		       page_buf[113], page_buf[114], page_buf[115]);
	}

	printf("== tw/twi that must not trap\n");
	{
		uint32_t a = 5, b = 7, m = 0xffffffff;
		/* a=5 b=7 m=-1; TO: 16 lt, 8 gt, 4 eq, 2 lt unsigned, 1 gt unsigned */
		__asm__ volatile("tw 0,%0,%1\n\ttw 4,%0,%1\n\ttw 8,%0,%1\n\ttw 1,%0,%1\n\t"
				 "tw 2,%2,%0\n\ttw 16,%0,%2\n\ttw 12,%0,%1\n\ttw 4,%0,%2\n\t"
				 "tw 17,%0,%2\n\ttw 10,%2,%0\n\t"
				 "twi 0,%0,5\n\ttwi 4,%0,6\n\ttwi 16,%0,-1\n\ttwi 8,%0,5\n\t"
				 "twi 1,%0,5\n\ttwi 2,%0,5\n\ttwi 27,%0,5\n\ttwi 6,%2,4"
				 :
				 : "r"(a), "r"(b), "r"(m));
		(void)m;
	}
	printf("tw/twi not taken: ok\n");
}

int main(void)
{
	test_xo();
	test_imm();
	test_logical();
	test_rotate();
	test_compare();
	test_cr();
	test_dlmzb();
	test_string();
	test_loadstore();
	printf("intops: done\n");
	return 0;
}

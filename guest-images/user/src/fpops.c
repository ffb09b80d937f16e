/*
 * fpops: the 440 FPU through inline asm. Every operation runs as one asm block
 *     mtfsf 0xff,<FPSCR before> ; <op> ; mffs
 * and prints its operands and result as hex bits and the FPSCR after it (low 32 bits of mffs).
 *
 * Where QEMU 7.2 is known to differ from the 440 manual (shared/reference/ppc440.md, section 0),
 * the FPSCR on the normal line has the affected bits cleared, "(mask XXXXXXXX)" says which, and
 * the line after it reads
 *     QEMU-DIVERGES(<items>): <same label> fpscr=<raw value> manual=<value the manual requires>
 * "manual" is derived here from facts the normal lines check (result bits, FI, the exception
 * bits): a faithful 440 prints fpscr == manual; QEMU prints its own raw value.
 *   24  FR is never set by QEMU. Manual FR = inexact and the result differs from the
 *       round-toward-zero result of the same operation (i.e. the fraction was incremented).
 *       FR is not checked after an overflow (left undefined here) and is masked then.
 *   25  FPRF of single-precision results: QEMU classifies the double; a result that is a
 *       single denormal must be classed as denormal.
 *   26  fcmpu/fcmpo clear FI and FR (and fcmpo unordered sets C) in QEMU; they must not.
 *   27  QEMU sets FX again when an exception bit that is already 1 is raised again.
 *   28  mtfsb1 of an exception bit does not set FX in QEMU.
 * Lines starting with "UNDEF:" show bits the architecture leaves undefined (e.g. FPRF after
 * fctiw); a test should only check that the line exists.
 * The estimate instructions (fres, frsqrte) print relations, not bits.
 */
#define _GNU_SOURCE
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef union {
	double d;
	uint64_t u;
} dbits;

/* FPSCR bits */
#define FX 0x80000000u
#define FEX 0x40000000u
#define VX 0x20000000u
#define OX 0x10000000u
#define UX 0x08000000u
#define ZX 0x04000000u
#define XX 0x02000000u
#define VXSNAN 0x01000000u
#define VXISI 0x00800000u
#define VXIDI 0x00400000u
#define VXZDZ 0x00200000u
#define VXIMZ 0x00100000u
#define VXVC 0x00080000u
#define FR 0x00040000u
#define FI 0x00020000u
#define FPRF 0x0001f000u
#define FPRF_C 0x00010000u
#define VXSOFT 0x00000400u
#define VXSQRT 0x00000200u
#define VXCVI 0x00000100u
/* exception bits whose 0->1 transition sets FX */
#define EXC_BITS (OX | UX | ZX | XX | VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | \
		  VXSQRT | VXCVI)

/* interesting doubles, as bits */
#define P0 0x0000000000000000ull
#define N0 0x8000000000000000ull
#define ONE 0x3ff0000000000000ull
#define NONE 0xbff0000000000000ull
#define TWO 0x4000000000000000ull
#define THREE 0x4008000000000000ull
#define NTHREE 0xc008000000000000ull
#define HALF 0x3fe0000000000000ull
#define TEN 0x4024000000000000ull
#define TENTH 0x3fb999999999999aull
#define FIFTH 0x3fc999999999999aull
#define ONEULP 0x3ff0000000000001ull /* 1 + 2^-52 */
#define HULP 0x3ca0000000000000ull   /* 2^-53 */
#define NHULP 0xbca0000000000000ull  /* -2^-53 */
#define TQULP 0x3ca8000000000000ull  /* 1.5 * 2^-53 */
#define MAXD 0x7fefffffffffffffull
#define NMAXD 0xffefffffffffffffull
#define MINN 0x0010000000000000ull
#define NMINN 0x8010000000000000ull
#define DENB 0x000fffffffffffffull /* largest denormal */
#define DMIN 0x0000000000000001ull
#define NDMIN 0x8000000000000001ull
#define PINF 0x7ff0000000000000ull
#define NINF 0xfff0000000000000ull
#define QNAN 0x7ff8000000000123ull
#define QNAN2 0xfff8000000000456ull
#define SNAN1 0x7ff0000000000789ull
#define SNAN2 0xfff4000000000abcull
#define BIG53 0x4340000000000001ull /* 2^53 + 2 */
#define FMAX 0x47efffffe0000000ull  /* FLT_MAX */
#define FMIN 0x3810000000000000ull  /* FLT_MIN, 2^-126 */
#define FDEN 0x3800000000000000ull  /* 2^-127: single denormal */
#define FDMIN 0x36a0000000000000ull /* 2^-149: smallest single denormal */
#define F1P24 0x3ff0000010000000ull /* 1 + 2^-24: halfway between two singles */
#define F1P23 0x3ff0000030000000ull /* 1 + 3*2^-24: halfway, odd */
#define F1PX 0x3ff0000010000001ull  /* just above halfway */

static const char *const rn_name[4] = { "RN", "RZ", "RP", "RM" };

typedef struct {
	uint64_t r;
	uint32_t fpscr;
} fres_t;

typedef fres_t (*fop)(uint64_t a, uint64_t b, uint64_t c, uint32_t pre);

static double D(uint64_t u)
{
	dbits x = { .u = u };
	return x.d;
}

/* one asm block per form: FPSCR <- pre; op; read FPSCR */
#define ASM_OP(text, ...)                                                                          \
	{                                                                                          \
		dbits fi = { .u = pre }, r, fs;                                                    \
		double fa = D(a), fb = D(b), fc = D(c);                                            \
		(void)fa, (void)fb, (void)fc;                                                      \
		__asm__ volatile("mtfsf 0xff,%[fi]\n\t" text "\n\tmffs %[fs]"                      \
				 : [r] "=&f"(r.d), [fs] "=&f"(fs.d)                                \
				 : [fi] "f"(fi.d), __VA_ARGS__);                                   \
		return (fres_t){ r.u, (uint32_t)fs.u };                                            \
	}
#define DEF_AB(id, mn)                                                                             \
	static fres_t id(uint64_t a, uint64_t b, uint64_t c, uint32_t pre)                         \
		ASM_OP(mn " %[r],%[a],%[b]", [a] "f"(fa), [b] "f"(fb))
#define DEF_AC(id, mn)                                                                             \
	static fres_t id(uint64_t a, uint64_t b, uint64_t c, uint32_t pre)                         \
		ASM_OP(mn " %[r],%[a],%[b]", [a] "f"(fa), [b] "f"(fb))
#define DEF_ACB(id, mn)                                                                            \
	static fres_t id(uint64_t a, uint64_t b, uint64_t c, uint32_t pre)                         \
		ASM_OP(mn " %[r],%[a],%[c],%[b]", [a] "f"(fa), [b] "f"(fb), [c] "f"(fc))
#define DEF_B(id, mn)                                                                              \
	static fres_t id(uint64_t a, uint64_t b, uint64_t c, uint32_t pre)                         \
		ASM_OP(mn " %[r],%[a]", [a] "f"(fa))

DEF_AB(op_fadd, "fadd")
DEF_AB(op_fsub, "fsub")
DEF_AC(op_fmul, "fmul")
DEF_AB(op_fdiv, "fdiv")
DEF_AB(op_fadds, "fadds")
DEF_AB(op_fsubs, "fsubs")
DEF_AC(op_fmuls, "fmuls")
DEF_AB(op_fdivs, "fdivs")
DEF_ACB(op_fmadd, "fmadd")
DEF_ACB(op_fmsub, "fmsub")
DEF_ACB(op_fnmadd, "fnmadd")
DEF_ACB(op_fnmsub, "fnmsub")
DEF_ACB(op_fmadds, "fmadds")
DEF_ACB(op_fmsubs, "fmsubs")
DEF_ACB(op_fnmadds, "fnmadds")
DEF_ACB(op_fnmsubs, "fnmsubs")
DEF_B(op_fsqrt, "fsqrt")
DEF_B(op_fsqrts, "fsqrts")
DEF_B(op_frsp, "frsp")
DEF_B(op_fres, "fres")
DEF_B(op_frsqrte, "frsqrte")
DEF_B(op_fabs, "fabs")
DEF_B(op_fnabs, "fnabs")
DEF_B(op_fneg, "fneg")
DEF_B(op_fmr, "fmr")
DEF_ACB(op_fsel, "fsel")

/* fctiw/fctiwz: the integer is the low word of FRT; stfiwx stores exactly that word */
#define DEF_CTI(id, mn)                                                                            \
	static fres_t id(uint64_t a, uint64_t b, uint64_t c, uint32_t pre)                         \
	{                                                                                          \
		dbits fi = { .u = pre }, fs;                                                       \
		uint32_t word = 0xdeadbeef;                                                        \
		double tmp;                                                                        \
		(void)b, (void)c;                                                                  \
		__asm__ volatile("mtfsf 0xff,%[fi]\n\t" mn " %[t],%[a]\n\tmffs %[fs]\n\t"          \
				 "stfiwx %[t],0,%[p]"                                              \
				 : [t] "=&f"(tmp), [fs] "=&f"(fs.d)                                \
				 : [fi] "f"(fi.d), [a] "f"(D(a)), [p] "b"(&word)                   \
				 : "memory");                                                      \
		return (fres_t){ word, (uint32_t)fs.u };                                           \
	}
DEF_CTI(op_fctiw, "fctiw")
DEF_CTI(op_fctiwz, "fctiwz")

static void reset_fpscr(void)
{
	dbits z = { .u = 0 };
	__asm__ volatile("mtfsf 0xff,%0" : : "f"(z.d));
}

static int is_single_denormal(uint64_t r)
{
	unsigned exp = (unsigned)(r >> 52) & 0x7ff;
	return (r << 1) != 0 && exp < 0x381;
}

/*
 * Print one result. rz = the same operation in round-toward-zero (for the FR rule);
 * kind: 'd' double result, 's' single result, 'i' fctiw word.
 */
static void report(const char *label, fres_t o, fres_t rz, char kind, uint32_t pre)
{
	uint32_t raw = o.fpscr, mask = 0, manual = raw;
	char items[32] = "";
	uint32_t newexc = raw & EXC_BITS & ~pre;
	if (raw & OX) {
		mask |= FR; /* FR after an overflow: not checked */
	} else if ((raw & FI) && o.r != rz.r) {
		mask |= FR;
		manual |= FR;
		strcat(items, ",24");
	}
	if (kind == 's' && is_single_denormal(o.r)) {
		mask |= FPRF;
		manual = (manual & ~FPRF) | ((o.r >> 63) ? 0x18000 : 0x14000);
		strcat(items, ",25");
	}
	if (pre & EXC_BITS) {
		/* FX = its old value, or 1 if an exception bit went from 0 to 1 */
		uint32_t fx = (pre & FX) | (newexc ? FX : 0);
		mask |= FX;
		manual = (manual & ~FX) | fx;
		strcat(items, ",27");
	}
	if (kind == 'i')
		mask |= FPRF; /* undefined after fctiw */
	if (kind == 'i')
		printf("%s -> %08x fpscr=%08x", label, (uint32_t)o.r, raw & ~mask);
	else
		printf("%s -> %016llx fpscr=%08x", label, (unsigned long long)o.r, raw & ~mask);
	if (mask)
		printf(" (mask %08x)", mask);
	printf("\n");
	if (items[0]) {
		/* FR after an overflow is not checked here either */
		uint32_t unchecked = (raw & OX) ? FR : 0;
		printf("QEMU-DIVERGES(%s): %s fpscr=%08x manual=%08x\n", items + 1, label, raw & ~unchecked,
		       manual & ~unchecked);
	}
	if (kind == 'i')
		printf("UNDEF: %s -> fpscr=%08x (FPRF is undefined after fctiw)\n", label, raw);
}

struct opdesc {
	const char *mn;
	fop fn;
	char kind;
};

/* ---- binary arithmetic in every rounding mode ------------------------------------------------ */

static const uint64_t pairs[][2] = {
	{ ONE, THREE },	 { NONE, THREE }, { TWO, THREE },  { TENTH, FIFTH }, { ONE, HULP },
	{ ONE, NHULP },	 { ONEULP, HULP }, { ONE, TQULP }, { ONEULP, ONEULP }, { MAXD, MAXD },
	{ MAXD, NMAXD }, { NMAXD, TWO },  { MINN, HALF },  { MINN, NMINN }, { DENB, DMIN },
	{ DMIN, HALF },	 { NDMIN, THREE }, { ONE, P0 },    { NONE, P0 },     { P0, P0 },
	{ P0, N0 },	 { N0, N0 },	  { PINF, NINF },  { PINF, P0 },     { PINF, PINF },
	{ NINF, TWO },	 { QNAN, QNAN2 }, { ONE, QNAN2 },  { SNAN1, QNAN },   { QNAN, SNAN1 },
	{ ONE, SNAN2 },	 { BIG53, ONE },  { FMAX, TWO },   { FMIN, HALF },   { FMIN, TENTH },
	{ FDMIN, HALF }, { FDEN, THREE }, { F1P24, ONE },  { FMIN, NMINN },  { TEN, TENTH },
};

static void test_binary(void)
{
	static const struct opdesc ops[] = {
		{ "fadd", op_fadd, 'd' },   { "fsub", op_fsub, 'd' },	{ "fmul", op_fmul, 'd' },
		{ "fdiv", op_fdiv, 'd' },   { "fadds", op_fadds, 's' }, { "fsubs", op_fsubs, 's' },
		{ "fmuls", op_fmuls, 's' }, { "fdivs", op_fdivs, 's' },
	};
	char label[96];
	printf("== binary arithmetic, every rounding mode (FPSCR before = RN only)\n");
	for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
		for (unsigned p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
			uint64_t a = pairs[p][0], b = pairs[p][1];
			fres_t rz = ops[o].fn(a, b, 0, 1);
			for (uint32_t m = 0; m < 4; m++) {
				snprintf(label, sizeof label, "%-6s %s %016llx %016llx", ops[o].mn,
					 rn_name[m], (unsigned long long)a, (unsigned long long)b);
				report(label, ops[o].fn(a, b, 0, m), rz, ops[o].kind, m);
			}
		}
	reset_fpscr();
}

/* ---- fused multiply-add ------------------------------------------------------------------------ */

static const uint64_t triples[][3] = { /* a, c, b: a*c + b */
	{ ONE, THREE, TENTH },	{ ONEULP, ONEULP, NONE }, { TENTH, TEN, NONE },
	{ MAXD, TWO, NMAXD },	{ PINF, P0, ONE },	   { PINF, ONE, NINF },
	{ QNAN, SNAN1, QNAN2 },	{ ONE, QNAN, SNAN1 },	   { SNAN2, ONE, ONE },
	{ P0, ONE, N0 },	{ N0, ONE, P0 },	   { ONE, ONE, NONE },
	{ DMIN, HALF, P0 },	{ MINN, HALF, DMIN },	   { THREE, THREE, NTHREE },
	{ FMAX, TWO, NONE },	{ FMIN, HALF, P0 },	   { F1P24, ONE, HULP },
	{ TWO, P0, QNAN },
};

/*
 * fnmadd/fnmsub: the architecture rounds a*c+-b and then negates (NaN results keep their sign),
 * so in RP and RM the result is -(fmadd/fmsub in the SAME mode). QEMU 7.2 negates before
 * rounding, which swaps RP and RM. Those lines print the result on a QEMU-DIVERGES line whose
 * manual value is computed here from the positive form, and the FPSCR with FR and FPRF masked
 * (they depend on the rounding direction; FR is never set by QEMU anyway, item 24).
 */
static void report_fnm(const char *label, fres_t o, fres_t pos)
{
	int nan = ((pos.r >> 52) & 0x7ff) == 0x7ff && (pos.r << 12) != 0;
	uint64_t manual = nan ? pos.r : pos.r ^ 0x8000000000000000ull;
	printf("%s -> (result below) fpscr=%08x (mask %08x)\n", label, o.fpscr & ~(FR | FPRF), FR | FPRF);
	printf("QEMU-DIVERGES(fnm-round): %s result=%016llx manual=%016llx\n", label,
	       (unsigned long long)o.r, (unsigned long long)manual);
}

static void test_fma(void)
{
	static const struct opdesc ops[] = {
		{ "fmadd", op_fmadd, 'd' },   { "fmsub", op_fmsub, 'd' },
		{ "fnmadd", op_fnmadd, 'd' }, { "fnmsub", op_fnmsub, 'd' },
		{ "fmadds", op_fmadds, 's' }, { "fmsubs", op_fmsubs, 's' },
		{ "fnmadds", op_fnmadds, 's' }, { "fnmsubs", op_fnmsubs, 's' },
	};
	/* the positive form of each fnm* op (index into ops) */
	static const int positive[] = { -1, -1, 0, 1, -1, -1, 4, 5 };
	char label[112];
	printf("== multiply-add a*c+b, every rounding mode\n");
	for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
		for (unsigned t = 0; t < sizeof triples / sizeof triples[0]; t++) {
			uint64_t a = triples[t][0], c = triples[t][1], b = triples[t][2];
			fres_t rz = ops[o].fn(a, b, c, 1);
			for (uint32_t m = 0; m < 4; m++) {
				snprintf(label, sizeof label, "%-7s %s %016llx %016llx %016llx",
					 ops[o].mn, rn_name[m], (unsigned long long)a,
					 (unsigned long long)c, (unsigned long long)b);
				if (positive[o] >= 0 && m >= 2)
					report_fnm(label, ops[o].fn(a, b, c, m), ops[positive[o]].fn(a, b, c, m));
				else
					report(label, ops[o].fn(a, b, c, m), rz, ops[o].kind, m);
			}
		}
	reset_fpscr();
}

/* ---- one-operand: fsqrt(s), frsp, fctiw(z) ------------------------------------------------------ */

static void test_unary(void)
{
	static const uint64_t sq[] = { P0, N0, ONE, TWO, THREE, TENTH, DENB, DMIN, MAXD, NONE,
				       PINF, NINF, QNAN, SNAN1, NDMIN, FMIN, FDEN };
	static const uint64_t rs[] = { ONE, F1P24, F1P23, F1PX, 0xbff0000010000000ull, TENTH,
				       MAXD, FMAX, 0x47effffff0000000ull, FMIN, FDEN, FDMIN,
				       0x3690000000000000ull, 0x3698000000000000ull, DENB, N0,
				       PINF, NINF, QNAN, SNAN1, 0x7ff0000020000000ull, NMAXD };
	static const uint64_t ci[] = {
		P0, N0, HALF, 0xbfe0000000000000ull /* -0.5 */, 0x3ff8000000000000ull /* 1.5 */,
		0x4004000000000000ull /* 2.5 */, 0xc004000000000000ull /* -2.5 */,
		0x3fdfffffffffffffull /* 0.49999999999999994 */, 0x41dfffffffc00000ull /* 2^31-1 */,
		0x41dfffffffe00000ull /* 2^31-0.5 */, 0x41e0000000000000ull /* 2^31 */,
		0xc1e0000000000000ull /* -2^31 */, 0xc1e0000000100000ull /* -2^31-0.5 */,
		0xc1e0000000200000ull /* -2^31-1 */, 0x4202a05f20000000ull /* 1e10 */,
		0xc202a05f20000000ull, PINF, NINF, QNAN, SNAN1, DMIN, TENTH, NTHREE,
	};
	static const struct opdesc ops[] = {
		{ "fsqrt", op_fsqrt, 'd' }, { "fsqrts", op_fsqrts, 's' }, { "frsp", op_frsp, 's' },
		{ "fctiw", op_fctiw, 'i' }, { "fctiwz", op_fctiwz, 'i' },
	};
	const uint64_t *lists[] = { sq, sq, rs, ci, ci };
	const unsigned counts[] = { sizeof sq / 8, sizeof sq / 8, sizeof rs / 8, sizeof ci / 8,
				    sizeof ci / 8 };
	char label[80];
	printf("== fsqrt, fsqrts, frsp, fctiw, fctiwz, every rounding mode\n");
	for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
		for (unsigned i = 0; i < counts[o]; i++) {
			uint64_t a = lists[o][i];
			fres_t rz = ops[o].fn(a, 0, 0, 1);
			for (uint32_t m = 0; m < 4; m++) {
				snprintf(label, sizeof label, "%-6s %s %016llx", ops[o].mn,
					 rn_name[m], (unsigned long long)a);
				report(label, ops[o].fn(a, 0, 0, m), rz, ops[o].kind, m);
			}
		}
	reset_fpscr();
}

/* ---- estimates: relations only ------------------------------------------------------------------ */

static void test_estimates(void)
{
	printf("== fres / frsqrte: relations for normal inputs, bits for special ones\n");
	static const uint64_t nv[] = { ONE, THREE, TENTH, TEN, NTHREE, 0x4202a05f20000000ull,
				       0x3bc79ca10c924223ull /* 1e-20 */, FMIN, 0x3ff8000000000000ull,
				       0xc0934a4560418937ull /* -1234.5678 */ };
	/* the architecture defines FPRF, FX, OX, UX, ZX, VXSNAN, VXSQRT for the estimates; FR, FI
	 * (and XX, which follows from how exact the estimate is) are implementation-specific */
	const uint32_t defined = FPRF | OX | UX | ZX | VXSNAN | VXSQRT | VX | FEX;
	for (unsigned i = 0; i < sizeof nv / sizeof nv[0]; i++) {
		double x = D(nv[i]);
		fres_t e = op_fres(nv[i], 0, 0, 0);
		double est = D(e.r), err = fabs(x * est - 1.0);
		printf("fres %016llx: sign ok=%d |x*est-1| < 2^-8: %s  fpscr&defined=%08x\n",
		       (unsigned long long)nv[i], (e.r >> 63) == (nv[i] >> 63),
		       err < 1.0 / 256 ? "yes" : "NO", e.fpscr & defined);
		if (x > 0) {
			fres_t s = op_frsqrte(nv[i], 0, 0, 0);
			double r = D(s.r), err2 = fabs(r * r * x - 1.0);
			printf("frsqrte %016llx: positive=%d |est^2*x-1| < 2^-4: %s  "
			       "fpscr&defined=%08x\n", (unsigned long long)nv[i], (s.r >> 63) == 0,
			       err2 < 1.0 / 16 ? "yes" : "NO", s.fpscr & defined);
		}
	}
	reset_fpscr();
	static const uint64_t sv[] = { P0, N0, PINF, NINF, QNAN, SNAN1, NONE };
	for (unsigned i = 0; i < sizeof sv / sizeof sv[0]; i++) {
		fres_t e = op_fres(sv[i], 0, 0, 0), s = op_frsqrte(sv[i], 0, 0, 0);
		if ((sv[i] << 1) == 0) {
			/* fres(+-0) = +-inf with ZX (FPRF +-inf); QEMU returns +-0.5 on purpose */
			uint64_t inf = (sv[i] & N0) | PINF;
			uint32_t fpm = ZX | FX | ((sv[i] & N0) ? 0x9000 : 0x5000);
			printf("fres special %016llx -> (see next line) fpscr&defined=%08x "
			       "(mask 0001f000)\n", (unsigned long long)sv[i],
			       e.fpscr & (defined | FX) & ~FPRF);
			printf("QEMU-DIVERGES(fres0): fres special %016llx result/fpscr=%016llx/%08x "
			       "manual=%016llx/%08x\n", (unsigned long long)sv[i],
			       (unsigned long long)e.r, e.fpscr & (defined | FX),
			       (unsigned long long)inf, fpm);
		} else {
			printf("fres special %016llx -> %016llx fpscr&defined=%08x\n",
			       (unsigned long long)sv[i], (unsigned long long)e.r,
			       e.fpscr & (defined | FX));
		}
		printf("frsqrte special %016llx -> %016llx fpscr&defined=%08x\n",
		       (unsigned long long)sv[i], (unsigned long long)s.r, s.fpscr & (defined | FX));
	}
	/* results that leave the single range: fres overflows, frsqrte does not */
	fres_t e = op_fres(MINN, 0, 0, 0), s = op_frsqrte(MINN, 0, 0, 0);
	double r = D(s.r) * 0x1p-511;
	printf("fres %016llx -> %016llx fpscr&defined=%08x; frsqrte -> 2^511 within 1/32: %s "
	       "fpscr&defined=%08x\n", (unsigned long long)MINN, (unsigned long long)e.r,
	       e.fpscr & (defined | FX), fabs(r - 1.0) < 1.0 / 32 ? "yes" : "NO",
	       s.fpscr & defined);
	reset_fpscr();
}

/* ---- fsel and the sign ops ------------------------------------------------------------------- */

static void test_select_sign(void)
{
	printf("== fsel a,c,b (FPSCR before = 00000003 and must not change)\n");
	static const uint64_t av[] = { ONE, NONE, P0, N0, PINF, NINF, QNAN, SNAN1, NDMIN, DMIN };
	for (unsigned i = 0; i < sizeof av / sizeof av[0]; i++) {
		fres_t r = op_fsel(av[i], TWO, THREE, 3);
		printf("fsel %016llx -> %016llx fpscr=%08x\n", (unsigned long long)av[i],
		       (unsigned long long)r.r, r.fpscr);
	}
	printf("== fabs fnabs fneg fmr (FPSCR before = 00000001)\n");
	static const uint64_t sv[] = { ONE, N0, P0, NINF, QNAN, QNAN2, SNAN1, SNAN2, NDMIN };
	for (unsigned i = 0; i < sizeof sv / sizeof sv[0]; i++) {
		fres_t a = op_fabs(sv[i], 0, 0, 1), n = op_fnabs(sv[i], 0, 0, 1),
		       g = op_fneg(sv[i], 0, 0, 1), m = op_fmr(sv[i], 0, 0, 1);
		printf("sign %016llx: fabs=%016llx fnabs=%016llx fneg=%016llx fmr=%016llx "
		       "fpscr=%08x %08x %08x %08x\n", (unsigned long long)sv[i],
		       (unsigned long long)a.r, (unsigned long long)n.r, (unsigned long long)g.r,
		       (unsigned long long)m.r, a.fpscr, n.fpscr, g.fpscr, m.fpscr);
	}
	reset_fpscr();
}

/* ---- compares ------------------------------------------------------------------------------------ */

static void test_compare(void)
{
	printf("== fcmpu/fcmpo into cr1 and cr6 (FPSCR before: 0, then FX|XX|FR|FI|C)\n");
	static const uint64_t cv[][2] = { { ONE, TWO }, { TWO, ONE }, { P0, N0 }, { NINF, PINF },
					  { QNAN, ONE }, { ONE, SNAN1 }, { DMIN, P0 } };
	static const uint32_t pres[] = { 0, FX | XX | FR | FI | FPRF_C };
	for (unsigned p = 0; p < 2; p++)
		for (unsigned i = 0; i < sizeof cv / sizeof cv[0]; i++)
			for (int ordered = 0; ordered < 2; ordered++) {
				dbits fi = { .u = pres[p] }, fs;
				uint32_t cr;
				double a = D(cv[i][0]), b = D(cv[i][1]);
				if (ordered)
					__asm__ volatile("mtfsf 0xff,%[fi]\n\tmtcrf 0xff,%[z]\n\t"
							 "fcmpo 1,%[a],%[b]\n\tfcmpo 6,%[b],%[a]\n\t"
							 "mffs %[fs]\n\tmfcr %[cr]"
							 : [fs] "=&f"(fs.d), [cr] "=&r"(cr)
							 : [fi] "f"(fi.d), [z] "r"(0), [a] "f"(a),
							   [b] "f"(b)
							 : "cr1", "cr6", "cr0", "cr2", "cr3", "cr4",
							   "cr5", "cr7");
				else
					__asm__ volatile("mtfsf 0xff,%[fi]\n\tmtcrf 0xff,%[z]\n\t"
							 "fcmpu 1,%[a],%[b]\n\tfcmpu 6,%[b],%[a]\n\t"
							 "mffs %[fs]\n\tmfcr %[cr]"
							 : [fs] "=&f"(fs.d), [cr] "=&r"(cr)
							 : [fi] "f"(fi.d), [z] "r"(0), [a] "f"(a),
							   [b] "f"(b)
							 : "cr1", "cr6", "cr0", "cr2", "cr3", "cr4",
							   "cr5", "cr7");
				uint32_t raw = (uint32_t)fs.u, mask = 0, manual = raw;
				const uint32_t keep = FI | FR | FPRF_C;
				/* compares only write FPCC (and VXSNAN/VXVC): FI, FR and C stay */
				if ((pres[p] & keep) || (ordered && (cr & 0x01000000))) {
					mask = keep;
					manual = (raw & ~keep) | (pres[p] & keep);
				}
				char label[80];
				snprintf(label, sizeof label, "%s pre=%08x %016llx %016llx",
					 ordered ? "fcmpo" : "fcmpu", pres[p],
					 (unsigned long long)cv[i][0], (unsigned long long)cv[i][1]);
				printf("%s -> cr=%08x fpscr=%08x", label, cr, raw & ~mask);
				if (mask)
					printf(" (mask %08x)\n", mask);
				else
					printf("\n");
				if (mask)
					printf("QEMU-DIVERGES(26): %s fpscr=%08x manual=%08x\n", label,
					       raw, manual);
			}
	reset_fpscr();
}

/* ---- FPSCR instructions and sticky bits ------------------------------------------------------- */

#define MTFSB1(bit)                                                                                \
	do {                                                                                       \
		dbits fi = { .u = pre }, fs;                                                       \
		__asm__ volatile("mtfsf 0xff,%[fi]\n\tmtfsb1 " #bit "\n\tmffs %[fs]"               \
				 : [fs] "=&f"(fs.d)                                                \
				 : [fi] "f"(fi.d));                                                \
		uint32_t raw = (uint32_t)fs.u, bitm = 0x80000000u >> (bit);                        \
		int exc = (bitm & EXC_BITS) != 0 && !(pre & bitm);                                 \
		int ni = (bit) == 29; /* QEMU ignores mtfsb1 29 (NI) */                             \
		uint32_t mask = (exc ? FX : 0) | (ni ? bitm : 0);                                  \
		printf("mtfsb1 %2d pre=%08x -> fpscr=%08x", bit, pre, raw & ~mask);                 \
		if (mask)                                                                          \
			printf(" (mask %08x)\n", mask);                                            \
		else                                                                               \
			printf("\n");                                                              \
		if (exc)                                                                           \
			printf("QEMU-DIVERGES(28): mtfsb1 %2d pre=%08x fpscr=%08x manual=%08x\n",  \
			       bit, pre, raw, raw | FX);                                           \
		if (ni)                                                                            \
			printf("QEMU-DIVERGES(mtfsb1-ni): mtfsb1 %2d pre=%08x fpscr=%08x "          \
			       "manual=%08x\n", bit, pre, raw, raw | bitm);                        \
	} while (0)
#define MTFSB0(bit)                                                                                \
	do {                                                                                       \
		dbits fi = { .u = pre }, fs;                                                       \
		__asm__ volatile("mtfsf 0xff,%[fi]\n\tmtfsb0 " #bit "\n\tmffs %[fs]"               \
				 : [fs] "=&f"(fs.d)                                                \
				 : [fi] "f"(fi.d));                                                \
		printf("mtfsb0 %2d pre=%08x -> fpscr=%08x\n", bit, pre, (uint32_t)fs.u);           \
	} while (0)
#define MCRFS(field)                                                                               \
	do {                                                                                       \
		dbits fi = { .u = pre }, fs;                                                       \
		uint32_t cr;                                                                       \
		__asm__ volatile("mtfsf 0xff,%[fi]\n\tmtcrf 0xff,%[z]\n\tmcrfs 2," #field "\n\t"    \
				 "mffs %[fs]\n\tmfcr %[cr]"                                        \
				 : [fs] "=&f"(fs.d), [cr] "=&r"(cr)                                \
				 : [fi] "f"(fi.d), [z] "r"(0)                                      \
				 : "cr2");                                                         \
		printf("mcrfs 2,%d pre=%08x -> cr=%08x fpscr=%08x\n", field, pre, cr,              \
		       (uint32_t)fs.u);                                                            \
	} while (0)
#define MTFSFI(field, imm)                                                                         \
	do {                                                                                       \
		dbits fi = { .u = pre }, fs;                                                       \
		__asm__ volatile("mtfsf 0xff,%[fi]\n\tmtfsfi " #field "," #imm "\n\tmffs %[fs]"    \
				 : [fs] "=&f"(fs.d)                                                \
				 : [fi] "f"(fi.d));                                                \
		printf("mtfsfi %d,%-2d pre=%08x -> fpscr=%08x\n", field, imm, pre,                 \
		       (uint32_t)fs.u);                                                            \
	} while (0)
#define MTFSF(flm, val)                                                                            \
	do {                                                                                       \
		dbits fi = { .u = pre }, v = { .u = (val) }, fs;                                   \
		__asm__ volatile("mtfsf 0xff,%[fi]\n\tmtfsf " #flm ",%[v]\n\tmffs %[fs]"           \
				 : [fs] "=&f"(fs.d)                                                \
				 : [fi] "f"(fi.d), [v] "f"(v.d));                                  \
		printf("mtfsf %-4s %08x pre=%08x -> fpscr=%08x\n", #flm, (uint32_t)(val), pre,     \
		       (uint32_t)fs.u);                                                            \
	} while (0)

static void test_fpscr(void)
{
	uint32_t pre;
	printf("== mtfsb1 / mtfsb0 / mcrfs / mtfsfi / mtfsf (exceptions stay disabled)\n");
	pre = 0;
	MTFSB1(3);
	MTFSB1(4);
	MTFSB1(5);
	MTFSB1(6);
	MTFSB1(7);
	MTFSB1(8);
	MTFSB1(12);
	MTFSB1(21);
	MTFSB1(22);
	MTFSB1(23);
	MTFSB1(0);
	MTFSB1(13);
	MTFSB1(14);
	MTFSB1(29);
	MTFSB1(30);
	MTFSB1(31);
	pre = XX | ZX;
	MTFSB1(5);
	MTFSB1(6);
	MTFSB1(3);
	pre = FX | XX | ZX | VXSNAN | FI | FR | 0x5000 | 3;
	MTFSB0(0);
	MTFSB0(5);
	MTFSB0(7);
	MTFSB0(13);
	MTFSB0(17);
	MTFSB0(31);
	pre = FX | OX | UX | ZX | XX | VXSNAN | VXISI | VXVC | FR | FI | 0x4000 | VXSQRT | VXCVI;
	MCRFS(0);
	MCRFS(1);
	MCRFS(2);
	MCRFS(3);
	MCRFS(4);
	MCRFS(5);
	MCRFS(7);
	pre = 0;
	MTFSFI(7, 3);
	MTFSFI(7, 1);
	MTFSFI(0, 9);
	MTFSFI(1, 15);
	MTFSFI(3, 6);
	MTFSFI(4, 1);
	pre = XX | VXSNAN | 2;
	MTFSFI(7, 0);
	MTFSFI(1, 0);
	MTFSF(0x01, 0x00000001);
	MTFSF(0x80, 0xf0000000);
	MTFSF(0x0c, 0x0001f700);
	MTFSF(0x41, 0x0a000002);
	pre = 0;
	MTFSF(0xff, 0xfffff707);
	MTFSF(0x20, 0x00e00000);
	reset_fpscr();

	printf("== sticky exceptions raised again (FX must only follow 0->1 transitions)\n");
	static const struct {
		uint32_t pre;
		fop fn;
		const char *mn;
		uint64_t a, b;
	} st[] = {
		{ XX | 0, op_fdiv, "fdiv", ONE, THREE },
		{ ZX | 0, op_fdiv, "fdiv", ONE, P0 },
		{ XX | 0, op_fdiv, "fdiv", ONE, P0 },
		{ VXSNAN, op_fadd, "fadd", ONE, SNAN1 },
		{ VXISI | VXSNAN, op_fadd, "fadd", PINF, NINF },
		{ OX | XX, op_fmul, "fmul", MAXD, TWO },
		{ UX | XX, op_fmul, "fmul", DMIN, HALF },
		{ FX | XX, op_fdiv, "fdiv", ONE, THREE },
		{ XX, op_fadd, "fadd", ONE, TWO },
	};
	char label[96];
	for (unsigned i = 0; i < sizeof st / sizeof st[0]; i++) {
		fres_t rz = st[i].fn(st[i].a, st[i].b, 0, st[i].pre | 1);
		snprintf(label, sizeof label, "%-5s pre=%08x %016llx %016llx", st[i].mn, st[i].pre,
			 (unsigned long long)st[i].a, (unsigned long long)st[i].b);
		report(label, st[i].fn(st[i].a, st[i].b, 0, st[i].pre), rz, 'd', st[i].pre);
	}
	reset_fpscr();

	printf("== record forms: CR1 = FX FEX VX OX\n");
	{
		double one = 1.0, three = 3.0, zero = 0.0, big = D(MAXD);
		dbits r1, r2, r3, fs;
		uint32_t cr;
		dbits z = { .u = 0 };
		__asm__ volatile("mtfsf 0xff,%[z]\n\tmtcrf 0xff,%[zi]\n\t"
				 "fdiv. %[r1],%[one],%[three]\n\tmfcr %[cr]\n\tmffs %[fs]"
				 : [r1] "=&f"(r1.d), [cr] "=&r"(cr), [fs] "=&f"(fs.d)
				 : [z] "f"(z.d), [zi] "r"(0), [one] "f"(one), [three] "f"(three)
				 : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		printf("fdiv. 1/3 -> cr=%08x fpscr=%08x\n", cr, (uint32_t)fs.u & ~FR);
		__asm__ volatile("mtfsf 0xff,%[z]\n\tmtcrf 0xff,%[zi]\n\t"
				 "fdiv. %[r2],%[zero],%[zero]\n\tmfcr %[cr]\n\tmffs %[fs]"
				 : [r2] "=&f"(r2.d), [cr] "=&r"(cr), [fs] "=&f"(fs.d)
				 : [z] "f"(z.d), [zi] "r"(0), [zero] "f"(zero)
				 : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		printf("fdiv. 0/0 -> %016llx cr=%08x fpscr=%08x\n", (unsigned long long)r2.u, cr,
		       (uint32_t)fs.u);
		__asm__ volatile("mtfsf 0xff,%[z]\n\tmtcrf 0xff,%[zi]\n\t"
				 "fmul. %[r3],%[big],%[big]\n\tmfcr %[cr]\n\tmffs %[fs]"
				 : [r3] "=&f"(r3.d), [cr] "=&r"(cr), [fs] "=&f"(fs.d)
				 : [z] "f"(z.d), [zi] "r"(0), [big] "f"(big)
				 : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		printf("fmul. max*max -> %016llx cr=%08x fpscr=%08x (mask 00040000)\n",
		       (unsigned long long)r3.u, cr, (uint32_t)fs.u & ~FR);
		__asm__ volatile("mtfsf 0xff,%[z]\n\tmtcrf 0xff,%[zi]\n\t"
				 "fmr. %[r3],%[big]\n\tmfcr %[cr]\n\tmffs %[fs]"
				 : [r3] "=&f"(r3.d), [cr] "=&r"(cr), [fs] "=&f"(fs.d)
				 : [z] "f"(z.d), [zi] "r"(0), [big] "f"(big)
				 : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		printf("fmr. -> cr=%08x fpscr=%08x\n", cr, (uint32_t)fs.u);
		(void)r1;
	}
	reset_fpscr();
}

/* ---- C-level arithmetic with fesetround, conversions ------------------------------------------ */

static void test_c_level(void)
{
	static const int modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };
	volatile double one = 1.0, three = 3.0, tenth = 0.1, fifth = 0.2, big = 1e308;
	volatile float fone = 1.0f, fthree = 3.0f, ftenth = 0.1f;
	printf("== C arithmetic after fesetround\n");
	for (int m = 0; m < 4; m++) {
		int r = fesetround(modes[m]);
		dbits fs;
		__asm__ volatile("mffs %0" : "=f"(fs.d));
		dbits q1 = { one / three }, q2 = { -one / three }, s = { tenth + fifth },
		      p = { big * 10.0 }, n = { -big * 10.0 };
		union { float f; uint32_t u; } fq = { fone / fthree }, fs2 = { ftenth * fthree };
		dbits cvt = { (double)(float)(one / three) };
		printf("%s: fesetround=%d rn=%u 1/3=%016llx -1/3=%016llx .1+.2=%016llx "
		       "1e308*10=%016llx -1e308*10=%016llx f1/3=%08x f.1*3=%08x "
		       "(float)(1/3)=%016llx\n", rn_name[m], r, (uint32_t)fs.u & 3,
		       (unsigned long long)q1.u, (unsigned long long)q2.u, (unsigned long long)s.u,
		       (unsigned long long)p.u, (unsigned long long)n.u,
		       fq.u, fs2.u, (unsigned long long)cvt.u);
	}
	fesetround(FE_TONEAREST);
	reset_fpscr();

	printf("== conversions\n");
	static const double dv[] = { 0.0, -0.0, 0.5, -0.5, 1.99, -1.99, 2147483647.0,
				     2147483648.0, -2147483648.0, 4294967295.0, 4294967296.5,
				     1e19, -1e19, 9007199254740993.0, 1e-310 };
	for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
		volatile double d = dv[i];
		int in_i = d > -2147483649.0 && d < 2147483648.0;
		int in_u = d > -1.0 && d < 4294967296.0;
		int in_ll = d > -9.3e18 && d < 9.2e18;
		union { float f; uint32_t u; } f = { (float)d };
		printf("%.17g: int=%s%d uint=%s%u ll=%s%lld float=%08x\n", d,
		       in_i ? "" : "(oob)", in_i ? (int)d : 0, in_u ? "" : "(oob)",
		       in_u ? (unsigned)d : 0u, in_ll ? "" : "(oob)", in_ll ? (long long)d : 0LL,
		       f.u);
	}
	static const int iv[] = { 0, 1, -1, 2147483647, -2147483647 - 1, 16777217, -16777217 };
	for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++) {
		volatile int x = iv[i];
		volatile unsigned ux = (unsigned)iv[i];
		volatile long long lx = (long long)iv[i] * 65537LL;
		dbits a = { (double)x }, b = { (double)ux }, c = { (double)lx };
		union { float f; uint32_t u; } f = { (float)x };
		printf("int %d: double=%016llx from-unsigned=%016llx ll*65537=%016llx "
		       "float=%08x\n", iv[i], (unsigned long long)a.u, (unsigned long long)b.u,
		       (unsigned long long)c.u, f.u);
	}
	static const uint32_t fv[] = { 0x3f800000, 0x00000001, 0x007fffff, 0x7f7fffff,
				       0x7f800000, 0xff800000, 0x7fc00001, 0x7f800001, 0x80000000 };
	for (unsigned i = 0; i < sizeof fv / sizeof fv[0]; i++) {
		union { float f; uint32_t u; } f = { .u = fv[i] };
		volatile float vf = f.f;
		dbits d = { (double)vf };
		printf("float %08x -> double %016llx\n", fv[i], (unsigned long long)d.u);
	}
	reset_fpscr();
}

int main(void)
{
	reset_fpscr();
	test_binary();
	test_fma();
	test_unary();
	test_estimates();
	test_select_sign();
	test_compare();
	test_fpscr();
	test_c_level();
	printf("fpops: done\n");
	return 0;
}

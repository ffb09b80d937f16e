/*
 * lame: a floating-point perceptual audio encoder in the spirit of LAME (the seed encoded
 * M1F1-int32-AFsp.wav with `lame --preset insane`). Our own design and bitstream ("HVL1"), not
 * MP3, but the same kind of work: double-precision transforms, a psychoacoustic model, and an
 * iterative quantisation/rate loop, with file input and output.
 *
 *   1. read a PCM WAV file (16- or 32-bit integer, mono or stereo; read(2) through stdio)
 *   2. per channel, granules of M = 512 new samples, sine-windowed over 2M = 1024 samples:
 *      MDCT (a DCT-IV through a 256-point complex FFT with pre/post twiddles)
 *   3. psychoacoustic model on a Hann-windowed 1024-point FFT of the same samples: energies of
 *      half-Bark bands, tonality from the spectral flatness (log/exp), Schroeder spreading,
 *      tonality-dependent masking offsets, absolute threshold of hearing, pre-echo control
 *      -> allowed noise per band
 *   4. quantisation as in MP3: |x|^(3/4) with a global gain (inner loop: binary search for the
 *      bit budget, with a bit reservoir) and per-band scale factors (outer loop: amplify the
 *      bands whose noise exceeds the allowed noise, keep the best try); Rice-coded values
 *   5. write the bitstream to the output file, read it back, decode it (IMDCT + overlap-add) and
 *      report the signal-to-noise ratio of the round trip
 *
 * usage: lame input.wav output.hvl [seconds [max-outer-iterations]]
 *   seconds  encode at most this much of the input (default: all of it)
 *   max-outer-iterations  quality: 25 ("insane", default), fewer is faster
 * full size: `lame M1F1-synth.wav out.hvl`; tests: `lame M1F1-synth.wav out.hvl 0.25`.
 * output: format, sizes, CRC-32 of the output file, round-trip SNR; "time:" lines.
 */
#include <math.h>
#include "wl.h"

#define M 512       /* new samples (and MDCT lines) per granule */
#define N2 (2 * M)  /* window length */
#define MAXCH 2
#define MAXBANDS 64
#define G0 140      /* global gain g means a quantiser step of 2^((g - G0) / 4) */
#define IXMAX 8191  /* largest quantised magnitude */
#define SFMAX 15

static const char *prog = "lame";

/*
 * sin, cos and atan of our own: glibc 2.36's libm versions (and sincos, which gcc substitutes
 * for a sin/cos pair) begin with `mffscrni` (a POWER9 form in a reserved field of mffs, an
 * mffs on older Book S cores) that qemu-ppc -cpu 440epx and hv440 treat as illegal. exp, log,
 * log2, log10, pow and sqrt come from libm. Taylor series after reduction to |x| <= pi/4.
 */
#define PIO2_HI 1.57079632679489655800e+00 /* pi/2 = PIO2_HI + PIO2_LO */
#define PIO2_LO 6.12323399573676603587e-17

/* sin x = x (1 - x^2/(2*3) (1 - x^2/(4*5) (1 - ...))), |x| <= pi/4, terms to x^17 */
static double poly_sin(double x)
{
	double z = x * x, t = 1.0;
	for (int n = 17; n >= 3; n -= 2)
		t = 1.0 - z * t / ((double)n * (n - 1));
	return x * t;
}

/* cos x = 1 - x^2/(1*2) (1 - x^2/(3*4) (1 - ...)), terms to x^18 */
static double poly_cos(double x)
{
	double z = x * x, t = 1.0;
	for (int n = 18; n >= 2; n -= 2)
		t = 1.0 - z * t / ((double)n * (n - 1));
	return t;
}

static double sincos_q(double x, int want_cos)
{
	/* |x| < 2^30 here: the quadrant fits an int */
	int ki = (int)(x / PIO2_HI + (x < 0 ? -0.5 : 0.5));
	double k = ki;
	double r = (x - k * PIO2_HI) - k * PIO2_LO;
	int q = (ki + want_cos) & 3;
	switch (q) {
	case 0: return poly_sin(r);
	case 1: return poly_cos(r);
	case 2: return -poly_sin(r);
	default: return -poly_cos(r);
	}
}

static double my_sin(double x) { return sincos_q(x, 0); }
static double my_cos(double x) { return sincos_q(x, 1); }

static double my_atan(double x)
{
	int neg = x < 0, inv = 0, shift = 0;
	if (neg)
		x = -x;
	if (x > 1.0) {
		x = 1.0 / x;
		inv = 1;
	}
	if (x > 0.2679491924311227) { /* tan(pi/12): atan x = pi/6 + atan((x sqrt3 - 1)/(sqrt3 + x)) */
		x = (x * 1.7320508075688772 - 1.0) / (1.7320508075688772 + x);
		shift = 1;
	}
	double z = x * x, t = 0;
	for (int n = 25; n >= 3; n -= 2) /* x - x^3/3 + x^5/5 - ... */
		t = 1.0 / n - z * t;
	double r = x - x * z * t;
	if (shift)
		r += 0.52359877559829887308; /* pi/6 */
	if (inv)
		r = PIO2_HI - r + PIO2_LO;
	return neg ? -r : r;
}

/* ---------------- complex FFT (radix 2, in place) ---------------- */

struct fft {
	int n, logn;
	double *cosv, *sinv; /* twiddles exp(-2 pi i k / n), k < n/2 */
	int *rev;
};

static void fft_init(struct fft *f, int n)
{
	f->n = n;
	f->logn = 0;
	while ((1 << f->logn) < n)
		f->logn++;
	f->cosv = wl_xmalloc(prog, sizeof(double) * n / 2);
	f->sinv = wl_xmalloc(prog, sizeof(double) * n / 2);
	f->rev = wl_xmalloc(prog, sizeof(int) * n);
	for (int k = 0; k < n / 2; k++) {
		f->cosv[k] = my_cos(2 * M_PI * k / n);
		f->sinv[k] = -my_sin(2 * M_PI * k / n);
	}
	for (int i = 0; i < n; i++) {
		int r = 0;
		for (int b = 0; b < f->logn; b++)
			if (i & (1 << b))
				r |= 1 << (f->logn - 1 - b);
		f->rev[i] = r;
	}
}

static void fft_run(const struct fft *f, double *re, double *im)
{
	int n = f->n;
	for (int i = 0; i < n; i++) {
		int r = f->rev[i];
		if (r > i) {
			double t = re[i]; re[i] = re[r]; re[r] = t;
			t = im[i]; im[i] = im[r]; im[r] = t;
		}
	}
	for (int len = 2; len <= n; len <<= 1) {
		int half = len >> 1, step = n / len;
		for (int i = 0; i < n; i += len)
			for (int j = 0; j < half; j++) {
				double wr = f->cosv[j * step], wi = f->sinv[j * step];
				int a = i + j, b = a + half;
				double xr = re[b] * wr - im[b] * wi;
				double xi = re[b] * wi + im[b] * wr;
				re[b] = re[a] - xr;
				im[b] = im[a] - xi;
				re[a] += xr;
				im[a] += xi;
			}
	}
}

/* ---------------- MDCT / IMDCT through a DCT-IV ---------------- */

static struct fft fft_dct; /* M/2 points */
static double pre_c[M / 2], pre_s[M / 2], post_c[M / 2], post_s[M / 2];
static double window[N2];   /* sine window (Princen-Bradley) */
static double hann[N2];

static void dct4_init(void)
{
	fft_init(&fft_dct, M / 2);
	for (int n = 0; n < M / 2; n++) {
		pre_c[n] = my_cos(M_PI * (n + 0.25) / M);
		pre_s[n] = -my_sin(M_PI * (n + 0.25) / M);
		post_c[n] = my_cos(M_PI * n / M);
		post_s[n] = -my_sin(M_PI * n / M);
	}
	for (int n = 0; n < N2; n++) {
		window[n] = my_sin(M_PI * (n + 0.5) / N2);
		hann[n] = 0.5 - 0.5 * my_cos(2 * M_PI * (n + 0.5) / N2);
	}
}

/* X[k] = sum_n u[n] cos(pi/M (n + 1/2)(k + 1/2)), k < M */
static void dct4(const double *u, double *X)
{
	double re[M / 2], im[M / 2];
	for (int n = 0; n < M / 2; n++) {
		double a = u[2 * n], b = u[M - 1 - 2 * n];
		re[n] = a * pre_c[n] - b * pre_s[n];
		im[n] = a * pre_s[n] + b * pre_c[n];
	}
	fft_run(&fft_dct, re, im);
	for (int k = 0; k < M / 2; k++) {
		double yr = re[k] * post_c[k] - im[k] * post_s[k];
		double yi = re[k] * post_s[k] + im[k] * post_c[k];
		X[2 * k] = yr;
		X[M - 1 - 2 * k] = -yi;
	}
}

/* MDCT of the windowed 2M samples z = (a, b, c, d): DCT-IV of (-c_r - d, a - b_r). */
static void mdct(const double *x, double *X)
{
	double z[N2], u[M];
	const int h = M / 2;
	for (int n = 0; n < N2; n++)
		z[n] = x[n] * window[n];
	for (int n = 0; n < h; n++) {
		u[n] = -z[3 * h - 1 - n] - z[3 * h + n];
		u[h + n] = z[n] - z[M - 1 - n];
	}
	dct4(u, X);
}

/* Windowed IMDCT of M lines, added into out[0 .. 2M). */
static void imdct_add(const double *X, double *out)
{
	double v[M];
	const int h = M / 2;
	dct4(X, v);
	const double s = 2.0 / M; /* DCT-IV twice = M/2 times the identity */
	for (int n = 0; n < h; n++) {
		out[n] += window[n] * v[h + n] * s;
		out[h + n] -= window[h + n] * v[M - 1 - n] * s;
		out[M + n] -= window[M + n] * v[h - 1 - n] * s;
		out[M + h + n] -= window[M + h + n] * v[n] * s;
	}
}

/* ---------------- bands and the psychoacoustic model ---------------- */

static int nbands;
static int band_lo[MAXBANDS + 1];  /* band b = lines [band_lo[b], band_lo[b+1]) */
static double band_bark[MAXBANDS];
static double spread[MAXBANDS][MAXBANDS], spread_norm[MAXBANDS];
static double ath[MAXBANDS];       /* absolute threshold, FFT energy units */
static struct fft fft_psy;

static double bark(double f)
{
	return 13.0 * my_atan(0.00076 * f) + 3.5 * my_atan((f / 7500.0) * (f / 7500.0));
}

/* threshold in quiet, dB SPL (Terhardt) */
static double ath_db(double f)
{
	double k = f / 1000.0;
	if (k < 0.02)
		k = 0.02;
	return 3.64 * pow(k, -0.8) - 6.5 * exp(-0.6 * (k - 3.3) * (k - 3.3)) + 1e-3 * pow(k, 4.0);
}

static void psy_init(int rate)
{
	double hz = rate / 2.0 / M; /* line spacing */
	nbands = 0;
	int lo = 0;
	while (lo < M && nbands < MAXBANDS) {
		int hi = lo + 4;
		while (hi < M && bark(hi * hz) - bark(lo * hz) < 0.5)
			hi++;
		if (M - hi < 4 || nbands == MAXBANDS - 1)
			hi = M;
		band_lo[nbands++] = lo;
		lo = hi;
	}
	band_lo[nbands] = M;
	/* full-scale sine (amplitude 32768) through the Hann window: peak |X|^2 = (32768 N / 4)^2 */
	double fullscale = (32768.0 * N2 / 4) * (32768.0 * N2 / 4);
	for (int b = 0; b < nbands; b++) {
		band_bark[b] = bark((band_lo[b] + band_lo[b + 1]) * 0.5 * hz);
		double mindb = 1e9;
		for (int k = band_lo[b]; k < band_lo[b + 1]; k++) {
			double d = ath_db((k + 0.5) * hz);
			if (d < mindb)
				mindb = d;
		}
		/* 0 dBFS = 96 dB SPL; the threshold holds per line */
		ath[b] = (band_lo[b + 1] - band_lo[b]) * fullscale * pow(10.0, (mindb - 96.0) / 10.0);
	}
	for (int i = 0; i < nbands; i++) { /* masker i spreading onto band j (Schroeder) */
		for (int j = 0; j < nbands; j++) {
			double dz = band_bark[j] - band_bark[i] + 0.474;
			double db = 15.81 + 7.5 * dz - 17.5 * sqrt(1.0 + dz * dz);
			spread[i][j] = db < -60 ? 0 : pow(10.0, db / 10.0);
		}
	}
	for (int j = 0; j < nbands; j++) {
		spread_norm[j] = 0;
		for (int i = 0; i < nbands; i++)
			spread_norm[j] += spread[i][j];
	}
	fft_init(&fft_psy, N2);
}

struct chstate {
	double prev_thr[MAXBANDS];
};

/*
 * Allowed noise per band (MDCT energy units) for the 2M samples x whose MDCT is X.
 * Returns the perceptual entropy estimate (bits), used to weight the bit budget.
 */
static double psy_model(const double *x, const double *X, struct chstate *st, double *xmin)
{
	double re[N2], im[N2], pw[M + 1];
	double e[MAXBANDS], tonal[MAXBANDS];
	for (int n = 0; n < N2; n++) {
		re[n] = x[n] * hann[n];
		im[n] = 0;
	}
	fft_run(&fft_psy, re, im);
	for (int k = 0; k <= M; k++)
		pw[k] = re[k] * re[k] + im[k] * im[k];
	for (int b = 0; b < nbands; b++) {
		double sum = 0, logsum = 0;
		int w = band_lo[b + 1] - band_lo[b];
		for (int k = band_lo[b]; k < band_lo[b + 1]; k++) {
			sum += pw[k];
			logsum += log(pw[k] + 1e-3);
		}
		e[b] = sum;
		/* spectral flatness: geometric / arithmetic mean, in dB; -60 dB = pure tone */
		double gm = exp(logsum / w), am = sum / w + 1e-3;
		double sfm = 10.0 * log10(gm / am);
		double a = sfm / -60.0;
		tonal[b] = a < 0 ? 0 : a > 1 ? 1 : a;
	}
	double pe = 0;
	for (int j = 0; j < nbands; j++) {
		double c = 0, t = 0;
		for (int i = 0; i < nbands; i++) {
			c += e[i] * spread[i][j];
			t += tonal[i] * e[i] * spread[i][j];
		}
		double a = c > 0 ? t / c : 0; /* tonality of the masking energy */
		double offset = a * (14.5 + band_bark[j]) + (1.0 - a) * 5.5;
		double thr = c / spread_norm[j] * pow(10.0, -offset / 10.0);
		if (st->prev_thr[j] > 0 && thr > 2.0 * st->prev_thr[j]) /* pre-echo control */
			thr = 2.0 * st->prev_thr[j];
		st->prev_thr[j] = thr;
		if (thr < ath[j])
			thr = ath[j];
		double emdct = 0;
		for (int k = band_lo[j]; k < band_lo[j + 1]; k++)
			emdct += X[k] * X[k];
		double ratio = e[j] > 0 ? thr / e[j] : 1.0;
		if (ratio > 1.0)
			ratio = 1.0;
		xmin[j] = emdct * ratio;
		if (e[j] > thr)
			pe += (band_lo[j + 1] - band_lo[j]) * log2(1.0 + sqrt(e[j] / thr));
	}
	return pe;
}

/* ---------------- quantisation and bit counting ---------------- */

static double pow43[IXMAX + 2];        /* q^(4/3) */
static double ipow34[512], ipow[512];  /* 2^(-3/16 e), 2^(e/4) for e = exponent index */
#define EOFF 256                       /* exponent index e + EOFF */

static void quant_init(void)
{
	for (int q = 0; q <= IXMAX + 1; q++)
		pow43[q] = pow((double)q, 4.0 / 3.0);
	for (int i = 0; i < 512; i++) {
		ipow34[i] = pow(2.0, -0.1875 * (i - EOFF));
		ipow[i] = pow(2.0, 0.25 * (i - EOFF));
	}
}

struct gran {
	int gain;
	int sf[MAXBANDS];
	int rice[MAXBANDS];
	int q[M];
	uint8_t neg[M];
	int bits;
};

static inline int exponent(int gain, int sf)
{
	int e = gain - G0 - 2 * sf + EOFF;
	return e < 0 ? 0 : e > 511 ? 511 : e;
}

/* Quantise with the given gain and scale factors; returns bits, or a huge number on overflow. */
static int quantize(const double *xr34, struct gran *g)
{
	int bits = 8; /* global gain */
	for (int b = 0; b < nbands; b++) {
		double m = ipow34[exponent(g->gain, g->sf[b])];
		int lo = band_lo[b], hi = band_lo[b + 1];
		uint32_t sum = 0;
		int nz = 0;
		for (int k = lo; k < hi; k++) {
			double v = xr34[k] * m + 0.4054;
			if (v > IXMAX)
				return 1 << 30;
			int q = (int)v;
			g->q[k] = q;
			sum += (uint32_t)q;
			nz += q != 0;
		}
		bits += 8; /* scale factor + Rice parameter */
		if (sum == 0) {
			g->rice[b] = 15;
			continue;
		}
		/* Rice parameter near log2 of the mean; the cost is convex in r, try neighbours */
		int w = hi - lo, r0 = 0;
		while (r0 < 13 && ((uint32_t)w << (r0 + 1)) <= sum)
			r0++;
		int best = 1 << 30, br = 0;
		for (int r = r0 > 0 ? r0 - 1 : 0; r <= r0 + 1 && r < 15; r++) {
			int c = w * (1 + r) + nz;
			for (int k = lo; k < hi; k++)
				c += g->q[k] >> r;
			if (c < best) {
				best = c;
				br = r;
			}
		}
		g->rice[b] = br;
		bits += best;
	}
	return bits;
}

/* Inner loop: the smallest global gain whose bit count fits the budget. */
static void inner_loop(const double *xr34, struct gran *g, int budget)
{
	int lo = 0, hi = 255;
	while (lo < hi) {
		int mid = (lo + hi) >> 1;
		g->gain = mid;
		if (quantize(xr34, g) <= budget)
			hi = mid;
		else
			lo = mid + 1;
	}
	g->gain = lo;
	g->bits = quantize(xr34, g);
}

/* noise / allowed noise per band; returns the number of bands over their allowance */
static int measure_noise(const double *X, const struct gran *g, const double *xmin,
			 double *dist, double *over_sum)
{
	int over = 0;
	*over_sum = 0;
	for (int b = 0; b < nbands; b++) {
		double step = ipow[exponent(g->gain, g->sf[b])];
		double noise = 0;
		for (int k = band_lo[b]; k < band_lo[b + 1]; k++) {
			double d = fabs(X[k]) - pow43[g->q[k]] * step;
			noise += d * d;
		}
		dist[b] = xmin[b] > 0 ? noise / xmin[b] : noise > 0 ? 1e9 : 0;
		if (dist[b] > 1.0) {
			over++;
			*over_sum += 10.0 * log10(dist[b]);
		}
	}
	return over;
}

static uint64_t stat_outer, stat_over_bands, stat_gain_sum, stat_grans;

/* Outer loop: amplify the bands with too much noise, keep the best result. */
static void outer_loop(const double *X, const double *xmin, struct gran *best, int budget,
		       int max_iter)
{
	double xr34[M], dist[MAXBANDS];
	static struct gran cur;
	for (int k = 0; k < M; k++)
		xr34[k] = pow(fabs(X[k]), 0.75);
	memset(&cur, 0, sizeof cur);
	for (int k = 0; k < M; k++)
		cur.neg[k] = X[k] < 0;
	int best_over = 1 << 30;
	double best_sum = 1e300;
	for (int it = 0; it < max_iter; it++) {
		stat_outer++;
		inner_loop(xr34, &cur, budget);
		double over_sum;
		int over = measure_noise(X, &cur, xmin, dist, &over_sum);
		if (over < best_over || (over == best_over && over_sum < best_sum)) {
			best_over = over;
			best_sum = over_sum;
			*best = cur;
		}
		if (over == 0)
			break;
		int amplified = 0;
		for (int b = 0; b < nbands; b++)
			if (dist[b] > 1.0 && cur.sf[b] < SFMAX) {
				cur.sf[b]++;
				amplified++;
			}
		if (!amplified)
			break;
	}
	stat_over_bands += (uint64_t)best_over;
	stat_gain_sum += (uint64_t)best->gain;
	stat_grans++;
}

/* ---------------- bitstream ---------------- */

struct bitwriter {
	uint8_t *buf;
	size_t cap, pos; /* pos in bits */
};

static void bw_put(struct bitwriter *w, uint32_t v, int n)
{
	while (n > 0) {
		if ((w->pos >> 3) + 8 > w->cap) {
			w->cap *= 2;
			w->buf = realloc(w->buf, w->cap);
			if (!w->buf) {
				fprintf(stderr, "%s: out of memory\n", prog);
				exit(1);
			}
		}
		size_t byte = w->pos >> 3;
		int off = (int)(w->pos & 7), room = 8 - off, take = n < room ? n : room;
		uint32_t bits = (v >> (n - take)) & ((1u << take) - 1);
		if (off == 0)
			w->buf[byte] = 0;
		w->buf[byte] |= (uint8_t)(bits << (room - take));
		w->pos += (size_t)take;
		n -= take;
	}
}

static void bw_align(struct bitwriter *w)
{
	if (w->pos & 7)
		bw_put(w, 0, 8 - (int)(w->pos & 7));
}

static void write_granule(struct bitwriter *w, const struct gran *g)
{
	bw_put(w, (uint32_t)g->gain, 8);
	for (int b = 0; b < nbands; b++) {
		bw_put(w, (uint32_t)g->sf[b], 4);
		bw_put(w, (uint32_t)g->rice[b], 4);
	}
	for (int b = 0; b < nbands; b++) {
		int r = g->rice[b];
		if (r == 15)
			continue;
		for (int k = band_lo[b]; k < band_lo[b + 1]; k++) {
			uint32_t q = (uint32_t)g->q[k], hi = q >> r;
			while (hi >= 31) { /* unary part in chunks */
				bw_put(w, 0, 31);
				hi -= 31;
			}
			bw_put(w, 1, (int)hi + 1);
			if (r)
				bw_put(w, q & ((1u << r) - 1), r);
			if (q)
				bw_put(w, g->neg[k], 1);
		}
	}
}

struct bitreader {
	const uint8_t *buf;
	size_t len, pos;
	int bad;
};

static uint32_t br_get(struct bitreader *r, int n)
{
	uint32_t v = 0;
	while (n--) {
		if ((r->pos >> 3) >= r->len) {
			r->bad = 1;
			return 0;
		}
		v = v << 1 | ((r->buf[r->pos >> 3] >> (7 - (r->pos & 7))) & 1);
		r->pos++;
	}
	return v;
}

/* ---------------- WAV input ---------------- */

struct wav {
	int rate, channels, bits;
	uint32_t frames;
	double *pcm[MAXCH]; /* samples scaled to the 16-bit range */
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void read_wav(const char *path, struct wav *w, double max_seconds)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, path, strerror(errno));
		exit(1);
	}
	uint8_t hdr[12], ch[8];
	if (fread(hdr, 1, 12, f) != 12 || memcmp(hdr, "RIFF", 4) || memcmp(hdr + 8, "WAVE", 4)) {
		fprintf(stderr, "%s: %s is not a RIFF/WAVE file\n", prog, path);
		exit(1);
	}
	int have_fmt = 0, format = 0;
	for (;;) {
		if (fread(ch, 1, 8, f) != 8) {
			fprintf(stderr, "%s: no data chunk\n", prog);
			exit(1);
		}
		uint32_t size = le32(ch + 4);
		if (!memcmp(ch, "fmt ", 4)) {
			uint8_t fmt[40];
			if (size < 16 || size > sizeof fmt || fread(fmt, 1, size, f) != size) {
				fprintf(stderr, "%s: bad fmt chunk\n", prog);
				exit(1);
			}
			format = le16(fmt);
			w->channels = le16(fmt + 2);
			w->rate = (int)le32(fmt + 4);
			w->bits = le16(fmt + 14);
			if (format == 0xfffe && size >= 26)
				format = le16(fmt + 24); /* WAVE_FORMAT_EXTENSIBLE: the sub-format */
			have_fmt = 1;
		} else if (!memcmp(ch, "data", 4)) {
			if (!have_fmt || format != 1 || (w->bits != 16 && w->bits != 32) ||
			    w->channels < 1 || w->channels > MAXCH || w->rate < 4000 ||
			    w->rate > 96000) {
				fprintf(stderr, "%s: unsupported WAV format (need 16/32-bit PCM, 1-2 ch)\n",
					prog);
				exit(1);
			}
			int bps = w->bits / 8 * w->channels;
			uint32_t frames = size / (uint32_t)bps;
			if (max_seconds > 0 && frames > max_seconds * w->rate)
				frames = (uint32_t)(max_seconds * w->rate);
			uint8_t *raw = wl_xmalloc(prog, (size_t)frames * bps + 1);
			size_t got = fread(raw, 1, (size_t)frames * bps, f);
			w->frames = (uint32_t)(got / bps);
			for (int c = 0; c < w->channels; c++)
				w->pcm[c] = wl_xmalloc(prog, sizeof(double) * (w->frames + 1));
			for (uint32_t i = 0; i < w->frames; i++)
				for (int c = 0; c < w->channels; c++) {
					const uint8_t *p = raw + (size_t)i * bps + c * (w->bits / 8);
					w->pcm[c][i] = w->bits == 16 ? (double)(int16_t)le16(p)
						: (double)(int32_t)le32(p) / 65536.0;
				}
			free(raw);
			break;
		} else {
			fseek(f, (long)(size + (size & 1)), SEEK_CUR);
		}
	}
	fclose(f);
}

/* ---------------- main ---------------- */

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: lame input.wav output.hvl [seconds [max-outer-iterations]]\n");
		return 2;
	}
	double max_seconds = 0;
	if (argc > 3) {
		char *end;
		max_seconds = strtod(argv[3], &end);
		if (end == argv[3] || *end || max_seconds < 0) {
			fprintf(stderr, "%s: bad seconds '%s'\n", prog, argv[3]);
			return 2;
		}
	}
	int max_iter = argc > 4 ? (int)wl_arg(prog, "iteration count", argv[4]) : 25;
	if (max_iter < 1)
		max_iter = 1;

	uint64_t t0 = wl_now_ns();
	struct wav w;
	memset(&w, 0, sizeof w);
	read_wav(argv[1], &w, max_seconds);
	dct4_init();
	psy_init(w.rate);
	quant_init();

	/* bit budget: 3.5 bits per sample and channel (about 154 kbit/s per channel at 44.1 kHz) */
	const int mean_bits = (int)(3.5 * M);
	const int max_reservoir = 4 * mean_bits;
	uint32_t ngran = (w.frames + M - 1) / M + 1;
	double kbps = mean_bits * (double)w.rate / M * w.channels / 1000.0;
	printf("lame: input %d Hz, %d channel%s, %d-bit, %u frames (%.3f s); %d bands, "
	       "%u granules of %d, %.1f kbit/s, max %d outer iterations\n",
	       w.rate, w.channels, w.channels > 1 ? "s" : "", w.bits, w.frames,
	       (double)w.frames / w.rate, nbands, ngran, M, kbps, max_iter);

	struct bitwriter bw = { wl_xmalloc(prog, 65536), 65536, 0 };
	static const uint8_t magic[4] = { 'H', 'V', 'L', '1' };
	for (int i = 0; i < 4; i++)
		bw_put(&bw, magic[i], 8);
	bw_put(&bw, (uint32_t)w.rate, 32);
	bw_put(&bw, (uint32_t)w.channels, 8);
	bw_put(&bw, (uint32_t)w.frames, 32);
	bw_put(&bw, (uint32_t)nbands, 8);
	for (int b = 0; b <= nbands; b++)
		bw_put(&bw, (uint32_t)band_lo[b], 16);

	static struct chstate st[MAXCH];
	static struct gran g;
	int reservoir[MAXCH] = { 0, 0 };
	double x[N2], X[M], xmin[MAXBANDS];
	double pe_sum = 0;
	for (uint32_t gi = 0; gi < ngran; gi++) {
		for (int c = 0; c < w.channels; c++) {
			/* samples [gi*M - M, gi*M + M), zero outside the input */
			for (int n = 0; n < N2; n++) {
				int64_t s = (int64_t)gi * M - M + n;
				x[n] = s >= 0 && s < (int64_t)w.frames ? w.pcm[c][s] : 0.0;
			}
			mdct(x, X);
			pe_sum += psy_model(x, X, &st[c], xmin);
			int budget = mean_bits + reservoir[c];
			outer_loop(X, xmin, &g, budget, max_iter);
			size_t before = bw.pos;
			write_granule(&bw, &g);
			int used = (int)(bw.pos - before);
			reservoir[c] += mean_bits - used;
			if (reservoir[c] > max_reservoir)
				reservoir[c] = max_reservoir;
			if (reservoir[c] < 0)
				reservoir[c] = 0;
		}
	}
	bw_align(&bw);
	size_t out_len = bw.pos >> 3;
	uint32_t crc = wl_crc32(0, bw.buf, out_len);

	FILE *o = fopen(argv[2], "wb");
	if (!o || fwrite(bw.buf, 1, out_len, o) != out_len || fclose(o) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, argv[2], strerror(errno));
		return 1;
	}
	uint64_t t1 = wl_now_ns();
	printf("encode: %zu bytes (%.2f bits/sample), crc32=%08x, outer iterations=%llu, "
	       "mean gain=%.2f, bands over mask=%llu, perceptual entropy=%.1f bits/granule\n",
	       out_len, out_len * 8.0 / ((double)w.frames * w.channels), crc,
	       (unsigned long long)stat_outer, (double)stat_gain_sum / stat_grans,
	       (unsigned long long)stat_over_bands, pe_sum / stat_grans);

	/* read the file back and decode it */
	FILE *in = fopen(argv[2], "rb");
	uint8_t *back = wl_xmalloc(prog, out_len + 1);
	size_t back_len = in ? fread(back, 1, out_len + 1, in) : 0;
	if (in)
		fclose(in);
	printf("readback: %zu bytes, %s\n", back_len,
	       back_len == out_len && wl_crc32(0, back, back_len) == crc ? "identical" : "DIFFERENT");

	struct bitreader br = { back, back_len, 0, 0 };
	uint8_t m4[4];
	for (int i = 0; i < 4; i++)
		m4[i] = (uint8_t)br_get(&br, 8);
	int drate = (int)br_get(&br, 32), dch = (int)br_get(&br, 8);
	uint32_t dframes = br_get(&br, 32);
	int dbands = (int)br_get(&br, 8);
	int dlo[MAXBANDS + 1];
	for (int b = 0; b <= dbands && b <= MAXBANDS; b++)
		dlo[b] = (int)br_get(&br, 16);
	if (memcmp(m4, magic, 4) || drate != w.rate || dch != w.channels || dframes != w.frames ||
	    dbands != nbands || memcmp(dlo, band_lo, sizeof(int) * (nbands + 1))) {
		printf("decode: bad header\n");
		return 1;
	}
	double *outpcm[MAXCH];
	for (int c = 0; c < dch; c++) {
		outpcm[c] = wl_xmalloc(prog, sizeof(double) * ((size_t)ngran * M + M));
		memset(outpcm[c], 0, sizeof(double) * ((size_t)ngran * M + M));
	}
	for (uint32_t gi = 0; gi < ngran; gi++)
		for (int c = 0; c < dch; c++) {
			int gain = (int)br_get(&br, 8), sf[MAXBANDS], rice[MAXBANDS];
			for (int b = 0; b < nbands; b++) {
				sf[b] = (int)br_get(&br, 4);
				rice[b] = (int)br_get(&br, 4);
			}
			for (int b = 0; b < nbands; b++) {
				double step = ipow[exponent(gain, sf[b])];
				for (int k = band_lo[b]; k < band_lo[b + 1]; k++) {
					X[k] = 0;
					if (rice[b] == 15)
						continue;
					uint32_t hi = 0;
					while (!br_get(&br, 1) && !br.bad)
						hi++;
					uint32_t q = hi << rice[b] | br_get(&br, rice[b]);
					if (q > IXMAX)
						q = IXMAX;
					X[k] = pow43[q] * step;
					if (q && br_get(&br, 1))
						X[k] = -X[k];
				}
			}
			if (br.bad)
				break;
			/* granule gi covers output samples gi*M - M .. gi*M + M: buffer offset gi*M */
			imdct_add(X, outpcm[c] + (size_t)gi * M);
		}
	/* decoded sample s of channel c is outpcm[c][s + M] */
	double sig = 0, err = 0, maxerr = 0;
	for (int c = 0; c < dch; c++)
		for (uint32_t s = 0; s < w.frames; s++) {
			double a = w.pcm[c][s], d = outpcm[c][s + M] - a;
			sig += a * a;
			err += d * d;
			if (fabs(d) > maxerr)
				maxerr = fabs(d);
		}
	uint64_t t2 = wl_now_ns();
	if (br.bad) {
		printf("decode: TRUNCATED\n");
		return 1;
	}
	printf("decode: %u frames, snr=%.2f dB, max error=%.1f (16-bit units)\n", w.frames,
	       err > 0 ? 10.0 * log10(sig / err) : 999.0, maxerr);

	wl_time("encode", t1 - t0);
	wl_time("decode", t2 - t1);
	return 0;
}

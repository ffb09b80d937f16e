/*
 * fhourstone: a connect-4 solver in the manner of John Tromp's Fhourstones benchmark (our own
 * implementation of the published method): bitboards, alpha-beta (negamax) search over the
 * five scores LOSS < DRAWLOSS < DRAW < DRAWWIN < WIN, forced-move pruning, move ordering by a
 * history table, and a transposition table of 64 MiB (the original's size) that is cleared
 * (i.e. written in full) before every position. Memory/TLB pressure is the point.
 *
 * Board: 7 columns x 6 rows; bit 7*c + r is column c, row r (row 6 of every column is a guard
 * bit that is never set). A position's key is own stones + occupied mask + bottom row (unique,
 * 49 bits); in the first 10 plies the smaller of it and its mirror image's key is used, so
 * mirrored positions share entries.
 *
 * Transposition table: a prime number of 16-byte buckets (tt_mib * 65536 rounded down to a
 * prime), bucket = key % buckets. Each bucket holds two slots of 64 bits, key << 9 | work << 3 |
 * score: slot 0 keeps the entry with the most work (log2 of the nodes its search took), slot 1
 * takes whatever slot 0 refused. Keys are stored whole, so lookups are exact.
 *
 * usage: fhourstone [tt-MiB [positions]]
 *   tt-MiB     transposition table size, 1..1024 (default 64)
 *   positions  how many of the built-in positions to solve, easiest first (default all)
 * full size: `fhourstone` (64 MiB, all 9 positions); tests: `fhourstone 1 2` (1 MiB, 2 positions).
 * output: per position the moves, the game-theoretic result, nodes searched and TT statistics;
 * then totals and a CRC of all results (deterministic for a given table size).
 */
#include "wl.h"

#define WIDTH 7
#define HEIGHT 6
#define H1 (HEIGHT + 1)
#define H2 (HEIGHT + 2)
#define SIZE (WIDTH * HEIGHT)
#define SIZE1 (H1 * WIDTH)

typedef uint64_t bitboard;
#define ALL1 ((((bitboard)1) << SIZE1) - 1)
#define COL1 ((((bitboard)1) << H1) - 1)
#define BOTTOM (ALL1 / COL1)
#define TOP (BOTTOM << HEIGHT)

enum { UNKNOWN = 0, LOSS = 1, DRAWLOSS = 2, DRAW = 3, DRAWWIN = 4, WIN = 5, LOSSWIN = 6 };

static bitboard color[2];
static int moves[SIZE];
static int nplies;
static int height[WIDTH]; /* bit index of the lowest free cell of each column */
static int history[2][SIZE1];
static uint64_t nodes, tt_stores, tt_hits;

/* ---- board ---- */

static void reset_board(void)
{
	nplies = 0;
	color[0] = color[1] = 0;
	for (int i = 0; i < WIDTH; i++)
		height[i] = H1 * i;
}

static inline int islegal(bitboard b)
{
	return (b & TOP) == 0;
}

static inline int haswon(bitboard b)
{
	bitboard y = b & (b >> HEIGHT); /* diagonal \ */
	if (y & (y >> 2 * HEIGHT))
		return 1;
	y = b & (b >> H1); /* horizontal */
	if (y & (y >> 2 * H1))
		return 1;
	y = b & (b >> H2); /* diagonal / */
	if (y & (y >> 2 * H2))
		return 1;
	y = b & (b >> 1); /* vertical */
	return (y & (y >> 2)) != 0;
}

static inline int islegalhaswon(bitboard b)
{
	return islegal(b) && haswon(b);
}

static inline int isplayable(int col)
{
	return islegal(color[nplies & 1] | ((bitboard)1 << height[col]));
}

static inline void makemove(int col)
{
	color[nplies & 1] ^= (bitboard)1 << height[col]++;
	moves[nplies++] = col;
}

static inline void backmove(void)
{
	int col = moves[--nplies];
	color[nplies & 1] ^= (bitboard)1 << --height[col];
}

/* own stones + occupied cells + bottom row: unique for every position */
static inline bitboard positioncode(void)
{
	return color[nplies & 1] + color[0] + color[1] + BOTTOM;
}

static bitboard mirror(bitboard k)
{
	bitboard m = 0;
	for (int c = 0; c < WIDTH; c++)
		m |= ((k >> (H1 * c)) & COL1) << (H1 * (WIDTH - 1 - c));
	return m;
}

/* ---- transposition table ---- */

static uint64_t *tt; /* 2 slots per bucket */
static uint32_t buckets;

static int isprime(uint32_t n)
{
	if (n < 2)
		return 0;
	for (uint32_t d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

static void tt_clear(void)
{
	memset(tt, 0, (size_t)buckets * 16);
}

static inline uint64_t *tt_bucket(bitboard key)
{
	return tt + 2 * (size_t)(key % buckets);
}

static int tt_lookup(bitboard key)
{
	uint64_t *b = tt_bucket(key);
	if (b[0] >> 9 == key)
		return (int)(b[0] & 7);
	if (b[1] >> 9 == key)
		return (int)(b[1] & 7);
	return UNKNOWN;
}

static void tt_store(bitboard key, int score, int work)
{
	uint64_t *b = tt_bucket(key);
	uint64_t e = key << 9 | (uint64_t)work << 3 | (uint64_t)score;
	tt_stores++;
	if (b[0] >> 9 == key || work >= (int)(b[0] >> 3 & 63))
		b[0] = e;
	else
		b[1] = e;
}

/* Mirror images share an entry early in the game, where they are common (as the original). */
#define SYMMETRY_PLIES 10

static inline bitboard tt_key(void)
{
	bitboard k = positioncode();
	if (nplies >= SYMMETRY_PLIES)
		return k;
	bitboard m = mirror(k);
	return m < k ? m : k;
}

/* ---- search ---- */

/* History starts as the number of four-in-a-row lines through each cell (centre first). */
static void init_history(void)
{
	static const int dirs[4][2] = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 1, -1 } };
	for (int c = 0; c < WIDTH; c++)
		for (int r = 0; r < H1; r++) {
			int lines = 0;
			if (r < HEIGHT)
				for (int d = 0; d < 4; d++)
					for (int s = 0; s < 4; s++) {
						int c0 = c - s * dirs[d][0], r0 = r - s * dirs[d][1];
						int c3 = c0 + 3 * dirs[d][0], r3 = r0 + 3 * dirs[d][1];
						if (c0 >= 0 && c0 < WIDTH && r0 >= 0 && r0 < HEIGHT &&
						    c3 >= 0 && c3 < WIDTH && r3 >= 0 && r3 < HEIGHT)
							lines++;
					}
			history[0][H1 * c + r] = history[1][H1 * c + r] = lines;
		}
}

static int ab(int alpha, int beta)
{
	int av[WIDTH], nav, i, j, side, otherside, score, ttscore, besti;
	bitboard other, newbrd;

	nodes++;
	if (nplies == SIZE - 1) /* one cell left: the mover cannot win with it (see below) */
		return DRAW;
	side = nplies & 1;
	otherside = side ^ 1;
	other = color[otherside];
	/*
	 * Invariant: the side to move has no immediate win (the root is checked by solve(), and
	 * every move is chosen so the opponent cannot win at once or on top of it). Collect the
	 * moves that do not lose at once; a threat of the opponent forces the reply.
	 */
	for (i = nav = 0; i < WIDTH; i++) {
		newbrd = other | ((bitboard)1 << height[i]);
		if (!islegal(newbrd))
			continue;
		int winontop = islegalhaswon(other | ((bitboard)2 << height[i]));
		if (haswon(newbrd)) { /* must block here */
			if (winontop) /* and the opponent wins on top of the block */
				return LOSS;
			nav = 0;
			av[nav++] = i;
			while (++i < WIDTH)
				if (islegalhaswon(other | ((bitboard)1 << height[i])))
					return LOSS; /* a second threat */
			break;
		}
		if (!winontop)
			av[nav++] = i;
	}
	if (nav == 0)
		return LOSS;
	if (nplies == SIZE - 2) /* two cells left and a safe move: nobody can win any more */
		return DRAW;
	if (nav == 1) { /* forced: no table entry for it */
		makemove(av[0]);
		score = LOSSWIN - ab(LOSSWIN - beta, LOSSWIN - alpha);
		backmove();
		return score;
	}
	bitboard key = tt_key();
	ttscore = tt_lookup(key);
	if (ttscore != UNKNOWN) {
		tt_hits++;
		if (ttscore == DRAWLOSS) {
			if ((beta = DRAW) <= alpha)
				return ttscore;
		} else if (ttscore == DRAWWIN) {
			if ((alpha = DRAW) >= beta)
				return ttscore;
		} else {
			return ttscore; /* exact */
		}
	}
	uint64_t nodes0 = nodes;
	besti = 0;
	score = LOSS;
	for (i = 0; i < nav; i++) {
		/* move ordering: bring the move with the best history value to position i */
		int l = i, val = history[side][height[av[i]]];
		for (j = i + 1; j < nav; j++) {
			int v = history[side][height[av[j]]];
			if (v > val) {
				val = v;
				l = j;
			}
		}
		int col = av[l];
		for (; l > i; l--)
			av[l] = av[l - 1];
		av[i] = col;
		makemove(col);
		val = LOSSWIN - ab(LOSSWIN - beta, LOSSWIN - alpha);
		backmove();
		if (val > score) {
			besti = i;
			if ((score = val) > alpha && (alpha = val) >= beta) {
				if (score == DRAW && i < nav - 1)
					score = DRAWWIN; /* cut off: at least a draw */
				break;
			}
		}
	}
	if (score == LOSSWIN - ttscore) /* a lower and an upper bound of a draw: exact */
		score = DRAW;
	uint64_t work = nodes - nodes0;
	int lg = 0;
	while (work >>= 1)
		lg++;
	tt_store(key, score, lg > 63 ? 63 : lg);
	if (besti > 0) { /* the best move gains what the moves tried before it lose */
		for (i = 0; i < besti; i++)
			history[side][height[av[i]]]--;
		history[side][height[av[besti]]] += besti;
	}
	return score;
}

static int solve(void)
{
	int side = nplies & 1;
	for (int i = 0; i < WIDTH; i++)
		if (islegalhaswon(color[side] | ((bitboard)1 << height[i])))
			return WIN;
	if (nplies == SIZE)
		return DRAW;
	return ab(LOSS, WIN);
}

/*
 * Built-in positions (the original reads them from its "inputs" file), as the columns played
 * (1..7) from the empty board, easiest first.
 */
static const char *const positions[] = {
	"2557544745446",  /* 13 plies */
	"44446115454",    /* 11 */
	"37317155542343", /* 14, a draw */
	"4342354",        /* 7 */
	"4224225513537",  /* 13 */
	"451244412463",   /* 12 */
	"3134454",        /* 7 */
	"444444562",      /* 9 */
	"424713",         /* 6 */
};
#define NPOS (int)(sizeof positions / sizeof positions[0])

static const char *const result_name[] = { "?", "loss", "draw or loss", "draw", "draw or win", "win" };

int main(int argc, char **argv)
{
	uint32_t mib = argc > 1 ? (uint32_t)wl_arg("fhourstone", "table size (MiB)", argv[1]) : 64;
	int npos = argc > 2 ? (int)wl_arg("fhourstone", "position count", argv[2]) : NPOS;
	if (mib < 1 || mib > 1024) {
		fprintf(stderr, "fhourstone: table size must be 1..1024 MiB\n");
		return 2;
	}
	if (npos < 1 || npos > NPOS) {
		fprintf(stderr, "fhourstone: position count must be 1..%d\n", NPOS);
		return 2;
	}
	buckets = mib * 65536u;
	while (!isprime(buckets))
		buckets--;
	tt = wl_xmalloc("fhourstone", (size_t)buckets * 16);
	printf("fhourstone: %dx%d board, transposition table %u buckets x 2 slots (%u bytes), "
	       "%d positions\n", WIDTH, HEIGHT, buckets, buckets * 16, npos);

	uint32_t crc = 0;
	uint64_t total_nodes = 0, total_ns = 0;
	for (int p = 0; p < npos; p++) {
		const char *mv = positions[p];
		reset_board();
		for (const char *c = mv; *c; c++) {
			int col = *c - '1';
			if (col < 0 || col >= WIDTH || !isplayable(col) ||
			    haswon(color[(nplies & 1) ^ 1])) {
				fprintf(stderr, "fhourstone: bad position %s\n", mv);
				return 1;
			}
			makemove(col);
		}
		uint64_t t0 = wl_now_ns();
		tt_clear(); /* the whole table, every position, as the original */
		init_history();
		nodes = tt_stores = tt_hits = 0;
		int r = solve();
		uint64_t t1 = wl_now_ns();
		printf("position %d: %-16s %2d-ply  %s to move: %-5s nodes=%llu tt-stores=%llu "
		       "tt-hits=%llu\n",
		       p + 1, mv, nplies, nplies & 1 ? "second" : "first", result_name[r],
		       (unsigned long long)nodes, (unsigned long long)tt_stores,
		       (unsigned long long)tt_hits);
		char t[16];
		snprintf(t, sizeof t, "position-%d", p + 1);
		wl_time(t, t1 - t0);
		uint32_t rec[5] = { (uint32_t)p, (uint32_t)r, (uint32_t)nodes,
				    (uint32_t)tt_stores, (uint32_t)tt_hits };
		crc = wl_crc32(crc, rec, sizeof rec);
		total_nodes += nodes;
		total_ns += t1 - t0;
	}
	printf("fhourstone: total nodes=%llu results-crc=%08x\n", (unsigned long long)total_nodes,
	       crc);
	wl_time("fhourstone", total_ns);
	if (total_ns)
		printf("time: fhourstone %.1f Knodes/s\n", total_nodes * 1e6 / (double)total_ns);
	return 0;
}

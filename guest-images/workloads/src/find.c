/*
 * find: the seed's last workload (`cd /; find -name "*.wav*"` over the whole disk): walk a
 * directory tree and print the names that match a shell pattern. Little computation, many
 * system calls: openat(O_DIRECTORY) and getdents64 (through fdopendir/readdir) for every
 * directory, fstatat(AT_SYMLINK_NOFOLLOW) for every entry (as busybox find does).
 *
 * usage: find [root [pattern]]     default: root "/", pattern "*.wav*"
 *   full size: the whole disk, or the generated data tree: `find /data "*.wav*"`
 *   tests:     a part of the generated tree, e.g. `find <data>/tree/usr/share "*.wav*"`
 * The pattern is matched against each entry's name (not the root's), with our own matcher
 * for `*`, `?`, `[...]` (ranges, `!`/`^` negation) and `\` escapes, like fnmatch(3) without
 * flags.
 *
 * Output does not depend on the order in which the file system lists directories: the
 * matches are printed sorted, as paths relative to the root ("./a/b.wav"), then the counts of
 * directories, regular files, other entries, the bytes in regular files, the deepest level
 * and an order-independent hash of all relative paths.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64 /* readdir64: 64-bit inode numbers and offsets */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wl.h"

static const char *prog = "find";
static const char *pattern;

static unsigned long ndirs, nfiles, nother, nerrors, maxdepth;
static unsigned long long nbytes;
static uint32_t pathhash; /* sum of FNV-1a hashes of the relative paths */

static char **matches;
static size_t nmatches, capmatches;

/* Shell pattern match of a whole name (fnmatch(3) with no flags). */
static int match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return 1;
			star_p = p;
			star_s = s;
			continue;
		}
		if (!*s)
			return !*p;
		int ok = 0;
		const char *next = p + 1;
		if (*p == '?') {
			ok = 1;
		} else if (*p == '[') {
			const char *q = p + 1;
			int neg = 0, found = 0;
			if (*q == '!' || *q == '^') {
				neg = 1;
				q++;
			}
			const char *first = q;
			while (*q && (*q != ']' || q == first)) {
				unsigned char lo = (unsigned char)*q, hi = lo;
				if (*q == '\\' && q[1])
					lo = hi = (unsigned char)*++q;
				if (q[1] == '-' && q[2] && q[2] != ']') {
					hi = (unsigned char)q[2];
					if (q[2] == '\\' && q[3])
						hi = (unsigned char)q[3], q++;
					q += 2;
				}
				if ((unsigned char)*s >= lo && (unsigned char)*s <= hi)
					found = 1;
				q++;
			}
			if (*q == ']') {
				ok = found != neg;
				next = q + 1;
			} else { /* no closing bracket: '[' is an ordinary character */
				ok = *s == '[';
			}
		} else if (*p == '\\' && p[1]) {
			ok = p[1] == *s;
			next = p + 2;
		} else {
			ok = *p && *p == *s;
		}
		if (ok) {
			p = next;
			s++;
		} else if (star_p) { /* let the last '*' swallow one more character */
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void add_match(const char *path)
{
	if (nmatches == capmatches) {
		capmatches = capmatches ? 2 * capmatches : 64;
		matches = realloc(matches, capmatches * sizeof *matches);
		if (!matches) {
			fprintf(stderr, "%s: out of memory\n", prog);
			exit(1);
		}
	}
	matches[nmatches] = strdup(path);
	if (!matches[nmatches++]) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
}

/* Walks the directory open as fd (path = its path relative to the root); closes fd. */
static void walk(int fd, char *path, size_t len, unsigned long depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		nerrors++;
		close(fd);
		return;
	}
	if (depth > maxdepth)
		maxdepth = depth;
	struct dirent *e;
	for (;;) {
		errno = 0;
		if (!(e = readdir(d))) {
			if (errno) {
				fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
				nerrors++;
			}
			break;
		}
		const char *name = e->d_name;
		if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
			continue;
		size_t nl = strlen(name);
		if (len + 1 + nl + 1 > PATH_MAX) {
			nerrors++;
			continue;
		}
		path[len] = '/';
		memcpy(path + len + 1, name, nl + 1);
		pathhash += fnv1a(path);
		struct stat st;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW)) {
			fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
			nerrors++;
			path[len] = 0;
			continue;
		}
		if (match(pattern, name))
			add_match(path);
		if (S_ISDIR(st.st_mode)) {
			ndirs++;
			int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
				nerrors++;
			} else {
				walk(sub, path, len + 1 + nl, depth + 1);
			}
		} else if (S_ISREG(st.st_mode)) {
			nfiles++;
			nbytes += (unsigned long long)st.st_size;
		} else {
			nother++;
		}
		path[len] = 0;
	}
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "/";
	pattern = argc > 2 ? argv[2] : "*.wav*";
	static char path[PATH_MAX];
	uint64_t t0 = wl_now_ns();
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, root, strerror(errno));
		return 1;
	}
	strcpy(path, ".");
	walk(fd, path, 1, 0);
	uint64_t t1 = wl_now_ns();
	qsort(matches, nmatches, sizeof *matches, cmp);
	for (size_t i = 0; i < nmatches; i++)
		puts(matches[i]);
	printf("find: pattern \"%s\": %zu matches; %lu directories, %lu files (%llu bytes), "
	       "%lu other, deepest level %lu, path hash %08x, %lu errors\n",
	       pattern, nmatches, ndirs, nfiles, nbytes, nother, maxdepth, pathhash, nerrors);
	wl_time("find", t1 - t0);
	return nerrors ? 1 : 0;
}

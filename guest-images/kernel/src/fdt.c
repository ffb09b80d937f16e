/* Flattened device tree reader (see fdt.h). */
#include "kernel.h"
#include "fdt.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static const u8 *blob;
static const u8 *structs;
static const char *strings;
static u32 struct_size, total_size;

static u32 be32(const void *p) { return *(const u32 *)p; }   /* the 440 is big-endian */

int fdt_init(const void *b)
{
	const u32 *h = b;
	if (be32(&h[0]) != FDT_MAGIC || be32(&h[6]) < 16) return -1;
	blob = b;
	total_size = be32(&h[1]);
	structs = blob + be32(&h[2]);
	strings = (const char *)blob + be32(&h[3]);
	struct_size = be32(&h[9]);
	return 0;
}

u32 fdt_total_size(void) { return total_size; }

static u32 align4(u32 x) { return (x + 3) & ~3u; }

/* Offset of the token after the one at `off`. */
static int next_token(int off, u32 *tag)
{
	u32 t = be32(structs + off);
	*tag = t;
	off += 4;
	switch (t) {
	case FDT_BEGIN_NODE:
		return align4(off + strlen((const char *)structs + off) + 1);
	case FDT_PROP: {
		u32 len = be32(structs + off);
		return align4(off + 8 + len);
	}
	default:
		return off;
	}
}

int fdt_root(void) { return 0; }

const char *fdt_name(int node) { return (const char *)structs + node + 4; }

/* Walks the tree from `node` (a BEGIN_NODE) to the token after its END_NODE. */
static int skip_node(int node)
{
	int depth = 0, off = node;
	u32 tag;
	do {
		off = next_token(off, &tag);
		if (tag == FDT_BEGIN_NODE) depth++;
		else if (tag == FDT_END_NODE) depth--;
		else if (tag == FDT_END) return -1;
	} while (depth > 0);
	return off;
}

int fdt_first_child(int node)
{
	u32 tag;
	int off = next_token(node, &tag);
	for (;;) {
		int here = off;
		off = next_token(off, &tag);
		if (tag == FDT_BEGIN_NODE) return here;
		if (tag == FDT_END_NODE || tag == FDT_END) return -1;
	}
}

int fdt_next_sibling(int node)
{
	int off = skip_node(node);
	if (off < 0) return -1;
	for (;;) {
		u32 tag;
		int here = off;
		off = next_token(off, &tag);
		if (tag == FDT_BEGIN_NODE) return here;
		if (tag != FDT_NOP) return -1;
	}
}

const void *fdt_prop(int node, const char *name, int *len)
{
	u32 tag;
	int off = next_token(node, &tag);
	for (;;) {
		int here = off;
		off = next_token(off, &tag);
		if (tag == FDT_PROP) {
			u32 plen = be32(structs + here + 4);
			u32 nameoff = be32(structs + here + 8);
			if (strcmp(strings + nameoff, name) == 0) {
				if (len) *len = plen;
				return structs + here + 12;
			}
		} else if (tag != FDT_NOP) {
			return NULL;    /* properties come before child nodes */
		}
	}
}

bool fdt_prop_u32(int node, const char *name, u32 *out)
{
	int len;
	const void *p = fdt_prop(node, name, &len);
	if (!p || len < 4) return false;
	*out = be32(p);
	return true;
}

const char *fdt_prop_str(int node, const char *name)
{
	int len;
	const char *p = fdt_prop(node, name, &len);
	if (!p || len < 1 || p[len - 1] != 0) return NULL;
	return p;
}

bool fdt_is_compatible(int node, const char *compat)
{
	int len;
	const char *p = fdt_prop(node, "compatible", &len);
	if (!p) return false;
	for (int i = 0; i < len; i += strlen(p + i) + 1)
		if (strcmp(p + i, compat) == 0) return true;
	return false;
}

/* The node's name matches a path component: exact, or without the unit address. */
static bool name_matches(const char *name, const char *comp, int n)
{
	if (strncmp(name, comp, n) != 0) return false;
	if (name[n] == 0) return true;
	if (name[n] != '@') return false;
	for (int i = 0; i < n; i++)
		if (comp[i] == '@') return false;   /* the component has its own unit address */
	return true;
}

int fdt_path(const char *path)
{
	int node = 0;
	if (*path != '/') return -1;
	while (*path) {
		while (*path == '/') path++;
		if (!*path) break;
		int n = 0;
		while (path[n] && path[n] != '/') n++;
		int c;
		for (c = fdt_first_child(node); c >= 0; c = fdt_next_sibling(c))
			if (name_matches(fdt_name(c), path, n)) break;
		if (c < 0) return -1;
		node = c;
		path += n;
	}
	return node;
}

int fdt_next_compatible(int after, const char *compat)
{
	int off = after < 0 ? 0 : after;
	u32 tag;
	if (after >= 0) off = next_token(off, &tag);
	while (off < (int)struct_size) {
		int here = off;
		off = next_token(off, &tag);
		if (tag == FDT_END) break;
		if (tag == FDT_BEGIN_NODE && fdt_is_compatible(here, compat)) return here;
	}
	return -1;
}

int fdt_parent(int node)
{
	int stack[32], depth = 0, off = 0;
	u32 tag;
	while (off < (int)struct_size) {
		int here = off;
		off = next_token(off, &tag);
		if (tag == FDT_BEGIN_NODE) {
			if (here == node) return depth ? stack[depth - 1] : -1;
			if (depth < 32) stack[depth] = here;
			depth++;
		} else if (tag == FDT_END_NODE) {
			depth--;
		} else if (tag == FDT_END) {
			break;
		}
	}
	return -1;
}

int fdt_address_cells(int bus)
{
	u32 v;
	return fdt_prop_u32(bus, "#address-cells", &v) ? (int)v : 2;
}

int fdt_size_cells(int bus)
{
	u32 v;
	return fdt_prop_u32(bus, "#size-cells", &v) ? (int)v : 1;
}

static u64 read_cells(const u32 *p, int n)
{
	u64 v = 0;
	for (int i = 0; i < n; i++) v = (v << 32) | be32(&p[i]);
	return v;
}

bool fdt_reg(int node, int i, u64 *addr, u64 *size)
{
	int bus = fdt_parent(node);
	if (bus < 0) return false;
	int ac = fdt_address_cells(bus), sc = fdt_size_cells(bus), len;
	const u32 *reg = fdt_prop(node, "reg", &len);
	if (!reg || (i + 1) * (ac + sc) * 4 > len) return false;
	u64 a = read_cells(reg + i * (ac + sc), ac);
	if (size) *size = read_cells(reg + i * (ac + sc) + ac, sc);
	/* up the tree: each bus's "ranges" maps its children's addresses into its parent's */
	int child_ac = ac;
	for (int b = bus; b > 0; ) {
		int parent = fdt_parent(b);
		if (parent < 0) break;
		int pac = fdt_address_cells(parent), bsc = fdt_size_cells(b);
		const u32 *r = fdt_prop(b, "ranges", &len);
		if (!r) return false;               /* no ranges: not translatable */
		if (len > 0) {
			int entry = child_ac + pac + bsc, k;
			for (k = 0; (k + 1) * entry * 4 <= len; k++) {
				u64 cb = read_cells(r + k * entry, child_ac);
				u64 pb = read_cells(r + k * entry + child_ac, pac);
				u64 sz = read_cells(r + k * entry + child_ac + pac, bsc);
				if (a >= cb && a - cb < sz) { a = a - cb + pb; break; }
			}
			if ((k + 1) * entry * 4 > len) return false;
		}
		child_ac = pac;
		b = parent;
	}
	*addr = a;
	return true;
}

u32 fdt_interrupt_parent(int node)
{
	for (int n = node; n >= 0; n = fdt_parent(n)) {
		u32 ph;
		if (fdt_prop_u32(n, "interrupt-parent", &ph)) return ph;
	}
	return 0;
}

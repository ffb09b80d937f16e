/*
 * Reading the flattened device tree (DTB v16/17) the boot loader leaves in RAM (r3). Nodes are
 * named by the offset of their FDT_BEGIN_NODE token in the structure block; lookups go by path,
 * by compatible string or by phandle, never by fixed offsets.
 */
#ifndef FDT_H
#define FDT_H
#include "types.h"

int fdt_init(const void *blob);                 /* 0 if the header is valid */
u32 fdt_total_size(void);
int fdt_root(void);
int fdt_path(const char *path);                 /* "/chosen", "/plb/opb/serial@ef600300"; -1 */
int fdt_next_compatible(int after, const char *compat);   /* after = -1 to start; -1 at the end */
int fdt_first_child(int node);                  /* -1 if none */
int fdt_next_sibling(int node);                 /* -1 if none */
int fdt_parent(int node);                       /* -1 for the root */
const char *fdt_name(int node);
const void *fdt_prop(int node, const char *name, int *len);
bool fdt_prop_u32(int node, const char *name, u32 *out);   /* first cell */
const char *fdt_prop_str(int node, const char *name);
bool fdt_is_compatible(int node, const char *compat);
int fdt_address_cells(int bus);                 /* of the children of `bus` */
int fdt_size_cells(int bus);
/* Entry i of a node's "reg", translated through the parents' "ranges" to a CPU physical
 * address. */
bool fdt_reg(int node, int i, u64 *addr, u64 *size);
/* The interrupt-parent phandle in effect for a node (inherited from its ancestors). */
u32 fdt_interrupt_parent(int node);
#endif

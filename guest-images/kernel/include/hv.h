/*
 * Hypervisor detection (hv.c). A paravirtualizing host describes itself with a device-tree node
 * /hypervisor (compatible "linux,kvm" as in Linux's epapr/KVM PV ABI, or "hv440"); its
 * properties (e.g. hcall-instructions: the instruction sequence to issue hypercalls with) are
 * what a paravirtualized kernel needs: hv_detect runs at boot and reports what it found, and
 * pv_init (pv.c) uses it.
 */
#ifndef HV_H
#define HV_H
#include "types.h"

struct hv_info {
	bool present;
	int node;
	const char *compatible;     /* the first compatible string that matched */
	u32 hcall[4];               /* "hcall-instructions" */
	int hcall_words;
	int nprops;                 /* properties of the node */
};

bool hv_detect(struct hv_info *out);
#endif

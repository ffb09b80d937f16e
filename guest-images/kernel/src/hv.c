/* Hypervisor detection: see hv.h. */
#include "kernel.h"
#include "hv.h"
#include "fdt.h"

static const char *const known[] = { "hv440", "linux,kvm" };

bool hv_detect(struct hv_info *hv)
{
	memset(hv, 0, sizeof *hv);
	hv->node = -1;
	int node = fdt_path("/hypervisor");
	for (u32 k = 0; node < 0 && k < ARRAY_SIZE(known); k++) node = fdt_next_compatible(-1, known[k]);
	if (node < 0) return false;
	for (u32 k = 0; k < ARRAY_SIZE(known); k++)
		if (fdt_is_compatible(node, known[k])) hv->compatible = known[k];
	if (!hv->compatible) return false;
	hv->present = true;
	hv->node = node;
	int len;
	const u32 *hc = fdt_prop(node, "hcall-instructions", &len);
	if (hc) {
		hv->hcall_words = len / 4 < 4 ? len / 4 : 4;
		for (int i = 0; i < hv->hcall_words; i++) hv->hcall[i] = hc[i];
	}
	static const char *const props[] = { "compatible", "hcall-instructions", "guest-id", "guest-name", "has-idle" };
	for (u32 k = 0; k < ARRAY_SIZE(props); k++)
		if (fdt_prop(node, props[k], NULL)) hv->nprops++;
	return true;
}

/*
 * Boot: start_kernel runs on the idle task's stack once head.S has mapped the kernel; it sets up
 * the vectors, reads the device tree, brings up memory, the MMU, interrupts, the console, the
 * timer and the disk, then starts pid 1 (kernel_init) and becomes the idle loop. kernel_init
 * mounts the filesystems and executes /sbin/init (or init=), handing it the run= command.
 */
#include "kernel.h"
#include "ppc.h"
#include "mm.h"
#include "alloc.h"
#include "mmu.h"
#include "fdt.h"
#include "irq.h"
#include "console.h"
#include "timer.h"
#include "sched.h"
#include "blk.h"
#include "vfs.h"
#include "hv.h"
#include "pv.h"
#include "syscall.h"

struct bootparams boot;

extern char _stext[], _etext[], _sdata[], _edata[], __bss_start[], __bss_end[], _end[];
extern char vector_0[], vector_1[], vector_2[], vector_3[], vector_4[], vector_5[], vector_6[], vector_7[],
	vector_8[], vector_9[], vector_10[], vector_11[], vector_12[], vector_13[], vector_14[], vector_15[];

static void trap_init(void)
{
	mtspr(SPRN_IVPR, KERNELBASE);
#define IVOR(n) mtspr(SPRN_IVOR0 + n, (u32)vector_##n & 0xfff0)
	IVOR(0); IVOR(1); IVOR(2); IVOR(3); IVOR(4); IVOR(5); IVOR(6); IVOR(7);
	IVOR(8); IVOR(9); IVOR(10); IVOR(11); IVOR(12); IVOR(13); IVOR(14); IVOR(15);
#undef IVOR
	isync();
}

/* bootargs: init=PATH, quiet, run=PATH ARGS... (the rest of the line, "quotes" group words) */
static void parse_cmdline(void)
{
	char *p = boot.cmdline;
	boot.init = "/sbin/init";
	while (*p) {
		while (*p == ' ') p++;
		if (!*p) break;
		bool run = strncmp(p, "run=", 4) == 0;
		char *word = p, *w = p;
		bool quoted = false;
		while (*p && (quoted || *p != ' ')) {
			if (*p == '"') { quoted = !quoted; p++; continue; }
			*w++ = *p++;
		}
		if (*p) p++;
		*w = 0;
		if (run) {
			boot.run_argv[boot.run_argc++] = word + 4;
			/* everything after run= belongs to the program */
			while (*p && boot.run_argc < (int)ARRAY_SIZE(boot.run_argv) - 1) {
				while (*p == ' ') p++;
				if (!*p) break;
				char *a = p, *o = p;
				quoted = false;
				while (*p && (quoted || *p != ' ')) {
					if (*p == '"') { quoted = !quoted; p++; continue; }
					*o++ = *p++;
				}
				if (*p) p++;
				*o = 0;
				boot.run_argv[boot.run_argc++] = a;
			}
			break;
		}
		if (strncmp(word, "init=", 5) == 0) boot.init = word + 5;
		else if (strcmp(word, "quiet") == 0) boot.quiet = true;
		else if (strcmp(word, "nopv") == 0) boot.nopv = true;
		else if (strncmp(word, "pvstress=", 9) == 0)
			for (const char *d = word + 9; *d >= '0' && *d <= '9'; d++) boot.pvstress_ms = boot.pvstress_ms * 10 + (u32)(*d - '0');
	}
}

static void read_device_tree(u32 dtb_pa)
{
	if (fdt_init(__va(dtb_pa)) != 0) {
		/* no console without a device tree: nothing to say it with */
		machine_stop();
	}
	int root = fdt_root();
	boot.model = fdt_prop_str(root, "model");
	for (int n = fdt_first_child(root); n >= 0; n = fdt_next_sibling(n)) {
		const char *type = fdt_prop_str(n, "device_type");
		u64 addr, size;
		if (type && strcmp(type, "memory") == 0 && fdt_reg(n, 0, &addr, &size) && addr == 0)
			boot.mem_bytes = size > 0xfffff000ull ? 0xfffff000u : (u32)size;
	}
	int cpus = fdt_path("/cpus");
	for (int n = cpus >= 0 ? fdt_first_child(cpus) : -1; n >= 0; n = fdt_next_sibling(n)) {
		const char *type = fdt_prop_str(n, "device_type");
		if (!type || strcmp(type, "cpu") != 0) continue;
		boot.cpu_name = fdt_name(n);
		fdt_prop_u32(n, "timebase-frequency", &boot.tb_freq);
		fdt_prop_u32(n, "clock-frequency", &boot.cpu_freq);
		break;
	}
	int chosen = fdt_path("/chosen");
	const char *args = chosen >= 0 ? fdt_prop_str(chosen, "bootargs") : NULL;
	if (args) strlcpy(boot.cmdline, args, sizeof boot.cmdline);
}

static int kernel_init(void *arg);

void start_kernel(u32 dtb_pa)
{
	trap_init();
	read_device_tree(dtb_pa);
	char cmdline[sizeof boot.cmdline];
	strlcpy(cmdline, boot.cmdline, sizeof cmdline);
	parse_cmdline();
	console_quiet = boot.quiet;

	pr_info(KERNEL_NAME " version " KERNEL_VERSION " (gcc " __VERSION__ ") #1 for PowerPC 440 (own kernel, Linux/PowerPC ABI)\n");
	pr_info("Machine: %s; CPU: %s, PVR %08x, %u MHz\n", boot.model ? boot.model : "unknown",
		boot.cpu_name ? boot.cpu_name : "unknown", mfspr(SPRN_PVR), boot.cpu_freq / 1000000);
	if (!boot.mem_bytes || !boot.tb_freq) panic("device tree without memory size or timebase-frequency");
	pr_info("Kernel command line: %s\n", cmdline);
	pr_info("Memory: %u MiB RAM; kernel at 0x%08x: %u KiB text, %u KiB data, %u KiB bss\n", boot.mem_bytes >> 20, KERNELBASE,
		(u32)(_etext - _stext) >> 10, (u32)(_edata - _sdata) >> 10, (u32)(__bss_end - __bss_start) >> 10);

	mem_init(boot.mem_bytes > LOWMEM_MAX ? LOWMEM_MAX : boot.mem_bytes, dtb_pa, fdt_total_size());
	mmu_init(boot.mem_bytes);
	sched_init();
	irq_init();
	uart_init();
	timer_init(boot.tb_freq);
	uart_enable_irq();
	virtio_blk_probe();

	struct hv_info hv;
	if (hv_detect(&hv))
		pr_info("hypervisor: %s (compatible \"%s\"), %d hcall instruction words, %d known properties\n",
			fdt_name(hv.node), hv.compatible, hv.hcall_words, hv.nprops);
	else
		pr_info("hypervisor: none\n");
	pv_init(&hv);

	pr_info("Memory: %uK/%uK available\n", mem_free_pages() * 4, mem_total_pages() * 4);
	if (!kthread_create(kernel_init, NULL, "init")) panic("cannot create the init task");
	irq_enable();
	cpu_idle();
}

static void try_mount(const char *path, struct inode *fs, const char *type)
{
	if (vfs_mount(path, fs) == 0) pr_info("%s: mounted on %s\n", type, path);
	else printk("%s: cannot mount on %s (no such directory)\n", type, path);
}

/* pid 1 before it becomes /sbin/init */
static int kernel_init(void *arg)
{
	if (boot.pvstress_ms) pv_stress(boot.pvstress_ms);
	if (!blk_capacity()) panic("VFS: no root device (virtio-blk disk) found");
	root_inode = ext2_mount();
	if (!root_inode) panic("VFS: Unable to mount root fs on virtio-blk");
	root_inode->sb->dev = 0xfe00;    /* 254:0, like /dev/vda */
	pr_info("VFS: Mounted root (ext2 filesystem) readonly on device 254:0.\n");
	iget(root_inode);
	current->cwd = root_inode;
	current->cwd_path = kstrdup("/");
	struct inode *tmp = tmpfs_mount();
	tmp->sb->dev = 0x0013;
	try_mount("/tmp", tmp, "tmpfs");
	struct inode *dev = devfs_mount();
	dev->sb->dev = 0x0005;
	try_mount("/dev", dev, "devfs");

	for (int fd = 0; fd < 3; fd++) {
		struct file *f = devfs_console_file();
		if (!f || fd_install(f, fd, false) != fd) panic("cannot open the console");
	}

	const char *argv[20];
	int argc = 0;
	argv[argc++] = boot.init;
	for (int i = 0; i < boot.run_argc && argc < 19; i++) argv[argc++] = boot.run_argv[i];
	argv[argc] = NULL;
	static const char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/sbin:/bin", NULL };

	pr_info("Run %s as init process\n", boot.init);
	int e = kernel_execve(boot.init, argv, envp);
	if (e == 0) enter_user(current->regs);
	printk("Failed to execute %s (error %d)\n", boot.init, -e);
	panic("No working init found.  Try passing init= option to kernel.");
}

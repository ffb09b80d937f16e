// hv440's own guest kernel on the bamboo board: the boot log is a golden file, it boots the same
// under the hypervisor, runs static glibc programs like `hv440 user` does, survives a segfaulting
// program, passes its own system-call checks and reports a hypervisor node.
//
// After an intended change to the boot log (a kernel or disk rebuild can change it), regenerate
// the golden file with:  UPDATE_GOLDEN=1 npx vitest run --config test/vitest.config.ts test/kernel
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { node } from "../../src/machine/fdt.ts";
import { EXIT_NAMES } from "../../src/hv/exits.ts";
import { GUEST_IMAGES, bootKernel, programOutput, withoutTimings, type KernelRun } from "./kernel-run.ts";

const GOLDEN = join(import.meta.dirname, "golden", "boot-bare.txt");

let bareBoot: KernelRun | undefined;
const bare = () => (bareBoot ??= bootKernel());

describe("hv440-kernel", () => {
  it("boots bare to the login prompt and powers off; the boot log is the golden one", () => {
    const r = bare();
    expect(r.stop).toMatchObject({ kind: "reset", how: "dbcr0" });
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, r.console);
    expect(r.console).toBe(readFileSync(GOLDEN, "utf8"));
    expect(r.console).toContain("\nhv440 login: root (automatic)\n# \nreboot: Power down\n");
  });

  it("boots with the same console output under the hypervisor (--mode virt)", () => {
    const v = bootKernel({ mode: "virt" });
    expect(v.stop).toMatchObject({ kind: "reset" });
    expect(withoutTimings(v.console)).toBe(withoutTimings(bare().console));
    // the guest really ran deprivileged: its privileged work shows up as exits
    const counts = Object.fromEntries(EXIT_NAMES.map((n, i) => [n, v.stats!.rows[i]!.count]));
    for (const t of ["MMIO", "DCR", "SYSCALL", "DTLBVIRT", "EMUL_TLBWE", "EMUL_WAIT", "EMUL_RFI", "DEC", "EXTINT"]) {
      expect(counts[t], t).toBeGreaterThan(0);
    }
    expect(v.virtualMs).toBeGreaterThan(bare().virtualMs);
  });

  it("runs a static glibc program with the output hv440 user gives (hello)", () => {
    const r = bootKernel({ append: "quiet run=/bin/hello" });
    expect(programOutput(r.console, "/bin/hello")).toBe(
      readFileSync(join(GUEST_IMAGES, "user", "expected", "hello.out"), "utf8"));
    expect(r.console).toContain("init: /bin/hello exited with status 0\n");
    expect(r.stop).toMatchObject({ kind: "reset" });
  });

  it("kills a segfaulting program with a message, and init reports how it ended", () => {
    const r = bootKernel({ append: "quiet run=/bin/ktest segv" });
    expect(programOutput(r.console, "/bin/ktest")).toMatch(/^ktest: storing to address 8\nktest\[2\]: segfault: /);
    expect(r.console).toMatch(/\nktest\[2\]: segfault: unhandled signal 11 \(SIGSEGV\) at 0x00000008 nip 0x[0-9a-f]{8} lr 0x[0-9a-f]{8} code 1 \(write to unmapped address\)\n/);
    expect(r.console).toContain("init: /bin/ktest killed by signal 11 (Segmentation fault)\n");
    expect(r.console).toContain("reboot: Power down\n");
    expect(r.console).not.toContain("Kernel panic");
  });

  it("passes its own system-call checks (fork, pipes, exec, COW, tmpfs, mmap, signals, lazy FP)", () => {
    const r = bootKernel({ append: "quiet run=/bin/ktest" });
    const out = programOutput(r.console, "/bin/ktest") ?? "";
    expect(out.split("\n").filter((l) => l.includes("FAIL"))).toEqual([]);
    expect(out).toMatch(/\nktest: \d+ passed, 0 failed\n$/);
    expect(r.console).toContain("init: /bin/ktest exited with status 0\n");
  });

  it("reads console input by interrupts (ktest read)", () => {
    const r = bootKernel({ append: "quiet run=/bin/ktest read", input: "typed on the console\r", inputAfter: "# /bin/ktest read\r\n" });
    expect(programOutput(r.console, "/bin/ktest")).toBe("ktest: read 21 bytes: typed on the console\n");
  });

  it("finds and reports a /hypervisor node (hv_detect)", () => {
    const hv = node("hypervisor", [["compatible", ["linux,kvm"]], ["hcall-instructions", [0x7c000000, 0x7c000001, 0x7c000002, 0x7c000003]]]);
    const r = bootKernel({ disk: false, extraNodes: [hv] });
    expect(r.console).toContain('hypervisor: hypervisor (compatible "linux,kvm"), 4 hcall instruction words, 2 known properties\n');
    expect(bare().console).toContain("hypervisor: none\n");
  });

  it("bolts all of a bigger RAM, and panics cleanly without a root disk", () => {
    const r = bootKernel({ disk: false, ramMiB: 512 });
    expect(r.console).toContain("Memory: 512 MiB RAM;");
    expect(r.console).toContain("lowmem 512 MiB at 0xc0000000 in 2 bolted 256 MiB entries (slots 62-63)");
    expect(r.console).toContain("Kernel panic - not syncing: VFS: no root device (virtio-blk disk) found\n");
    expect(r.stop).toMatchObject({ kind: "reset" });
  });
});

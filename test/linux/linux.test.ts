// The test:linux tier: Linux 6.1 (guest-images/linux/build.sh, cached outside the repository, the
// catalog's `linux` entry) boots on hv440's bamboo board, bare and under the hypervisor, runs our
// /init (banner, /proc/cpuinfo, /proc/uptime) and stops through the kernel's restart (DBCR0[RST] =
// system); both runs print the same console text apart from timestamps. A panic, a hang and an
// emulation failure are reported with the guest PC and the last console lines, by `hv440 run` and
// by this tier's own runner.
//
// Part of `npm test`: when the cached kernel is missing or stale (`build.sh --check`) it is built
// first (about 4 minutes from an empty cache; build.sh installs missing packages when root).
// HV440_LINUX=0 skips the tier instead.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EmulationFailure } from "../../src/hv/emulate.ts";
import { Exit } from "../../src/hv/exits.ts";
import { formatSummary } from "../../src/report/summary.ts";
import { recordedVirtTable } from "./boot-report.ts";
import { REPO, bootLinux, buildKernel, cachedKernel, normalize, type LinuxRun } from "./linux-run.ts";

const skipReason = process.env.HV440_LINUX === "0" ? "HV440_LINUX=0" : null;

/** A failure message with no host stack under it: the report is the whole story. */
function fail(msg: string): never {
  const e = new Error(msg);
  e.stack = msg;
  throw e;
}

const mb = (n: number) => `${(n / 1e6).toFixed(2)} M`;
const describeRun = (r: LinuxRun) =>
  `linux ${r.mode}: ${mb(r.insns)} instructions, ${r.virtualMs.toFixed(1)} ms virtual, ${(r.hostMs / 1000).toFixed(1)} s host`;

/** `hv440 run ARGS` (the CLI as users run it): exit status, stdout, stderr. */
function hv440(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, "bin", "hv440.mjs"), "run", ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What every failure report must hold: the guest PC named by a kernel symbol, the last lines. */
function expectReport(report: string, lastLine: RegExp) {
  expect(report).toMatch(/guest pc 0x[0-9a-f]{8} <[A-Za-z_][\w.]*\+0x[0-9a-f]+> \(0x[0-9a-f]{8}: [a-z]/);
  expect(report).toMatch(/last console lines:\n/);
  expect(report).toMatch(lastLine);
  expect(report).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m); // no host stack frames
}

if (skipReason !== null) {
  describe("Linux 6.1 guest (test:linux)", () => {
    it(`boots bare and virtualized — skipped: ${skipReason}`, (ctx) => { ctx.skip(skipReason); });
  });
} else {
  describe("Linux 6.1 guest (test:linux)", () => {
    let vmlinux = "";
    let bare: LinuxRun | undefined;
    const bareRun = () => (bare ??= bootLinux(vmlinux, "bare"));

    beforeAll(() => {
      const found = cachedKernel();
      if ("path" in found) vmlinux = found.path;
      else {
        console.warn(`test:linux: building the kernel (${found.missing})`);
        vmlinux = buildKernel();
      }
    }, 40 * 60_000);

    it("boots bare to /init, which prints its report, and stops through the kernel's restart", () => {
      const r = bareRun();
      console.log(describeRun(r));
      if (r.failure) fail(r.failure);
      const con = r.console;
      expect(con).toMatch(/Linux version 6\.1\.\d+ \(hv440@hv440\)/);
      expect(con).toContain("Hardware name: amcc,bamboo 440EPX");
      expect(con).toContain("Kernel command line: console=ttyS0,115200\n");
      expect(con).toContain("Run /init as init process");
      expect(con).toContain("hv440-init: hello from /init, our own static program");
      expect(con).toMatch(/hv440-init: running on Linux 6\.1\.\d+ #1 .* ppc\n/);
      const cpuinfo = /hv440-init: --- \/proc\/cpuinfo ---\n([\s\S]*?)hv440-init: --- \/proc\/uptime ---\n([^\n]*)\n/.exec(con);
      expect(cpuinfo, "the /proc/cpuinfo and /proc/uptime sections of /init's output").not.toBeNull();
      expect(cpuinfo![1]).toMatch(/^cpu\t\t: 440EPX$/m);
      expect(cpuinfo![1]).toMatch(/^model\t\t: amcc,bamboo$/m);
      expect(cpuinfo![1]).toMatch(/^Memory\t\t: 128 MB$/m);
      expect(cpuinfo![2]).toMatch(/^\d+\.\d\d \d+\.\d\d$/);
      expect(con).toContain("hv440-init: restarting the machine");
      expect(con).toContain("reboot: Restarting system");
      expect(con).not.toMatch(/hv440-init: FAIL/);
      expect(r.stop).toEqual({ kind: "reset", how: "dbcr0", resetKind: 3 });
    }, 15 * 60_000);

    it("prints the same under the hypervisor (--mode virt), apart from timestamps", () => {
      const b = bareRun();
      if (b.failure) fail(`(the bare run failed too)\n${b.failure}`);
      const v = bootLinux(vmlinux, "virt");
      console.log(describeRun(v));
      if (v.failure) fail(v.failure);
      expect(v.stop).toEqual({ kind: "reset", how: "dbcr0", resetKind: 3 });
      expect(normalize(v.console)).toBe(normalize(b.console));
      const s = v.stats!;
      console.log(formatSummary(s));
      // the guest kernel really ran deprivileged: its privileged instructions and its console trapped
      const count = (t: Exit) => s.rows[t]!.count;
      expect(count(Exit.EMUL_CORE)).toBeGreaterThan(10_000); // wrtee/wrteei around every spinlock
      expect(count(Exit.EMUL_MFMSR)).toBeGreaterThan(10_000);
      expect(count(Exit.MMIO)).toBeGreaterThan(b.console.length / 2); // the UART, a character at a time
      // docs/tables.md ("## Linux boot") shows this very table for this kernel version
      const recorded = recordedVirtTable();
      const version = /Linux version (6\.1\.\d+)/.exec(v.console)![1]!;
      expect(recorded, "docs/tables.md has no '## Linux boot' section: npx tsx test/linux/boot-report.ts --write").not.toBeNull();
      if (recorded!.kernelVersion === version) {
        expect(formatSummary(s), "docs/tables.md's Linux boot table is stale: npx tsx test/linux/boot-report.ts --write").toBe(recorded!.table);
      } else {
        console.warn(`docs/tables.md shows Linux ${recorded!.kernelVersion}, this is ${version}: its table was not compared`);
      }
    }, 15 * 60_000);

    it("with the magic page offered (--pv magic-page) it maps the page, patches nothing (its self-test cannot pass) and prints the same", () => {
      const b = bareRun();
      if (b.failure) fail(`(the bare run failed too)\n${b.failure}`);
      const v = bootLinux(vmlinux, "virt", { pv: "magic-page" });
      console.log(describeRun(v));
      if (v.failure) fail(v.failure);
      expect(normalize(v.console)).toBe(normalize(b.console));
      expect(v.stats!.rows[Exit.HCALL]!.count).toBe(2); // FEATURES, MAP_MAGIC_PAGE
      expect(v.stats!.rows[Exit.DTLBPV]!.count).toBe(0); // fault_in_readable() refuses it before any access
      expect(v.console).not.toMatch(/KVM: Live patching/);
    }, 15 * 60_000);

    it("linux-pvfix (build.sh --pv-fix, if built) patches itself under --pv magic-page and still prints the same", (ctx) => {
      const fixed = cachedKernel("pvfix");
      if (!("path" in fixed)) { ctx.skip(`${fixed.missing}; build.sh --pv-fix builds it`); return; }
      const quiet = "console=ttyS0,115200 loglevel=3"; // keeps its ~2000 "KVM: No more space" lines off the console
      const off = bootLinux(fixed.path, "virt", { append: quiet });
      const on = bootLinux(fixed.path, "virt", { append: quiet, pv: "magic-page" });
      for (const r of [off, on]) if (r.failure) fail(r.failure);
      expect(normalize(on.console)).toBe(normalize(off.console));
      const s = (r: LinuxRun, t: Exit) => r.stats!.rows[t]!.count;
      expect(s(on, Exit.DTLBPV)).toBeGreaterThan(0);
      expect(s(on, Exit.EMUL_MFMSR)).toBeLessThan(s(off, Exit.EMUL_MFMSR) / 2); // its mfmsr sites read the page
      expect(s(on, Exit.EMUL_MTMSR)).toBeLessThan(s(off, Exit.EMUL_MTMSR) / 10);
    }, 15 * 60_000);

    it("a hang (instruction budget) is reported with the guest PC, its symbol and the last console lines", () => {
      const r = bootLinux(vmlinux, "bare", { maxInsns: 3_000_000 });
      expect(r.stop).toEqual({ kind: "budget", insns: expect.any(Number) });
      expect(r.failure).toMatch(/^Linux \(bare\) did not end cleanly: no end within the instruction budget/);
      expectReport(r.failure!, /\| \[ *0\.0+\] Kernel command line: console=ttyS0,115200\n/);
    });

    it("an emulation failure under the hypervisor is reported the same way", () => {
      // once the boot is under way (the console has lines), the hypervisor's device model refuses
      // the next DCR the kernel reads (its interrupt controller's, at about 6 M instructions): the
      // VM stops as KVM's would, with a report, not a throw
      const r = bootLinux(vmlinux, "virt", {
        onVcpu: (vcpu) => {
          const dcrRead = vcpu.dm.dcrRead;
          vcpu.dm.dcrRead = (n) => {
            if (vcpu.cpu.insns < 5_000_000) return dcrRead(n);
            throw new EmulationFailure(`test: DCR 0x${n.toString(16)} refused`, vcpu.fetchInsn(vcpu.cpu.pc));
          };
        },
      });
      expect(r.stop?.kind).toBe("emulation-failed");
      expect(r.failure).toMatch(/did not end cleanly: the hypervisor cannot emulate 0x[0-9a-f]{8} \(mfdcr r\d+,\d+\) at 0x[0-9a-f]{8}: test: DCR 0x[0-9a-f]+ refused/);
      expectReport(r.failure!, /\| \[ *\d+\.\d+\] \S/);
    });

    it("a kernel panic is reported with the panic message, the guest PC and the last console lines", () => {
      // 4 MiB of RAM: the kernel panics early ("Can't create rootfs") and then waits to reboot
      // (bamboo_defconfig's panic timeout); the run stops once the message is out
      const r = bootLinux(vmlinux, "bare", { append: "console=ttyS0,115200 mem=4M" });
      expect(r.stop).toBeNull();
      expect(r.failure).toMatch(/^Linux \(bare\) did not end cleanly: the kernel panicked: Can't create rootfs\n/);
      expectReport(r.failure!, /\| \[ *\d+\.\d+\] Kernel panic - not syncing: Can't create rootfs\n/);
    });

    it("hv440 run linux: a kernel panic exits 1 with a report (also when the kernel restarts after it); a hang exits 124 with one", () => {
      const p = hv440(["linux", "--append", "console=ttyS0,115200 mem=4M panic=-1"]);
      expect(p.stdout).toContain("Kernel panic - not syncing: Can't create rootfs");
      expect(p.stderr).toMatch(/^hv440: \S+vmlinux: the guest kernel panicked: Can't create rootfs \(and then restarted the machine\)\n/);
      expectReport(p.stderr, /\| \[ *\d+\.\d+\] Kernel panic - not syncing: Can't create rootfs\n/);
      expect(p.status, p.stderr).toBe(1);

      const h = hv440(["linux", "--mode", "virt", "--max-insns", "2000000"]);
      expect(h.stderr).toMatch(/^hv440: \S+vmlinux: stopped after \d+ instructions \(--max-insns\)/);
      expectReport(h.stderr, /\| \[ *0\.0+\] /);
      expect(h.status, h.stderr).toBe(124);
    }, 15 * 60_000);
  });
}

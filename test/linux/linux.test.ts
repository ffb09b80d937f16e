// The test:linux tier: Linux 6.1 (guest-images/linux/build.sh, cached outside the repository)
// boots on hv440's bamboo board, bare and under the hypervisor, runs our /init (banner,
// /proc/cpuinfo, /proc/uptime) and stops through the kernel's restart (DBCR0[RST] = system);
// both runs print the same console text apart from timestamps.
//
// Runs when the cached kernel is up to date (`guest-images/linux/build.sh --check`) or when
// HV440_LINUX=1 asks for it (then it builds the kernel if needed: ~4 minutes from an empty cache;
// `npm run test:linux`). Otherwise the test is skipped with the reason in its name and note.
import { beforeAll, describe, expect, it } from "vitest";
import { formatSummary } from "../../src/report/summary.ts";
import { bootLinux, buildKernel, cachedKernel, normalize, type LinuxRun } from "./linux-run.ts";

const wanted = process.env.HV440_LINUX === "1";
const found = cachedKernel();
const skipReason = wanted || "path" in found ? null
  : `${"missing" in found ? found.missing : ""}; HV440_LINUX=1 (npm run test:linux) builds it`;

/** A failure message with no host stack under it: the report is the whole story. */
function fail(msg: string): never {
  const e = new Error(msg);
  e.stack = msg;
  throw e;
}

const mb = (n: number) => `${(n / 1e6).toFixed(2)} M`;
const describeRun = (r: LinuxRun) =>
  `linux ${r.mode}: ${mb(r.insns)} instructions, ${r.virtualMs.toFixed(1)} ms virtual, ${(r.hostMs / 1000).toFixed(1)} s host`;

if (skipReason !== null) {
  console.warn(`test:linux skipped: ${skipReason}`); // shown even by reporters that hide skip notes
  describe("Linux 6.1 guest (test:linux)", () => {
    it(`boots bare and virtualized — skipped: ${skipReason}`, (ctx) => { ctx.skip(skipReason); });
  });
} else {
  describe("Linux 6.1 guest (test:linux)", () => {
    let vmlinux = "";
    let bare: LinuxRun | undefined;
    const bareRun = () => (bare ??= bootLinux(vmlinux, "bare"));

    beforeAll(() => {
      vmlinux = "path" in found ? found.path : buildKernel();
    }, 40 * 60_000);

    it("boots bare to /init, which prints its report, and stops through the kernel's restart", () => {
      const r = bareRun();
      console.log(describeRun(r));
      if (r.failure) fail(r.failure);
      const con = r.console.replace(/\r/g, "");
      expect(con).toMatch(/Linux version 6\.1\.\d+ \(hv440@hv440\)/);
      expect(con).toContain("Hardware name: amcc,bamboo 440EPX");
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
      expect(v.stats).toBeDefined();
      console.log(formatSummary(v.stats!));
    }, 15 * 60_000);
  });
}

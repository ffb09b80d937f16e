/**
 * A debugfs-like tree per VM, as KVM exported it: `kvm/vm<pid>_vcpu<id>_timing` (read the raw
 * timing file; write exactly the one byte `c` to clear, anything else is EINVAL) and the kvm_stat
 * side counters `kvm/mmio`, `kvm/dcr`, ... (read-only, summed over vCPUs). The CLI can mirror
 * it into a real directory.
 */

import { SIDE_COUNTERS } from "./exits.ts";
import type { ExitStats } from "./stats.ts";
import { formatTimingFile } from "./timing-file.ts";

export class DebugFsError extends Error {
  constructor(readonly errno: "EINVAL" | "ENOENT" | "EACCES", message: string) {
    super(message);
  }
}

export class KvmDebugFs {
  constructor(readonly pid: number, readonly vcpus: readonly ExitStats[]) {}

  timingPath(vcpu: number): string {
    return `kvm/vm${this.pid}_vcpu${vcpu}_timing`;
  }

  list(): string[] {
    return [...this.vcpus.map((_, i) => this.timingPath(i)), ...SIDE_COUNTERS.map((c) => `kvm/${c}`)];
  }

  read(path: string): string {
    const v = this.vcpus.findIndex((_, i) => this.timingPath(i) === path);
    if (v >= 0) return formatTimingFile(this.vcpus[v]!.snapshot());
    const c = SIDE_COUNTERS.find((x) => `kvm/${x}` === path);
    if (c) return `${this.vcpus.reduce((a, s) => a + s.sideCount(c), 0)}\n`;
    throw new DebugFsError("ENOENT", `${path}: no such file`);
  }

  /** Only the timing files are writable, and only with the single byte `c` (KVM: length must be 1). */
  write(path: string, data: Uint8Array): number {
    const v = this.vcpus.findIndex((_, i) => this.timingPath(i) === path);
    if (v < 0) {
      if (this.list().includes(path)) throw new DebugFsError("EACCES", `${path}: read-only`);
      throw new DebugFsError("ENOENT", `${path}: no such file`);
    }
    if (data.length !== 1 || data[0] !== 0x63) throw new DebugFsError("EINVAL", `${path}: write exactly one byte 'c' to clear`);
    this.vcpus[v]!.clear();
    return 1;
  }
}

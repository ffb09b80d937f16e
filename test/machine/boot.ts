// Boots an ELF image on the bamboo board through the machine API (bare or virt) and returns the
// console output, how the machine stopped, and a digest of guest RAM — for tests.
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BambooBoard } from "../../src/machine/bamboo.ts";
import { FileBlockBackend } from "../../src/machine/disk.ts";
import { Machine, type StopReason } from "../../src/machine/machine.ts";
import { loadProfile, type CostProfile } from "../../src/hv/profile.ts";
import type { StatsSnapshot } from "../../src/hv/stats.ts";
import { parseElf } from "../../src/util/elf.ts";

export interface BootResult {
  console: string;
  stop: StopReason | null;
  ramDigest: string;
  insns: number;
  cycles: number;
  stats?: StatsSnapshot;
}

export interface BootOptions {
  mode?: "bare" | "virt";
  ramMiB?: number;
  /** A disk image; a private copy is attached (guests write to it). */
  disk?: string;
  maxInsns?: number;
  profile?: CostProfile;
  seed?: number;
  append?: string;
}

export function boot(image: string, o: BootOptions = {}): BootResult {
  let dir: string | undefined;
  let drive: FileBlockBackend | undefined;
  try {
    if (o.disk) {
      dir = mkdtempSync(join(tmpdir(), "hv440-disk-"));
      const copy = join(dir, "disk.img");
      copyFileSync(o.disk, copy);
      drive = new FileBlockBackend(copy);
    }
    const board = new BambooBoard({
      ramBytes: (o.ramMiB ?? 128) << 20, ...(drive ? { drive } : {}), ...(o.append !== undefined ? { append: o.append } : {}),
    });
    const state = board.boot(parseElf(readFileSync(image), image), image);
    const out: number[] = [];
    board.uart0.onOutput = (b) => out.push(b);
    const virt = o.mode === "virt" ? { profile: o.profile ?? loadProfile(), seed: o.seed ?? 1 } : undefined;
    const m = new Machine(board, state, {}, virt);
    m.maxInsns = o.maxInsns ?? 200_000_000;
    let stop: StopReason | null = null;
    while (!stop) stop = m.run(1e9);
    const cpu = board.cpu;
    return {
      console: Buffer.from(out).toString("latin1"),
      stop,
      ramDigest: createHash("sha256").update(cpu.mem.u8).digest("hex"),
      insns: cpu.insns,
      cycles: cpu.cycles,
      ...(m.vcpu ? { stats: m.vcpu.stats.snapshot() } : {}),
    };
  } finally {
    drive?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

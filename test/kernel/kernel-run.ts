// Boots hv440's own guest kernel (guest-images/kernel/bin/kernel.elf) with the committed root
// filesystem (guest-images/disk/rootfs.img, attached read-only) on the bamboo board through the
// machine API, bare or under the hypervisor, and returns what the console printed. No cross
// toolchain needed: both images are committed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BambooBoard } from "../../src/machine/bamboo.ts";
import type { FdtNode } from "../../src/machine/fdt.ts";
import { Machine, type StopReason } from "../../src/machine/machine.ts";
import { MemoryBlockBackend } from "../../src/devices/virtio-blk.ts";
import { loadProfile } from "../../src/hv/profile.ts";
import type { StatsSnapshot } from "../../src/hv/stats.ts";
import { parseElf } from "../../src/util/elf.ts";

export const GUEST_IMAGES = join(import.meta.dirname, "..", "..", "guest-images");
export const KERNEL = join(GUEST_IMAGES, "kernel", "bin", "kernel.elf");
export const ROOTFS = join(GUEST_IMAGES, "disk", "rootfs.img");

export interface KernelRunOptions {
  mode?: "bare" | "virt";
  /** Kernel command line (/chosen/bootargs). */
  append?: string;
  ramMiB?: number;
  /** Attach the root filesystem (default true). */
  disk?: boolean;
  extraNodes?: FdtNode[];
  maxInsns?: number;
  /** Bytes typed on the console (UART0 input), once the console has printed `inputAfter`
   * (the driver resets the RX FIFO when it starts, as Linux's does: earlier input is lost). */
  input?: string;
  inputAfter?: string;
}

export interface KernelRun {
  /** Console output with the UART's "\r\n" turned into "\n". */
  console: string;
  stop: StopReason | null;
  insns: number;
  cycles: number;
  virtualMs: number;
  stats?: StatsSnapshot;
}

let kernelImage: Uint8Array | undefined;
let rootfs: Uint8Array | undefined;

export function bootKernel(o: KernelRunOptions = {}): KernelRun {
  kernelImage ??= readFileSync(KERNEL);
  const img = parseElf(kernelImage, KERNEL);
  let drive: MemoryBlockBackend | undefined;
  if (o.disk ?? true) {
    rootfs ??= readFileSync(ROOTFS);
    drive = new MemoryBlockBackend(rootfs, true);
  }
  const board = new BambooBoard({
    ramBytes: (o.ramMiB ?? 128) << 20,
    ...(drive ? { drive } : {}),
    ...(o.append !== undefined ? { append: o.append } : {}),
    ...(o.extraNodes ? { extraNodes: o.extraNodes } : {}),
  });
  const boot = board.boot(img, KERNEL);
  const machine = new Machine(board, boot, {}, o.mode === "virt" ? { profile: loadProfile(), seed: 1 } : undefined);
  machine.maxInsns = o.maxInsns ?? 300_000_000;
  const bytes: number[] = [];
  board.uart0.onOutput = (b) => { bytes.push(b); };
  let stop: StopReason | null = null;
  let typed = !o.input;
  while (!stop) {
    if (!typed && Buffer.from(bytes).toString("latin1").includes(o.inputAfter ?? "")) {
      board.uart0.pushInput(Buffer.from(o.input!, "latin1"));
      typed = true;
    }
    stop = machine.run(typed ? 100_000_000 : 2_000_000);
  }
  const cpu = board.cpu;
  return {
    console: Buffer.from(bytes).toString("latin1").replace(/\r\n/g, "\n"),
    stop,
    insns: cpu.insns,
    cycles: cpu.cycles,
    virtualMs: (cpu.cycles / board.clockHz) * 1000,
    ...(machine.vcpu ? { stats: machine.vcpu.stats.snapshot() } : {}),
  };
}

/** What a program run with `run=` printed: the lines between init's command echo and its report. */
export function programOutput(console: string, path: string): string | null {
  const lines = console.split("\n");
  const start = lines.findIndex((l) => l.startsWith("# ") && l.slice(2).split(" ")[0] === path);
  const end = lines.findIndex((l, i) => i > start && l.startsWith(`init: ${path} `));
  if (start < 0 || end < 0) return null;
  return lines.slice(start + 1, end).map((l) => l + "\n").join("");
}

/** The console without the lines that carry timings (which differ between bare and virt). */
export function withoutTimings(console: string): string {
  return console.split("\n").filter((l) => !/^init: run time |^time: /.test(l)).join("\n");
}

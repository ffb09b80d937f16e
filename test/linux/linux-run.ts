// Boots the Linux guest (guest-images/linux) on the bamboo board through the machine API, bare
// or under the hypervisor, and turns every way it can go wrong — a kernel panic or oops, a hang
// (instruction budget), a wait with nothing to wake it, an emulation failure, an exception inside
// the emulator — into a short report with the last console lines and the guest PC (named through
// the kernel's System.map), never a host stack trace.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { disassemble } from "../../src/isa/disasm.ts";
import { BambooBoard } from "../../src/machine/bamboo.ts";
import { S } from "../../src/cpu/state.ts";
import { Machine, type StopReason } from "../../src/machine/machine.ts";
import { loadProfile } from "../../src/hv/profile.ts";
import type { StatsSnapshot } from "../../src/hv/stats.ts";
import { parseElf } from "../../src/util/elf.ts";

export const REPO = join(import.meta.dirname, "..", "..");
export const BUILD_SH = join(REPO, "guest-images", "linux", "build.sh");
export const APPEND = "console=ttyS0,115200";

/** Where the kernel is, or why there is none. */
export type KernelLookup = { path: string } | { missing: string };

/** `build.sh --check`: the cached vmlinux if it is up to date with guest-images/linux. */
export function cachedKernel(): KernelLookup {
  const r = spawnSync("bash", [BUILD_SH, "--check"], { encoding: "utf8" });
  if (r.status === 0) return { path: r.stdout.trim() };
  return { missing: (r.stderr || r.error?.message || `build.sh --check exited ${r.status}`).trim() };
}

/** Runs build.sh (progress on our stderr); the vmlinux path, or an Error with the log's tail. */
export function buildKernel(): string {
  const r = spawnSync("bash", [BUILD_SH], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  process.stderr.write(r.stderr ?? "");
  const path = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !existsSync(path)) {
    const tail = (r.stderr ?? "").trim().split("\n").slice(-15).join("\n");
    throw new Error(`guest-images/linux/build.sh failed (exit ${r.status ?? r.signal}):\n${tail}`);
  }
  return path;
}

export interface LinuxRun {
  mode: "bare" | "virt";
  console: string;
  stop: StopReason | null;
  /** Set when the run did not end in the kernel's restart: what went wrong, with context. */
  failure?: string;
  insns: number;
  cycles: number;
  virtualMs: number;
  hostMs: number;
  stats?: StatsSnapshot;
}

const PANIC = /Kernel panic - not syncing|Oops: |BUG: |Unable to handle kernel/;
const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, "0")}`;

/** Kernel symbols from System.map (beside the build tree), to name a guest PC. */
function symbolizer(vmlinux: string): (pc: number) => string {
  const map = join(dirname(vmlinux), "build", "System.map");
  if (!existsSync(map)) return () => "";
  const syms: [number, string][] = [];
  for (const line of readFileSync(map, "utf8").split("\n")) {
    const [a, t, name] = line.split(" ");
    if (name && /^[tTwW]$/.test(t!)) syms.push([parseInt(a!, 16), name]);
  }
  syms.sort((x, y) => x[0] - y[0]);
  return (pc) => {
    let lo = 0, hi = syms.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (syms[mid]![0] <= pc) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best < 0 || pc - syms[best]![0] > 0x100000 ? "" : ` <${syms[best]![1]}+0x${(pc - syms[best]![0]).toString(16)}>`;
  };
}

export function bootLinux(vmlinux: string, mode: "bare" | "virt", maxInsns = 400_000_000, append = APPEND): LinuxRun {
  const t0 = performance.now();
  const board = new BambooBoard({ ramBytes: 128 << 20, append });
  const state = board.boot(parseElf(readFileSync(vmlinux), vmlinux), vmlinux);
  const out: number[] = [];
  board.uart0.onOutput = (b) => out.push(b);
  const m = new Machine(board, state, {}, mode === "virt" ? { profile: loadProfile(), seed: 1 } : undefined);
  m.maxInsns = maxInsns;
  const cpu = board.cpu;
  const text = () => Buffer.from(out).toString("latin1");
  let stop: StopReason | null = null;
  let failure: string | undefined;
  try {
    while (!stop) {
      stop = m.run(20_000_000);
      if (!stop && PANIC.test(text())) { failure = "the kernel panicked or oopsed"; break; }
    }
  } catch (e) {
    // an exception out of the emulator: report where the guest was, not the host stack
    failure = `the emulator threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  const con = text();
  if (!failure && stop) {
    if (stop.kind !== "reset") failure = describeStop(stop);
    else if (PANIC.test(con)) failure = "the kernel panicked or oopsed (and then restarted)";
  }
  if (failure) {
    const sym = symbolizer(vmlinux);
    const pc = cpu.pc;
    let insn = "";
    // kernel addresses are the linear map of RAM at 0xc0000000; low ones are 1:1 at boot
    const pa = pc >= 0xc0000000 ? pc - 0xc0000000 : pc;
    if (pa + 4 <= cpu.mem.ramSize) {
      const w = cpu.mem.dv.getUint32(pa);
      insn = ` (${hex(w)}: ${disassemble(w, pc).replace(/\s+/, " ")})`;
    }
    const last = con.replace(/\r/g, "").split("\n").slice(-25).map((l) => `  | ${l}`).join("\n");
    failure = `Linux (${mode}) did not stop cleanly: ${failure}\n` +
      `guest pc ${hex(pc)}${sym(pc)}${insn}, msr ${hex(cpu.msr)}, lr ${hex(cpu.st[S.LR]!)}${sym(cpu.st[S.LR]! >>> 0)}, ` +
      `${cpu.insns} instructions, ${(cpu.cycles / board.clockHz * 1000).toFixed(3)} ms virtual\n` +
      `last console lines:\n${last}`;
  }
  return {
    mode, console: con, stop, ...(failure ? { failure } : {}),
    insns: cpu.insns, cycles: cpu.cycles, virtualMs: cpu.cycles / board.clockHz * 1000,
    hostMs: performance.now() - t0,
    ...(m.vcpu ? { stats: m.vcpu.stats.snapshot() } : {}),
  };
}

function describeStop(s: StopReason): string {
  switch (s.kind) {
    case "reset": return `reset (${s.how}, kind ${s.resetKind})`;
    case "budget": return `no restart within the instruction budget (${s.insns} instructions): a hang`;
    case "idle": return s.message;
    case "checkstop": return `checkstop: ${s.message}`;
    case "emulation-failed":
      return `emulation failed at ${hex(s.pc)}: ${hex(s.insn)} (${disassemble(s.insn, s.pc).replace(/\s+/, " ")}), guest msr ${hex(s.msr)}: ${s.reason}`;
  }
}

/** Console text with the printk timestamps and /proc/uptime's numbers taken out. */
export function normalize(con: string): string {
  return con
    .replace(/\r/g, "")
    .replace(/^\[\s*\d+\.\d+\] /gm, "")
    .replace(/(hv440-init: --- \/proc\/uptime ---\n)[^\n]*\n/, "$1<uptime>\n");
}

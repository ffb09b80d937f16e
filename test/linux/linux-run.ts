// Boots the Linux guest (guest-images/linux, the catalog's `linux` entry) on the bamboo board
// through the machine API, bare or under the hypervisor, and turns every way it can go wrong — a
// kernel panic or oops, a hang (instruction budget), a wait with nothing to wake it, an emulation
// failure, an exception inside the emulator — into the same report `hv440 run` prints (last
// console lines, guest PC named through the kernel's symbols), never a host stack trace.
// Optionally counts the privileged instructions the guest kernel executes, by mnemonic.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FAULT, ESR, Ivor } from "../../src/cpu/interrupts.ts";
import { MSR } from "../../src/cpu/state.ts";
import { disassemble } from "../../src/isa/disasm.ts";
import { decodeExec } from "../../src/isa/exec.ts";
import { field, Flag } from "../../src/isa/types.ts";
import { BambooBoard } from "../../src/machine/bamboo.ts";
import { resolveWorkload } from "../../src/machine/catalog.ts";
import { ConsoleWatch, describeStop, guestFailureReport, symbolizer } from "../../src/machine/guest-failure.ts";
import { linuxKernelPath } from "../../src/machine/linux.ts";
import { Machine, type StopReason } from "../../src/machine/machine.ts";
import { loadProfile } from "../../src/hv/profile.ts";
import type { StatsSnapshot } from "../../src/hv/stats.ts";
import type { Vcpu } from "../../src/hv/vcpu.ts";
import { parseElf } from "../../src/util/elf.ts";

export const REPO = join(import.meta.dirname, "..", "..");
export const BUILD_SH = join(REPO, "guest-images", "linux", "build.sh");

/** Where the kernel is, or why there is none. */
export type KernelLookup = { path: string } | { missing: string };

/** `build.sh --check`: the cached vmlinux if it is up to date with guest-images/linux (`--pv-fix`: that variant's). */
export function cachedKernel(variant: "" | "pvfix" = ""): KernelLookup {
  const r = spawnSync("bash", [BUILD_SH, "--check", ...(variant ? ["--pv-fix"] : [])], { encoding: "utf8" });
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
  if (path !== linuxKernelPath()) throw new Error(`build.sh built ${path}, but the catalog looks for ${linuxKernelPath()}`);
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
  /** With `countPrivileged`: privileged instructions the guest kernel executed, by privilegedName. */
  privileged?: Map<string, number>;
}

export interface BootOptions {
  maxInsns?: number;
  /** The kernel command line (default: the catalog entry's). */
  append?: string;
  /**
   * Count the privileged instructions the kernel executes. virt: each one traps, so the count is
   * the hypervisor's view and costs nothing; bare: the run goes one instruction at a time (slow).
   */
  countPrivileged?: boolean;
  /** Called with the vCPU before a virt run starts (tests inject failures through it). */
  onVcpu?: (vcpu: Vcpu) => void;
  /** virt: the paravirtual interface offered (--pv; default off). */
  pv?: string;
}

/** A kernel-side failure that does not stop the machine (the kernel goes on after an oops). */
const OOPS = /Oops: |BUG: |Unable to handle kernel|WARNING: CPU: /;

/**
 * The name a privileged instruction is counted under: its family, and for mfspr/mtspr (privileged
 * only for SPR numbers with the 0x10 bit) the SPR as objdump names it, e.g. "mtspr sprg3".
 */
function privilegedName(w: number): string | null {
  const spec = decodeExec(w);
  if (!spec) return null;
  if (spec.base === "mfspr" || spec.base === "mtspr") {
    if ((field(w, "spr") & 0x10) === 0) return null;
    const [m, ops = ""] = disassemble(w, 0).split(/\s+/);
    const spr = m === "mfspr" ? ops.split(",")[1] : m === "mtspr" ? ops.split(",")[0] : m === "mfsprg" ? `sprg${ops.split(",")[1]}`
      : m === "mtsprg" ? `sprg${ops.split(",")[0]}` : m!.slice(2);
    return `${spec.base} ${spr}`;
  }
  return (spec.flags & Flag.Priv) !== 0 ? spec.base : null;
}

export function bootLinux(vmlinux: string, mode: "bare" | "virt", o: BootOptions = {}): LinuxRun {
  const t0 = performance.now();
  const w = resolveWorkload("linux");
  const img = parseElf(readFileSync(vmlinux), vmlinux);
  const board = new BambooBoard({ ramBytes: w.ramMiB << 20, append: o.append ?? w.append! });
  const state = board.boot(img, vmlinux);
  const watch = new ConsoleWatch(1 << 20);
  board.uart0.onOutput = (b) => watch.feed(b);
  const m = new Machine(board, state, {}, mode === "virt" ? { profile: loadProfile(), seed: 1, ...(o.pv ? { pv: o.pv } : {}) } : undefined);
  m.maxInsns = o.maxInsns ?? 400_000_000;
  const cpu = board.cpu;
  const vcpu = m.vcpu;
  const privileged = o.countPrivileged ? new Map<string, number>() : undefined;
  const count = (name: string | null) => { if (name && privileged) privileged.set(name, (privileged.get(name) ?? 0) + 1); };
  if (vcpu) {
    o.onVcpu?.(vcpu);
    if (privileged) {
      // every privileged instruction of the guest kernel traps here once (a queued interrupt that
      // reflects it to the guest — illegal SPR — is counted too: bare metal tried to run it as well)
      const exception = vcpu.exception.bind(vcpu);
      vcpu.exception = (c) => {
        const e = c.exc;
        if (e.ivor === Ivor.Program && vcpu.guestSupervisor && (e.esr & ESR.PPR) !== 0) count(privilegedName(vcpu.fetchInsn(e.pc)));
        return exception(c);
      };
    }
  }
  let stop: StopReason | null = null;
  let failure: string | undefined;
  try {
    if (privileged && !vcpu) {
      // bare: one instruction at a time; the kernel maps RAM at 0xC0000000 (low addresses: the
      // boot TLB's 1:1 map), and only supervisor code runs privileged instructions
      while (!stop) {
        const pc = cpu.pc >>> 0, before = cpu.insns;
        const sup = (cpu.msr & MSR.PR) === 0;
        const pa = pc >= 0xc0000000 ? pc - 0xc0000000 : pc;
        const word = sup && pa + 4 <= cpu.mem.ramSize ? cpu.mem.dv.getUint32(pa) : 0;
        stop = m.run(1);
        if (sup && cpu.insns === before + 1) count(privilegedName(word));
        if (!stop && (cpu.insns & 0xfffff) === 0 && watch.shouldStop(cpu)) break;
      }
    } else {
      while (!stop) {
        stop = m.run(20_000_000);
        if (!stop && watch.shouldStop(cpu)) break;
      }
    }
  } catch (e) {
    // an exception out of the emulator (a bug in hv440): report where the guest was
    failure = e === FAULT ? "the emulator let a guest fault escape" : `the emulator threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  watch.finish(cpu);
  const con = watch.lastLines(Infinity).join("\n") + (watch.endsLine() ? "\n" : "");
  if (!failure) {
    if (watch.panic !== null) failure = `the kernel panicked: ${watch.panic}${stop?.kind === "reset" ? " (and then restarted the machine)" : ""}`;
    else if (!stop) failure = "the run ended without a stop reason";
    else if (stop.kind !== "reset") failure = describeStop(stop);
    else if (OOPS.test(con)) failure = `the kernel reported a bug: ${OOPS.exec(con)![0]}… (and then restarted)`;
  }
  if (failure) {
    const lines = guestFailureReport(`Linux (${mode}) did not end cleanly: ${failure}`, {
      cpu, clockHz: board.clockHz, guestMsr: vcpu ? vcpu.vmsr : cpu.msr, watch, symbol: symbolizer(img), lines: 25,
    });
    failure = lines.join("\n");
  }
  return {
    mode, console: con, stop, ...(failure ? { failure } : {}),
    insns: cpu.insns, cycles: cpu.cycles, virtualMs: cpu.cycles / board.clockHz * 1000,
    hostMs: performance.now() - t0,
    ...(vcpu ? { stats: vcpu.stats.snapshot() } : {}),
    ...(privileged ? { privileged } : {}),
  };
}

/** Console text with the printk timestamps and /proc/uptime's numbers taken out. */
export function normalize(con: string): string {
  return con
    .replace(/\r/g, "")
    .replace(/^\[\s*\d+\.\d+\] /gm, "")
    .replace(/(hv440-init: --- \/proc\/uptime ---\n)[^\n]*\n/, "$1<uptime>\n");
}

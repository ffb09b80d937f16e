/**
 * `hv440 run [options] NAME|image.elf`: boot an image on the bamboo board. NAME is a workload of
 * the catalog (src/machine/catalog.ts, `hv440 list`): its kernel, disk, command line and RAM at
 * --size, each overridable by --drive, --append and -m.
 */

import * as fs from "node:fs";
import { disassemble } from "../../isa/disasm.ts";
import { BambooBoard } from "../../machine/bamboo.ts";
import { FileBlockBackend } from "../../machine/disk.ts";
import { Machine, type StopReason } from "../../machine/machine.ts";
import { SIZES, findEntry, isSize, resolveWorkload } from "../../machine/catalog.ts";
import { programEnd } from "../../machine/workload.ts";
import { TraceLog, symbolLookup } from "../../machine/trace.ts";
import { ConsoleWatch, guestFailureReport, symbolizer } from "../../machine/guest-failure.ts";
import { parseElf } from "../../util/elf.ts";
import { UserError } from "../../util/errors.ts";
import { EXIT_STDOUT_CLOSED, openLog, putByte, say, stdoutClosed, warn, writeText } from "../io.ts";
import { ENGINES, type Engine } from "../../cpu/jit/engine.ts";
import { parseOptions, type OptSpec } from "../options.ts";
import { loadProfile } from "../../hv/profile.ts";
import { PV_MODES } from "../../hv/pv/abi.ts";
import { KvmDebugFs } from "../../hv/debugfs.ts";
import { formatTimingFile } from "../../hv/timing-file.ts";
import { formatSummary, timingJson } from "../../report/summary.ts";
import type { StatsSnapshot } from "../../hv/stats.ts";
import * as path from "node:path";

function formatTiming(kind: string, s: StatsSnapshot): string {
  return kind === "raw" ? formatTimingFile(s) : kind === "json" ? JSON.stringify(timingJson(s), null, 2) + "\n" : formatSummary(s);
}

function mirrorDebugfs(dir: string, fsys: KvmDebugFs): void {
  for (const p of fsys.list()) {
    const full = path.join(dir, p);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, fsys.read(p));
  }
}

export const LOG_ITEMS = ["int", "mmu", "exec", "cpu", "in_asm", "unimp", "jit"] as const;

export const RUN_OPTIONS: readonly OptSpec[] = [
  { name: "memory", short: "m", type: "string", arg: "SIZE", help: "guest RAM, e.g. 128M (default 128M)" },
  { name: "drive", type: "string", arg: "file=PATH[,readonly]", help: "virtio-mmio block device backed by a disk image" },
  { name: "append", type: "string", arg: "CMDLINE", help: "kernel command line (device tree /chosen/bootargs)" },
  { name: "max-insns", type: "number", arg: "N", help: "stop after N guest instructions (exit code 124)" },
  { name: "d", type: "string", arg: "ITEM[,ITEM]", choices: LOG_ITEMS, multiple: true, help: "log items: int, mmu, exec, cpu (state before each instruction, QEMU format), in_asm, unimp, jit (block compiler statistics at the end)" },
  { name: "engine", type: "string", arg: "interp|jit|check", choices: ENGINES, help: "execution engine: the interpreter, the block compiler (default; -d exec/cpu/in_asm default to interp), or both in lockstep, reporting the first divergence" },
  { name: "D", type: "string", arg: "FILE", help: "write the -d log to FILE instead of stderr" },
  { name: "stats", type: "boolean", help: "print instructions, virtual time and host MIPS on stderr at the end" },
  { name: "mode", type: "string", arg: "bare|virt", choices: ["bare", "virt"], help: "bare: the guest owns the 440 (default); virt: it runs deprivileged under the hypervisor" },
  { name: "timing", type: "string", arg: "raw|summary|json", choices: ["raw", "summary", "json"], help: "virt: print the exit-timing statistics at the end (on stderr)" },
  { name: "debugfs", type: "string", arg: "DIR", help: "virt: mirror the kvm/ debugfs tree (timing files, side counters) into DIR at the end" },
  { name: "profile", type: "string", arg: "NAME|FILE", help: "virt: host cost profile (default sequoia-2008)" },
  { name: "seed", type: "number", help: "virt: seed of the cost model (default 1)" },
  { name: "pv", type: "string", arg: "off|host-patch|magic-page", choices: PV_MODES, help: "virt: paravirtual interface offered to the guest (default off; see README, Paravirtualization)" },
  { name: "clock", type: "string", arg: "virtual|host", choices: ["virtual", "host"], help: "virt: clock of the exit statistics: virtual (default, deterministic) or host (process.hrtime: what hv440's own exit handling costs; differs from run to run)" },
  { name: "size", type: "string", arg: "small|default|full", choices: SIZES, help: "size of a catalog workload (default: default)" },
];

/** The host's monotonic clock in timebase ticks (`--clock host`). */
function hostClock(clockHz: number): () => number {
  const t0 = process.hrtime.bigint(), perNs = clockHz / 1e9;
  return () => Number(process.hrtime.bigint() - t0) * perNs;
}

export function parseSize(s: string): number {
  const m = /^(\d{1,7})([kKmMgG]?)[bB]?$/.exec(s);
  if (!m) throw new UserError(`-m: bad size '${s}' (a number of MiB, or with a suffix: 128M, 1G)`);
  const mult = { "": 1 << 20, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Number(m[1]) * mult;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, "0")}`;

export async function cmdRun(argv: readonly string[]): Promise<number> {
  const { opts, positionals } = parseOptions("run", RUN_OPTIONS, argv);
  const name = positionals[0];
  if (!name) throw new UserError("run: missing workload or image (usage: hv440 run [options] NAME|image.elf; 'hv440 list' shows the names)");
  if (positionals.length > 1) throw new UserError(`run: unexpected argument '${positionals[1]}'`);
  const virt = opts.mode === "virt";
  for (const o of ["timing", "debugfs", "profile", "seed", "clock"]) {
    if (opts[o] !== undefined && !virt) throw new UserError(`run: --${o} needs --mode virt`);
  }
  if (opts.pv !== undefined && !virt) throw new UserError("run: --pv needs --mode virt");
  const entry = findEntry(name);
  if (opts.size !== undefined && !entry) throw new UserError(`run: --size needs a workload of the catalog ('${name}' is not one; see 'hv440 list')`);
  const size = String(opts.size ?? "default");
  const w = resolveWorkload(name, isSize(size) ? size : "default");
  // messages name an image as the user wrote it (the catalog resolves paths to absolute ones)
  const file = path.resolve(name) === w.kernel ? name : w.kernel;
  let bytes: Uint8Array;
  try { bytes = fs.readFileSync(file); } catch { throw new UserError(`${file}: no such file`); }
  const img = parseElf(bytes, file);

  let drive: FileBlockBackend | undefined;
  if (opts.drive === undefined && w.disk) {
    drive = new FileBlockBackend(w.disk, true);
  } else if (opts.drive !== undefined) {
    const parts = Object.fromEntries(String(opts.drive).split(",").map((p) => {
      const eq = p.indexOf("=");
      return eq < 0 ? [p, "1"] : [p.slice(0, eq), p.slice(eq + 1)];
    }));
    if (!parts.file) throw new UserError(`run: --drive needs file=PATH`);
    drive = new FileBlockBackend(parts.file, parts.readonly === "1" || parts.readonly === "on");
  }
  const items = new Set((opts.d as string[] | undefined)?.flatMap((x) => x.split(",")) ?? []);
  const traced = items.has("cpu") || items.has("exec") || items.has("in_asm");
  // single-instruction traces are the interpreter's business unless an engine is asked for
  const engine = (opts.engine as Engine | undefined) ?? (traced ? "interp" : undefined);
  const board = new BambooBoard({
    ramBytes: parseSize(String(opts.memory ?? `${w.ramMiB}M`)),
    ...(drive ? { drive } : {}),
    ...(opts.append !== undefined ? { append: String(opts.append) } : w.append ? { append: w.append } : {}),
  });
  if (engine !== undefined) board.cpu.engine = engine;
  const boot = board.boot(img, file);

  const logFd = opts.D !== undefined ? openLog(String(opts.D)) : 2;
  const log = (s: string) => writeText(logFd, s);
  const tracer = new TraceLog(board, { items, write: log, symbol: symbolLookup(img) });
  const machine = new Machine(board, boot, tracer.hooks(), virt ? { profile: loadProfile(opts.profile as string | undefined), seed: (opts.seed as number | undefined) ?? 1, pv: String(opts.pv ?? "off"), ...(opts.clock === "host" ? { stampClock: hostClock(board.clockHz) } : {}) } : undefined);
  if (opts["max-insns"] !== undefined) machine.maxInsns = opts["max-insns"] as number;

  const watch = new ConsoleWatch(); // the console's tail for failure reports; notices a kernel panic
  board.uart0.onOutput = (b) => { putByte(b); watch.feed(b); };
  const onData = (d: Buffer) => board.uart0.pushInput(d);
  if (!process.stdin.isTTY || true) process.stdin.on("data", onData);
  // a catalog program's console, for init's report of how it ended (the exit code)
  const seen: number[] = [];
  const keep = w.program !== undefined && opts.append === undefined;
  if (keep) {
    const print = board.uart0.onOutput;
    board.uart0.onOutput = (b) => { print?.(b); seen.push(b); };
  }

  const t0 = performance.now();
  const cpu = board.cpu;
  let stop: StopReason | null = null;
  try {
    while (!stop) {
      if (tracer.perInstruction) {
        // one instruction at a time, each logged as QEMU's -d cpu/exec/in_asm would
        for (let i = 0; i < 10_000 && !stop; i++) stop = tracer.step(machine);
      } else {
        stop = machine.run(50_000_000); // ~75 ms of guest time, then let Node's event loop breathe
      }
      if (!stop && watch.shouldStop(cpu)) break; // a kernel panic: its message is out
      if (!stop && stdoutClosed()) break; // `hv440 run … | head`: no one reads the console
      if (!stop) await new Promise((r) => setImmediate(r));
    }
  } finally {
    process.stdin.off("data", onData);
    process.stdin.pause();
    drive?.close();
  }
  if (stdoutClosed()) return EXIT_STDOUT_CLOSED;
  const ms = performance.now() - t0;
  const vcpu = machine.vcpu;
  if (vcpu) {
    if (opts.timing) warn(formatTiming(String(opts.timing), vcpu.stats.snapshot()));
    if (opts.debugfs !== undefined) mirrorDebugfs(String(opts.debugfs), new KvmDebugFs(process.pid, [vcpu.stats]));
  }
  if (opts.stats) {
    warn(`hv440: ${cpu.insns} instructions, ${cpu.cycles} cycles (${(cpu.cycles / board.clockHz * 1000).toFixed(3)} ms virtual), ${ms.toFixed(0)} ms host, ${(cpu.insns / ms / 1000).toFixed(1)} MIPS (engine ${cpu.engine})\n`);
  }
  if (items.has("jit") || (opts.stats && cpu.jit)) {
    const line = cpu.jit ? `${cpu.jit.summary()} (${(100 * cpu.jit.stats.compileMs / ms).toFixed(1)}% of ${ms.toFixed(0)} ms)` : "jit: not used (engine interp)";
    if (items.has("jit")) log(line + "\n"); else warn(line + "\n");
  }
  // a run that does not end cleanly says where the guest was and what the console said last
  watch.finish(cpu);
  const report = (what: string) => {
    if (!watch.endsLine()) fs.writeSync(1, "\n");
    const lines = guestFailureReport(what, { cpu, clockHz: board.clockHz, guestMsr: vcpu ? vcpu.vmsr : cpu.msr, watch, symbol: symbolizer(img), lines: 10 });
    warn(lines.map((l, i) => (i === 0 ? `hv440: ${file}: ${l}` : `hv440:   ${l}`) + "\n").join(""));
  };
  if (watch.panic !== null) {
    report(`the guest kernel panicked: ${watch.panic}${stop?.kind === "reset" ? " (and then restarted the machine)" : ""}`);
    return 1;
  }
  if (!stop) throw new Error("run: the machine stopped without a reason");
  switch (stop.kind) {
    case "reset": {
      if (!keep) return 0;
      const end = programEnd(Buffer.from(seen).toString("latin1").replace(/\r\n/g, "\n"), w.program!);
      if (end && "exited" in end && end.exited === 0) return 0;
      warn(`hv440: ${name}: ${end === null ? `init did not report how ${w.program} ended` : "exited" in end ? `${w.program} exited with status ${end.exited}` : `${w.program} was killed by signal ${end.signal} (${end.name})`}\n`);
      return 1;
    }
    case "budget":
      report(`stopped after ${stop.insns} instructions (--max-insns)`);
      return 124;
    case "idle":
      report(stop.message);
      return 3;
    case "checkstop":
      report(`checkstop: ${stop.message}`);
      return 1;
    case "emulation-failed":
      report(`emulation failed at pc ${hex(stop.pc)}: instruction ${hex(stop.insn)} (${disassemble(stop.insn, stop.pc).replace(/\s+/, " ")}), guest MSR ${hex(stop.msr)}: ${stop.reason}`);
      return 1;
  }
}

export const _say = say;

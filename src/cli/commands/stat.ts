/**
 * `hv440 stat`: kvm_stat for our VMs. Runs a guest (an ELF image or a catalog workload) under the
 * hypervisor and shows KVM's debugfs counters (`mmio`, `dcr`, `sig`, `itlb_r`, ...; with `-x` or a
 * `-f` regex also the child events `exit(<row>)`), or reads a tree saved by `run --debugfs DIR`.
 *
 * Views, as kvm_stat's: a live screen when stdout is a terminal (`Event Total %Total CurAvg/s`,
 * sorted by the last interval, a Total row; keys q quit, r reset, x child events); `-1/--once`
 * (batch: `%-42s%10d%10d` name, total, last interval); `-l/--log` (a line of ` %9d` deltas per
 * interval, the names repeated every 20 lines; `-c/--csv` for CSV with one header line).
 * Intervals (`-s`) are seconds of the guest's virtual time and log timestamps are virtual seconds,
 * so batch and log output are deterministic; only the live screen refreshes on the host's clock.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../../util/errors.ts";
import { parseElf } from "../../util/elf.ts";
import { BambooBoard } from "../../machine/bamboo.ts";
import { FileBlockBackend } from "../../machine/disk.ts";
import { Machine, type StopReason } from "../../machine/machine.ts";
import { findEntry, isSize, resolveWorkload, SIZES } from "../../machine/catalog.ts";
import { MemoryBlockBackend, type BlockBackend } from "../../devices/virtio-blk.ts";
import { loadProfile } from "../../hv/profile.ts";
import { DEFAULT_FIELDS, snapshotsFromDebugfs, statEvents, type StatEvents } from "../../hv/kvm-stat.ts";
import { say, warn } from "../io.ts";
import { parseOptions, type OptSpec } from "../options.ts";
import { parseSize } from "./run.ts";

export const STAT_OPTIONS: readonly OptSpec[] = [
  { name: "once", short: "1", type: "boolean", help: "batch mode: run the guest to its end, print each event's total and last interval" },
  { name: "log", short: "l", type: "boolean", help: "logging mode (like vmstat): one line of deltas per interval" },
  { name: "csv", short: "c", type: "boolean", help: "with --log: CSV, one header line" },
  { name: "set-delay", short: "s", type: "string", arg: "SECONDS", help: "interval (guest virtual seconds for --once/--log, host seconds for the live screen; default 1)" },
  { name: "fields", short: "f", type: "string", arg: "REGEX", help: "events to show (default: no child events); 'help' lists them" },
  { name: "drilldown", short: "x", type: "boolean", help: "also show the child events exit(<row>)" },
  { name: "skip-zero-records", short: "z", type: "boolean", help: "with --log: omit lines whose deltas are all zero" },
  { name: "debugfs", type: "string", arg: "DIR", help: "read the kvm/ tree saved by 'hv440 run --debugfs DIR' instead of running a guest" },
  { name: "console", type: "string", arg: "FILE", help: "write the guest's console to FILE (default: discarded)" },
  { name: "memory", short: "m", type: "string", arg: "SIZE", help: "guest RAM for an image (default 128M)" },
  { name: "drive", type: "string", arg: "file=PATH[,readonly]", help: "virtio-mmio block device for an image" },
  { name: "append", type: "string", arg: "CMDLINE", help: "kernel command line for an image" },
  { name: "size", type: "string", arg: "small|default|full", choices: SIZES, help: "size of a catalog workload" },
  { name: "profile", type: "string", arg: "NAME|FILE", help: "host cost profile (default sequoia-2008)" },
  { name: "seed", type: "number", help: "seed of the cost model (default 1)" },
  { name: "max-insns", type: "number", arg: "N", help: "stop the guest after N instructions" },
];

// ---- the views (pure) ----

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, n: number) => String(v).padStart(n);

/** `--once`: kvm_stat's batch lines. */
export function formatBatch(keys: readonly string[], cur: StatEvents, prev: StatEvents): string {
  return keys.map((k) => `${pad(k, 42)}${num(cur.get(k)!, 10)}${num(cur.get(k)! - (prev.get(k) ?? 0), 10)}\n`).join("");
}

/** `--log`: the banner (names), repeated every 20 lines, and one line per interval. */
export function logBanner(keys: readonly string[], csv: boolean): string {
  return csv ? `timestamp,${keys.join(",")}\n` : `${keys.join(" ")} \n`;
}

export function logLine(seconds: number, keys: readonly string[], cur: StatEvents, prev: StatEvents, csv: boolean): string {
  const ts = seconds.toFixed(6);
  const d = keys.map((k) => cur.get(k)! - (prev.get(k) ?? 0));
  return csv ? `${ts},${d.join(",")}\n` : `${ts.padStart(19)}${d.map((x) => ` ${num(x, 9)}`).join("")}\n`;
}

/** The live screen: kvm_stat's title, header, rows sorted by (interval, total), Total row. */
export function formatScreen(title: string, keys: readonly string[], cur: StatEvents, prev: StatEvents, seconds: number): string {
  let out = `${title}\n\n ${pad("Event", 40)} ${"Total".padStart(10)}${"%Total".padStart(7)} ${"CurAvg/s".padStart(8)}\n`;
  const total = keys.filter((k) => !k.includes("(")).reduce((a, k) => a + cur.get(k)!, 0);
  const rows = keys.map((k) => ({ k, value: cur.get(k)!, delta: cur.get(k)! - (prev.get(k) ?? 0) }))
    .sort((a, b) => b.delta - a.delta || b.value - a.value || (a.k < b.k ? -1 : 1));
  let avgSum = 0, shown = 0;
  for (const r of rows) {
    if (r.value === 0 && r.delta === 0) break;
    const cur = r.delta && seconds > 0 ? Math.round(r.delta / seconds) : "";
    if (cur !== "" && !r.k.includes("(")) avgSum += cur;
    const pct = total > 0 ? (r.value * 100) / total : 0;
    out += ` ${pad(r.k, 40)} ${num(r.value, 10)}${pct.toFixed(1).padStart(7)} ${String(cur).padStart(8)}\n`;
    shown++;
  }
  if (shown === 0) out += " No matching events reported yet\n";
  else out += ` ${pad("Total", 40)} ${num(total, 10)}        ${String(avgSum || "").padStart(8)}\n`;
  return out;
}

// ---- sources ----

interface RunSource {
  machine: Machine;
  clockHz: number;
  name: string;
  close(): void;
}

function guestSource(name: string, opts: Record<string, unknown>, onConsole: (b: number) => void): RunSource {
  let kernel: string, ram: number, append: string | undefined, drive: BlockBackend | undefined;
  let close = () => {};
  if (fs.existsSync(name) && fs.statSync(name).isFile()) {
    kernel = name;
    ram = parseSize(String(opts.memory ?? "128M"));
    append = opts.append as string | undefined;
    if (opts.drive !== undefined) {
      const parts = Object.fromEntries(String(opts.drive).split(",").map((p) => {
        const eq = p.indexOf("=");
        return eq < 0 ? [p, "1"] : [p.slice(0, eq), p.slice(eq + 1)];
      }));
      if (!parts.file) throw new UserError("stat: --drive needs file=PATH");
      const d = new FileBlockBackend(parts.file, parts.readonly === "1" || parts.readonly === "on");
      drive = d;
      close = () => d.close();
    }
  } else if (findEntry(name)) {
    const size = String(opts.size ?? "default");
    const w = resolveWorkload(name, isSize(size) ? size : "default");
    kernel = w.kernel;
    ram = w.ramMiB << 20;
    append = w.append;
    if (w.disk) drive = new MemoryBlockBackend(fs.readFileSync(w.disk), true);
  } else throw new UserError(`stat: '${name}' is neither an image file nor a catalog workload (see 'hv440 list')`);
  let bytes: Uint8Array;
  try { bytes = fs.readFileSync(kernel); } catch { throw new UserError(`${kernel}: no such file`); }
  const board = new BambooBoard({ ramBytes: ram, ...(drive ? { drive } : {}), ...(append !== undefined ? { append } : {}) });
  const boot = board.boot(parseElf(bytes, kernel), kernel);
  board.uart0.onOutput = onConsole;
  const machine = new Machine(board, boot, {}, { profile: loadProfile(opts.profile as string | undefined), seed: (opts.seed as number | undefined) ?? 1 });
  if (opts["max-insns"] !== undefined) machine.maxInsns = opts["max-insns"] as number;
  return { machine, clockHz: board.clockHz, name: path.basename(name), close };
}

function readDebugfs(dir: string): StatEvents {
  const kvm = fs.existsSync(path.join(dir, "kvm")) ? path.join(dir, "kvm") : dir;
  let names: string[];
  try { names = fs.readdirSync(kvm); } catch { throw new UserError(`stat: ${dir}: no such directory`); }
  const files = new Map(names.filter((n) => fs.statSync(path.join(kvm, n)).isFile()).map((n) => [n, fs.readFileSync(path.join(kvm, n), "latin1")]));
  try {
    return statEvents(snapshotsFromDebugfs(files));
  } catch (e) {
    throw new UserError(`stat: ${kvm}: ${(e as Error).message}`);
  }
}

function stopProblem(stop: StopReason): string | null {
  switch (stop.kind) {
    case "reset": return null;
    case "budget": return `stopped after ${stop.insns} instructions (--max-insns)`;
    case "idle": return stop.message;
    case "checkstop": return `checkstop: ${stop.message}`;
    case "emulation-failed": return `emulation failed at pc 0x${(stop.pc >>> 0).toString(16).padStart(8, "0")}: ${stop.reason}`;
  }
}

// ---- the command ----

export async function cmdStat(argv: readonly string[]): Promise<number> {
  const { opts, positionals } = parseOptions("stat", STAT_OPTIONS, argv);
  if (opts.csv && !opts.log) throw new UserError("stat: --csv needs --log");
  if (opts["skip-zero-records"] && !opts.log) throw new UserError("stat: --skip-zero-records needs --log");
  if (opts.once && opts.log) throw new UserError("stat: --once and --log exclude each other");
  const delay = opts["set-delay"] === undefined ? 1 : Number(opts["set-delay"]);
  if (!(delay >= 0.001 && delay <= 3600)) throw new UserError(`stat: --set-delay expects seconds between 0.001 and 3600, got '${String(opts["set-delay"])}'`);
  let fields = opts.drilldown ? /./ : DEFAULT_FIELDS;
  if (opts.fields !== undefined && opts.fields !== "help") {
    try { fields = new RegExp(String(opts.fields)); } catch { throw new UserError(`stat: "${String(opts.fields)}" is not a valid regular expression`); }
  }

  if (opts.debugfs !== undefined) {
    if (positionals.length > 0) throw new UserError("stat: give either an image/workload or --debugfs DIR, not both");
    if (opts.log) throw new UserError("stat: --log needs a running guest (a saved tree has no intervals)");
    const ev = readDebugfs(String(opts.debugfs));
    if (opts.fields === "help") { say(`  ${[...ev.keys()].join("\n  ")}\n`); return 0; }
    say(formatBatch([...ev.keys()].filter((k) => fields.test(k)), ev, ev));
    return 0;
  }
  const name = positionals[0];
  if (!name) throw new UserError("stat: missing image or workload (usage: hv440 stat [options] image.elf|NAME, or hv440 stat --debugfs DIR)");
  if (positionals.length > 1) throw new UserError(`stat: unexpected argument '${positionals[1]}'`);

  const consoleFd = opts.console !== undefined ? fs.openSync(String(opts.console), "w") : -1;
  const byte = Buffer.alloc(1);
  const src = guestSource(name, opts, (b) => { if (consoleFd >= 0) { byte[0] = b; fs.writeSync(consoleFd, byte); } });
  const { machine } = src;
  const vcpu = machine.vcpu!;
  const cpu = machine.board.cpu;
  const sample = () => statEvents([vcpu.stats.snapshot()]);
  if (opts.fields === "help") { say(`  ${[...sample().keys()].join("\n  ")}\n`); src.close(); return 0; }
  const keys = [...sample().keys()].filter((k) => fields.test(k));
  const step = Math.max(1, Math.round(delay * src.clockHz));
  let stop: StopReason | null = null;
  /** Runs the guest up to virtual cycle `to` (or its end). */
  const advance = (to: number) => {
    while (!stop && cpu.cycles < to) stop = machine.run(Math.min(to - cpu.cycles, 50_000_000));
  };

  try {
    if (opts.log || opts.once || process.stdout.isTTY !== true) {
      // deterministic views: intervals of virtual time
      let prev = sample(), lines = 0, boundary = 0;
      const csv = opts.csv === true;
      while (!stop) {
        boundary += step;
        advance(boundary);
        const cur = sample();
        if (opts.log) {
          const line = logLine(Math.min(cpu.cycles, boundary) / src.clockHz, keys, cur, prev, csv);
          const zero = keys.every((k) => cur.get(k) === prev.get(k));
          if (!(opts["skip-zero-records"] && zero)) {
            if (csv ? lines === 0 : lines % 20 === 0) say(logBanner(keys, csv));
            say(line);
            lines++;
          }
        }
        if (stop === null || opts.log) prev = cur;
      }
      if (!opts.log) say(formatBatch(keys, sample(), prev));
    } else {
      await live(src, keys, sample, advance, () => stop, delay);
    }
  } finally {
    src.close();
    if (consoleFd >= 0) fs.closeSync(consoleFd);
  }
  const problem = stop ? stopProblem(stop) : null;
  if (problem) { warn(`hv440: stat: ${name}: ${problem}\n`); return 1; }
  return 0;
}

/** The live screen: refreshed every `delay` host seconds while the guest runs; q quits. */
async function live(src: RunSource, keys0: readonly string[], sample: () => StatEvents, advance: (to: number) => void,
  stopped: () => StopReason | null, delay: number): Promise<void> {
  const cpu = src.machine.board.cpu;
  let keys = keys0, drill = false, quit = false;
  let base = sample(), prev = base, prevCycles = cpu.cycles;
  const title = `kvm statistics - pid ${process.pid} (${src.name})`;
  const onKey = (d: Buffer) => {
    const k = d.toString("latin1");
    if (k === "q" || k === "\x03") quit = true;
    else if (k === "r") base = sample();
    else if (k === "x") { drill = !drill; keys = [...sample().keys()].filter((n) => drill || keys0.includes(n)); }
  };
  const stdin = process.stdin;
  if (stdin.isTTY) { stdin.setRawMode(true); stdin.resume(); stdin.on("data", onKey); }
  const minus = (a: StatEvents, b: StatEvents) => new Map([...a].map(([k, v]) => [k, v - (b.get(k) ?? 0)]));
  try {
    let shownAt = performance.now();
    while (!quit) {
      advance(cpu.cycles + Math.round(src.clockHz / 100)); // 10 ms of guest time
      const done = stopped() !== null;
      if (done || performance.now() - shownAt >= delay * 1000) {
        const cur = sample();
        const secs = (cpu.cycles - prevCycles) / src.clockHz;
        say(`\x1b[H\x1b[2J${formatScreen(title, keys, minus(cur, base), minus(prev, base), secs)}`);
        prev = cur;
        prevCycles = cpu.cycles;
        shownAt = performance.now();
      }
      if (done) break;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    if (stdin.isTTY) { stdin.off("data", onKey); stdin.setRawMode(false); stdin.pause(); }
  }
}

/**
 * The catalog of runnable guests: what `hv440 run <name>`, `hv440 list`, the tables and the
 * benchmarks know by name. Every seed workload and microbenchmark is our own guest kernel
 * (guest-images/kernel) booting the committed root disk (guest-images/disk/rootfs.img) with
 * `run=/bin/PROGRAM ARGS` on its command line; `boot` is the kernel alone, to the first prompt.
 *
 *   listCatalog(): CatalogEntry[]               every name, in display order
 *   findEntry(name): CatalogEntry | undefined   by name or alias
 *   resolveWorkload(name, size): ResolvedWorkload
 *       kernel ELF, disk image, command line, RAM, the program's guest path and what its output
 *       must be (the qemu-ppc recording), for one size. A name that is not in the catalog but is
 *       a file is run as a bare image (no disk, no command line). Unknown: UserError.
 *
 * Sizes: `small` (the tests' size), `default` (the tables': the five seed workloads bare and
 * virtualized take well under a minute together), `full` (the original programs' sizes). The
 * program arguments per size come from guest-images/workloads/programs.json, the same file the
 * qemu-ppc recordings (expected/<run>[-default|-full].out) were made from; `{data}` is /data on the
 * guest disk and `{tmp}` the guest's tmpfs.
 *
 * Adding an entry: push a CatalogEntry to ENTRIES (or call addEntry). Its `resolve` may point at
 * any kernel, e.g. an external cached vmlinux, and throw a UserError saying how to build it when
 * it is missing.
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { UserError } from "../util/errors.ts";
import { LINUX_ENTRY, LINUX_PVFIX_ENTRY } from "./linux.ts";

export const SIZES = ["small", "default", "full"] as const;
export type WorkloadSize = (typeof SIZES)[number];

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const GUEST_IMAGES = join(REPO_ROOT, "guest-images");
export const GUEST_KERNEL = join(GUEST_IMAGES, "kernel", "bin", "kernel.elf");
export const ROOT_DISK = join(GUEST_IMAGES, "disk", "rootfs.img");
export const WORKLOADS_DIR = join(GUEST_IMAGES, "workloads");

/** What it takes to run one catalog entry at one size. */
export interface ResolvedWorkload {
  name: string;
  size: WorkloadSize;
  /** Kernel (or bare image) ELF. */
  kernel: string;
  /** Disk image for the virtio-blk device (attached read-only), if any. */
  disk?: string;
  /** Kernel command line (/chosen/bootargs), if any. */
  append?: string;
  ramMiB: number;
  /** Guest path of the program `run=` starts (init echoes it and reports how it ended). */
  program?: string;
  /** Its arguments as the guest sees them. */
  args: string[];
  /** File holding the program's expected output without `time:` lines (qemu-ppc recording). */
  expected?: string;
  /** Selects the lines of the program's output that carry its checksum. */
  checksum?: RegExp;
}

export interface CatalogEntry {
  name: string;
  /** Other names it answers to (e.g. getppid for null-syscall). */
  aliases: string[];
  summary: string;
  /** What it exercises in the hypervisor. */
  stresses: string;
  /** The seed's name for it ("-" when the seed has none). */
  seedName: string;
  /** `seed`: the five workloads of seed 001; `micro`: other seeds' microbenchmarks; `test`. */
  group: "seed" | "micro" | "test";
  sizes: WorkloadSize[];
  resolve(size: WorkloadSize): ResolvedWorkload;
}

interface ProgramRun { args: string[] }
interface ProgramSpec {
  name: string;
  image: string;
  seed: string;
  small: ProgramRun;
  default?: ProgramRun;
  full?: ProgramRun;
  needs: string[];
  stresses: string;
}

let programs: Map<string, ProgramSpec> | undefined;
function program(name: string): ProgramSpec {
  programs ??= new Map((JSON.parse(readFileSync(join(WORKLOADS_DIR, "programs.json"), "utf8")) as { programs: ProgramSpec[] })
    .programs.map((p) => [p.name, p]));
  const p = programs.get(name);
  if (!p) throw new Error(`guest-images/workloads/programs.json has no run '${name}'`);
  return p;
}

/** Where the disk build puts the workloads' data, and the guest's writable directory. */
const guestArg = (a: string) => a.replaceAll("{data}", "/data").replaceAll("{tmp}", "/tmp");
const DEFAULT_RAM_MIB = 128;

/** The command line of a kernel run: quiet, so the console holds the program's output. */
export function runAppend(program: string, args: readonly string[]): string {
  const quote = (a: string) => (/[\s"]/.test(a) ? `"${a}"` : a);
  return ["quiet", `run=${program}`, ...args.map(quote)].join(" ");
}

function sizesOf(p: ProgramSpec): WorkloadSize[] {
  return SIZES.filter((s) => s === "small" || s === "default" || p[s] !== undefined);
}

/**
 * A workload of guest-images/workloads run under the guest kernel. `default` falls back to
 * `small` for runs that have no default of their own; `full` exists only where programs.json
 * gives one.
 */
function kernelWorkload(e: {
  name: string; aliases?: string[]; run: string; summary: string; group: CatalogEntry["group"];
  seedName?: string; checksum: RegExp; stresses?: string;
}): CatalogEntry {
  const spec = () => program(e.run);
  return {
    name: e.name,
    aliases: e.aliases ?? [],
    summary: e.summary,
    get stresses() { return e.stresses ?? spec().stresses; },
    get seedName() { return e.seedName ?? spec().seed; },
    group: e.group,
    get sizes() { return sizesOf(spec()); },
    resolve(size) {
      const p = spec();
      const run = size === "default" ? (p.default ?? p.small) : p[size];
      if (!run) throw new UserError(`${e.name}: no ${size} size (it has ${sizesOf(p).join(", ")})`);
      const bin = "/bin/" + p.image.replace(/^bin\//, "").replace(/\.elf$/, "");
      const args = run.args.map(guestArg);
      const recorded = size === "small" || (size === "default" && !p.default) ? e.run : `${e.run}-${size}`;
      return {
        name: e.name, size, kernel: GUEST_KERNEL, disk: ROOT_DISK, append: runAppend(bin, args), ramMiB: DEFAULT_RAM_MIB,
        program: bin, args, expected: join(WORKLOADS_DIR, "expected", `${recorded}.out`), checksum: e.checksum,
      };
    },
  };
}

/** A program of the root disk that has no sizes (the same run at every size). */
function kernelProgram(e: { name: string; program: string; args?: string[]; summary: string; stresses: string; expected?: string; checksum: RegExp }): CatalogEntry {
  return {
    name: e.name, aliases: [], summary: e.summary, stresses: e.stresses, seedName: "-", group: "test", sizes: [...SIZES],
    resolve: (size) => ({
      name: e.name, size, kernel: GUEST_KERNEL, disk: ROOT_DISK, append: runAppend(e.program, e.args ?? []), ramMiB: DEFAULT_RAM_MIB,
      program: e.program, args: e.args ?? [], checksum: e.checksum, ...(e.expected ? { expected: e.expected } : {}),
    }),
  };
}

const ENTRIES: CatalogEntry[] = [
  {
    name: "boot", aliases: [], group: "seed", sizes: [...SIZES], seedName: "boot guest",
    summary: "the guest kernel from reset to init's first prompt (full boot log), then power off",
    stresses: "privileged instructions (EMULINST: TLB writes, SPR and MSR accesses, rfi), console MMIO, DCRs, interrupt-controller and device set-up",
    resolve: (size) => ({ name: "boot", size, kernel: GUEST_KERNEL, disk: ROOT_DISK, append: "", ramMiB: DEFAULT_RAM_MIB, args: [], checksum: /^hv440 login: / }),
  },
  kernelWorkload({ name: "hashes", run: "hashes", group: "seed", summary: "Berkeley DB string hashes, hash of hash, iterated", checksum: /^hashes: / }),
  kernelWorkload({ name: "fhourstone", run: "fhourstone", group: "seed", summary: "connect-4 alpha-beta solver with a transposition table (64 MiB at full size)", checksum: /^fhourstone: total / }),
  kernelWorkload({ name: "lame", run: "lame", group: "seed", summary: "perceptual audio encoder: WAV from the disk, encoded file to /tmp", checksum: /^encode: / }),
  kernelWorkload({ name: "find", run: "find", group: "seed", summary: "walk the disk's file tree matching \"*.wav*\"", checksum: /^find: / }),
  kernelWorkload({ name: "null-syscall", aliases: ["getppid", "nullcall"], run: "micro-nullcall", group: "micro", summary: "getppid in a loop", checksum: /^nullcall: / }),
  kernelWorkload({ name: "ctxsw", aliases: ["context-switch"], run: "micro-ctxsw", group: "micro", summary: "two processes ping-ponging a byte through two pipes", checksum: /^ctxsw: / }),
  kernelWorkload({ name: "yield", aliases: ["sched-yield"], run: "micro-yield", group: "micro", summary: "two processes calling sched_yield", checksum: /^yield: / }),
  kernelWorkload({ name: "page-touch", aliases: ["pagetouch"], run: "micro-pagetouch", group: "micro", summary: "mmap, first write to every page, munmap", checksum: /^pagetouch: / }),
  kernelWorkload({ name: "stream", run: "micro-stream", group: "micro", summary: "STREAM copy/scale/add/triad, validated", checksum: /^stream: / }),
  kernelWorkload({ name: "lame-stereo", run: "lame-stereo", group: "test", summary: "the encoder's stereo path on a short 8 kHz file", checksum: /^encode: / }),
  kernelProgram({
    name: "hello", program: "/bin/hello", summary: "a static glibc hello world under the guest kernel",
    stresses: "process creation and exec, a few system calls", expected: join(GUEST_IMAGES, "user", "expected", "hello.out"), checksum: /./,
  }),
  kernelProgram({
    name: "ktest", program: "/bin/ktest", summary: "the guest kernel's own system-call checks",
    stresses: "fork, exec, pipes, copy-on-write, tmpfs, mmap, signals, lazy FP", checksum: /^ktest: \d+ passed/,
  }),
  LINUX_ENTRY, // a real Linux, built outside the repository (src/machine/linux.ts)
  LINUX_PVFIX_ENTRY,
];

export function listCatalog(): CatalogEntry[] {
  return [...ENTRIES];
}

/** Adds (or replaces) an entry, e.g. one whose kernel is built outside the repository. */
export function addEntry(e: CatalogEntry): void {
  const i = ENTRIES.findIndex((x) => x.name === e.name);
  if (i >= 0) ENTRIES[i] = e; else ENTRIES.push(e);
}

export function findEntry(name: string): CatalogEntry | undefined {
  return ENTRIES.find((e) => e.name === name || e.aliases.includes(name));
}

export function isSize(s: string): s is WorkloadSize {
  return (SIZES as readonly string[]).includes(s);
}

/** The catalog entry `name` at `size`, or a file of that name as a bare image. */
export function resolveWorkload(name: string, size: WorkloadSize = "default"): ResolvedWorkload {
  const e = findEntry(name);
  if (e) return e.resolve(size);
  if (existsSync(name) && statSync(name).isFile()) {
    return { name, size, kernel: resolvePath(name), ramMiB: DEFAULT_RAM_MIB, args: [] };
  }
  throw new UserError(`${name}: not a workload of the catalog (see 'hv440 list') and no such file`);
}

/**
 * The Linux/PowerPC system calls the user-mode runner implements. A handler gets the process
 * and the six argument registers (r3..r8, unsigned) and returns the result: >= 0 on success,
 * -errno on failure, or NO_RESULT when it replaced the register state itself (sigreturn, exit).
 * Files are passed through to the host file system, as qemu-user does; time, pids and random
 * bytes are deterministic (see the README's "user mode" section).
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { S, MSR } from "../cpu/state.ts";
import { E, hostErrno } from "./errno.ts";
import type { FileRef } from "./fds.ts";
import type { Process } from "./process.ts";
import { NR } from "./syscall-numbers.ts";
import { PAGE, PROT_EXEC, PROT_READ, PROT_WRITE, SegvError } from "./space.ts";
import { SS_DISABLE, SS_ONSTACK, rtSigreturn, sigreturn } from "./signals.ts";

export const NO_RESULT = Symbol("no-result");
export type Handler = (p: Process, a: readonly number[]) => number | typeof NO_RESULT;

// open(2) flags on PowerPC (asm/fcntl.h) and on the host
const O = { WRONLY: 1, RDWR: 2, CREAT: 0o100, EXCL: 0o200, NOCTTY: 0o400, TRUNC: 0o1000, APPEND: 0o2000,
  NONBLOCK: 0o4000, DIRECTORY: 0o40000, NOFOLLOW: 0o100000, LARGEFILE: 0o200000, CLOEXEC: 0o2000000 };
const AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200;

function hostOpenFlags(f: number): number {
  const c = fs.constants;
  let h = f & 3;
  if (f & O.CREAT) h |= c.O_CREAT;
  if (f & O.EXCL) h |= c.O_EXCL;
  if (f & O.NOCTTY) h |= c.O_NOCTTY;
  if (f & O.TRUNC) h |= c.O_TRUNC;
  if (f & O.APPEND) h |= c.O_APPEND;
  if (f & O.NONBLOCK) h |= c.O_NONBLOCK;
  if (f & O.DIRECTORY) h |= c.O_DIRECTORY;
  if (f & O.NOFOLLOW) h |= c.O_NOFOLLOW;
  return h;
}

const s32 = (v: number) => v | 0;

/** Resolves a guest path relative to a directory fd. */
function resolvePath(p: Process, dirfd: number, name: string): string | number {
  if (path.isAbsolute(name)) return name;
  if (s32(dirfd) === AT_FDCWD) return path.resolve(p.cwd, name);
  const f = p.fds.get(dirfd);
  if (!f || f.kind !== "host") return -E.BADF;
  return path.resolve(f.path, name);
}

function doOpen(p: Process, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const name = p.space.readCString(pathAddr);
  const full = resolvePath(p, dirfd, name);
  if (typeof full === "number") return full;
  try {
    const hfd = fs.openSync(full, hostOpenFlags(flags), mode & 0o7777);
    const st = fs.fstatSync(hfd);
    const ref: FileRef = { kind: "host", fd: hfd, path: full, flags, pos: 0, refs: 1 };
    if (st.isDirectory()) ref.dirPos = 0;
    return p.fds.alloc(ref, 0, (flags & O.CLOEXEC) !== 0);
  } catch (e) {
    return -hostErrno(e);
  }
}

function readFd(p: Process, fd: number, buf: number, count: number, pos: number | null): number {
  const f = p.fds.get(fd);
  if (!f) return -E.BADF;
  let data: Uint8Array;
  if (f.kind === "stream") {
    if (!f.stream.read) return -E.BADF;
    data = f.stream.read(count) ?? new Uint8Array(0);
  } else {
    if (f.dirPos !== undefined) return -E.ISDIR;
    const b = Buffer.alloc(Math.min(count, 1 << 24));
    try {
      const n = hostIo(() => fs.readSync(f.fd, b, 0, b.length, pos ?? f.pos), () => fs.readSync(f.fd, b, 0, b.length, null));
      if (pos === null) f.pos += n;
      data = b.subarray(0, n);
    } catch (e) {
      return -hostErrno(e);
    }
  }
  p.space.write(buf, data);
  return data.length;
}

function writeFd(p: Process, fd: number, data: Uint8Array, pos: number | null): number {
  const f = p.fds.get(fd);
  if (!f) return -E.BADF;
  if (f.kind === "stream") return f.stream.write ? f.stream.write(data) : -E.BADF;
  try {
    const at = pos ?? ((f.flags & O.APPEND) !== 0 ? fs.fstatSync(f.fd).size : f.pos);
    const n = hostIo(() => fs.writeSync(f.fd, data, 0, data.length, at), () => fs.writeSync(f.fd, data, 0, data.length, null));
    if (pos === null) f.pos = at + n;
    return n;
  } catch (e) {
    return -hostErrno(e);
  }
}

/** Positioned host I/O; devices and pipes that cannot seek fall back to sequential I/O. */
function hostIo(positioned: () => number, sequential: () => number): number {
  try {
    return positioned();
  } catch (e) {
    if ((e as { code?: string }).code === "ESPIPE") return sequential();
    throw e;
  }
}

function iovecs(p: Process, iov: number, cnt: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < cnt; i++) out.push([p.space.read32(iov + 8 * i), p.space.read32(iov + 8 * i + 4)]);
  return out;
}

/** struct stat64 (ppc32, 104 bytes) from a host stat. */
function stat64(st: fs.BigIntStats): Uint8Array {
  const b = new Uint8Array(104);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, st.dev);
  v.setBigUint64(8, st.ino);
  v.setUint32(16, Number(st.mode));
  v.setUint32(20, Number(st.nlink));
  v.setUint32(24, Number(st.uid));
  v.setUint32(28, Number(st.gid));
  v.setBigUint64(32, st.rdev);
  v.setBigInt64(48, st.size);
  v.setInt32(56, Number(st.blksize));
  v.setBigInt64(64, st.blocks);
  const t = (o: number, ns: bigint) => { v.setInt32(o, Number(ns / 1000000000n)); v.setUint32(o + 4, Number(ns % 1000000000n)); };
  t(72, st.atimeNs); t(80, st.mtimeNs); t(88, st.ctimeNs);
  return b;
}

/** struct statx (256 bytes) from a host stat. */
function statx(st: fs.BigIntStats): Uint8Array {
  const b = new Uint8Array(256);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x7ff); // STATX_BASIC_STATS
  v.setUint32(4, Number(st.blksize));
  v.setUint32(16, Number(st.nlink));
  v.setUint32(20, Number(st.uid));
  v.setUint32(24, Number(st.gid));
  v.setUint16(28, Number(st.mode));
  v.setBigUint64(32, st.ino);
  v.setBigUint64(40, BigInt(st.size));
  v.setBigUint64(48, BigInt(st.blocks));
  const t = (o: number, ns: bigint) => { v.setBigInt64(o, ns / 1000000000n); v.setUint32(o + 8, Number(ns % 1000000000n)); };
  t(64, st.atimeNs); t(80, st.birthtimeNs); t(96, st.ctimeNs); t(112, st.mtimeNs);
  const dev = st.rdev, d = st.dev;
  v.setUint32(128, Number(dev >> 8n) & 0xfff); v.setUint32(132, Number(dev & 0xffn));
  v.setUint32(136, Number(d >> 8n) & 0xfff); v.setUint32(140, Number(d & 0xffn));
  return b;
}

function statPath(p: Process, dirfd: number, pathAddr: number, flags: number): fs.BigIntStats | number {
  const name = pathAddr === 0 ? "" : p.space.readCString(pathAddr);
  try {
    if (name === "" && (flags & AT_EMPTY_PATH) !== 0) {
      const f = p.fds.get(dirfd);
      if (!f) return -E.BADF;
      if (f.kind === "stream") return fakeTtyStat(f.stream.isTty === true);
      return fs.fstatSync(f.fd, { bigint: true });
    }
    const full = resolvePath(p, dirfd, name);
    if (typeof full === "number") return full;
    return (flags & AT_SYMLINK_NOFOLLOW) !== 0 ? fs.lstatSync(full, { bigint: true }) : fs.statSync(full, { bigint: true });
  } catch (e) {
    return -hostErrno(e);
  }
}

/** A console stream: a character device (a tty when the embedder says so, else a pipe). */
function fakeTtyStat(tty: boolean): fs.BigIntStats {
  const z = 0n;
  return {
    dev: 22n, ino: 3n, mode: BigInt(tty ? 0o20620 : 0o10600), nlink: 1n, uid: z, gid: z,
    rdev: tty ? 0x8800n : z, size: z, blksize: 4096n, blocks: z, atimeNs: z, mtimeNs: z, ctimeNs: z, birthtimeNs: z,
  } as unknown as fs.BigIntStats;
}

function mmap(p: Process, addr: number, len: number, prot: number, flags: number, fd: number, off: number): number {
  const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
  if (len === 0 || (addr & (PAGE - 1)) !== 0) return -E.INVAL;
  if ((flags & (MAP_SHARED | MAP_PRIVATE)) === 0) return -E.INVAL;
  const size = Math.ceil(len / PAGE) * PAGE;
  let at = addr;
  if ((flags & MAP_FIXED) !== 0) {
    if (addr + size > 0xc0000000) return -E.NOMEM;
    p.space.unmap(addr, size);
  } else {
    at = p.space.findFree(size);
    if (at < 0) return -E.NOMEM;
  }
  const pr = (prot & 1 ? PROT_READ : 0) | (prot & 2 ? PROT_WRITE : 0) | (prot & 4 ? PROT_EXEC : 0);
  p.space.map(at, size, pr);
  if ((flags & MAP_ANONYMOUS) === 0) {
    const f = p.fds.get(fd);
    if (!f || f.kind !== "host") { p.space.unmap(at, size); return -E.BADF; }
    const b = Buffer.alloc(len);
    const n = fs.readSync(f.fd, b, 0, len, off);
    p.space.poke(at, b.subarray(0, n));
  }
  return at;
}

const RLIM_INFINITY = 0xffffffff;
function rlimit(resource: number): [number, number] {
  switch (resource) {
    case 3: return [8 << 20, RLIM_INFINITY]; // RLIMIT_STACK
    case 7: return [1024, 4096]; // RLIMIT_NOFILE
    default: return [RLIM_INFINITY, RLIM_INFINITY];
  }
}

function timespec(p: Process, addr: number, ns: bigint, is64: boolean): number {
  const b = new Uint8Array(is64 ? 16 : 8);
  const v = new DataView(b.buffer);
  if (is64) { v.setBigInt64(0, ns / 1000000000n); v.setInt32(12, Number(ns % 1000000000n)); }
  else { v.setInt32(0, Number(ns / 1000000000n)); v.setInt32(4, Number(ns % 1000000000n)); }
  p.space.write(addr, b);
  return 0;
}

function clockNs(p: Process, clk: number): bigint | number {
  switch (clk) {
    case 0: case 5: case 8: case 11: return p.realtimeNs(); // REALTIME (_COARSE, _ALARM), TAI
    case 1: case 2: case 3: case 4: case 6: case 7: case 9: return p.monotonicNs(); // MONOTONIC (_RAW, _COARSE), CPU time, BOOTTIME
    default: return -E.INVAL;
  }
}

function sigset(p: Process, addr: number, size: number): [number, number] {
  const w0 = p.space.read32(addr);
  const w1 = size >= 8 ? p.space.read32(addr + 4) : 0;
  return [w0, w1];
}

const TCGETS = 0x402c7413, TIOCGWINSZ = 0x40087468, TCSETS = 0x802c7414, FIONBIO = 0x8004667e;

export const SYSCALLS: Record<number, Handler> = {
  [NR.exit]: (p, a) => p.exit(a[0]! & 0xff),
  [NR.exit_group]: (p, a) => p.exit(a[0]! & 0xff),
  [NR.read]: (p, a) => readFd(p, a[0]!, a[1]!, a[2]!, null),
  [NR.write]: (p, a) => writeFd(p, a[0]!, p.space.read(a[1]!, a[2]!), null),
  [NR.pread64]: (p, a) => readFd(p, a[0]!, a[1]!, a[2]!, a[4]! * 4294967296 + a[5]!),
  [NR.pwrite64]: (p, a) => writeFd(p, a[0]!, p.space.read(a[1]!, a[2]!), a[4]! * 4294967296 + a[5]!),
  [NR.readv]: (p, a) => {
    let total = 0;
    for (const [base, len] of iovecs(p, a[1]!, a[2]!)) {
      const n = readFd(p, a[0]!, base, len, null);
      if (n < 0) return total > 0 ? total : n;
      total += n;
      if (n < len) break;
    }
    return total;
  },
  [NR.writev]: (p, a) => {
    const parts = iovecs(p, a[1]!, a[2]!).map(([base, len]) => p.space.read(base, len));
    return writeFd(p, a[0]!, Buffer.concat(parts), null);
  },
  [NR.open]: (p, a) => doOpen(p, AT_FDCWD, a[0]!, a[1]!, a[2]!),
  [NR.openat]: (p, a) => doOpen(p, a[0]!, a[1]!, a[2]!, a[3]!),
  [NR.creat]: (p, a) => doOpen(p, AT_FDCWD, a[0]!, O.CREAT | O.WRONLY | O.TRUNC, a[1]!),
  [NR.close]: (p, a) => (p.fds.close(a[0]!) ? 0 : -E.BADF),
  [NR.lseek]: (p, a) => {
    const r = p.seek(a[0]!, s32(a[1]!), a[2]!);
    return typeof r === "number" && r < 0 ? r : Number(r);
  },
  [NR._llseek]: (p, a) => {
    const off = (a[1]! | 0) * 4294967296 + a[2]!; // high word is signed
    const r = p.seek(a[0]!, off, a[4]!);
    if (r < 0) return r;
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(r));
    p.space.write(a[3]!, b);
    return 0;
  },
  [NR.unlink]: (p, a) => p.fsOp(() => fs.unlinkSync(path.resolve(p.cwd, p.space.readCString(a[0]!)))),
  [NR.unlinkat]: (p, a) => {
    const full = resolvePath(p, a[0]!, p.space.readCString(a[1]!));
    if (typeof full === "number") return full;
    return p.fsOp(() => ((a[2]! & AT_REMOVEDIR) !== 0 ? fs.rmdirSync(full) : fs.unlinkSync(full)));
  },
  [NR.mkdir]: (p, a) => p.fsOp(() => fs.mkdirSync(path.resolve(p.cwd, p.space.readCString(a[0]!)), { mode: a[1]! })),
  [NR.rmdir]: (p, a) => p.fsOp(() => fs.rmdirSync(path.resolve(p.cwd, p.space.readCString(a[0]!)))),
  [NR.rename]: (p, a) => p.fsOp(() => fs.renameSync(path.resolve(p.cwd, p.space.readCString(a[0]!)), path.resolve(p.cwd, p.space.readCString(a[1]!)))),
  [NR.access]: (p, a) => p.fsOp(() => fs.accessSync(path.resolve(p.cwd, p.space.readCString(a[0]!)), a[1]!)),
  [NR.faccessat]: (p, a) => {
    const full = resolvePath(p, a[0]!, p.space.readCString(a[1]!));
    return typeof full === "number" ? full : p.fsOp(() => fs.accessSync(full, a[2]!));
  },
  [NR.getcwd]: (p, a) => {
    const b = Buffer.from(p.cwd + "\0");
    if (b.length > a[1]!) return -E.RANGE;
    p.space.write(a[0]!, b);
    return b.length;
  },
  [NR.chdir]: (p, a) => {
    const d = path.resolve(p.cwd, p.space.readCString(a[0]!));
    try { if (!fs.statSync(d).isDirectory()) return -E.NOTDIR; } catch (e) { return -hostErrno(e); }
    p.cwd = d;
    return 0;
  },
  [NR.fstat64]: (p, a) => {
    const st = statPath(p, a[0]!, 0, AT_EMPTY_PATH);
    if (typeof st === "number") return st;
    p.space.write(a[1]!, stat64(st));
    return 0;
  },
  [NR.stat64]: (p, a) => {
    const st = statPath(p, AT_FDCWD, a[0]!, 0);
    if (typeof st === "number") return st;
    p.space.write(a[1]!, stat64(st));
    return 0;
  },
  [NR.lstat64]: (p, a) => {
    const st = statPath(p, AT_FDCWD, a[0]!, AT_SYMLINK_NOFOLLOW);
    if (typeof st === "number") return st;
    p.space.write(a[1]!, stat64(st));
    return 0;
  },
  [NR.fstatat64]: (p, a) => {
    const st = statPath(p, a[0]!, a[1]!, a[3]!);
    if (typeof st === "number") return st;
    p.space.write(a[2]!, stat64(st));
    return 0;
  },
  [NR.statx]: (p, a) => {
    const st = statPath(p, a[0]!, a[1]!, a[2]!);
    if (typeof st === "number") return st;
    p.space.write(a[4]!, statx(st));
    return 0;
  },
  [NR.getdents64]: (p, a) => p.getdents64(a[0]!, a[1]!, a[2]!),
  [NR.readlink]: (p, a) => p.readlink(AT_FDCWD, a[0]!, a[1]!, a[2]!),
  [NR.readlinkat]: (p, a) => p.readlink(a[0]!, a[1]!, a[2]!, a[3]!),
  [NR.dup]: (p, a) => (p.fds.get(a[0]!) ? p.fds.dup(a[0]!) : -E.BADF),
  [NR.dup2]: (p, a) => {
    const f = p.fds.get(a[0]!);
    if (!f) return -E.BADF;
    if (a[0] !== a[1]) p.fds.set(a[1]!, f);
    return a[1]!;
  },
  [NR.dup3]: (p, a) => {
    const f = p.fds.get(a[0]!);
    if (!f) return -E.BADF;
    if (a[0] === a[1]) return -E.INVAL;
    p.fds.set(a[1]!, f);
    p.fds.setCloexec(a[1]!, (a[2]! & O.CLOEXEC) !== 0);
    return a[1]!;
  },
  [NR.fcntl]: (p, a) => p.fcntl(a[0]!, a[1]!, a[2]!),
  [NR.fcntl64]: (p, a) => p.fcntl(a[0]!, a[1]!, a[2]!),
  [NR.ioctl]: (p, a) => {
    const f = p.fds.get(a[0]!);
    if (!f) return -E.BADF;
    const tty = f.kind === "stream" && f.stream.isTty === true;
    switch (a[1]! >>> 0) {
      case TCGETS: {
        if (!tty) return -E.NOTTY;
        // struct termios (ppc): c_iflag, c_oflag, c_cflag, c_lflag, c_cc[19], c_line, speeds
        const b = new Uint8Array(44);
        const v = new DataView(b.buffer);
        v.setUint32(0, 0x500); v.setUint32(4, 0x5); v.setUint32(8, 0xbf); v.setUint32(12, 0x8a3b);
        p.space.write(a[2]!, b);
        return 0;
      }
      case TCSETS: return tty ? 0 : -E.NOTTY;
      case TIOCGWINSZ: {
        if (!tty) return -E.NOTTY;
        const b = new Uint8Array(8);
        const v = new DataView(b.buffer);
        v.setUint16(0, 24); v.setUint16(2, 80);
        p.space.write(a[2]!, b);
        return 0;
      }
      case FIONBIO: return 0;
      default: return -E.NOTTY;
    }
  },
  [NR.brk]: (p, a) => {
    const want = a[0]!;
    const sp = p.space;
    if (want >= sp.brkStart && want < 0xb0000000) {
      const oldEnd = Math.ceil(sp.brk / PAGE) * PAGE, newEnd = Math.ceil(want / PAGE) * PAGE;
      if (newEnd > oldEnd) {
        for (let v = oldEnd; v < newEnd; v += PAGE) if (sp.isMapped(v >>> 12)) return sp.brk;
        sp.map(oldEnd, newEnd - oldEnd, PROT_READ | PROT_WRITE);
      } else if (newEnd < oldEnd) {
        sp.unmap(newEnd, oldEnd - newEnd);
      }
      sp.brk = want;
    }
    return sp.brk;
  },
  [NR.mmap]: (p, a) => mmap(p, a[0]!, a[1]!, a[2]!, a[3]!, s32(a[4]!), a[5]!),
  [NR.mmap2]: (p, a) => mmap(p, a[0]!, a[1]!, a[2]!, a[3]!, s32(a[4]!), a[5]! * PAGE),
  [NR.munmap]: (p, a) => {
    if ((a[0]! & (PAGE - 1)) !== 0 || a[1] === 0) return -E.INVAL;
    p.space.unmap(a[0]!, Math.ceil(a[1]! / PAGE) * PAGE);
    return 0;
  },
  [NR.mprotect]: (p, a) => {
    if ((a[0]! & (PAGE - 1)) !== 0) return -E.INVAL;
    if (a[1] === 0) return 0;
    const pr = (a[2]! & 1 ? PROT_READ : 0) | (a[2]! & 2 ? PROT_WRITE : 0) | (a[2]! & 4 ? PROT_EXEC : 0);
    return p.space.protect(a[0]!, Math.ceil(a[1]! / PAGE) * PAGE, pr) ? 0 : -E.NOMEM;
  },
  [NR.madvise]: () => 0,
  [NR.mremap]: () => -E.NOMEM,
  [NR.uname]: (p, a) => {
    const fields = ["Linux", "hv440", "6.1.0-hv440", "#1 hv440 user mode", "ppc", "(none)"];
    const b = new Uint8Array(65 * 6);
    fields.forEach((s, i) => b.set(Buffer.from(s), 65 * i));
    p.space.write(a[0]!, b);
    return 0;
  },
  [NR.getpid]: (p) => p.pid,
  [NR.gettid]: (p) => p.pid,
  [NR.getppid]: (p) => p.ppid,
  [NR.getuid]: (p) => p.uid,
  [NR.geteuid]: (p) => p.uid,
  [NR.getgid]: (p) => p.gid,
  [NR.getegid]: (p) => p.gid,
  [NR.getpgrp]: (p) => p.pid,
  [NR.getpgid]: (p) => p.pid,
  [NR.getsid]: (p) => p.pid,
  [NR.setpgid]: () => 0,
  [NR.umask]: (p, a) => { const o = p.umask; p.umask = a[0]! & 0o777; return o; },
  [NR.set_tid_address]: (p) => p.pid,
  [NR.set_robust_list]: () => 0,
  [NR.rseq]: () => -E.NOSYS,
  [NR.futex]: (p, a) => {
    const op = a[1]! & 0x7f;
    if (op === 0 || op === 9) return p.space.read32(a[0]!) !== a[2]! ? -E.AGAIN : -E.TIMEDOUT; // WAIT: nobody will wake us
    return 0; // WAKE etc.: no other threads
  },
  [NR.getrandom]: (p, a) => {
    p.space.write(a[0]!, p.randomBytes(a[1]!));
    return a[1]!;
  },
  [NR.ugetrlimit]: (p, a) => {
    const [cur, max] = rlimit(a[0]!);
    p.space.write32(a[1]!, cur); p.space.write32(a[1]! + 4, max);
    return 0;
  },
  [NR.getrlimit]: (p, a) => {
    const [cur, max] = rlimit(a[0]!);
    p.space.write32(a[1]!, cur === RLIM_INFINITY ? 0x7fffffff : cur); p.space.write32(a[1]! + 4, max === RLIM_INFINITY ? 0x7fffffff : max);
    return 0;
  },
  [NR.setrlimit]: () => 0,
  [NR.prlimit64]: (p, a) => {
    if (a[0] !== 0 && a[0] !== p.pid) return -E.SRCH;
    if (a[3] !== 0) {
      const [cur, max] = rlimit(a[1]!);
      const b = new Uint8Array(16);
      const v = new DataView(b.buffer);
      v.setBigUint64(0, cur === RLIM_INFINITY ? 0xffffffffffffffffn : BigInt(cur));
      v.setBigUint64(8, max === RLIM_INFINITY ? 0xffffffffffffffffn : BigInt(max));
      p.space.write(a[3]!, b);
    }
    return 0;
  },
  [NR.clock_gettime]: (p, a) => { const ns = clockNs(p, a[0]!); return typeof ns === "number" ? ns : timespec(p, a[1]!, ns, false); },
  [NR.clock_gettime64]: (p, a) => { const ns = clockNs(p, a[0]!); return typeof ns === "number" ? ns : timespec(p, a[1]!, ns, true); },
  [NR.clock_getres]: (p, a) => (a[1] ? timespec(p, a[1], 1n, false) : 0),
  [NR.clock_getres_time64]: (p, a) => (a[1] ? timespec(p, a[1], 1n, true) : 0),
  [NR.gettimeofday]: (p, a) => {
    if (a[0]) {
      const ns = p.realtimeNs();
      p.space.write32(a[0], Number(ns / 1000000000n)); p.space.write32(a[0] + 4, Number((ns % 1000000000n) / 1000n));
    }
    return 0;
  },
  [NR.time]: (p, a) => {
    const t = Number(p.realtimeNs() / 1000000000n);
    if (a[0]) p.space.write32(a[0], t);
    return t;
  },
  [NR.nanosleep]: (p, a) => p.sleep(a[0]!, false),
  [NR.clock_nanosleep]: (p, a) => p.sleep(a[2]!, false),
  [NR.clock_nanosleep_time64]: (p, a) => p.sleep(a[2]!, true),
  [NR.sched_yield]: () => 0,
  [NR.sched_getaffinity]: (p, a) => {
    if (a[1]! < 4) return -E.INVAL;
    p.space.write(a[2]!, new Uint8Array(a[1]!));
    p.space.write32(a[2]!, 0x01000000); // CPU 0 (a little-endian bitmap word read as bytes)
    return 4;
  },
  [NR.prctl]: (p, a) => {
    const PR_GET_FPEXC = 11, PR_SET_FPEXC = 12;
    if (a[0] === PR_SET_FPEXC) {
      const m = a[1]! & 3;
      const fe = ((m << 10) & MSR.FE0) | ((m << 8) & MSR.FE1);
      p.cpu.setMsr((p.cpu.st[S.MSR]! & ~(MSR.FE0 | MSR.FE1)) | fe);
      return 0;
    }
    if (a[0] === PR_GET_FPEXC) {
      const msr = p.cpu.st[S.MSR]!;
      p.space.write32(a[1]!, ((msr & MSR.FE0) ? 1 : 0) | ((msr & MSR.FE1) ? 2 : 0));
      return 0;
    }
    return -E.INVAL;
  },
  [NR.times]: (p, a) => {
    const ticks = Number(p.monotonicNs() / 10000000n);
    if (a[0]) { p.space.write32(a[0], ticks); p.space.write32(a[0] + 4, 0); p.space.write32(a[0] + 8, 0); p.space.write32(a[0] + 12, 0); }
    return ticks;
  },
  [NR.pipe]: (p, a) => p.pipe(a[0]!, 0),
  [NR.pipe2]: (p, a) => p.pipe(a[0]!, a[1]!),

  // ---- signals ----
  [NR.rt_sigaction]: (p, a) => p.sigaction(a[0]!, a[1]!, a[2]!, a[3]!),
  [NR.rt_sigprocmask]: (p, a) => p.sigprocmask(a[0]!, a[1]!, a[2]!, a[3]!),
  [NR.sigprocmask]: (p, a) => p.sigprocmask(a[0]!, a[1]!, a[2]!, 4),
  [NR.rt_sigpending]: (p, a) => {
    p.space.write32(a[0]!, p.pending[0]); if (a[1]! >= 8) p.space.write32(a[0]! + 4, p.pending[1]);
    return 0;
  },
  [NR.rt_sigsuspend]: (p, a) => p.sigsuspend(sigset(p, a[0]!, a[1]!)),
  [NR.sigaltstack]: (p, a) => {
    if (a[1]) {
      p.space.write32(a[1], p.altStack.sp);
      p.space.write32(a[1] + 4, p.altStack.flags === SS_DISABLE ? SS_DISABLE : p.onAltStack() ? SS_ONSTACK : 0);
      p.space.write32(a[1] + 8, p.altStack.size);
    }
    if (a[0]) {
      if (p.onAltStack()) return -E.PERM;
      const sp = p.space.read32(a[0]), flags = p.space.read32(a[0] + 4), size = p.space.read32(a[0] + 8);
      if (flags & ~SS_DISABLE) return -E.INVAL;
      p.altStack = flags === SS_DISABLE ? { sp: 0, flags: SS_DISABLE, size: 0 } : { sp, flags: 0, size };
    }
    return 0;
  },
  [NR.kill]: (p, a) => p.kill(s32(a[0]!), a[1]!),
  [NR.tkill]: (p, a) => p.kill(s32(a[0]!), a[1]!),
  [NR.tgkill]: (p, a) => p.kill(s32(a[1]!), a[2]!),
  [NR.sigreturn]: (p) => { p.setBlocked(sigreturn(p.cpu, p.space)); return NO_RESULT; },
  [NR.rt_sigreturn]: (p) => { p.setBlocked(rtSigreturn(p.cpu, p.space).mask); return NO_RESULT; },
};

export { SegvError };

/** `--strace` lines in qemu-user's format: `PID name(args) = result`. */

import { errnoMessage } from "./errno.ts";
import type { Process } from "./process.ts";
import { SYSCALL_NAMES } from "./syscall-numbers.ts";
import { NO_RESULT } from "./syscalls.ts";

/** Argument kinds: s string, p pointer, d signed, u unsigned, o octal, x hex. Default d. */
const ARGS: Record<string, string> = {
  open: "sdo", openat: "dsdo", creat: "so", stat64: "sp", lstat64: "sp", fstatat64: "dspx", statx: "dsxxp",
  access: "so", faccessat: "dso", unlink: "s", unlinkat: "dsx", mkdir: "so", rmdir: "s", chdir: "s",
  rename: "ss", readlink: "spu", readlinkat: "dspu", execve: "spp",
  read: "dpu", write: "dpu", pread64: "dpu", pwrite64: "dpu", readv: "dpd", writev: "dpd",
  brk: "p", mmap: "pudxdu", mmap2: "pudxdu", munmap: "pu", mprotect: "pux", madvise: "pud",
  getrandom: "pux", uname: "p", fstat64: "dp", getdents64: "dpu", ioctl: "dxp",
  rt_sigaction: "dppu", rt_sigprocmask: "dppu", clock_gettime: "dp", clock_gettime64: "dp",
  gettimeofday: "pp", set_tid_address: "p", set_robust_list: "pu", getcwd: "pu",
  ugetrlimit: "dp", prlimit64: "ddpp", sigaltstack: "pp", futex: "pdupxd",
};
const RETURNS_POINTER = new Set(["brk", "mmap", "mmap2"]);

function fmtArg(p: Process, kind: string, v: number): string {
  switch (kind) {
    case "s":
      try { return JSON.stringify(p.space.readCString(v, 256)); } catch { return `0x${v.toString(16)}`; }
    case "p": return v === 0 ? "NULL" : `0x${v.toString(16)}`;
    case "x": return `0x${v.toString(16)}`;
    case "o": return `0${v.toString(8)}`;
    case "u": return String(v >>> 0);
    default: return String(v | 0);
  }
}

export function formatSyscall(p: Process, nr: number, a: readonly number[], res: number | typeof NO_RESULT, known: boolean): string {
  const name = SYSCALL_NAMES[nr];
  const ret = res === NO_RESULT ? "" : res < 0 && res >= -4095
    ? ` = -1 errno=${-res} (${errnoMessage(-res)})`
    : ` = ${name && RETURNS_POINTER.has(name) ? `0x${(res >>> 0).toString(16)}` : String(res)}`;
  if (!known || !name) return `${p.pid} Unknown syscall ${nr}${ret}`;
  const kinds = ARGS[name] ?? "dddddd";
  const shown = ARGS[name] ? kinds.length : 6;
  const args = a.slice(0, shown).map((v, i) => fmtArg(p, kinds[i] ?? "d", v)).join(",");
  return `${p.pid} ${name}(${args})${ret}`;
}

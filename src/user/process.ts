/**
 * One Linux process under the user-mode runner: the CPU, its address space and file table, the
 * signal state, and the exception sink that turns what the 440 raises into what Linux would do
 * (system calls, signals, the alignment fix-ups and instruction emulation the 440 kernel does).
 */

import * as fs from "node:fs";
import * as path from "node:path";
import type { Cpu, ExceptionSink } from "../cpu/cpu.ts";
import { ESR, Ivor } from "../cpu/interrupts.ts";
import { MSR, S } from "../cpu/state.ts";
import { SPR } from "../cpu/spr.ts";
import { E, errnoMessage, hostErrno } from "./errno.ts";
import { FdTable, type FileRef, type Stream } from "./fds.ts";
import {
  SA, SIG, SIG_DFL, SIG_IGN, SS_DISABLE, isDefaultIgnored, setupFrame,
  type AltStack, type SigAction, type SigInfo,
} from "./signals.ts";
import { AddressSpace, SegvError } from "./space.ts";
import { NO_RESULT, SYSCALLS } from "./syscalls.ts";
import { formatSyscall } from "./strace.ts";

export interface ProcessOptions {
  exePath: string;
  cwd: string;
  stdin: Stream;
  stdout: Stream;
  stderr: Stream;
  /** --strace: receives one line per system call. */
  strace?: (line: string) => void;
  pid?: number;
  uid?: number;
  gid?: number;
  seed?: number;
  clockHz: number;
}

// si_code values
const SEGV_MAPERR = 1, SEGV_ACCERR = 2, ILL_ILLOPC = 1, ILL_PRVOPC = 5, TRAP_BRKPT = 1, BUS_ADRALN = 1, BUS_OBJERR = 3;
const FPE = { FLTDIV: 3, FLTOVF: 4, FLTUND: 5, FLTRES: 6, FLTINV: 7 };
const SI_USER = 0, SI_TKILL = -6;

export class Process implements ExceptionSink {
  readonly fds = new FdTable();
  readonly space: AddressSpace;
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  cwd: string;
  umask = 0o022;
  exitStatus: number | null = null;
  killedBy: number | null = null;
  /** Address of the faulting instruction when killed by a synchronous signal. */
  faultPc = 0;

  readonly actions: SigAction[] = [];
  blocked: [number, number] = [0, 0];
  pending: [number, number] = [0, 0];
  private readonly pendingInfo = new Map<number, SigInfo>();
  altStack: AltStack = { sp: 0, flags: SS_DISABLE, size: 0 };
  private rng: number;
  private readonly clockHz: number;

  constructor(readonly cpu: Cpu, readonly opts: ProcessOptions) {
    this.space = new AddressSpace(cpu.mem);
    cpu.mem.translator = this.space;
    cpu.sink = this;
    this.pid = opts.pid ?? 1000;
    this.ppid = this.pid - 1;
    this.uid = opts.uid ?? 1000;
    this.gid = opts.gid ?? 1000;
    this.cwd = opts.cwd;
    this.rng = (opts.seed ?? 0x440) >>> 0 || 1;
    this.clockHz = opts.clockHz;
    for (let i = 0; i <= 64; i++) this.actions.push({ handler: SIG_DFL, flags: 0, restorer: 0, mask: [0, 0] });
    this.fds.alloc({ kind: "stream", stream: opts.stdin, refs: 1 });
    this.fds.alloc({ kind: "stream", stream: opts.stdout, refs: 1 });
    this.fds.alloc({ kind: "stream", stream: opts.stderr, refs: 1 });
  }

  get done(): boolean {
    return this.exitStatus !== null;
  }

  // ---- the exception sink ----

  exception(cpu: Cpu): boolean {
    const e = cpu.exc;
    const trapOf = (v: number) => v;
    try {
      switch (e.ivor) {
        case Ivor.SystemCall:
          cpu.st[S.PC] = (e.pc + 4) | 0;
          this.syscall();
          break;
        case Ivor.DataTlb:
        case Ivor.DataStorage:
          this.force(SIG.SEGV, e.ivor === Ivor.DataTlb ? SEGV_MAPERR : SEGV_ACCERR, e.dear >>> 0, trapOf(0x300), e.dear, e.esr);
          break;
        case Ivor.InstTlb:
        case Ivor.InstStorage:
          this.force(SIG.SEGV, e.ivor === Ivor.InstTlb ? SEGV_MAPERR : SEGV_ACCERR, e.pc >>> 0, 0x400, 0, 0);
          break;
        case Ivor.Program:
          this.program(e.esr);
          break;
        case Ivor.Alignment:
          if (!this.fixAlignment()) this.force(SIG.BUS, BUS_ADRALN, e.dear >>> 0, 0x600, e.dear, e.esr);
          break;
        case Ivor.FpUnavailable:
          cpu.setMsr(cpu.st[S.MSR]! | MSR.FP); // lazy FP: just enable it and retry
          break;
        case Ivor.MachineCheck:
          this.force(SIG.BUS, BUS_OBJERR, e.dear >>> 0, 0x200, 0, 0);
          break;
        default:
          throw new Error(`unexpected ${e.ivor} interrupt in user mode at 0x${(e.pc >>> 0).toString(16)}`);
      }
      this.deliverSignals();
    } catch (err) {
      if (!(err instanceof SegvError)) throw err;
      // the kernel could not write a signal frame or read syscall memory it needed: SIGSEGV kill
      this.terminate(SIG.SEGV);
    }
    return !this.done;
  }

  private program(esr: number): void {
    const cpu = this.cpu, pc = cpu.exc.pc;
    if (esr & ESR.FP) {
      const f = cpu.fpu.fpscr;
      const code = (f & 0x80) && (f & 0x20000000) ? FPE.FLTINV : (f & 0x40) && (f & 0x10000000) ? FPE.FLTOVF
        : (f & 0x20) && (f & 0x08000000) ? FPE.FLTUND : (f & 0x10) && (f & 0x04000000) ? FPE.FLTDIV
          : (f & 0x08) && (f & 0x02000000) ? FPE.FLTRES : 0;
      this.force(SIG.FPE, code, pc >>> 0, 0x700, 0, esr);
    } else if (esr & ESR.PTR) {
      this.force(SIG.TRAP, TRAP_BRKPT, pc >>> 0, 0x700, 0, esr);
    } else {
      // Linux emulates `mfspr rD, PVR` for user space (emulate_instruction)
      const insn = this.space.read32(pc >>> 0);
      if ((insn & 0xfc1fffff) === 0x7c1f42a6) {
        cpu.gpr[(insn >>> 21) & 31] = cpu.spr[SPR.PVR]!;
        cpu.st[S.PC] = (pc + 4) | 0;
        return;
      }
      this.force(SIG.ILL, esr & ESR.PPR ? ILL_PRVOPC : ILL_ILLOPC, pc >>> 0, 0x700, 0, esr);
    }
  }

  /**
   * Linux's fix_alignment for the 440: FP loads/stores that cross a 16-byte boundary are done
   * byte by byte; everything else (lwarx, stwcx., ...) gets SIGBUS.
   */
  private fixAlignment(): boolean {
    const cpu = this.cpu, pc = cpu.exc.pc >>> 0;
    const insn = this.space.read32(pc);
    const op = insn >>> 26;
    const rt = (insn >>> 21) & 31, ra = (insn >>> 16) & 31, rb = (insn >>> 11) & 31, xo = (insn >>> 1) & 1023;
    let kind: { load: boolean; dbl: boolean; update: boolean; x: boolean } | null = null;
    if (op >= 48 && op <= 55) kind = { load: op < 52, dbl: (op & 2) !== 0, update: (op & 1) !== 0, x: false };
    else if (op === 31) {
      const t: Record<number, [boolean, boolean, boolean]> = {
        535: [true, false, false], 567: [true, false, true], 599: [true, true, false], 631: [true, true, true],
        663: [false, false, false], 695: [false, false, true], 727: [false, true, false], 759: [false, true, true],
      };
      const k = t[xo];
      if (k) kind = { load: k[0], dbl: k[1], update: k[2], x: true };
    }
    if (!kind) return false;
    const base = ra === 0 && !kind.update ? 0 : cpu.gpr[ra]!;
    const ea = (base + (kind.x ? cpu.gpr[rb]! : (insn << 16) >> 16)) >>> 0;
    const fw = cpu.fpu.fprw;
    if (kind.load) {
      const b = new DataView(this.space.read(ea, kind.dbl ? 8 : 4).buffer);
      if (kind.dbl) { fw[2 * rt + 1] = b.getUint32(0); fw[2 * rt] = b.getUint32(4); }
      else cpu.fpu.lfs(rt, b.getUint32(0));
    } else {
      const out = new Uint8Array(kind.dbl ? 8 : 4);
      const v = new DataView(out.buffer);
      if (kind.dbl) { v.setUint32(0, fw[2 * rt + 1]!); v.setUint32(4, fw[2 * rt]!); }
      else v.setUint32(0, cpu.fpu.stfs(rt) >>> 0);
      this.space.write(ea, out);
    }
    if (kind.update) cpu.gpr[ra] = ea;
    cpu.st[S.PC] = (pc + 4) | 0;
    return true;
  }

  // ---- system calls ----

  private syscall(): void {
    const cpu = this.cpu, r = cpu.gpr;
    const nr = r[0]! >>> 0;
    const args = [r[3]! >>> 0, r[4]! >>> 0, r[5]! >>> 0, r[6]! >>> 0, r[7]! >>> 0, r[8]! >>> 0];
    const h = SYSCALLS[nr];
    let res: number | typeof NO_RESULT;
    if (!h) res = -E.NOSYS;
    else {
      try {
        res = h(this, args);
      } catch (err) {
        if (!(err instanceof SegvError)) throw err;
        res = -E.FAULT;
      }
    }
    if (this.opts.strace) this.opts.strace(formatSyscall(this, nr, args, res, h !== undefined));
    if (res === NO_RESULT) return;
    // Linux/PowerPC: errors come back as a positive errno in r3 with CR0[SO] set
    if (res < 0 && res >= -4095) {
      r[3] = -res;
      cpu.cr[0] = cpu.cr[0]! | 1;
    } else {
      r[3] = res;
      cpu.cr[0] = cpu.cr[0]! & ~1;
    }
  }

  exit(status: number): typeof NO_RESULT {
    this.exitStatus = status;
    this.cpu.halted = true;
    return NO_RESULT;
  }

  fsOp(f: () => void): number {
    try { f(); return 0; } catch (e) { return -hostErrno(e); }
  }

  seek(fd: number, off: number, whence: number): number {
    const f = this.fds.get(fd);
    if (!f) return -E.BADF;
    if (f.kind !== "host") return -E.SPIPE;
    let base: number;
    if (whence === 0) base = 0;
    else if (whence === 1) base = f.pos;
    else if (whence === 2) {
      try { base = fs.fstatSync(f.fd).size; } catch (e) { return -hostErrno(e); }
    } else return -E.INVAL;
    const np = base + off;
    if (np < 0) return -E.INVAL;
    f.pos = np;
    if (f.dirPos !== undefined) f.dirPos = np;
    return np;
  }

  getdents64(fd: number, buf: number, count: number): number {
    const f = this.fds.get(fd);
    if (!f) return -E.BADF;
    if (f.kind !== "host" || f.dirPos === undefined) return -E.NOTDIR;
    let names: string[];
    try { names = [".", "..", ...fs.readdirSync(f.path).sort()]; } catch (e) { return -hostErrno(e); }
    const out: Uint8Array[] = [];
    let used = 0;
    for (let i = f.dirPos; i < names.length; i++) {
      const name = Buffer.from(names[i]!);
      const reclen = (19 + name.length + 1 + 7) & ~7;
      if (used + reclen > count) { if (used === 0) return -E.INVAL; break; }
      const rec = new Uint8Array(reclen);
      const v = new DataView(rec.buffer);
      let ino = 0n, type = 0;
      try {
        const st = fs.lstatSync(path.join(f.path, names[i]!), { bigint: true });
        ino = st.ino;
        type = st.isDirectory() ? 4 : st.isFile() ? 8 : st.isSymbolicLink() ? 10 : st.isCharacterDevice() ? 2 : st.isFIFO() ? 1 : 0;
      } catch { /* raced away: report it anyway */ }
      v.setBigUint64(0, ino);
      v.setBigInt64(8, BigInt(i + 1));
      v.setUint16(16, reclen);
      rec[18] = type;
      rec.set(name, 19);
      out.push(rec);
      used += reclen;
      f.dirPos = i + 1;
    }
    this.space.write(buf, Buffer.concat(out));
    return used;
  }

  readlink(dirfd: number, pathAddr: number, buf: number, size: number): number {
    const name = this.space.readCString(pathAddr);
    let target: string;
    if (name === "/proc/self/exe") target = this.opts.exePath;
    else {
      try {
        const full = path.isAbsolute(name) || (dirfd | 0) === -100 ? path.resolve(this.cwd, name) : name;
        target = fs.readlinkSync(full);
      } catch (e) {
        return -hostErrno(e);
      }
    }
    const b = Buffer.from(target).subarray(0, size);
    this.space.write(buf, b);
    return b.length;
  }

  fcntl(fd: number, cmd: number, arg: number): number {
    const f = this.fds.get(fd);
    if (!f) return -E.BADF;
    switch (cmd) {
      case 0: return this.fds.dup(fd, arg);
      case 1030: { const n = this.fds.dup(fd, arg); this.fds.setCloexec(n, true); return n; }
      case 1: return this.fds.getCloexec(fd) ? 1 : 0;
      case 2: this.fds.setCloexec(fd, (arg & 1) !== 0); return 0;
      case 3: return f.kind === "host" ? f.flags & ~0o2000000 : fd === 0 ? 0 : 1;
      case 4: return 0;
      default: return -E.INVAL;
    }
  }

  pipe(addr: number, flags: number): number {
    const buf: number[] = [];
    const ends = { writers: 1 };
    const rd: FileRef = {
      kind: "stream", refs: 1,
      stream: {
        read: (max) => (buf.length === 0 ? (ends.writers > 0 ? null : new Uint8Array(0)) : Uint8Array.from(buf.splice(0, max))),
      },
    };
    const wr: FileRef = { kind: "stream", refs: 1, stream: { write: (b) => { buf.push(...b); return b.length; } } };
    const cloexec = (flags & 0o2000000) !== 0;
    const r = this.fds.alloc(rd, 0, cloexec), w = this.fds.alloc(wr, 0, cloexec);
    this.space.write32(addr, r);
    this.space.write32(addr + 4, w);
    return 0;
  }

  /** Virtual time since the program started (the CPU's clock), for MONOTONIC clocks. */
  monotonicNs(): bigint {
    return BigInt(Math.floor((this.cpu.cycles / this.clockHz) * 1e9));
  }
  realtimeNs(): bigint {
    return BigInt(Date.now()) * 1000000n;
  }
  sleep(reqAddr: number, is64: boolean): number {
    if (reqAddr === 0) return -E.FAULT;
    const sec = is64 ? Number(new DataView(this.space.read(reqAddr, 8).buffer).getBigInt64(0)) : this.space.read32(reqAddr) | 0;
    const nsec = this.space.read32(reqAddr + (is64 ? 12 : 4));
    if (sec < 0 || nsec >= 1e9) return -E.INVAL;
    this.cpu.cycles += Math.round((sec + nsec / 1e9) * this.clockHz); // sleeping takes virtual time only
    return 0;
  }

  /** Deterministic bytes for getrandom (xorshift32 from the run's seed). */
  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let x = this.rng;
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      this.rng = x >>> 0;
      out[i] = x & 0xff;
    }
    return out;
  }

  // ---- signals ----

  sigaction(sig: number, act: number, oact: number, size: number): number {
    if (sig < 1 || sig > 64 || size !== 8) return -E.INVAL;
    const cur = this.actions[sig]!;
    if (oact) {
      const b = new Uint8Array(20);
      const v = new DataView(b.buffer);
      v.setUint32(0, cur.handler >>> 0); v.setUint32(4, cur.flags >>> 0); v.setUint32(8, cur.restorer >>> 0);
      v.setUint32(12, cur.mask[0] >>> 0); v.setUint32(16, cur.mask[1] >>> 0);
      this.space.write(oact, b);
    }
    if (act) {
      if (sig === SIG.KILL || sig === SIG.STOP) return -E.INVAL;
      const v = new DataView(this.space.read(act, 20).buffer);
      this.actions[sig] = {
        handler: v.getUint32(0), flags: v.getUint32(4), restorer: v.getUint32(8),
        mask: [v.getUint32(12), v.getUint32(16)],
      };
    }
    return 0;
  }

  sigprocmask(how: number, set: number, oset: number, size: number): number {
    if (size !== 8 && size !== 4) return -E.INVAL;
    const old = this.blocked;
    if (set) {
      const w: [number, number] = [this.space.read32(set), size >= 8 ? this.space.read32(set + 4) : 0];
      if (how === 0) this.setBlocked([old[0] | w[0], old[1] | w[1]]);
      else if (how === 1) this.setBlocked([old[0] & ~w[0], old[1] & ~w[1]]);
      else if (how === 2) this.setBlocked(w);
      else return -E.INVAL;
    }
    if (oset) {
      this.space.write32(oset, old[0]);
      if (size >= 8) this.space.write32(oset + 4, old[1]);
    }
    return 0;
  }

  /** SIGKILL and SIGSTOP can never be blocked. */
  setBlocked(m: [number, number]): void {
    this.blocked = [(m[0] & ~((1 << (SIG.KILL - 1)) | (1 << (SIG.STOP - 1)))) >>> 0, m[1] >>> 0];
  }

  sigsuspend(mask: [number, number]): number {
    const saved = this.blocked;
    this.setBlocked(mask);
    if (!this.hasDeliverable()) {
      this.blocked = saved;
      return this.fatal("sigsuspend with no signal pending: the process would sleep forever");
    }
    this.suspendRestore = saved;
    return -E.INTR;
  }
  private suspendRestore: [number, number] | null = null;

  onAltStack(): boolean {
    const sp = this.cpu.gpr[1]! >>> 0;
    return this.altStack.flags !== SS_DISABLE && sp >= this.altStack.sp && sp < this.altStack.sp + this.altStack.size;
  }

  kill(pid: number, sig: number): number {
    if (sig < 0 || sig > 64) return -E.INVAL;
    if (pid !== this.pid && pid !== 0 && pid !== -1) return -E.SRCH;
    if (sig === 0) return 0;
    this.post(sig, { signo: sig, code: pid === 0 || pid === -1 ? SI_USER : SI_TKILL, pid: this.pid, uid: this.uid, trap: 0xc00, dar: 0, dsisr: 0 });
    return 0;
  }

  private post(sig: number, info: SigInfo): void {
    const w = sig > 32 ? 1 : 0, bit = 1 << ((sig - 1) & 31);
    this.pending[w] = (this.pending[w]! | bit) >>> 0;
    if (!this.pendingInfo.has(sig)) this.pendingInfo.set(sig, info);
  }

  /** A synchronous fault signal: cannot be blocked or ignored (Linux force_sig). */
  private force(sig: number, code: number, addr: number, trap: number, dar: number, dsisr: number): void {
    const w = sig > 32 ? 1 : 0, bit = 1 << ((sig - 1) & 31);
    const act = this.actions[sig]!;
    if ((this.blocked[w]! & bit) !== 0 || act.handler === SIG_IGN) {
      this.blocked[w] = (this.blocked[w]! & ~bit) >>> 0;
      act.handler = SIG_DFL;
    }
    this.faultPc = this.cpu.exc.pc >>> 0;
    this.post(sig, { signo: sig, code, addr, trap, dar, dsisr });
  }

  private hasDeliverable(): boolean {
    return ((this.pending[0] & ~this.blocked[0]) | (this.pending[1] & ~this.blocked[1])) !== 0;
  }

  /** Delivers every pending, unblocked signal (each handler gets its own frame). */
  deliverSignals(): void {
    while (!this.done && this.hasDeliverable()) {
      let sig = 0;
      for (let s = 1; s <= 64; s++) {
        const w = s > 32 ? 1 : 0, bit = 1 << ((s - 1) & 31);
        if ((this.pending[w]! & ~this.blocked[w]! & bit) !== 0) { sig = s; break; }
      }
      const w = sig > 32 ? 1 : 0, bit = 1 << ((sig - 1) & 31);
      this.pending[w] = (this.pending[w]! & ~bit) >>> 0;
      const info = this.pendingInfo.get(sig)!;
      this.pendingInfo.delete(sig);
      const act = this.actions[sig]!;
      if (act.handler === SIG_IGN || (act.handler === SIG_DFL && isDefaultIgnored(sig))) continue;
      if (act.handler === SIG_DFL) { this.terminate(sig); return; }
      const oldMask = this.suspendRestore ?? this.blocked;
      this.suspendRestore = null;
      setupFrame(this.cpu, this.space, act, info, oldMask, this.altStack);
      const add = act.flags & SA.NODEFER ? [0, 0] : [w === 0 ? bit : 0, w === 1 ? bit : 0];
      this.setBlocked([oldMask[0] | act.mask[0] | add[0]!, oldMask[1] | act.mask[1] | add[1]!]);
      if (act.flags & SA.RESETHAND) act.handler = SIG_DFL;
    }
  }

  private terminate(sig: number): void {
    this.killedBy = sig;
    this.exitStatus = 128 + sig;
    this.cpu.halted = true;
  }

  /** The runner cannot continue the guest (e.g. a single-threaded deadlock). */
  fatalMessage: string | null = null;
  private fatal(msg: string): number {
    this.fatalMessage = msg;
    this.exitStatus = 1;
    this.cpu.halted = true;
    return -E.INTR;
  }
}

export { errnoMessage };

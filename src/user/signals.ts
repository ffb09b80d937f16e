/**
 * Linux/PowerPC 32-bit signal delivery: the kernel's own frame layouts (struct sigframe for
 * plain handlers, struct rt_sigframe with siginfo and ucontext for SA_SIGINFO handlers), the
 * register conventions on handler entry, and sigreturn/rt_sigreturn. Offsets were taken from the
 * UAPI headers of the ppc32 cross toolchain (asm/ucontext.h, asm/sigcontext.h, asm/ptrace.h).
 */

import type { Cpu } from "../cpu/cpu.ts";
import { S } from "../cpu/state.ts";
import { TRAMP_RT_SIGRETURN, TRAMP_SIGRETURN } from "./loader.ts";
import type { AddressSpace } from "./space.ts";

export const SIG = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20,
  TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29,
  PWR: 30, SYS: 31,
} as const;

export const SIGNAL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(SIG).map(([k, v]) => [v, `SIG${k}`]),
);

export const SA = {
  NOCLDSTOP: 1, NOCLDWAIT: 2, SIGINFO: 4, RESTORER: 0x04000000, ONSTACK: 0x08000000,
  RESTART: 0x10000000, NODEFER: 0x40000000, RESETHAND: 0x80000000,
} as const;

export const SIG_DFL = 0, SIG_IGN = 1;

export interface SigAction {
  handler: number;
  flags: number;
  restorer: number;
  /** Mask words: [0] signals 1-32, [1] signals 33-64 (bit = signo - 1). */
  mask: [number, number];
}

export interface SigInfo {
  signo: number;
  code: number;
  /** si_addr for faults; si_pid for kill (with uid). */
  addr?: number;
  pid?: number;
  uid?: number;
  /** regs->trap for the ucontext (the interrupt that led here). */
  trap: number;
  dar: number;
  dsisr: number;
}

/** Signals whose default action is to be ignored. */
const DEFAULT_IGNORE = new Set<number>([SIG.CHLD, SIG.CONT, SIG.URG, SIG.WINCH]);

export const isDefaultIgnored = (sig: number) => DEFAULT_IGNORE.has(sig);

// ---- frame layout (ppc32) ----
const SIGNAL_FRAMESIZE = 64;
const SIGINFO_SIZE = 128;
const UCONTEXT_SIZE = 1184;
const UC_STACK = 8, UC_REGS = 48, UC_SIGMASK = 52, UC_MCONTEXT = 192;
const MCONTEXT_SIZE = 992;
const MC_FREGS = 192;
const ABIGAP = 56 * 4;
const RT_FRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE + ABIGAP;
const SIGCONTEXT_SIZE = 32;
const FRAME_SIZE = SIGCONTEXT_SIZE + MCONTEXT_SIZE + ABIGAP;
const PT = { NIP: 32, MSR: 33, ORIG_R3: 34, CTR: 35, LNK: 36, XER: 37, CCR: 38, MQ: 39, TRAP: 40, DAR: 41, DSISR: 42, RESULT: 43 };

export interface AltStack { sp: number; flags: number; size: number }
const SS_ONSTACK = 1, SS_DISABLE = 2;
export { SS_ONSTACK, SS_DISABLE };

function saveMcontext(cpu: Cpu, buf: DataView, base: number, info: SigInfo): void {
  const r = cpu.gpr;
  for (let i = 0; i < 32; i++) buf.setInt32(base + 4 * i, r[i]!);
  buf.setInt32(base + 4 * PT.NIP, cpu.st[S.PC]!);
  buf.setInt32(base + 4 * PT.MSR, cpu.st[S.MSR]!);
  buf.setInt32(base + 4 * PT.ORIG_R3, r[3]!);
  buf.setInt32(base + 4 * PT.CTR, cpu.st[S.CTR]!);
  buf.setInt32(base + 4 * PT.LNK, cpu.st[S.LR]!);
  buf.setUint32(base + 4 * PT.XER, cpu.getXER());
  buf.setUint32(base + 4 * PT.CCR, cpu.getCR());
  buf.setInt32(base + 4 * PT.TRAP, info.trap);
  buf.setInt32(base + 4 * PT.DAR, info.dar);
  buf.setInt32(base + 4 * PT.DSISR, info.dsisr);
  const fw = cpu.fpu.fprw;
  for (let i = 0; i < 32; i++) {
    buf.setUint32(base + MC_FREGS + 8 * i, fw[2 * i + 1]!);
    buf.setUint32(base + MC_FREGS + 8 * i + 4, fw[2 * i]!);
  }
  buf.setUint32(base + MC_FREGS + 8 * 32, 0);
  buf.setUint32(base + MC_FREGS + 8 * 32 + 4, cpu.fpu.fpscr >>> 0);
}

/** Restores registers from an mcontext (MSR is not restored from user memory, as in Linux). */
export function restoreMcontext(cpu: Cpu, space: AddressSpace, mc: number): void {
  const b = space.read(mc, MC_FREGS + 8 * 33);
  const buf = new DataView(b.buffer);
  const r = cpu.gpr;
  for (let i = 0; i < 32; i++) r[i] = buf.getInt32(4 * i);
  cpu.st[S.PC] = buf.getInt32(4 * PT.NIP) & -4;
  cpu.st[S.CTR] = buf.getInt32(4 * PT.CTR);
  cpu.st[S.LR] = buf.getInt32(4 * PT.LNK);
  cpu.setXER(buf.getUint32(4 * PT.XER));
  cpu.setCR(buf.getUint32(4 * PT.CCR));
  const fw = cpu.fpu.fprw;
  for (let i = 0; i < 32; i++) {
    fw[2 * i + 1] = buf.getUint32(MC_FREGS + 8 * i);
    fw[2 * i] = buf.getUint32(MC_FREGS + 8 * i + 4);
  }
  cpu.fpu.fpscr = buf.getUint32(MC_FREGS + 8 * 32 + 4) >>> 0;
}

function writeSiginfo(buf: DataView, o: number, info: SigInfo): void {
  buf.setInt32(o, info.signo);
  buf.setInt32(o + 4, 0);
  buf.setInt32(o + 8, info.code);
  if (info.pid !== undefined) {
    buf.setInt32(o + 12, info.pid);
    buf.setInt32(o + 16, info.uid ?? 0);
  } else if (info.addr !== undefined) {
    buf.setUint32(o + 12, info.addr >>> 0);
  }
}

/**
 * Builds the frame for `sig` on the user stack (or the alternate stack) and points the CPU at the
 * handler. `oldMask` is the mask to restore at sigreturn. Throws SegvError if the stack is bad.
 */
export function setupFrame(cpu: Cpu, space: AddressSpace, act: SigAction, info: SigInfo,
  oldMask: [number, number], alt: AltStack): void {
  let sp = cpu.gpr[1]! >>> 0;
  const onAlt = alt.flags !== SS_DISABLE && sp >= alt.sp && sp < alt.sp + alt.size;
  if ((act.flags & SA.ONSTACK) !== 0 && alt.flags !== SS_DISABLE && !onAlt) sp = (alt.sp + alt.size) >>> 0;
  const oldSp = cpu.gpr[1]!;
  if ((act.flags & SA.SIGINFO) !== 0) {
    const frame = (sp - RT_FRAME_SIZE) & ~15;
    const b = new Uint8Array(RT_FRAME_SIZE);
    const buf = new DataView(b.buffer);
    writeSiginfo(buf, 0, info);
    const uc = SIGINFO_SIZE;
    buf.setUint32(uc + UC_STACK, alt.sp >>> 0);
    buf.setInt32(uc + UC_STACK + 4, alt.flags === SS_DISABLE ? SS_DISABLE : onAlt ? SS_ONSTACK : 0);
    buf.setUint32(uc + UC_STACK + 8, alt.size >>> 0);
    buf.setUint32(uc + UC_REGS, (frame + uc + UC_MCONTEXT) >>> 0);
    buf.setUint32(uc + UC_SIGMASK, oldMask[0] >>> 0);
    buf.setUint32(uc + UC_SIGMASK + 4, oldMask[1] >>> 0);
    saveMcontext(cpu, buf, uc + UC_MCONTEXT, info);
    space.write(frame >>> 0, b);
    const newSp = (frame - (SIGNAL_FRAMESIZE + 16)) >>> 0;
    space.write32(newSp, oldSp);
    cpu.gpr[1] = newSp;
    cpu.gpr[3] = info.signo;
    cpu.gpr[4] = frame;
    cpu.gpr[5] = frame + uc;
    cpu.gpr[6] = frame;
    cpu.st[S.LR] = TRAMP_RT_SIGRETURN;
  } else {
    const frame = (sp - FRAME_SIZE) & ~15;
    const b = new Uint8Array(FRAME_SIZE);
    const buf = new DataView(b.buffer);
    buf.setUint32(12, oldMask[1] >>> 0); // _unused[3]: the high word of the old mask
    buf.setInt32(16, info.signo);
    buf.setUint32(20, act.handler >>> 0);
    buf.setUint32(24, oldMask[0] >>> 0);
    buf.setUint32(28, (frame + SIGCONTEXT_SIZE) >>> 0);
    saveMcontext(cpu, buf, SIGCONTEXT_SIZE, info);
    space.write(frame >>> 0, b);
    const newSp = (frame - SIGNAL_FRAMESIZE) >>> 0;
    space.write32(newSp, oldSp);
    cpu.gpr[1] = newSp;
    cpu.gpr[3] = info.signo;
    cpu.gpr[4] = frame;
    cpu.st[S.LR] = TRAMP_SIGRETURN;
  }
  cpu.fpu.fpscr = 0; // Linux turns off all FP exceptions for the handler
  cpu.st[S.PC] = act.handler & -4;
}

/** sigreturn: returns the mask to restore. */
export function sigreturn(cpu: Cpu, space: AddressSpace): [number, number] {
  const sc = (cpu.gpr[1]! + SIGNAL_FRAMESIZE) >>> 0;
  const mask: [number, number] = [space.read32(sc + 24), space.read32(sc + 12)];
  restoreMcontext(cpu, space, space.read32(sc + 28));
  return mask;
}

/** rt_sigreturn: returns the mask to restore and the alternate stack recorded in the frame. */
export function rtSigreturn(cpu: Cpu, space: AddressSpace): { mask: [number, number] } {
  const frame = (cpu.gpr[1]! + SIGNAL_FRAMESIZE + 16) >>> 0;
  const uc = frame + SIGINFO_SIZE;
  const mask: [number, number] = [space.read32(uc + UC_SIGMASK), space.read32(uc + UC_SIGMASK + 4)];
  restoreMcontext(cpu, space, space.read32(uc + UC_REGS));
  return { mask };
}

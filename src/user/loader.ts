/**
 * Loading a static Linux/PowerPC ELF into a fresh address space and building the initial stack
 * exactly as Linux's binfmt_elf does on ppc32 (strings at the top, AT_RANDOM bytes, 16-byte
 * aligned argc/argv/envp/auxv block, the PowerPC AT_IGNOREPPC/cache-size auxv entries first).
 */

import { PT_LOAD, PT_PHDR, PF_R, PF_W, PF_X, type ElfImage } from "../util/elf.ts";
import { UserError } from "../util/errors.ts";
import { AddressSpace, PAGE, PROT_EXEC, PROT_READ, PROT_WRITE } from "./space.ts";

/** Top of the user stack (the ppc32 kernel's TASK_SIZE is 0xC0000000). */
export const STACK_TOP = 0xc0000000;
export const STACK_SIZE = 8 << 20;
/** A read-only, executable page holding the signal-return trampolines (our stand-in for the vDSO). */
export const TRAMPOLINE_PAGE = 0x00100000;
export const TRAMP_SIGRETURN = TRAMPOLINE_PAGE;
export const TRAMP_RT_SIGRETURN = TRAMPOLINE_PAGE + 8;

/** AT_HWCAP of a 440EPx under Linux: PPC_FEATURE_32 | HAS_MMU | HAS_FPU | BOOKE (no Altivec). */
export const HWCAP_440EPX = 0x80000000 | 0x04000000 | 0x08000000 | 0x00008000;

const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12,
  GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, DCACHEBSIZE: 19, ICACHEBSIZE: 20,
  UCACHEBSIZE: 21, IGNOREPPC: 22, SECURE: 23, RANDOM: 25, HWCAP2: 26, EXECFN: 31,
} as const;

export interface StartInfo {
  entry: number;
  sp: number;
}

export interface LoadOptions {
  argv: readonly string[];
  env: readonly string[];
  /** Path put in AT_EXECFN (and what /proc/self/exe resolves to). */
  execFn: string;
  uid: number;
  gid: number;
  /** The 16 AT_RANDOM bytes (deterministic by default). */
  random: Uint8Array;
}

export function loadElf(space: AddressSpace, img: ElfImage, what: string, o: LoadOptions): StartInfo {
  if (img.interp !== undefined) {
    throw new UserError(`${what}: dynamically linked (interpreter ${img.interp}); hv440 user runs static executables only`);
  }
  let end = 0;
  let phdrAddr = 0;
  for (const ph of img.phdrs) {
    if (ph.type === PT_PHDR) phdrAddr = ph.vaddr;
    if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
    const start = ph.vaddr & ~(PAGE - 1);
    const stop = ph.vaddr + ph.memsz;
    if (start < 0x10000) throw new UserError(`${what}: segment at 0x${ph.vaddr.toString(16)} is below the minimum user address`);
    if (stop > STACK_TOP - STACK_SIZE) throw new UserError(`${what}: segment at 0x${ph.vaddr.toString(16)} overlaps the stack`);
    const prot = (ph.flags & PF_R ? PROT_READ : 0) | (ph.flags & PF_W ? PROT_WRITE : 0) | (ph.flags & PF_X ? PROT_EXEC : 0);
    space.map(start, stop - start, prot);
    space.poke(ph.vaddr, img.bytes.subarray(ph.offset, ph.offset + ph.filesz));
    if (phdrAddr === 0 && ph.offset === 0) phdrAddr = ph.vaddr + img.phoff;
    end = Math.max(end, stop);
  }
  space.brkStart = space.brk = Math.ceil(end / PAGE) * PAGE;

  // signal trampolines: li r0,__NR_sigreturn; sc / li r0,__NR_rt_sigreturn; sc
  space.map(TRAMPOLINE_PAGE, PAGE, PROT_READ | PROT_EXEC);
  const t = new Uint8Array(16);
  const tv = new DataView(t.buffer);
  tv.setUint32(0, 0x38000077); tv.setUint32(4, 0x44000002);
  tv.setUint32(8, 0x380000ac); tv.setUint32(12, 0x44000002);
  space.poke(TRAMPOLINE_PAGE, t);

  space.map(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  space.mmapTop = STACK_TOP - STACK_SIZE - 16 * PAGE;

  // strings, highest first: exec filename, environment, arguments (binfmt_elf order)
  let p = STACK_TOP;
  const push = (bytes: Uint8Array): number => { p -= bytes.length; space.write(p, bytes); return p; };
  const cstr = (s: string) => { const b = Buffer.from(s + "\0", "utf8"); return new Uint8Array(b.buffer, b.byteOffset, b.length); };
  p -= 4; // a NULL word at the very top
  const execFnAddr = push(cstr(o.execFn));
  const envAddrs = [...o.env].reverse().map((s) => push(cstr(s))).reverse();
  const argAddrs = [...o.argv].reverse().map((s) => push(cstr(s))).reverse();
  const platformAddr = push(cstr("ppc440"));
  p &= ~15;
  const randomAddr = push(o.random.subarray(0, 16));

  const aux: [number, number][] = [
    [AT.IGNOREPPC, AT.IGNOREPPC], [AT.IGNOREPPC, AT.IGNOREPPC],
    [AT.DCACHEBSIZE, 32], [AT.ICACHEBSIZE, 32], [AT.UCACHEBSIZE, 0],
    [AT.HWCAP, HWCAP_440EPX], [AT.PAGESZ, PAGE], [AT.CLKTCK, 100],
    [AT.PHDR, phdrAddr], [AT.PHENT, img.phentsize], [AT.PHNUM, img.phnum], [AT.BASE, 0], [AT.FLAGS, 0],
    [AT.ENTRY, img.entry], [AT.UID, o.uid], [AT.EUID, o.uid], [AT.GID, o.gid], [AT.EGID, o.gid],
    [AT.SECURE, 0], [AT.RANDOM, randomAddr], [AT.HWCAP2, 0], [AT.EXECFN, execFnAddr],
    [AT.PLATFORM, platformAddr], [AT.NULL, 0],
  ];
  const words = [o.argv.length, ...argAddrs, 0, ...envAddrs, 0, ...aux.flat()];
  p = (p - words.length * 4) & ~15;
  const block = new Uint8Array(words.length * 4);
  const dv = new DataView(block.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0));
  space.write(p, block);
  return { entry: img.entry, sp: p };
}

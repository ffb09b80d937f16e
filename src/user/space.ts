/**
 * A Linux process's address space for the user-mode runner: a one-level page table over the
 * 4 GiB effective space (4 KiB pages), frames allocated on first touch from the CPU's RAM, and
 * the translation hook the CPU's memory calls on a software-TLB miss. Faults are raised as the
 * 440 would raise them for a user access — DTLB/ITLB miss for an unmapped page, DSI/ISI for a
 * permission violation — so the runner turns them into SIGSEGV with the right si_code.
 */

import { FAULT, Ivor } from "../cpu/interrupts.ts";
import { Access, type Memory, type Translator } from "../cpu/memory.ts";
import { ESR } from "../cpu/interrupts.ts";

export const PAGE = 4096;
export const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
/** Page-table flag: the page is part of a mapping (a frame is allocated when first touched). */
const MAPPED = 8;

export class SegvError extends Error {
  constructor(readonly addr: number) { super(`bad address 0x${(addr >>> 0).toString(16)}`); }
}

export class AddressSpace implements Translator {
  /** Frame number + 1 per virtual page (0 = no frame yet). */
  private readonly frame = new Int32Array(1 << 20);
  /** PROT_* | MAPPED per virtual page. */
  private readonly prot = new Uint8Array(1 << 20);
  private nextFrame: number;
  private readonly freeFrames: number[] = [];
  private readonly nFrames: number;
  brkStart = 0;
  brk = 0;
  /** Top of the region mmap grows down from. */
  mmapTop = 0x40000000;

  constructor(readonly mem: Memory, firstFrame = 1) {
    this.nFrames = Math.floor(mem.ramSize / PAGE);
    this.nextFrame = firstFrame;
  }

  // ---- the CPU's translation hook ----

  translate(mem: Memory, ea: number, access: Access, pc: number, esrExtra: number): void {
    const vpn = ea >>> 12;
    const p = this.prot[vpn]!;
    const need = access === Access.Store ? PROT_WRITE : access === Access.Fetch ? PROT_EXEC : PROT_READ;
    if ((p & MAPPED) === 0 || (p & need) === 0) {
      const st = access === Access.Store ? ESR.ST : 0;
      if (access === Access.Fetch) {
        mem.exc.set((p & MAPPED) === 0 ? Ivor.InstTlb : Ivor.InstStorage, pc, 0, (p & MAPPED) !== 0, 0, false);
      } else {
        mem.exc.set((p & MAPPED) === 0 ? Ivor.DataTlb : Ivor.DataStorage, pc, st | esrExtra, true, ea | 0, true);
      }
      throw FAULT;
    }
    mem.xPhys = this.frameOf(vpn) * PAGE + (ea & 0xfff);
    mem.xAttr = 0;
  }

  private frameOf(vpn: number): number {
    let f = this.frame[vpn]!;
    if (f === 0) {
      f = this.allocFrame() + 1;
      this.frame[vpn] = f;
    }
    return f - 1;
  }

  private allocFrame(): number {
    const f = this.freeFrames.pop();
    if (f !== undefined) {
      this.mem.u8.fill(0, f * PAGE, (f + 1) * PAGE);
      this.mem.hostWrite(f * PAGE, PAGE); // a reused frame may hold compiled code (cpu/jit)
      return f;
    }
    if (this.nextFrame >= this.nFrames) throw new Error("out of guest memory (raise the user-mode RAM size)");
    return this.nextFrame++;
  }

  // ---- mappings ----

  isMapped(vpn: number): boolean {
    return (this.prot[vpn]! & MAPPED) !== 0;
  }

  /** Maps [addr, addr+len) (page-aligned) with `prot`; existing pages keep their contents. */
  map(addr: number, len: number, prot: number): void {
    const first = addr >>> 12, last = (addr + len - 1) >>> 12;
    for (let v = first; v <= last; v++) this.prot[v] = MAPPED | prot;
    this.mem.flushTlb();
  }

  unmap(addr: number, len: number): void {
    const first = addr >>> 12, last = (addr + len - 1) >>> 12;
    for (let v = first; v <= last; v++) {
      const f = this.frame[v]!;
      if (f !== 0) this.freeFrames.push(f - 1);
      this.frame[v] = 0;
      this.prot[v] = 0;
    }
    this.mem.flushTlb();
  }

  /** Changes protection; false if part of the range is unmapped (ENOMEM). */
  protect(addr: number, len: number, prot: number): boolean {
    const first = addr >>> 12, last = (addr + len - 1) >>> 12;
    for (let v = first; v <= last; v++) if (!this.isMapped(v)) return false;
    for (let v = first; v <= last; v++) this.prot[v] = MAPPED | prot;
    this.mem.flushTlb();
    return true;
  }

  /** Finds `len` bytes of free address space below mmapTop (top-down, like Linux). */
  findFree(len: number): number {
    const pages = Math.ceil(len / PAGE);
    let top = this.mmapTop >>> 12;
    for (;;) {
      let run = 0;
      let v = top - 1;
      while (v >= 0 && run < pages && !this.isMapped(v)) { run++; v--; }
      if (run === pages) return (top - pages) * PAGE;
      if (v < (this.brk >>> 12) + 16) return -1;
      top = v;
    }
  }

  // ---- host access to guest memory (syscalls, loader, signal frames) ----

  /** Physical offset of a virtual byte for a host access, or SegvError. */
  private hostAddr(ea: number, write: boolean): number {
    const vpn = ea >>> 12;
    const p = this.prot[vpn]!;
    if ((p & MAPPED) === 0 || (write && (p & PROT_WRITE) === 0) || (!write && (p & PROT_READ) === 0)) {
      throw new SegvError(ea);
    }
    return this.frameOf(vpn) * PAGE + (ea & 0xfff);
  }

  /** Loader access: ignores protection (the segment may be read-only). */
  poke(ea: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length;) {
      const a = (ea + i) >>> 0;
      const n = Math.min(bytes.length - i, PAGE - (a & 0xfff));
      const vpn = a >>> 12;
      if (!this.isMapped(vpn)) throw new SegvError(a);
      const pa = this.frameOf(vpn) * PAGE + (a & 0xfff);
      this.mem.u8.set(bytes.subarray(i, i + n), pa);
      this.mem.hostWrite(pa, n);
      i += n;
    }
  }

  read(ea: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const a = (ea + i) >>> 0;
      const n = Math.min(len - i, PAGE - (a & 0xfff));
      const pa = this.hostAddr(a, false);
      out.set(this.mem.u8.subarray(pa, pa + n), i);
      i += n;
    }
    return out;
  }

  write(ea: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length;) {
      const a = (ea + i) >>> 0;
      const n = Math.min(bytes.length - i, PAGE - (a & 0xfff));
      const pa = this.hostAddr(a, true);
      this.mem.u8.set(bytes.subarray(i, i + n), pa);
      this.mem.hostWrite(pa, n); // e.g. read(2) into code: compiled copies are dropped (cpu/jit)
      i += n;
    }
  }

  read32(ea: number): number {
    if ((ea & 0xfff) <= 0xffc) return this.mem.dv.getUint32(this.hostAddr(ea, false));
    const b = this.read(ea, 4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  write32(ea: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0);
    this.write(ea, b);
  }

  /** NUL-terminated string (at most `max` bytes). */
  readCString(ea: number, max = 4096): string {
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const pa = this.hostAddr((ea + i) >>> 0, false);
      const c = this.mem.u8[pa]!;
      if (c === 0) break;
      bytes.push(c);
    }
    return Buffer.from(bytes).toString("utf8");
  }
}

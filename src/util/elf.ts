/**
 * ELF32 big-endian PowerPC executables: just enough parsing to load them (program headers),
 * validated so that a bad file gets one clear sentence instead of a crash.
 */

import { UserError } from "./errors.ts";

export const EM_PPC = 20;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PF_X = 1, PF_W = 2, PF_R = 4;

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: number;
  /** STB_LOCAL 0, STB_GLOBAL 1, STB_WEAK 2 */
  bind: number;
  /** Section index (0: undefined, 0xfff1: absolute). */
  shndx: number;
}

export interface ElfImage {
  type: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  phdrs: ProgramHeader[];
  bytes: Uint8Array;
  /** Path of the dynamic linker if the program is dynamically linked. */
  interp?: string;
}

const MACHINES: Record<number, string> = {
  2: "SPARC", 3: "x86", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "S/390", 40: "ARM",
  62: "x86-64", 183: "AArch64", 243: "RISC-V",
};

/** Parses and validates an ELF32 big-endian PowerPC executable. `what` names it in errors. */
export function parseElf(bytes: Uint8Array, what: string): ElfImage {
  const fail = (why: string): never => { throw new UserError(`${what}: ${why}`); };
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    fail("not an ELF file");
  }
  if (bytes.length < 52) fail("truncated ELF file (no complete ELF header)");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cls = bytes[4], data = bytes[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) fail(`corrupt ELF header (class ${cls}, data encoding ${data})`);
  const le = data === 1;
  const machine = le ? dv.getUint16(18, true) : dv.getUint16(18);
  if (machine !== EM_PPC || cls !== 1 || data !== 2) {
    const name = MACHINES[machine] ?? `machine ${machine}`;
    const bits = cls === 2 ? "64-bit" : "32-bit";
    fail(`ELF for another machine (${name}, ${bits}, ${le ? "little" : "big"}-endian); hv440 runs 32-bit big-endian PowerPC`);
  }
  const type = dv.getUint16(16);
  if (type !== 2 && type !== 3) fail(`not an executable (ELF type ${type})`);
  const entry = dv.getUint32(24);
  const phoff = dv.getUint32(28);
  const phentsize = dv.getUint16(42);
  const phnum = dv.getUint16(44);
  if (phnum === 0) fail("no program headers");
  if (phentsize < 32) fail(`bad program header size ${phentsize}`);
  if (phoff + phnum * phentsize > bytes.length) fail("truncated ELF file (program headers past the end)");
  const phdrs: ProgramHeader[] = [];
  let interp: string | undefined;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const ph: ProgramHeader = {
      type: dv.getUint32(o), offset: dv.getUint32(o + 4), vaddr: dv.getUint32(o + 8), paddr: dv.getUint32(o + 12),
      filesz: dv.getUint32(o + 16), memsz: dv.getUint32(o + 20), flags: dv.getUint32(o + 24), align: dv.getUint32(o + 28),
    };
    if (ph.type === PT_LOAD || ph.type === PT_INTERP) {
      if (ph.offset + ph.filesz > bytes.length) fail(`truncated ELF file (segment ${i} extends past the end of the file)`);
      if (ph.filesz > ph.memsz) fail(`corrupt segment ${i} (file size larger than memory size)`);
      if (ph.vaddr + ph.memsz > 0x1_0000_0000) fail(`segment ${i} wraps past the end of the 32-bit address space`);
    }
    if (ph.type === PT_INTERP) {
      const s = bytes.subarray(ph.offset, ph.offset + ph.filesz);
      interp = new TextDecoder().decode(s).replace(/\0.*$/s, "");
    }
    phdrs.push(ph);
  }
  if (!phdrs.some((p) => p.type === PT_LOAD)) fail("no loadable segments");
  return { type, entry, phoff, phentsize, phnum, phdrs, bytes, ...(interp !== undefined ? { interp } : {}) };
}

/**
 * The symbol table (for naming guest addresses in reports); empty if stripped. Symbols are a
 * convenience: a damaged section table yields what can be read of it, never an error.
 */
export function elfSymbols(img: ElfImage): ElfSymbol[] {
  const b = img.bytes;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = dv.getUint32(32), shentsize = dv.getUint16(46), shnum = dv.getUint16(48);
  if (shoff === 0 || shnum === 0 || shentsize < 40 || shoff + shnum * shentsize > b.length) return [];
  const out: ElfSymbol[] = [];
  const dec = new TextDecoder();
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    if (dv.getUint32(o + 4) !== 2) continue; // SHT_SYMTAB
    const off = dv.getUint32(o + 16), size = dv.getUint32(o + 20), link = dv.getUint32(o + 24);
    const ent = Math.max(16, dv.getUint32(o + 36));
    if (link >= shnum || off + size > b.length) continue;
    const so = shoff + link * shentsize;
    const strOff = dv.getUint32(so + 16), strSize = dv.getUint32(so + 20);
    if (strOff + strSize > b.length) continue;
    for (let p = off; p + 16 <= off + size; p += ent) {
      const nameOff = dv.getUint32(p), value = dv.getUint32(p + 4), sz = dv.getUint32(p + 8), info = b[p + 12]!, shndx = dv.getUint16(p + 14);
      if (nameOff >= strSize) continue;
      let end = strOff + nameOff;
      while (end < strOff + strSize && b[end] !== 0) end++;
      const name = dec.decode(b.subarray(strOff + nameOff, end));
      if (name) out.push({ name, value, size: sz, type: info & 15, bind: info >>> 4, shndx });
    }
  }
  return out;
}

export const SHT_PROGBITS = 1;
export const SHF_EXECINSTR = 4;

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

/** The section headers with their names; empty if there are none or they are damaged. */
export function elfSections(img: ElfImage): ElfSection[] {
  const b = img.bytes;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = dv.getUint32(32), shentsize = dv.getUint16(46), shnum = dv.getUint16(48), shstrndx = dv.getUint16(50);
  if (shoff === 0 || shnum === 0 || shentsize < 40 || shoff + shnum * shentsize > b.length || shstrndx >= shnum) return [];
  const so = shoff + shstrndx * shentsize;
  const strOff = dv.getUint32(so + 16), strSize = dv.getUint32(so + 20);
  if (strOff + strSize > b.length) return [];
  const dec = new TextDecoder();
  const out: ElfSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    const nameOff = dv.getUint32(o);
    let end = strOff + Math.min(nameOff, strSize);
    const start = end;
    while (end < strOff + strSize && b[end] !== 0) end++;
    const s = {
      name: dec.decode(b.subarray(start, end)), type: dv.getUint32(o + 4), flags: dv.getUint32(o + 8),
      addr: dv.getUint32(o + 12), offset: dv.getUint32(o + 16), size: dv.getUint32(o + 20),
    };
    if (s.type === SHT_PROGBITS && s.offset + s.size > b.length) return [];
    out.push(s);
  }
  return out;
}

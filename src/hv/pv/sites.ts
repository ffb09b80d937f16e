/**
 * Which kernel instructions paravirtualization rewrote, whoever rewrote them (the hypervisor in
 * host-patch, the guest's own patcher in magic-page): the words of the image's code sections
 * that differ in guest RAM from the ELF file, named by the function (or label) they are in.
 */

import { disassemble } from "../../isa/disasm.ts";
import { elfSections, elfSymbols, PT_LOAD, SHF_EXECINSTR, SHT_PROGBITS, type ElfImage } from "../../util/elf.ts";

export interface TextPatch {
  /** Effective (link) address of the word. */
  ea: number;
  original: number;
  replacement: number;
  /** `function+0xoffset`, or the address when no symbol covers it. */
  symbol: string;
}

/** The words of `img`'s code sections whose bytes in `ram` (physical, big-endian) differ from the file. */
export function patchedText(img: ElfImage, ram: DataView): TextPatch[] {
  const file = new DataView(img.bytes.buffer, img.bytes.byteOffset, img.bytes.byteLength);
  const name = symbolizer(img);
  const out: TextPatch[] = [];
  for (const sec of elfSections(img)) {
    if (sec.type !== SHT_PROGBITS || (sec.flags & SHF_EXECINSTR) === 0) continue;
    // where the loader put it: the segment that holds the section
    const ph = img.phdrs.find((p) => p.type === PT_LOAD && sec.addr >= p.vaddr && sec.addr + sec.size <= p.vaddr + p.filesz);
    if (!ph) continue;
    const pa = sec.addr - ph.vaddr + ph.paddr;
    for (let o = 0; o + 4 <= sec.size && pa + o + 4 <= ram.byteLength; o += 4) {
      const original = file.getUint32(sec.offset + o), replacement = ram.getUint32(pa + o);
      if (original === replacement) continue;
      const ea = (sec.addr + o) >>> 0;
      out.push({ ea, original, replacement, symbol: name(ea) });
    }
  }
  return out;
}

/** `function+0xoffset` of an address, from the image's function symbols. */
export function symbolizer(img: ElfImage): (ea: number) => string {
  // functions (STT_FUNC) and assembly labels (STT_NOTYPE); at equal addresses a function wins,
  // then a name without a leading underscore (vector_0 rather than _stext)
  const fns = elfSymbols(img).filter((s) => s.type === 2 || (s.type === 0 && !s.name.startsWith(".")))
    .sort((a, b) => a.value - b.value || a.type - b.type || Number(b.name.startsWith("_")) - Number(a.name.startsWith("_")));
  return (ea) => {
    let lo = 0, hi = fns.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fns[mid]!.value <= ea) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // assembly labels have no size: the nearest symbol at or below names the address
    const s = best >= 0 ? fns[best]! : undefined;
    if (!s) return `0x${ea.toString(16)}`;
    const off = ea - s.value;
    return off === 0 ? s.name : `${s.name}+0x${off.toString(16)}`;
  };
}

/** One line per patched word: address, original and replacement (hex and disassembly), symbol. */
export function formatPatches(patches: readonly TextPatch[]): string {
  const hex = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
  const dis = (w: number, pc: number) => disassemble(w, pc).replace(/\s+/, " ");
  return patches.map((p) =>
    `  0x${hex(p.ea)}  ${hex(p.original)} ${dis(p.original, p.ea).padEnd(22)} -> ${hex(p.replacement)} ${dis(p.replacement, p.ea).padEnd(24)} ${p.symbol}\n`).join("");
}

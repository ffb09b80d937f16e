/**
 * `hv440 disasm image.elf`: the disassembly `objdump -d -M 440` prints — its executable sections
 * (or, without section headers, its executable segments), symbol labels, and branch targets as
 * `addr <symbol+0xoff>`.
 */

import * as fs from "node:fs";
import { disassemble } from "../../isa/disasm.ts";
import { PF_X, PT_LOAD, SHF_EXECINSTR, SHT_PROGBITS, elfSections, elfSymbols, parseElf, type ElfSymbol } from "../../util/elf.ts";
import { UserError } from "../../util/errors.ts";
import { say } from "../io.ts";
import { parseNumber, parseOptions, type OptSpec } from "../options.ts";

export const DISASM_OPTIONS: readonly OptSpec[] = [
  { name: "start", type: "string", arg: "ADDR", help: "first address (default: each executable section's start)" },
  { name: "count", type: "number", arg: "N", help: "number of instructions" },
  { name: "symbol", type: "string", arg: "NAME", help: "disassemble one function" },
];

const hex = (v: number, w = 8) => (v >>> 0).toString(16).padStart(w, "0");

/**
 * objdump's preference among symbols at one address (binutils objdump.c compare_symbols):
 * functions, then objects; global before weak before local; larger before smaller; then by name.
 */
function objdumpOrder(a: ElfSymbol, b: ElfSymbol): number {
  const key = (s: ElfSymbol) => [s.type === 2 ? 0 : 1, s.type === 1 ? 0 : 1, s.bind === 0 ? 1 : 0, s.bind === 1 ? 0 : 1];
  const ka = key(a), kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  if (a.size !== b.size) return b.size - a.size;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A branch whose last operand is its target (`bl 0x10b28`, `bdnz+ 0x11190`, `beq- cr7,0x...`). */
const BRANCH = /^(b\S*\s+(?:\S+,)?)0x([0-9a-f]+)$/;

export function cmdDisasm(argv: readonly string[]): number {
  const { opts, positionals } = parseOptions("disasm", DISASM_OPTIONS, argv);
  const file = positionals[0];
  if (!file) throw new UserError("disasm: missing ELF file");
  if (positionals.length > 1) throw new UserError(`disasm: unexpected argument '${positionals[1]}'`);
  let bytes: Uint8Array;
  try { bytes = fs.readFileSync(file); } catch { throw new UserError(`${file}: no such file`); }
  const img = parseElf(bytes, file);
  // objdump's labels: named function, object and untyped symbols of a section (not sections,
  // files, absolute or undefined ones); of several at one address, the first in objdump's order
  const syms = elfSymbols(img).filter((s) => s.type <= 2 && s.name !== "" && !s.name.startsWith("$") && s.shndx !== 0 && s.shndx < 0xff00);
  const names = new Map<number, ElfSymbol>();
  for (const s of syms) {
    const o = names.get(s.value);
    if (!o || objdumpOrder(s, o) < 0) names.set(s.value, s);
  }
  const sorted = [...names.entries()].map(([a, sym]) => [a, sym.name] as const).sort((a, b) => a[0] - b[0]);
  const place = (addr: number): string => {
    let lo = 0, hi = sorted.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]![0] <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return "";
    const [at, name] = sorted[best]!;
    return ` <${name}${addr === at ? "" : `+0x${(addr - at).toString(16)}`}>`;
  };

  const nextLabel = (addr: number): number => {
    let lo = 0, hi = sorted.length - 1, best = Infinity;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]![0] > addr) { best = sorted[mid]![0]; hi = mid - 1; } else lo = mid + 1;
    }
    return best;
  };

  let from: number | undefined, to: number | undefined;
  if (opts.symbol !== undefined) {
    const s = syms.find((x) => x.name === opts.symbol);
    if (!s) throw new UserError(`disasm: no symbol '${String(opts.symbol)}' in ${file}`);
    from = s.value; to = s.value + Math.max(4, s.size);
  }
  if (opts.start !== undefined) {
    const v = parseNumber(String(opts.start));
    if (v === undefined) throw new UserError(`disasm: bad address '${String(opts.start)}'`);
    from = v;
  }
  if (opts.count !== undefined && from !== undefined) to = from + 4 * (opts.count as number);

  // what to disassemble: the executable sections, as objdump -d; the executable segments without them
  const sections = elfSections(img).filter((s) => s.type === SHT_PROGBITS && (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0);
  const regions = sections.length > 0
    ? sections.map((s) => ({ title: `\nDisassembly of section ${s.name}:`, addr: s.addr, offset: s.offset, size: s.size }))
    : img.phdrs.filter((p) => p.type === PT_LOAD && (p.flags & PF_X) !== 0)
      .map((p) => ({ title: "", addr: p.vaddr, offset: p.offset, size: p.filesz }));

  const out: string[] = [`\n${file}:     file format elf32-powerpc\n`];
  for (const r of regions) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + r.offset, r.size);
    const first = Math.max(r.addr, from ?? r.addr);
    let a = first - (first % 4); // addresses are unsigned: no `& ~3`
    const end = Math.min(r.addr + r.size, to ?? r.addr + r.size);
    if (a + 4 > end) continue;
    if (r.title) out.push(r.title);
    for (; a + 4 <= end; a += 4) {
      const name = names.get(a)?.name;
      if (name) out.push(`\n${hex(a)} <${name}>:`);
      // objdump prints a run of 8 or more zero bytes up to the next label as `...`
      const stop = Math.min(end, nextLabel(a));
      let z = a;
      while (z < stop && bytes[r.offset + z - r.addr] === 0) z++;
      if (z - a >= 8) {
        out.push("\t...");
        a = (z === stop ? z : a + ((z - a) - ((z - a) % 4))) - 4;
        continue;
      }
      const w = dv.getUint32(a - r.addr);
      const b = [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255].map((x) => hex(x, 2)).join(" ");
      const m = BRANCH.exec(disassemble(w, a));
      const text = m ? `${m[1]}${m[2]}${place(parseInt(m[2]!, 16))}` : disassemble(w, a);
      out.push(`${hex(a).replace(/^0+(?=.)/, "").padStart(8)}:\t${b} \t${text}`);
    }
  }
  say(out.join("\n") + "\n");
  return 0;
}

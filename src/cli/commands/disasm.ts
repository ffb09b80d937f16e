/** `hv440 disasm image.elf`: objdump-style disassembly of an ELF's executable segments. */

import * as fs from "node:fs";
import { disassemble } from "../../isa/disasm.ts";
import { PF_X, PT_LOAD, elfSymbols, parseElf } from "../../util/elf.ts";
import { UserError } from "../../util/errors.ts";
import { say } from "../io.ts";
import { parseNumber, parseOptions, type OptSpec } from "../options.ts";

export const DISASM_OPTIONS: readonly OptSpec[] = [
  { name: "start", type: "string", arg: "ADDR", help: "first address (default: each executable segment's start)" },
  { name: "count", type: "number", arg: "N", help: "number of instructions" },
  { name: "symbol", type: "string", arg: "NAME", help: "disassemble one function" },
];

const hex = (v: number, w = 8) => (v >>> 0).toString(16).padStart(w, "0");

export function cmdDisasm(argv: readonly string[]): number {
  const { opts, positionals } = parseOptions("disasm", DISASM_OPTIONS, argv);
  const file = positionals[0];
  if (!file) throw new UserError("disasm: missing ELF file");
  let bytes: Uint8Array;
  try { bytes = fs.readFileSync(file); } catch { throw new UserError(`${file}: no such file`); }
  const img = parseElf(bytes, file);
  const syms = elfSymbols(img).filter((s) => s.type === 2 || s.type === 0);
  const names = new Map<number, string>();
  for (const s of syms) if (!names.has(s.value)) names.set(s.value, s.name);
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
  const out: string[] = [];
  for (const ph of img.phdrs) {
    if (ph.type !== PT_LOAD || (ph.flags & PF_X) === 0) continue;
    const dv = new DataView(bytes.buffer, bytes.byteOffset + ph.offset, ph.filesz);
    let a = Math.max(ph.vaddr, from ?? ph.vaddr) & ~3;
    const end = Math.min(ph.vaddr + ph.filesz, to ?? ph.vaddr + ph.filesz);
    for (; a + 4 <= end; a += 4) {
      const name = names.get(a);
      if (name) out.push(`\n${hex(a)} <${name}>:`);
      const w = dv.getUint32(a - ph.vaddr);
      const b = [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255].map((x) => hex(x, 2)).join(" ");
      out.push(`${hex(a).replace(/^0+(?=.)/, "").padStart(8)}:\t${b} \t${disassemble(w, a)}`);
    }
  }
  say(out.join("\n") + "\n");
  return 0;
}

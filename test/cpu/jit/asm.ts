/**
 * A tiny two-pass assembler for engine tests: instructions are [mnemonic, fields] pairs encoded
 * with the vectors' encoder (test/cpu/vectors/encode.ts); `label` marks addresses and branch
 * fields may name a label (`bd`/`li` become the displacement), `word` places data.
 */
import { enc, type Fields } from "../vectors/encode.ts";
import { Cpu } from "../../../src/cpu/cpu.ts";
import { S } from "../../../src/cpu/state.ts";
import type { Engine } from "../../../src/cpu/jit/engine.ts";

export type Line =
  | { label: string }
  | { word: number }
  | [mnemonic: string, fields?: Fields & { target?: string }];

export interface Program {
  words: number[];
  labels: Map<string, number>;
  base: number;
}

export function assemble(base: number, lines: readonly Line[]): Program {
  const labels = new Map<string, number>();
  let pc = base;
  for (const l of lines) {
    if ("label" in l) labels.set(l.label, pc);
    else pc += 4;
  }
  const words: number[] = [];
  pc = base;
  for (const l of lines) {
    if ("label" in l) continue;
    if ("word" in l) {
      words.push(l.word >>> 0);
    } else {
      const [mn, f = {}] = l;
      const fields: Fields = { ...f };
      const t = (f as { target?: string }).target;
      delete (fields as { target?: string }).target;
      if (t !== undefined) {
        const to = labels.get(t);
        if (to === undefined) throw new Error(`no label ${t}`);
        if (mn.startsWith("b") && mn !== "bc" && mn !== "bcl" && !mn.startsWith("bc")) fields.li = to - pc;
        else fields.bd = to - pc;
      }
      words.push(enc(mn, fields));
    }
    pc += 4;
  }
  return { words, labels, base };
}

/** A CPU with flat identity-mapped RAM, the program loaded, PC at its start. */
export function cpuWith(p: Program, engine: Engine, ramSize = 1 << 20): Cpu {
  const cpu = new Cpu({ ramSize, engine });
  p.words.forEach((w, i) => cpu.mem.dv.setUint32(p.base + 4 * i, w));
  cpu.st[S.PC] = p.base;
  return cpu;
}

/** Everything architectural a test compares between engines. */
export function state(cpu: Cpu): Record<string, unknown> {
  return {
    pc: cpu.pc, gpr: [...cpu.gpr], cr: cpu.getCR(), xer: cpu.getXER(), lr: cpu.st[S.LR], ctr: cpu.st[S.CTR],
    msr: cpu.msr, cycles: cpu.cycles, insns: cpu.insns, interrupts: cpu.interrupts,
    srr0: cpu.spr[26], srr1: cpu.spr[27], esr: cpu.spr[62], dear: cpu.spr[61],
    fpr: [...cpu.fpu.fprw], fpscr: cpu.fpu.fpscr,
  };
}

/** Loads a 32-bit constant: lis + ori. */
export function li32(rt: number, v: number): Line[] {
  return [["addis", { rt, ra: 0, si: (v >> 16) }], ["ori", { ra: rt, rs: rt, ui: v & 0xffff }]];
}

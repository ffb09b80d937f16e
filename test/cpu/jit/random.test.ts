/**
 * Random instruction streams, generated from the instruction table, run by every engine: the
 * block compiler (with its normal tiers: blocks, then page regions) must leave exactly the state
 * the interpreter leaves, and the lockstep checker (which compares every span of a few hundred
 * cycles) must find no divergence.
 *
 * A program is N random instructions followed by a branch back to its start, so it runs hot and
 * gets compiled. Memory instructions address a data area through r1/r2 (+ r10/r11), other
 * instructions do not write those registers, branches stay inside the program, and an exception
 * handler at vector 0 skips the faulting instruction; everything else (privileged instructions,
 * MSR writes, traps, FP with random operands, stores over the program itself) is allowed.
 */
import { describe, expect, it } from "vitest";
import { INSNS } from "../../../src/isa/table.ts";
import { FIELD_BITS, Flag, type FieldName, type InsnSpec } from "../../../src/isa/types.ts";
import { Cpu } from "../../../src/cpu/cpu.ts";
import { MSR, S } from "../../../src/cpu/state.ts";
import { ENGINES, type Engine } from "../../../src/cpu/jit/engine.ts";
import { enc, type Fields } from "../vectors/encode.ts";
import { state } from "./asm.ts";

const CODE = 0x10000, DATA = 0x40000, RAM = 1 << 20;
const POINTERS = new Set([1, 2, 10, 11]);
const EXCLUDED = new Set(["rfi", "rfci", "rfmci", "lswi", "lswx", "stswi", "stswx", "lmw"]);
const SAFE_SPRS = [1, 8, 9, 256, 272, 273, 274, 275, 276, 277, 278, 279, 26, 27, 62, 61];

/** xorshift32 */
function rng(seed: number) {
  let x = seed | 0 || 1;
  return (n: number) => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const SPECS = INSNS.filter((s) => !EXCLUDED.has(s.base));

function fieldsFor(spec: InsnSpec, pc: number, end: number, r: (n: number) => number): Fields {
  const f: Fields = {};
  const mem = (spec.flags & (Flag.Load | Flag.Store)) !== 0;
  for (const name of spec.operands as FieldName[]) {
    const [a, b] = FIELD_BITS[name];
    const width = b - a + 1;
    let v = r(2 ** Math.min(width, 30));
    switch (name) {
      case "si": case "d": v = mem ? r(1024) - 512 : r(65536) - 32768; break;
      case "bd": case "li": v = CODE + 4 * r((end - CODE) / 4) - pc; break;
      case "spr": v = SAFE_SPRS[r(SAFE_SPRS.length)]!; break;
      case "ra": if (mem) v = 1 + r(2); else if (POINTERS.has(v)) v += 12; break;
      case "rb": if (mem) v = 10 + r(2); break;
      case "rt": if (POINTERS.has(v) && !(mem && (spec.flags & Flag.Store) !== 0)) v += 12; break;
      case "bo": v = [4, 12, 16, 18, 20, 0, 2, 8, 10][r(9)]!; break;
      case "l": v = 0; break;
      default:
    }
    f[name] = v;
  }
  // update forms need RA != 0 and (loads) RA != RT
  if (mem && spec.mnemonic.endsWith("u") || spec.mnemonic.endsWith("ux")) {
    if (f.ra === 0) f.ra = 1;
    if (f.rt === f.ra) f.rt = 20;
  }
  return f;
}

function program(seed: number, n: number): number[] {
  const r = rng(seed);
  const end = CODE + 4 * n;
  const words: number[] = [];
  for (let i = 0; i < n; i++) {
    const pc = CODE + 4 * i;
    for (;;) {
      const spec = SPECS[r(SPECS.length)]!;
      if (spec.aa) continue; // absolute branches
      try {
        words.push(enc(spec.mnemonic, fieldsFor(spec, pc, end, r)));
        break;
      } catch { /* a field out of range: pick again */ }
    }
  }
  words.push(enc("b", { li: CODE - end }));
  return words;
}

/** Exception handler at 0 (IVPR = 0, every IVOR = 0): SRR0 += 4; rfi. */
const HANDLER = [
  enc("mfspr", { rt: 31, spr: 26 }), enc("addi", { rt: 31, ra: 31, si: 4 }),
  enc("mtspr", { spr: 26, rs: 31 }), enc("rfi"),
];

function setup(seed: number, words: number[], engine: Engine): Cpu {
  const cpu = new Cpu({ ramSize: RAM, engine });
  const dv = cpu.mem.dv;
  HANDLER.forEach((w, i) => dv.setUint32(4 * i, w));
  words.forEach((w, i) => dv.setUint32(CODE + 4 * i, w));
  const r = rng(seed ^ 0x5bd1e995);
  for (let a = DATA - 4096; a < DATA + 8192; a += 4) dv.setUint32(a, r(2 ** 30) * 4 + r(4));
  for (let i = 0; i < 32; i++) cpu.gpr[i] = r(2 ** 30) * 4 + r(4);
  cpu.gpr[1] = DATA; cpu.gpr[2] = DATA + 2048; cpu.gpr[10] = r(64); cpu.gpr[11] = r(64) - 32;
  for (let i = 0; i < 64; i++) cpu.fpu.fprw[i] = r(2 ** 30) * 4 + r(4);
  cpu.st[S.LR] = CODE + 4 * r(words.length);
  cpu.st[S.CTR] = r(100);
  cpu.setCR(r(2 ** 30) * 4);
  cpu.setMsr(MSR.FP | MSR.ME);
  cpu.st[S.PC] = CODE;
  return cpu;
}

describe("random instruction streams", () => {
  const N = 120;
  it(`${N} programs: the jit and the checker end in the interpreter's state`, () => {
    const failures: string[] = [];
    for (let p = 0; p < N; p++) {
      const seed = 0x1234 + p * 7919;
      const words = program(seed, 24 + (p % 40));
      const limit = 6000 + 37 * p;
      const states = new Map<Engine, unknown>();
      for (const e of ENGINES) {
        const cpu = setup(seed, words, e);
        try {
          // several runs with uneven limits: budget ends fall inside blocks and regions
          for (let l = 700; cpu.cycles < limit; l += 613) cpu.run(Math.min(limit, cpu.cycles + l));
        } catch (err) {
          failures.push(`program ${p} (seed ${seed}) ${e}: ${(err as Error).message}`);
          continue;
        }
        states.set(e, { ...state(cpu), data: [...cpu.mem.u8.subarray(DATA - 4096, DATA + 8192)], code: [...cpu.mem.u8.subarray(CODE, CODE + 4 * words.length)] });
      }
      for (const e of ["jit", "check"] as const) {
        if (states.has(e) && JSON.stringify(states.get(e)) !== JSON.stringify(states.get("interp"))) {
          failures.push(`program ${p} (seed ${seed}): ${e} differs from interp`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

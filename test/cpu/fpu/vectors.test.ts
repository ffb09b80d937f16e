/**
 * Oracle vectors: every line of fixtures/vectors.txt(.gz) was computed by fixtures/oracle.c from
 * the x86-64 host's IEEE hardware (see the comment at the top of oracle.c). Each vector is run
 * through the Fpu method (fast path where it applies) and, for arithmetic instructions, directly
 * through the exact slow path, and both must match the result word and the whole FPSCR.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Fpu } from "../../../src/cpu/fpu/index.ts";
import {
  OP_ADD, OP_DIV, OP_MADD, OP_MSUB, OP_MUL, OP_NMADD, OP_NMSUB, OP_RES, OP_RSP, OP_RSQRTE,
  OP_SQRT, OP_SUB, slowArith,
} from "../../../src/cpu/fpu/arith.ts";

const SENTINEL_HI = 0x7ff4dead;
const SENTINEL_LO = 0x0badf00d;
const T = 1, A = 2, B = 3, C = 4;

interface Vec { op: string; fin: number; a: bigint; b: bigint; c: bigint; res: bigint; fout: number; note: string; line: number }

function load(): Vec[] {
  const dir = join(import.meta.dirname, "fixtures");
  let text: string;
  try {
    text = gunzipSync(readFileSync(join(dir, "vectors.txt.gz"))).toString("utf8");
  } catch {
    text = readFileSync(join(dir, "vectors.txt"), "utf8");
  }
  const out: Vec[] = [];
  text.split("\n").forEach((l, i) => {
    if (!l || l.startsWith("#")) return;
    const f = l.split(" ");
    out.push({
      op: f[0]!, fin: parseInt(f[1]!, 16), a: BigInt("0x" + f[2]), b: BigInt("0x" + f[3]),
      c: BigInt("0x" + f[4]), res: BigInt("0x" + f[5]), fout: parseInt(f[6]!, 16), note: f[7] ?? "", line: i + 1,
    });
  });
  return out;
}

type Runner = (f: Fpu) => number | void;
const RUN: Record<string, Runner> = {
  fadd: (f) => f.fadd(T, A, B), fadds: (f) => f.fadds(T, A, B),
  fsub: (f) => f.fsub(T, A, B), fsubs: (f) => f.fsubs(T, A, B),
  fmul: (f) => f.fmul(T, A, C), fmuls: (f) => f.fmuls(T, A, C),
  fdiv: (f) => f.fdiv(T, A, B), fdivs: (f) => f.fdivs(T, A, B),
  fmadd: (f) => f.fmadd(T, A, C, B), fmadds: (f) => f.fmadds(T, A, C, B),
  fmsub: (f) => f.fmsub(T, A, C, B), fmsubs: (f) => f.fmsubs(T, A, C, B),
  fnmadd: (f) => f.fnmadd(T, A, C, B), fnmadds: (f) => f.fnmadds(T, A, C, B),
  fnmsub: (f) => f.fnmsub(T, A, C, B), fnmsubs: (f) => f.fnmsubs(T, A, C, B),
  fsqrt: (f) => f.fsqrt(T, B), fsqrts: (f) => f.fsqrts(T, B),
  fres: (f) => f.fres(T, B), frsqrte: (f) => f.frsqrte(T, B), frsp: (f) => f.frsp(T, B),
  fctiw: (f) => f.fctiw(T, B), fctiwz: (f) => f.fctiwz(T, B),
  fcmpu: (f) => f.fcmpu(A, B), fcmpo: (f) => f.fcmpo(A, B),
};
/** [op code, single] of the slow path for arithmetic instructions. */
const SLOW: Record<string, [number, boolean]> = {
  fadd: [OP_ADD, false], fadds: [OP_ADD, true], fsub: [OP_SUB, false], fsubs: [OP_SUB, true],
  fmul: [OP_MUL, false], fmuls: [OP_MUL, true], fdiv: [OP_DIV, false], fdivs: [OP_DIV, true],
  fmadd: [OP_MADD, false], fmadds: [OP_MADD, true], fmsub: [OP_MSUB, false], fmsubs: [OP_MSUB, true],
  fnmadd: [OP_NMADD, false], fnmadds: [OP_NMADD, true], fnmsub: [OP_NMSUB, false], fnmsubs: [OP_NMSUB, true],
  fsqrt: [OP_SQRT, false], fsqrts: [OP_SQRT, true], fres: [OP_RES, true], frsqrte: [OP_RSQRTE, false],
  frsp: [OP_RSP, true],
};

const hex = (n: number | bigint, w: number) => n.toString(16).padStart(w, "0");

function setup(f: Fpu, v: Vec): void {
  f.fpscr = v.fin;
  f.lfd(T, SENTINEL_HI, SENTINEL_LO);
  f.lfd(A, Number(v.a >> 32n), Number(v.a & 0xffffffffn));
  f.lfd(B, Number(v.b >> 32n), Number(v.b & 0xffffffffn));
  f.lfd(C, Number(v.c >> 32n), Number(v.c & 0xffffffffn));
}

function check(f: Fpu, v: Vec, ret: number | void, path: string): string | null {
  const cmp = v.op === "fcmpu" || v.op === "fcmpo";
  const got = cmp ? BigInt(ret as number) : (BigInt(f.stfdHi(T)) << 32n) | BigInt(f.stfdLo(T));
  if (got === v.res && f.fpscr === v.fout) return null;
  return `line ${v.line} ${path} ${v.op} fpscr_in=${hex(v.fin, 8)} a=${hex(v.a, 16)} b=${hex(v.b, 16)} c=${hex(v.c, 16)}` +
    ` -> ${hex(got, 16)} ${hex(f.fpscr, 8)}, expected ${hex(v.res, 16)} ${hex(v.fout, 8)}` +
    (f.fpscr !== v.fout ? ` (diff ${hex((f.fpscr ^ v.fout) >>> 0, 8)})` : "") + (v.note ? ` [${v.note}]` : "");
}

const vectors = load();
const byOp = new Map<string, Vec[]>();
for (const v of vectors) {
  let l = byOp.get(v.op);
  if (!l) byOp.set(v.op, (l = []));
  l.push(v);
}

describe("x86-64 oracle vectors", () => {
  it("fixture covers every instruction", () => {
    expect([...byOp.keys()].sort()).toEqual(Object.keys(RUN).sort());
  });
  for (const [op, list] of byOp) {
    it(`${op} (${list.length} vectors)`, () => {
      const f = new Fpu();
      const bad: string[] = [];
      for (const v of list) {
        setup(f, v);
        let e = check(f, v, RUN[op]!(f), "fast");
        if (e) bad.push(e);
        const slow = SLOW[op];
        if (slow) {
          setup(f, v);
          slowArith(f, slow[0], slow[1], T, A, B, C);
          e = check(f, v, undefined, "slow");
          if (e) bad.push(e);
        }
      }
      if (bad.length) throw new Error(`${bad.length} mismatches:\n` + bad.slice(0, 25).join("\n"));
    });
  }
});

/**
 * Differential test: the fast paths (native double op + error-free transformations) against the
 * exact BigInt slow path, on random operands built to hit the fast paths and their decision
 * points (halfway cases, single-precision boundaries, fused multiply-add cancellation), in all
 * rounding modes with random enable and sticky bits. The slow path itself is checked against the
 * x86-64 oracle in vectors.test.ts.
 */
import { describe, expect, it } from "vitest";
import { Fpu, summarize } from "../../../src/cpu/fpu/index.ts";
import {
  OP_ADD, OP_DIV, OP_MADD, OP_MSUB, OP_MUL, OP_NMADD, OP_NMSUB, OP_RES, OP_RSP, OP_SQRT, OP_SUB,
  slowArith,
} from "../../../src/cpu/fpu/arith.ts";

let seed = 0x9e3779b97f4a7c15n;
function rnd32(): number {
  seed ^= seed << 13n;
  seed &= 0xffffffffffffffffn;
  seed ^= seed >> 7n;
  seed ^= seed << 17n;
  seed &= 0xffffffffffffffffn;
  return Number(seed >> 32n);
}
const F = new Float64Array(1);
const W = new Uint32Array(F.buffer);
function fromWords(hi: number, lo: number): number {
  W[1] = hi;
  W[0] = lo;
  return F[0]!;
}
/** random double with exponent in [-e, e] */
function moderate(e: number): number {
  const be = 1023 - e + (rnd32() % (2 * e + 1));
  return fromWords(((rnd32() & 0x80000000) | (be << 20) | (rnd32() & 0xfffff)) >>> 0, rnd32());
}
function single(): number {
  return Math.fround(moderate(40));
}
function ulpHalf(x: number, p: number): number {
  const e = Math.floor(Math.log2(Math.abs(x)));
  return 2 ** (e - p);
}
function operand(kind: number): number {
  switch (kind) {
    case 0: return moderate(30);
    case 1: return single();
    case 2: return moderate(900);
    case 3: return Math.round(moderate(10) * 256) / 256;
    default: return moderate(3);
  }
}

interface Case { name: string; op: number; single: boolean; run: (f: Fpu) => void; gen: () => [number, number, number] }

const T = 1, A = 2, B = 3, C = 4;
function twoOp(): [number, number, number] {
  const k = rnd32() % 6;
  const a = operand(k);
  let b = operand(rnd32() % 6);
  if (k === 5) {
    // b near a half ulp of a (double or single)
    const h = ulpHalf(a, rnd32() & 1 ? 53 : 24);
    b = h * [1, -1, 1 + 2 ** -30, 1 - 2 ** -30, 3, 0.75][rnd32() % 6]!;
  }
  return [a, b, b];
}
function fmaOp(): [number, number, number] {
  const a = rnd32() % 16 === 0 ? (rnd32() & 1 ? 0 : -0) : operand(rnd32() % 5);
  const c = operand(rnd32() % 5);
  let b = operand(rnd32() % 5);
  switch (rnd32() % 4) {
    case 0: b = -(a * c); break; // cancellation
    case 1: b = -(a * c) * (1 + 2 ** -50); break;
    case 2: b = ulpHalf(a * c, rnd32() & 1 ? 53 : 24) * (rnd32() & 1 ? 1 : -1); break;
  }
  return [a, b, c];
}
function oneOp(): [number, number, number] {
  let b = Math.abs(operand(rnd32() % 5));
  if (rnd32() % 4 === 0) {
    const s = Math.fround(moderate(20));
    b = s * s * (1 + (rnd32() % 3 - 1) * 2 ** -52);
  }
  return [0, b, 0];
}
function rspOp(): [number, number, number] {
  const s = Math.abs(single());
  const d = [s, s + ulpHalf(s, 24), s + ulpHalf(s, 24) * (1 + 2 ** -20), moderate(120)][rnd32() % 4]!;
  return [0, rnd32() & 1 ? -d : d, 0];
}

const CASES: Case[] = [
  { name: "fadd", op: OP_ADD, single: false, run: (f) => f.fadd(T, A, B), gen: twoOp },
  { name: "fadds", op: OP_ADD, single: true, run: (f) => f.fadds(T, A, B), gen: twoOp },
  { name: "fsub", op: OP_SUB, single: false, run: (f) => f.fsub(T, A, B), gen: twoOp },
  { name: "fsubs", op: OP_SUB, single: true, run: (f) => f.fsubs(T, A, B), gen: twoOp },
  { name: "fmul", op: OP_MUL, single: false, run: (f) => f.fmul(T, A, C), gen: twoOp },
  { name: "fmuls", op: OP_MUL, single: true, run: (f) => f.fmuls(T, A, C), gen: twoOp },
  { name: "fdiv", op: OP_DIV, single: false, run: (f) => f.fdiv(T, A, B), gen: twoOp },
  { name: "fdivs", op: OP_DIV, single: true, run: (f) => f.fdivs(T, A, B), gen: twoOp },
  { name: "fres", op: OP_RES, single: true, run: (f) => f.fres(T, B), gen: oneOp },
  { name: "fmadd", op: OP_MADD, single: false, run: (f) => f.fmadd(T, A, C, B), gen: fmaOp },
  { name: "fmadds", op: OP_MADD, single: true, run: (f) => f.fmadds(T, A, C, B), gen: fmaOp },
  { name: "fmsub", op: OP_MSUB, single: false, run: (f) => f.fmsub(T, A, C, B), gen: fmaOp },
  { name: "fmsubs", op: OP_MSUB, single: true, run: (f) => f.fmsubs(T, A, C, B), gen: fmaOp },
  { name: "fnmadd", op: OP_NMADD, single: false, run: (f) => f.fnmadd(T, A, C, B), gen: fmaOp },
  { name: "fnmadds", op: OP_NMADD, single: true, run: (f) => f.fnmadds(T, A, C, B), gen: fmaOp },
  { name: "fnmsub", op: OP_NMSUB, single: false, run: (f) => f.fnmsub(T, A, C, B), gen: fmaOp },
  { name: "fnmsubs", op: OP_NMSUB, single: true, run: (f) => f.fnmsubs(T, A, C, B), gen: fmaOp },
  { name: "fsqrt", op: OP_SQRT, single: false, run: (f) => f.fsqrt(T, B), gen: oneOp },
  { name: "fsqrts", op: OP_SQRT, single: true, run: (f) => f.fsqrts(T, B), gen: oneOp },
  { name: "frsp", op: OP_RSP, single: true, run: (f) => f.frsp(T, B), gen: rspOp },
];

const N = 20000;

describe("fast path agrees with the exact slow path", () => {
  for (const c of CASES) {
    it(`${c.name} x ${N}`, () => {
      const fast = new Fpu();
      const slow = new Fpu();
      const bad: string[] = [];
      for (let i = 0; i < N; i++) {
        const [a, b, cc] = c.gen();
        let fpscr = rnd32() & 3;
        if (rnd32() % 4 === 0) fpscr = summarize(rnd32() & 0x9ffff7ff); // random sticky bits and enables
        for (const f of [fast, slow]) {
          f.fpscr = fpscr >>> 0;
          f.fpr[A] = a;
          f.fpr[B] = b;
          f.fpr[C] = cc;
          f.lfd(T, 0x7ff4dead, 0x0badf00d);
        }
        c.run(fast);
        slowArith(slow, c.op, c.single, T, A, B, C);
        if (fast.fprw[2 * T] !== slow.fprw[2 * T] || fast.fprw[2 * T + 1] !== slow.fprw[2 * T + 1] || fast.fpscr !== slow.fpscr) {
          bad.push(`${c.name} fpscr=${fpscr.toString(16)} a=${a} b=${b} c=${cc}: fast ${fast.fpr[T]} ${fast.fpscr.toString(16)}, slow ${slow.fpr[T]} ${slow.fpscr.toString(16)}`);
        }
      }
      expect(bad.slice(0, 10)).toEqual([]);
    });
  }
});

/**
 * Hand-written vectors from the architecture book (PowerPC Book I, "Floating-Point Processor"):
 * FPSCR mechanics (FX/FEX/VX rules, mtfsf/mtfsfi/mtfsb0/mtfsb1/mcrfs/mffs), the special-value
 * tables of the instructions, enabled-exception behaviour, NaN rules, loads/stores and moves.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  C, FE, FEX, FG, FI, FL, FPRF, FR, FU, FX, Fpu, NI, OE, OX, UE, UNDEFINED_HI, UX, VE, VX, VXCVI,
  VXIDI, VXIMZ, VXISI, VXSNAN, VXSOFT, VXSQRT, VXVC, VXZDZ, XE, XX, ZE, ZX,
} from "../../../src/cpu/fpu/index.ts";

let f: Fpu;
beforeEach(() => {
  f = new Fpu();
});

/** Set FPR i from words. */
function setw(i: number, hi: number, lo: number): void {
  f.lfd(i, hi >>> 0, lo >>> 0);
}
/** FPR i as a 16-digit hex string. */
function hexOf(i: number): string {
  return f.stfdHi(i).toString(16).padStart(8, "0") + "_" + f.stfdLo(i).toString(16).padStart(8, "0");
}
function fprf(): number {
  return (f.fpscr & FPRF) >>> 12;
}

describe("FPSCR bit layout (IBM numbering)", () => {
  it("masks", () => {
    expect([FX, FEX, VX, OX, UX, ZX, XX, VXSNAN]).toEqual([
      0x80000000, 0x40000000, 0x20000000, 0x10000000, 0x08000000, 0x04000000, 0x02000000, 0x01000000]);
    expect([VXISI, VXIDI, VXZDZ, VXIMZ, VXVC, FR, FI, C]).toEqual([
      0x00800000, 0x00400000, 0x00200000, 0x00100000, 0x00080000, 0x00040000, 0x00020000, 0x00010000]);
    expect([FL, FG, FE, FU, VXSOFT, VXSQRT, VXCVI]).toEqual([0x8000, 0x4000, 0x2000, 0x1000, 0x400, 0x200, 0x100]);
    expect([VE, OE, UE, ZE, XE, NI]).toEqual([0x80, 0x40, 0x20, 0x10, 0x08, 0x04]);
  });
});

describe("FX / FEX / VX rules", () => {
  it("FX is set only when an exception bit goes 0 -> 1", () => {
    f.fpr[2] = 1;
    f.fpr[3] = 3;
    f.fdiv(1, 2, 3); // inexact
    expect((f.fpscr & (FX | XX | FI)) >>> 0).toBe((FX | XX | FI) >>> 0);
    f.mtfsb0(0); // clear FX
    f.fdiv(1, 2, 3); // inexact again, XX was already 1
    expect(f.fpscr & FX).toBe(0);
    expect(f.fpscr & XX).toBe(XX);
    f.mtfsb0(6); // clear XX
    f.fdiv(1, 2, 3);
    expect((f.fpscr & FX) >>> 0).toBe(FX);
    expect(f.fpscr).toBeGreaterThanOrEqual(0); // always unsigned
  });
  it("FEX = enabled exceptions, recomputed; XE makes an inexact result enabled", () => {
    f.mtfsfi(7, 0x8 >> 0); // XE=1, RN=0
    expect(f.fpscr).toBe(XE);
    f.fpr[2] = 1;
    f.fpr[3] = 3;
    f.fdiv(1, 2, 3);
    expect(f.fpscr & FEX).toBe(FEX);
    f.mtfsb0(28); // disable XE: FEX drops
    expect(f.fpscr & FEX).toBe(0);
    f.mtfsb1(28);
    expect(f.fpscr & FEX).toBe(FEX);
    expect(f.cr1()).toBe(0xc); // FX FEX VX OX = 1 1 0 0
  });
  it("mtfsb1 of an exception bit sets FX too; FEX and VX cannot be set or cleared explicitly", () => {
    f.mtfsb1(3); // OX
    expect(f.fpscr).toBe((FX | OX) >>> 0);
    f.mtfsb1(1);
    f.mtfsb1(2);
    expect(f.fpscr).toBe((FX | OX) >>> 0);
    f.mtfsb1(25); // OE -> FEX by the summary rule
    expect(f.fpscr).toBe((FX | FEX | OX | OE) >>> 0);
    f.mtfsb0(1); // cannot clear FEX
    expect(f.fpscr & FEX).toBe(FEX);
    f.mtfsb1(7); // VXSNAN: VX summary
    expect(f.fpscr & (VX | VXSNAN)).toBe(VX | VXSNAN);
    f.mtfsb0(7);
    expect(f.fpscr & (VX | VXSNAN)).toBe(0);
    f.mtfsb1(20); // reserved bit: reads as 0
    expect(f.fpscr & 0x800).toBe(0);
  });
  it("mtfsf with field 0: FX and OX from FRB, FEX and VX from the summary rule", () => {
    setw(5, 0, 0x70000000); // FEX VX OX, FX = 0
    f.mtfsf(0x80, 5);
    expect(f.fpscr).toBe(OX); // FX not set by the 0->1 rule, FEX/VX ignored (nothing enabled)
    setw(5, 0, 0x80000000);
    f.mtfsf(0x80, 5);
    expect(f.fpscr).toBe(FX); // OX cleared, FX set explicitly
  });
  it("mtfsf of other fields: FX is not altered (only field 0 alters it); VX/FEX recomputed", () => {
    setw(5, 0, 0x01000000); // VXSNAN in field 1
    f.mtfsf(0x40, 5);
    expect(f.fpscr).toBe((VX | VXSNAN) >>> 0);
    setw(5, 0, 0x000000f3); // all enables, RN=3 (field 6 and 7)
    f.mtfsf(0x03, 5);
    expect(f.fpscr).toBe((FEX | VX | VXSNAN | 0xf3) >>> 0);
    setw(5, 0, 0x80000000);
    f.mtfsf(0xc0, 5); // fields 0 and 1: FX from the source, VXSNAN cleared
    expect(f.fpscr).toBe((FX | 0xf3) >>> 0);
    f.mtfsf(0x40, 5); // FX untouched when field 0 is not written
    expect(f.fpscr).toBe((FX | 0xf3) >>> 0);
    setw(5, 0, 0);
    f.mtfsf(0xff, 5);
    expect(f.fpscr).toBe(0);
  });
  it("mtfsfi", () => {
    f.mtfsfi(7, 3);
    expect(f.fpscr).toBe(3);
    f.mtfsfi(0, 0x7); // FEX VX OX requested, FX=0: only OX sticks
    expect(f.fpscr).toBe((OX | 3) >>> 0);
    f.mtfsfi(0, 0x8);
    expect(f.fpscr).toBe((FX | 3) >>> 0);
    f.mtfsfi(5, 0x4); // VXSOFT: VX (FX is 1 already; mtfsfi 5 would not alter it)
    expect(f.fpscr).toBe((FX | VX | VXSOFT | 3) >>> 0);
    f.mtfsfi(0, 0);
    f.mtfsfi(1, 0xf); // UX ZX XX VXSNAN: FX stays 0
    expect(f.fpscr).toBe((0x2f000000 | VXSOFT | 3) >>> 0);
    f.mtfsfi(7, 0x4); // NI is stored
    expect(f.fpscr & (NI | 3)).toBe(NI);
  });
  it("mcrfs copies a field and clears the exception bits in it (not FEX/VX)", () => {
    f.fpscr = 0;
    f.mtfsb1(3); // OX, FX
    f.mtfsb1(25); // OE: FEX
    f.mtfsb1(7); // VXSNAN: VX
    f.mtfsb1(12); // VXVC
    f.mtfsb1(22); // VXSQRT
    expect(f.mcrfs(0)).toBe(0xf); // FX FEX VX OX
    expect(f.fpscr & (FX | OX)).toBe(0);
    expect(f.fpscr & FEX).toBe(0); // OX gone, so the summary dropped
    expect(f.fpscr & VX).toBe(VX); // still VXSNAN
    expect(f.mcrfs(1)).toBe(0x1); // UX ZX XX VXSNAN
    expect(f.fpscr & VXSNAN).toBe(0);
    expect(f.mcrfs(3)).toBe(0x8); // VXVC FR FI C
    expect(f.fpscr & VXVC).toBe(0);
    expect(f.mcrfs(5)).toBe(0x2); // reserved VXSOFT VXSQRT VXCVI
    expect(f.fpscr & (VXSQRT | VX)).toBe(0);
    expect(f.mcrfs(6)).toBe(0x4); // VE OE UE ZE: not cleared
    expect(f.fpscr & OE).toBe(OE);
    f.fpr[2] = -1;
    f.fadd(1, 2, 2); // FPRF = -normal
    expect(f.mcrfs(4)).toBe(0x8);
    expect(fprf()).toBe(0x08);
  });
  it("mffs: FRT[32:63] = FPSCR, FRT[0:31] = 0xFFF80000", () => {
    f.mtfsfi(7, 2);
    f.mtfsb1(6);
    f.mffs(9);
    expect(f.stfdLo(9)).toBe((FX | XX | 2) >>> 0);
    expect(f.stfdHi(9)).toBe(UNDEFINED_HI);
  });
});

describe("arithmetic special values", () => {
  it("x - x is +0 except in round toward -inf", () => {
    for (const [mode, sign] of [[0, 0], [1, 0], [2, 0], [3, 0x80000000]] as const) {
      f.fpscr = mode;
      f.fpr[2] = 1.25;
      f.fsub(1, 2, 2);
      expect(f.stfdHi(1)).toBe(sign);
      expect(fprf()).toBe(sign ? 0x12 : 0x02);
      f.fpr[3] = -1.25;
      f.fadds(1, 2, 3);
      expect(f.stfdHi(1)).toBe(sign);
    }
  });
  it("fnmadd negates an exact zero; NaNs keep their sign", () => {
    f.fpr[2] = 2;
    f.fpr[3] = 3;
    f.fpr[4] = -6;
    f.fnmadd(1, 2, 3, 4); // -(2*3 + -6) = -(+0) = -0
    expect(hexOf(1)).toBe("80000000_00000000");
    setw(5, 0xfff80000, 0x123); // negative QNaN as FRB
    f.fnmadd(1, 2, 3, 5);
    expect(hexOf(1)).toBe("fff80000_00000123");
    setw(5, 0xfff00000, 0x1); // negative sNaN: quieted, sign kept
    f.fnmsub(1, 2, 3, 5);
    expect(hexOf(1)).toBe("fff80000_00000001");
    f.fpr[2] = Infinity;
    f.fpr[3] = 1;
    f.fpr[4] = -Infinity;
    f.fnmadd(1, 2, 3, 4); // inf - inf: default QNaN is positive
    expect(hexOf(1)).toBe("7ff80000_00000000");
    expect(f.fpscr & VXISI).toBe(VXISI);
  });
  it("NaN precedence is FRA, FRB, FRC", () => {
    setw(2, 0x7ff80000, 0xa);
    setw(3, 0x7ff80000, 0xb);
    setw(4, 0x7ff00000, 0xc); // sNaN in FRC: not the result, but VXSNAN
    f.fmadd(1, 2, 4, 3);
    expect(hexOf(1)).toBe("7ff80000_0000000a");
    expect(f.fpscr & VXSNAN).toBe(VXSNAN);
    f.fpr[2] = 1;
    f.fmadd(1, 2, 4, 3);
    expect(hexOf(1)).toBe("7ff80000_0000000b");
    f.fpr[3] = 1;
    f.fmul(1, 2, 4);
    expect(hexOf(1)).toBe("7ff80000_0000000c");
  });
  it("fma: inf * 0 + QNaN sets VXIMZ and returns FRB", () => {
    f.fpr[2] = Infinity;
    f.fpr[4] = 0;
    setw(3, 0x7ff80000, 0x77);
    f.fmadd(1, 2, 4, 3);
    expect(hexOf(1)).toBe("7ff80000_00000077");
    expect(f.fpscr & (VXIMZ | VX)).toBe((VXIMZ | VX) >>> 0);
  });
  it("a NaN result of a single-precision instruction keeps FRx bits 0:34 (frsp and, by choice, all)", () => {
    setw(2, 0x7ff00000, 0x00000001); // sNaN with a low payload bit
    f.fpr[3] = 1;
    f.fadd(1, 2, 3);
    expect(hexOf(1)).toBe("7ff80000_00000001");
    f.fadds(1, 2, 3);
    expect(hexOf(1)).toBe("7ff80000_00000000");
    setw(4, 0xfff12345, 0x6fffffff);
    f.fmadds(1, 3, 3, 4);
    expect(hexOf(1)).toBe("fff92345_60000000");
    f.frsp(1, 2);
    expect(hexOf(1)).toBe("7ff80000_00000000");
    expect(fprf()).toBe(0x11);
    setw(2, 0xfff12345, 0xffffffff);
    f.frsp(1, 2);
    expect(hexOf(1)).toBe("fff92345_e0000000");
  });
  it("invalid operations: VXISI VXIMZ VXIDI VXZDZ VXSQRT, default QNaN", () => {
    const inf = Infinity;
    const cases: [string, () => void, number][] = [
      ["inf-inf", () => { f.fpr[2] = inf; f.fpr[3] = inf; f.fsub(1, 2, 3); }, VXISI],
      ["inf*0", () => { f.fpr[2] = inf; f.fpr[4] = 0; f.fmul(1, 2, 4); }, VXIMZ],
      ["inf/inf", () => { f.fpr[2] = -inf; f.fpr[3] = inf; f.fdiv(1, 2, 3); }, VXIDI],
      ["0/0", () => { f.fpr[2] = 0; f.fpr[3] = -0; f.fdivs(1, 2, 3); }, VXZDZ],
      ["sqrt(-1)", () => { f.fpr[3] = -1; f.fsqrt(1, 3); }, VXSQRT],
      ["sqrt(-inf)", () => { f.fpr[3] = -inf; f.fsqrts(1, 3); }, VXSQRT],
    ];
    for (const [name, run, bit] of cases) {
      f.fpscr = 0;
      run();
      expect(hexOf(1), name).toBe("7ff80000_00000000");
      expect(f.fpscr, name).toBe((FX | VX | bit | 0x11000) >>> 0);
    }
  });
  it("VE=1: invalid operation leaves FRT and FPRF, clears FR/FI, sets FEX", () => {
    f.fpscr = VE;
    f.fpr[2] = 1;
    f.fpr[3] = 3;
    f.fdiv(1, 2, 3); // FPRF=+normal, FR/FI set
    const before = hexOf(1);
    f.fpr[2] = Infinity;
    f.fpr[3] = -Infinity;
    f.fadd(1, 2, 3);
    expect(hexOf(1)).toBe(before);
    expect(fprf()).toBe(0x04);
    expect(f.fpscr & (FR | FI)).toBe(0);
    expect(f.fpscr & (FEX | VX | VXISI)).toBe((FEX | VX | VXISI) >>> 0);
  });
  it("zero divide: ZX, signed infinity; ZE=1 leaves FRT", () => {
    f.fpr[2] = -3;
    f.fpr[3] = 0;
    f.fdiv(1, 2, 3);
    expect(f.fpr[1]).toBe(-Infinity);
    expect(f.fpscr).toBe((FX | ZX | 0x09000) >>> 0);
    f.fpscr = ZE;
    f.fpr[1] = 42;
    f.fdivs(1, 2, 3);
    expect(f.fpr[1]).toBe(42);
    expect(f.fpscr).toBe((FX | FEX | ZX | ZE) >>> 0);
    f.fpscr = 0;
    f.fpr[2] = Infinity;
    f.fdiv(1, 2, 3); // inf / 0 is exact infinity, not a zero divide
    expect(f.fpscr).toBe(0x05000);
  });
  it("overflow, disabled: result by rounding mode (book table)", () => {
    const MAX = 1.7976931348623157e308;
    const expected: Record<number, [number, number]> = { 0: [Infinity, -Infinity], 1: [MAX, -MAX], 2: [Infinity, -MAX], 3: [MAX, -Infinity] };
    for (let mode = 0; mode < 4; mode++) {
      for (const s of [1, -1]) {
        f.fpscr = mode;
        f.fpr[2] = MAX * s;
        f.fpr[4] = 2;
        f.fmul(1, 2, 4);
        const want = expected[mode]![s > 0 ? 0 : 1]!;
        expect(f.fpr[1], `mode ${mode} sign ${s}`).toBe(want);
        const frBit = Math.abs(want) === Infinity ? FR : 0;
        expect(f.fpscr, `mode ${mode} sign ${s}`).toBe((FX | OX | XX | FI | frBit | mode |
          (Math.abs(want) === Infinity ? (s > 0 ? 0x05000 : 0x09000) : (s > 0 ? 0x04000 : 0x08000))) >>> 0);
      }
    }
  });
  it("overflow, OE=1: exponent adjusted by 1536 (double) / 192 (single)", () => {
    f.fpscr = OE;
    f.fpr[2] = 2 ** 1000;
    f.fpr[4] = 2 ** 1000;
    f.fmul(1, 2, 4);
    expect(f.fpr[1]).toBe(2 ** (2000 - 1536));
    expect(f.fpscr).toBe((FX | FEX | OX | OE | 0x04000) >>> 0); // exact: no XX
    f.fpscr = OE;
    f.fpr[2] = 2 ** 100;
    f.fpr[4] = -(2 ** 100);
    f.fmuls(1, 2, 4);
    expect(f.fpr[1]).toBe(-(2 ** (200 - 192)));
    expect(fprf()).toBe(0x08);
  });
  it("underflow: tininess before rounding; UE=1 adjusts by 1536 and sets UX even if exact", () => {
    f.fpr[2] = 2 ** -1000;
    f.fpr[4] = 2 ** -40;
    f.fmul(1, 2, 4); // exact denormal: no UX with UE=0
    expect(f.fpr[1]).toBe(2 ** -1040);
    expect(f.fpscr).toBe(0x14000);
    f.fpscr = UE;
    f.fmul(1, 2, 4);
    expect(f.fpr[1]).toBe(2 ** (-1040 + 1536));
    expect(f.fpscr).toBe((FX | FEX | UX | UE | 0x04000) >>> 0);
    // exact value just below 2^-1022 rounds up to 2^-1022: tiny before rounding -> UX (x86 would say no)
    f.fpscr = 0;
    f.fpr[2] = 1 - 2 ** -53;
    f.fpr[4] = 2 ** -1022;
    f.fmul(1, 2, 4);
    expect(f.fpr[1]).toBe(2 ** -1022);
    expect(f.fpscr).toBe((FX | UX | XX | FI | FR | 0x04000) >>> 0);
  });
  it("single results are classified in single format", () => {
    f.fpr[2] = 2 ** -70;
    f.fpr[4] = 2 ** -70;
    f.fmuls(1, 2, 4); // 2^-140: a single denormal (a normal double)
    expect(f.fpr[1]).toBe(2 ** -140);
    expect(fprf()).toBe(0x14);
    f.fmul(1, 2, 4);
    expect(fprf()).toBe(0x04);
    f.fpr[3] = -(2 ** -140);
    f.frsp(1, 3);
    expect(fprf()).toBe(0x18);
  });
  it("single precision rounds once from the exact result (double rounding trap)", () => {
    f.fpr[2] = 1;
    f.fpr[3] = 2 ** -24 + 2 ** -60; // 1 + b in double is 1 + 2^-24 exactly, a single tie
    f.fadds(1, 2, 3);
    expect(f.fpr[1]).toBe(1 + 2 ** -23);
    expect(f.fpscr & (FR | FI)).toBe((FR | FI) >>> 0);
    f.fpr[3] = 2 ** -24 - 2 ** -60;
    f.fadds(1, 2, 3);
    expect(f.fpr[1]).toBe(1);
    expect(f.fpscr & (FR | FI)).toBe(FI);
  });
  it("fres and frsqrte special values (book tables)", () => {
    const table: [number, (t: number, b: number) => void, number | "nan", number][] = [
      [-Infinity, (t, b) => f.fres(t, b), -0, 0],
      [-0, (t, b) => f.fres(t, b), -Infinity, ZX],
      [0, (t, b) => f.fres(t, b), Infinity, ZX],
      [Infinity, (t, b) => f.fres(t, b), 0, 0],
      [-Infinity, (t, b) => f.frsqrte(t, b), "nan", VXSQRT],
      [-2, (t, b) => f.frsqrte(t, b), "nan", VXSQRT],
      [-0, (t, b) => f.frsqrte(t, b), -Infinity, ZX],
      [0, (t, b) => f.frsqrte(t, b), Infinity, ZX],
      [Infinity, (t, b) => f.frsqrte(t, b), 0, 0],
      [4, (t, b) => f.frsqrte(t, b), 0.5, 0],
      [0.25, (t, b) => f.fres(t, b), 4, 0],
    ];
    for (const [x, run, want, exc] of table) {
      f.fpscr = 0;
      f.fpr[3] = x;
      run(1, 3);
      if (want === "nan") expect(hexOf(1)).toBe("7ff80000_00000000");
      else expect(Object.is(f.fpr[1], want), `${x} -> ${f.fpr[1]}`).toBe(true);
      expect(f.fpscr & (ZX | VXSQRT)).toBe(exc);
    }
    setw(3, 0x7ff00000, 5);
    f.fres(1, 3);
    expect(hexOf(1)).toBe("7ff80000_00000000"); // single result: payload bits 35:63 dropped
    expect(f.fpscr & VXSNAN).toBe(VXSNAN);
    // estimates are correctly rounded here
    f.fpscr = 0;
    f.fpr[3] = 2;
    f.frsqrte(1, 3);
    expect(f.fpr[1]).toBe(0.7071067811865476);
    f.fpr[3] = 3;
    f.fres(1, 3);
    expect(f.fpr[1]).toBe(Math.fround(1 / 3));
  });
  it("fsqrt of -0 is -0, of +inf is +inf", () => {
    f.fpr[3] = -0;
    f.fsqrt(1, 3);
    expect(Object.is(f.fpr[1], -0)).toBe(true);
    expect(f.fpscr).toBe(0x12000);
    f.fpr[3] = Infinity;
    f.fsqrts(1, 3);
    expect(f.fpr[1]).toBe(Infinity);
  });
});

describe("fctiw / fctiwz", () => {
  it("saturation and NaN (book table), FPRF unchanged, high word 0xFFF80000", () => {
    const cases: [number, number, number][] = [
      [NaN, 0x80000000, VXCVI],
      [Infinity, 0x7fffffff, VXCVI],
      [-Infinity, 0x80000000, VXCVI],
      [2147483647.5, 0x7fffffff, VXCVI], // RN: rounds to 2^31
      [2147483647.4, 0x7fffffff, 0],
      [-2147483648.5, 0x80000000, 0], // RN: ties to even -> -2^31, in range
      [-2147483649, 0x80000000, VXCVI],
      [-0.5, 0, 0],
      [2.5, 2, 0],
      [-3.5, 0xfffffffc, 0],
    ];
    for (const [x, lo, exc] of cases) {
      f.fpscr = 0x4000; // FPRF = +normal, left alone
      f.fpr[3] = x;
      f.fctiw(1, 3);
      expect(f.stfdLo(1), String(x)).toBe(lo);
      expect(f.stfdHi(1)).toBe(UNDEFINED_HI);
      expect(f.fpscr & VXCVI, String(x)).toBe(exc);
      expect(fprf()).toBe(0x04);
      expect(f.stfiwx(1)).toBe(lo);
    }
  });
  it("fctiwz truncates in every mode; FR/FI", () => {
    for (let mode = 0; mode < 4; mode++) {
      f.fpscr = mode;
      f.fpr[3] = -7.9;
      f.fctiwz(1, 3);
      expect(f.stfdLo(1) | 0).toBe(-7);
      expect(f.fpscr & (FR | FI | XX)).toBe((FI | XX) >>> 0);
    }
    f.fpscr = 2; // RP
    f.fpr[3] = 7.1;
    f.fctiw(1, 3);
    expect(f.stfdLo(1)).toBe(8);
    expect(f.fpscr & (FR | FI)).toBe((FR | FI) >>> 0);
  });
  it("sNaN: VXSNAN and VXCVI; VE=1 leaves FRT", () => {
    setw(3, 0x7ff00000, 1);
    f.fpscr = VE;
    setw(1, 0x12345678, 0x9abcdef0);
    f.fctiwz(1, 3);
    expect(hexOf(1)).toBe("12345678_9abcdef0");
    expect(f.fpscr).toBe((FX | FEX | VX | VXSNAN | VXCVI | VE) >>> 0);
  });
});

describe("compare", () => {
  it("fcmpu/fcmpo set FPCC only, leave C, FR, FI", () => {
    f.fpscr = (C | FR | FI | FG) >>> 0;
    f.fpr[2] = -0;
    f.fpr[3] = 0;
    expect(f.fcmpu(2, 3)).toBe(2);
    expect(f.fpscr).toBe((C | FR | FI | FE) >>> 0);
    f.fpr[2] = -1;
    expect(f.fcmpo(2, 3)).toBe(8);
    expect(f.fcmpo(3, 2)).toBe(4);
    expect(f.fpscr).toBe((C | FR | FI | FG) >>> 0);
  });
  it("NaN operands: fcmpu VXSNAN only for sNaN; fcmpo VXVC (with sNaN only when VE=0)", () => {
    f.fpr[2] = 1;
    setw(3, 0x7ff80000, 0); // QNaN
    expect(f.fcmpu(2, 3)).toBe(1);
    expect(f.fpscr).toBe(FU);
    f.fpscr = C;
    expect(f.fcmpo(2, 3)).toBe(1);
    expect(f.fpscr).toBe((FX | VX | VXVC | C | FU) >>> 0);
    setw(3, 0x7ff00000, 1); // sNaN
    f.fpscr = 0;
    f.fcmpu(2, 3);
    expect(f.fpscr).toBe((FX | VX | VXSNAN | FU) >>> 0);
    f.fpscr = 0;
    f.fcmpo(3, 2);
    expect(f.fpscr).toBe((FX | VX | VXSNAN | VXVC | FU) >>> 0);
    f.fpscr = VE;
    f.fcmpo(3, 2);
    expect(f.fpscr).toBe((FX | FEX | VX | VXSNAN | FU | VE) >>> 0);
    f.fpscr = VE;
    setw(3, 0x7ff80000, 0);
    f.fcmpo(3, 2);
    expect(f.fpscr).toBe((FX | FEX | VX | VXVC | FU | VE) >>> 0);
  });
});

describe("select and moves: bit-exact, no FPSCR change", () => {
  it("fsel", () => {
    setw(3, 0x7ff00000, 0xbad); // sNaN in FRB
    setw(4, 0x7ff40000, 0x600d); // sNaN in FRC
    f.fpscr = 0x12345;
    for (const [a, pick] of [[0, 4], [-0, 4], [5, 4], [-1e-300, 3], [NaN, 3], [-Infinity, 3], [Infinity, 4]] as const) {
      f.fpr[2] = a;
      f.fsel(1, 2, 4, 3);
      expect(hexOf(1), String(a)).toBe(hexOf(pick));
    }
    setw(2, 0x7ff00000, 1); // sNaN in FRA -> FRB
    f.fsel(1, 2, 4, 3);
    expect(hexOf(1)).toBe(hexOf(3));
    expect(f.fpscr).toBe(0x12345);
  });
  it("fmr fneg fabs fnabs keep NaN payloads and sNaN-ness", () => {
    setw(3, 0xfff00000, 0x00000001); // negative sNaN
    f.fpscr = 0;
    f.fmr(1, 3);
    expect(hexOf(1)).toBe("fff00000_00000001");
    f.fneg(1, 3);
    expect(hexOf(1)).toBe("7ff00000_00000001");
    f.fabs(1, 3);
    expect(hexOf(1)).toBe("7ff00000_00000001");
    f.fnabs(1, 1);
    expect(hexOf(1)).toBe("fff00000_00000001");
    f.fneg(3, 3);
    expect(hexOf(3)).toBe("7ff00000_00000001");
    expect(f.fpscr).toBe(0);
  });
});

describe("loads and stores", () => {
  const cases: [number, string][] = [
    [0x3fc00000, "3ff80000_00000000"], // 1.5
    [0x80000000, "80000000_00000000"], // -0
    [0x00000001, "36a00000_00000000"], // 2^-149
    [0x807fffff, "b80fffff_c0000000"], // -largest single denormal
    [0x7f7fffff, "47efffff_e0000000"], // FLT_MAX
    [0xff800000, "fff00000_00000000"], // -inf
    [0x7f800001, "7ff00000_20000000"], // sNaN stays signalling
    [0xffc00001, "fff80000_20000000"], // QNaN
  ];
  it("lfs converts exactly; stfs restores the bits", () => {
    for (const [s, d] of cases) {
      f.lfs(1, s);
      expect(hexOf(1), s.toString(16)).toBe(d);
      expect(f.stfs(1)).toBe(s);
    }
  });
  it("stfs truncates (no rounding) and denormalizes by truncation", () => {
    f.fpr[1] = 0.1; // 0x3FB9999999999999A: rounding would give 0x3DCCCCCD
    expect(f.stfs(1).toString(16)).toBe("3dcccccc");
    f.fpr[1] = 2 ** -130 * (1 + 2 ** -10 + 2 ** -40);
    expect(f.stfs(1).toString(16)).toBe("80200"); // 2^-130 + 2^-140; the 2^-170 part is truncated
    f.fpr[1] = -(2 ** -150); // below 2^-149: signed zero (implementation choice, undefined)
    expect(f.stfs(1)).toBe(0x80000000);
    setw(1, 0x7fefffff, 0xffffffff); // out of single range: bits 0:1 || 5:34
    expect(f.stfs(1)).toBe(0x7f7fffff);
    setw(1, 0x7ff00000, 0x00000001); // sNaN with only low payload bits becomes infinity
    expect(f.stfs(1)).toBe(0x7f800000);
    expect(f.fpscr).toBe(0);
  });
  it("lfs/stfs agree with the host's float32 conversion for random non-NaN singles", () => {
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    let x = 0x12345678;
    for (let i = 0; i < 20000; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const s = x >>> 0;
      if ((s & 0x7f800000) === 0x7f800000 && (s & 0x7fffff) !== 0) continue; // NaN: tested above
      u32[0] = s;
      f.lfs(1, s);
      expect(Object.is(f.fpr[1], f32[0])).toBe(true);
      expect(f.stfs(1)).toBe(s);
      f.fpr[2] = f32[0]!;
      expect(f.stfs(2)).toBe(s);
    }
  });
  it("stfs denormalizes values in [2^-149, 2^-126) by truncation", () => {
    let x = 0x2468ace1;
    for (let i = 0; i < 5000; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const v = ((x >>> 0) / 2 ** 32) * 2 ** -126 * (1 - 2 ** -30) + 2 ** -149;
      const neg = (x & 1) === 1;
      f.fpr[1] = neg ? -v : v;
      const want = ((neg ? 0x80000000 : 0) | Math.floor(v / 2 ** -149)) >>> 0;
      expect(f.stfs(1)).toBe(want);
    }
  });
  it("lfd/stfd are raw", () => {
    f.lfd(7, 0x7ff00000, 0x00000001);
    expect(f.stfdHi(7)).toBe(0x7ff00000);
    expect(f.stfdLo(7)).toBe(1);
    expect(f.fprw[15]).toBe(0x7ff00000);
  });
});

describe("register aliasing", () => {
  it("FRT may equal any source", () => {
    f.fpr[1] = 3;
    f.fadd(1, 1, 1);
    expect(f.fpr[1]).toBe(6);
    f.fmadd(1, 1, 1, 1);
    expect(f.fpr[1]).toBe(42);
    f.fmsubs(1, 1, 1, 1);
    expect(f.fpr[1]).toBe(42 * 42 - 42);
    f.fpr[2] = 0.1;
    f.frsp(2, 2);
    expect(f.fpr[2]).toBe(Math.fround(0.1));
  });
});

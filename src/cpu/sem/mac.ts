/**
 * The 440's multiply-accumulate and multiply-halfword family (opcode 4, UM pp.340-380), generated
 * from the mnemonic: [n]mac{ch,hh,lh}w[s][u] and mul{ch,hh,lh}w[u]. QEMU 7.2 gets the
 * accumulate forms wrong (ppc440.md section 0 items 3-4); these follow the manual:
 *   prod  = halfword(RA) x halfword(RB)            (signed or unsigned 16x16 -> 32)
 *   temp  = RT +/- prod as a 33-bit sum             (RT signed for signed forms, unsigned for u)
 *   RT    = low 32 bits of temp, or saturated (s) to 0x7FFFFFFF/0x80000000 or 0xFFFFFFFF
 *   XER[OV] (o forms) = the sum does not fit in 32 bits (signed or unsigned); SO |= OV
 */

import { S } from "../state.ts";
import { cr0, type Emit, type Sem, type SemTable } from "./emit.ts";

type Halves = "ch" | "hh" | "lh";

/** Halfword operands: ch = low(RA) x high(RB), hh = high x high, lh = low x low. */
function halves(e: Emit, h: Halves, unsigned: boolean): [string, string] {
  const lo = (x: string) => (unsigned ? `(${x} & 0xffff)` : `((${x} << 16) >> 16)`);
  const hi = (x: string) => (unsigned ? `(${x} >>> 16)` : `(${x} >> 16)`);
  const a = `r[${e.f.ra}]`, b = `r[${e.f.rb}]`;
  switch (h) {
    case "ch": return [lo(a), hi(b)];
    case "hh": return [hi(a), hi(b)];
    case "lh": return [lo(a), lo(b)];
  }
}

const rc = (e: Emit) => (e.spec.rc ? `{ const v = r[${e.f.rt}]; ${cr0("v")} }` : "");

function mac(neg: boolean, h: Halves, saturate: boolean, unsigned: boolean): Sem {
  return (e) => {
    const [a, b] = halves(e, h, unsigned);
    const acc = unsigned ? `(r[${e.f.rt}] >>> 0)` : `r[${e.f.rt}]`;
    const over = unsigned ? `t > 4294967295` : `(t > 2147483647 || t < -2147483648)`;
    const sat = unsigned ? `4294967295` : `(t > 0 ? 2147483647 : -2147483648)`;
    let s = `{ const t = ${acc} ${neg ? "-" : "+"} ${a} * ${b}; const o = ${over};`;
    s += `r[${e.f.rt}] = ${saturate ? `o ? ${sat} : t` : "t"};`;
    if (e.spec.oe) s += `st[${S.OV}] = o ? 1 : 0; if (o) st[${S.SO}] = 1;`;
    return s + "}" + rc(e);
  };
}

function mul(h: Halves, unsigned: boolean): Sem {
  return (e) => {
    const [a, b] = halves(e, h, unsigned);
    return `r[${e.f.rt}] = ${a} * ${b};` + rc(e);
  };
}

function build(): SemTable {
  const t: Record<string, Sem> = {};
  for (const h of ["ch", "hh", "lh"] as const) {
    for (const neg of [false, true]) {
      for (const s of [false, true]) {
        for (const u of neg ? [false] : [false, true]) {
          t[`${neg ? "n" : ""}mac${h}w${s ? "s" : ""}${u ? "u" : ""}`] = mac(neg, h, s, u);
        }
      }
    }
    t[`mul${h}w`] = mul(h, false);
    t[`mul${h}wu`] = mul(h, true);
  }
  return t;
}

export const MAC: SemTable = build();

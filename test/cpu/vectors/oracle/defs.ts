/** Case definitions shared by the vector generator's families. */
import { byMnemonic } from "../../../../src/isa/decode.ts";
import { enc, hex32, type Fields } from "../encode.ts";
import type { QCase } from "./qemu.ts";

export interface CaseDef extends QCase {
  name: string;
  /** Mnemonic of the instruction under test. */
  insn: string;
  note?: string;
  /** Results the vector must not assert (architecturally undefined). */
  undef?: { gpr?: number[]; cr?: number };
  /** Expected reservation afterwards (QEMU cannot show it): EA, or null for none. */
  expectResv?: number | null;
  /** A second case run only to derive this one's expectation (fnmadd from fmadd, see cases-fp.ts). */
  companion?: CaseDef;
}

export interface Family {
  name: string;
  description: string;
  /** "qemu": QEMU's final state is the expectation. "mac": the Python reference model (macref.py). */
  oracle: "qemu" | "mac" | "fp";
  cases: CaseDef[];
}

export const h = hex32;
export const SO = 0x80000000, OV = 0x40000000, CA = 0x20000000;

/** XER as text for case names. */
export function xerName(x: number): string {
  const f: string[] = [];
  if (x & SO) f.push("SO");
  if (x & OV) f.push("OV");
  if (x & CA) f.push("CA");
  if (x & 0x7f) f.push(`TBC=${x & 0x7f}`);
  return f.length ? ` [${f.join(" ")}]` : "";
}

export function rc(mn: string): boolean {
  return byMnemonic(mn)?.rc ?? false;
}

/** A case whose instruction is `mn` with the given fields. */
export function ins(mn: string, f: Fields, name: string, c: Partial<CaseDef> = {}): CaseDef {
  return { name: `${mn} ${name}`, insn: mn, word: enc(mn, f), ...c };
}

/** Ensures names are unique within a family (appends #n to repeats). */
export function uniq(cases: CaseDef[]): CaseDef[] {
  const seen = new Map<string, number>();
  for (const c of cases) {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    if (n > 1) c.name += ` #${n}`;
  }
  return cases;
}

/**
 * The per-instruction vector format and its runner (Tom Harte / cpu6502 style: initial state,
 * one instruction, expected state). See README.md beside this file for the format.
 *
 * The runner builds a fresh CPU (test/cpu/harness.ts: flat identity-mapped RAM, bare-metal
 * delivery of exceptions into the guest's IVPR/IVORs), applies `init`, executes exactly one
 * instruction (or takes the exception it raises) and compares. Everything `expect` does not
 * name must be unchanged: all 32 GPRs, CR, XER, LR, CTR, MSR, the FPRs, FPSCR, SRR0/1,
 * CSRR0/1, ESR, DEAR, the reservation and the bytes around every named memory range.
 */
import { load, makeCpu } from "../harness.ts";
import type { Cpu } from "../../../src/cpu/cpu.ts";
import { S } from "../../../src/cpu/state.ts";
import { hex32 } from "./encode.ts";

/** 32-bit values are hex strings ("0x0000002a"); FPRs are 64-bit hex strings. */
export interface VState {
  pc?: string;
  gpr?: Record<string, string>;
  cr?: string;
  xer?: string;
  lr?: string;
  ctr?: string;
  msr?: string;
  fpr?: Record<string, string>;
  fpscr?: string;
  /** SPR number -> value (written straight into the SPR file; no side effects). */
  spr?: Record<string, string>;
  /** Start address -> bytes as a hex string. */
  mem?: Record<string, string>;
  /** lwarx reservation: the reserved EA, or null for none. */
  resv?: string | null;
}

export interface VExpect extends VState {
  /** Shorthands for the interrupt registers (SPR 26, 27, 62, 61). */
  srr0?: string;
  srr1?: string;
  esr?: string;
  dear?: string;
  /** Architecturally undefined results the vector does not assert. */
  undefined?: {
    gpr?: number[];
    /** CR bits (32-bit mask) not compared. */
    cr?: string;
    /** FPSCR bits (32-bit mask) not compared. */
    fpscr?: string;
    fpr?: number[];
    /** FPRs whose high word (bits 0:31) is undefined (fctiw, fctiwz, mffs). */
    fprHi?: number[];
  };
}

export interface Vector {
  name: string;
  /** The mnemonic (a row of INSNS) the first word encodes; "illegal" for words that must not decode. */
  insn: string;
  words: string[];
  init: VState;
  expect: VExpect;
  /** Where the expected state came from: "qemu", "model" (reference script), "manual". */
  oracle: string;
  note?: string;
  /** QEMU 7.2's output where it diverges from `expect` (documentation only). */
  qemu?: Record<string, unknown>;
}

export interface VectorFile {
  family: string;
  description: string;
  vectors: Vector[];
}

export const DEFAULT_PC = 0x1000;
const SAVE_SPRS = [26, 27, 58, 59, 61, 62, 570, 571];

const num = (s: string): number => Number.parseInt(s, 16) >>> 0;
const hex64 = (hi: number, lo: number): string =>
  "0x" + (hi >>> 0).toString(16).padStart(8, "0") + (lo >>> 0).toString(16).padStart(8, "0");

function hexBytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 2) out.push(Number.parseInt(s.slice(i, i + 2), 16));
  return out;
}

function setFpr(cpu: Cpu, n: number, v: string): void {
  const h = v.replace(/^0x/, "").padStart(16, "0");
  cpu.fpu.fprw[2 * n + 1] = num(h.slice(0, 8));
  cpu.fpu.fprw[2 * n] = num(h.slice(8));
}
const getFpr = (cpu: Cpu, n: number): string => hex64(cpu.fpu.fprw[2 * n + 1]!, cpu.fpu.fprw[2 * n]!);

/** Applies an initial state to a fresh CPU and places the instruction words. */
export function setup(v: Vector): Cpu {
  const cpu = makeCpu();
  const i = v.init;
  for (const [a, bytes] of Object.entries(i.mem ?? {})) cpu.mem.u8.set(hexBytes(bytes), num(a));
  load(cpu, v.words.map(num), i.pc !== undefined ? num(i.pc) : DEFAULT_PC);
  for (const [n, val] of Object.entries(i.gpr ?? {})) cpu.gpr[Number(n)] = num(val);
  if (i.cr !== undefined) cpu.setCR(num(i.cr));
  if (i.xer !== undefined) cpu.setXER(num(i.xer));
  if (i.lr !== undefined) cpu.st[S.LR] = num(i.lr);
  if (i.ctr !== undefined) cpu.st[S.CTR] = num(i.ctr);
  if (i.msr !== undefined) cpu.setMsr(num(i.msr));
  for (const [n, val] of Object.entries(i.spr ?? {})) cpu.spr[Number(n)] = num(val);
  for (const [n, val] of Object.entries(i.fpr ?? {})) setFpr(cpu, Number(n), val);
  if (i.fpscr !== undefined) cpu.fpu.fpscr = num(i.fpscr);
  if (i.resv !== undefined && i.resv !== null) {
    cpu.st[S.RESV] = 1;
    cpu.st[S.RESV_EA] = num(i.resv);
  }
  return cpu;
}

/** Runs one vector; returns the list of mismatches (empty when it passes). */
export function runVector(v: Vector): string[] {
  const cpu = setup(v);
  cpu.step();
  return check(v, cpu);
}

export function check(v: Vector, cpu: Cpu): string[] {
  const bad: string[] = [];
  const i = v.init, e = v.expect;
  const und = e.undefined ?? {};
  const cmp = (what: string, got: string, want: string) => {
    if (got !== want) bad.push(`${what}: got ${got}, want ${want}`);
  };
  const h32 = (s: string | undefined, dflt = 0) => hex32(s !== undefined ? num(s) : dflt);

  cmp("pc", hex32(cpu.pc), hex32(e.pc !== undefined ? num(e.pc) : (i.pc !== undefined ? num(i.pc) : DEFAULT_PC) + 4));
  const undefGpr = new Set(und.gpr ?? []);
  for (let n = 0; n < 32; n++) {
    if (undefGpr.has(n)) continue;
    const want = e.gpr?.[n] ?? i.gpr?.[n];
    cmp(`r${n}`, hex32(cpu.gpr[n]!), h32(want));
  }
  const crMask = ~(und.cr !== undefined ? num(und.cr) : 0) >>> 0;
  cmp("cr", hex32(cpu.getCR() & crMask), hex32(num(e.cr ?? i.cr ?? "0") & crMask));
  cmp("xer", hex32(cpu.getXER()), h32(e.xer ?? i.xer));
  cmp("lr", hex32(cpu.st[S.LR]!), h32(e.lr ?? i.lr));
  cmp("ctr", hex32(cpu.st[S.CTR]!), h32(e.ctr ?? i.ctr));
  cmp("msr", hex32(cpu.msr), h32(e.msr ?? i.msr));
  const fpscrMask = ~(und.fpscr !== undefined ? num(und.fpscr) : 0) >>> 0;
  cmp("fpscr", hex32(cpu.fpu.fpscr & fpscrMask), hex32(num(e.fpscr ?? i.fpscr ?? "0") & fpscrMask));
  const undefFpr = new Set(und.fpr ?? []), undefHi = new Set(und.fprHi ?? []);
  for (let n = 0; n < 32; n++) {
    if (undefFpr.has(n)) continue;
    const want = "0x" + (e.fpr?.[n] ?? i.fpr?.[n] ?? "0").replace(/^0x/, "").padStart(16, "0").toLowerCase();
    const got = getFpr(cpu, n);
    if (undefHi.has(n)) cmp(`f${n}[32:63]`, got.slice(-8), want.slice(-8));
    else cmp(`f${n}`, got, want);
  }
  const wantSpr = new Map<number, string>();
  for (const [n, val] of Object.entries(i.spr ?? {})) wantSpr.set(Number(n), val);
  for (const n of SAVE_SPRS) if (!wantSpr.has(n)) wantSpr.set(n, "0x0");
  for (const [n, val] of Object.entries(e.spr ?? {})) wantSpr.set(Number(n), val);
  if (e.srr0 !== undefined) wantSpr.set(26, e.srr0);
  if (e.srr1 !== undefined) wantSpr.set(27, e.srr1);
  if (e.dear !== undefined) wantSpr.set(61, e.dear);
  if (e.esr !== undefined) wantSpr.set(62, e.esr);
  for (const [n, val] of wantSpr) cmp(`spr${n}`, hex32(cpu.spr[n]!), h32(val));

  // reservation: compared when the vector names it in init or expect
  if (e.resv !== undefined || i.resv !== undefined) {
    const want = e.resv !== undefined ? e.resv : i.resv;
    const got = cpu.st[S.RESV] !== 0 ? hex32(cpu.st[S.RESV_EA]!) : null;
    if (got !== (want === null || want === undefined ? null : hex32(num(want)))) {
      bad.push(`reservation: got ${got}, want ${want}`);
    }
  }

  // memory: every byte of the named ranges, plus 32 bytes either side, must be as expected
  const wantMem = new Map<number, number>();
  for (const src of [i.mem ?? {}, e.mem ?? {}]) {
    for (const [a, bytes] of Object.entries(src)) hexBytes(bytes).forEach((b, k) => wantMem.set(num(a) + k, b));
  }
  const addrs = [...wantMem.keys()];
  if (addrs.length > 0) {
    const lo = Math.max(0, Math.min(...addrs) - 32), hi = Math.min(cpu.mem.ramSize, Math.max(...addrs) + 33);
    const code = i.pc !== undefined ? num(i.pc) : DEFAULT_PC;
    for (let a = lo; a < hi; a++) {
      if (a >= code && a < code + 4 * v.words.length) continue;
      const want = wantMem.get(a) ?? 0;
      const got = cpu.mem.u8[a]!;
      if (got !== want) bad.push(`mem[${hex32(a)}]: got ${got.toString(16)}, want ${want.toString(16)}`);
    }
  }
  return bad;
}

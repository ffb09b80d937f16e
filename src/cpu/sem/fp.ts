/**
 * Floating-point semantics: loads/stores move bits (an sNaN stays signalling), arithmetic goes
 * through the exact FPU model (cpu/fpu), Rc=1 copies FPSCR[FX,FEX,VX,OX] into CR1, and an
 * enabled exception (FPSCR[FEX] with MSR[FE0|FE1]) raises the precise Program interrupt.
 */

import { S, MSR } from "../state.ts";
import { IDX as TLB_IDX, raz, type Emit, type Sem, type SemTable } from "./emit.ts";

type Form = "d" | "du" | "x" | "xu";
function ea(e: Emit, form: Form): string {
  switch (form) {
    case "d": return `(${raz(e.f.ra)} + ${e.f.d}) | 0`;
    case "du": return `(r[${e.f.ra}] + ${e.f.d}) | 0`;
    case "x": return `(${raz(e.f.ra)} + r[${e.f.rb}]) | 0`;
    case "xu": return `(r[${e.f.ra}] + r[${e.f.rb}]) | 0`;
  }
}
const upd = (e: Emit, f: Form) => (f === "du" || f === "xu" ? `r[${e.f.ra}] = ea;` : "");
const IDX = TLB_IDX("ea"); // the software-TLB slot, as for the integer accesses

// FPR i's words in fw: low word at 2i, high word at 2i+1.
const hiW = (i: string | number) => `fw[(${i} << 1) | 1]`;
const loW = (i: string | number) => `fw[${i} << 1]`;

function lfs(f: Form): Sem {
  return (e) =>
    `{ const ea = ${ea(e, f)}; const v = rtag[${IDX}] === (ea & -4093) ? dv.getInt32((ea + radd[${IDX}]) | 0) : (${e.sync}mem.slowLdF32(ea, ${e.pc}));` +
    `fpu.lfs(${e.f.frt}, v); ${upd(e, f)} }`;
}
function lfd(f: Form): Sem {
  return (e) =>
    `{ const ea = ${ea(e, f)};` +
    `if (rtag[${IDX}] === (ea & -4089)) { const o = (ea + radd[${IDX}]) | 0; ${hiW(e.f.frt)} = dv.getInt32(o); ${loW(e.f.frt)} = dv.getInt32(o + 4); }` +
    `else { const hi = (${e.sync}mem.slowLdF64(ea, ${e.pc})); ${hiW(e.f.frt)} = hi; ${loW(e.f.frt)} = mem.lo; } ${upd(e, f)} }`;
}
function stfs(f: Form): Sem {
  return (e) =>
    `{ const ea = ${ea(e, f)}; const v = fpu.stfs(${e.f.frs});` +
    `if (wtag[${IDX}] === (ea & -4093)) dv.setInt32((ea + wadd[${IDX}]) | 0, v); else (${e.sync}mem.slowStF32(ea, v, ${e.pc})); ${upd(e, f)} }`;
}
function stfd(f: Form): Sem {
  return (e) =>
    `{ const ea = ${ea(e, f)};` +
    `if (wtag[${IDX}] === (ea & -4089)) { const o = (ea + wadd[${IDX}]) | 0; dv.setInt32(o, ${hiW(e.f.frs)}); dv.setInt32(o + 4, ${loW(e.f.frs)}); }` +
    `else (${e.sync}mem.slowStF64(ea, ${hiW(e.f.frs)}, ${loW(e.f.frs)}, ${e.pc})); ${upd(e, f)} }`;
}

/** CR1 <- FPSCR[0:3] for Rc=1, then the precise enabled-exception check. */
function after(e: Emit, canRaise: boolean): string {
  let s = e.spec.rc ? `cr[1] = fpu.fpscr >>> 28;` : "";
  if (canRaise) s += `if ((fpu.fpscr & 0x40000000) !== 0 && (st[${S.MSR}] & ${MSR.FE0 | MSR.FE1}) !== 0) (${e.sync}cpu.fpEnabled(${e.pc}));`;
  return s;
}

const op = (call: (e: Emit) => string, canRaise = true): Sem => (e) => call(e) + after(e, canRaise);
const tab = (e: Emit) => e.f.frt; // the target FPR

export const FP: SemTable = {
  lfs: lfs("d"), lfsu: lfs("du"), lfsx: lfs("x"), lfsux: lfs("xu"),
  lfd: lfd("d"), lfdu: lfd("du"), lfdx: lfd("x"), lfdux: lfd("xu"),
  stfs: stfs("d"), stfsu: stfs("du"), stfsx: stfs("x"), stfsux: stfs("xu"),
  stfd: stfd("d"), stfdu: stfd("du"), stfdx: stfd("x"), stfdux: stfd("xu"),
  stfiwx: (e) =>
    `{ const ea = ${ea(e, "x")}; const v = ${loW(e.f.frs)};` +
    `if (wtag[${IDX}] === (ea & -4093)) dv.setInt32((ea + wadd[${IDX}]) | 0, v); else (${e.sync}mem.slowStF32(ea, v, ${e.pc})); }`,

  fadd: op((e) => `fpu.fadd(${tab(e)}, ${e.f.fra}, ${e.f.frb});`),
  fadds: op((e) => `fpu.fadds(${tab(e)}, ${e.f.fra}, ${e.f.frb});`),
  fsub: op((e) => `fpu.fsub(${tab(e)}, ${e.f.fra}, ${e.f.frb});`),
  fsubs: op((e) => `fpu.fsubs(${tab(e)}, ${e.f.fra}, ${e.f.frb});`),
  fmul: op((e) => `fpu.fmul(${tab(e)}, ${e.f.fra}, ${e.f.frc});`),
  fmuls: op((e) => `fpu.fmuls(${tab(e)}, ${e.f.fra}, ${e.f.frc});`),
  fdiv: op((e) => `fpu.fdiv(${tab(e)}, ${e.f.fra}, ${e.f.frb});`),
  fdivs: op((e) => `fpu.fdivs(${tab(e)}, ${e.f.fra}, ${e.f.frb});`),
  fmadd: op((e) => `fpu.fmadd(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fmadds: op((e) => `fpu.fmadds(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fmsub: op((e) => `fpu.fmsub(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fmsubs: op((e) => `fpu.fmsubs(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fnmadd: op((e) => `fpu.fnmadd(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fnmadds: op((e) => `fpu.fnmadds(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fnmsub: op((e) => `fpu.fnmsub(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fnmsubs: op((e) => `fpu.fnmsubs(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`),
  fsqrt: op((e) => `fpu.fsqrt(${tab(e)}, ${e.f.frb});`),
  fsqrts: op((e) => `fpu.fsqrts(${tab(e)}, ${e.f.frb});`),
  fres: op((e) => `fpu.fres(${tab(e)}, ${e.f.frb});`),
  frsqrte: op((e) => `fpu.frsqrte(${tab(e)}, ${e.f.frb});`),
  frsp: op((e) => `fpu.frsp(${tab(e)}, ${e.f.frb});`),
  fctiw: op((e) => `fpu.fctiw(${tab(e)}, ${e.f.frb});`),
  fctiwz: op((e) => `fpu.fctiwz(${tab(e)}, ${e.f.frb});`),
  fsel: op((e) => `fpu.fsel(${tab(e)}, ${e.f.fra}, ${e.f.frc}, ${e.f.frb});`, false),
  fabs: op((e) => `fpu.fabs(${tab(e)}, ${e.f.frb});`, false),
  fnabs: op((e) => `fpu.fnabs(${tab(e)}, ${e.f.frb});`, false),
  fneg: op((e) => `fpu.fneg(${tab(e)}, ${e.f.frb});`, false),
  fmr: op((e) => `fpu.fmr(${tab(e)}, ${e.f.frb});`, false),
  fcmpu: op((e) => `cr[${e.f.bf}] = fpu.fcmpu(${e.f.fra}, ${e.f.frb});`),
  fcmpo: op((e) => `cr[${e.f.bf}] = fpu.fcmpo(${e.f.fra}, ${e.f.frb});`),
  mffs: op((e) => `fpu.mffs(${tab(e)});`, false),
  mtfsf: op((e) => `fpu.mtfsf(${e.f.flm}, ${e.f.frb});`),
  mtfsfi: op((e) => `fpu.mtfsfi(${e.f.bf}, ${e.f.u});`),
  mtfsb0: op((e) => `fpu.mtfsb0(${e.f.bt});`),
  mtfsb1: op((e) => `fpu.mtfsb1(${e.f.bt});`),
  mcrfs: op((e) => `cr[${e.f.bf}] = fpu.mcrfs(${e.f.bfa});`, false),
};

/**
 * MMIO emulation: a guest load or store whose page the guest maps to a non-RAM address traps as
 * a data TLB miss (no shadow entry is ever made for it) and is completed here against the device
 * model. All integer load/store forms are handled, including byte-reversed and update forms, with
 * architectural EA semantics (KVM 2.6.29 wrote the guest-physical address into RA for D-form
 * updates and stbux updated RS: both fixed here). Other instructions touching a device (lmw/stmw,
 * strings, lwarx/stwcx., dcbz, FP loads/stores) could not be emulated by KVM either: the VM stops.
 */

import { decodeExec as decode } from "../isa/exec.ts";
import { field } from "../isa/types.ts";
import { S } from "../cpu/state.ts";
import { EmulationFailure } from "./emulate.ts";
import { MCSR_DRB, MCSR_DWB, MCSR_MCS } from "../cpu/memory.ts";
import type { Vcpu } from "./vcpu.ts";

interface Form { size: 1 | 2 | 4; store: boolean; signed?: boolean; reversed?: boolean; update?: boolean }

const FORMS: Record<string, Form> = {
  lbz: { size: 1, store: false }, lbzu: { size: 1, store: false, update: true }, lbzx: { size: 1, store: false }, lbzux: { size: 1, store: false, update: true },
  lhz: { size: 2, store: false }, lhzu: { size: 2, store: false, update: true }, lhzx: { size: 2, store: false }, lhzux: { size: 2, store: false, update: true },
  lha: { size: 2, store: false, signed: true }, lhau: { size: 2, store: false, signed: true, update: true },
  lhax: { size: 2, store: false, signed: true }, lhaux: { size: 2, store: false, signed: true, update: true },
  lwz: { size: 4, store: false }, lwzu: { size: 4, store: false, update: true }, lwzx: { size: 4, store: false }, lwzux: { size: 4, store: false, update: true },
  stb: { size: 1, store: true }, stbu: { size: 1, store: true, update: true }, stbx: { size: 1, store: true }, stbux: { size: 1, store: true, update: true },
  sth: { size: 2, store: true }, sthu: { size: 2, store: true, update: true }, sthx: { size: 2, store: true }, sthux: { size: 2, store: true, update: true },
  stw: { size: 4, store: true }, stwu: { size: 4, store: true, update: true }, stwx: { size: 4, store: true }, stwux: { size: 4, store: true, update: true },
  lhbrx: { size: 2, store: false, reversed: true }, lwbrx: { size: 4, store: false, reversed: true },
  sthbrx: { size: 2, store: true, reversed: true }, stwbrx: { size: 4, store: true, reversed: true },
};

function swap(v: number, size: number): number {
  if (size === 2) return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
  if (size === 4) return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff);
  return v;
}

/**
 * Completes the access of `insn` at guest-physical `gpa` (EA `ea`); advances PC. `littleEndian`:
 * the guest maps the page with E=1, so the bytes go the other way round (as the core does).
 */
export function emulateMmio(v: Vcpu, pc: number, insn: number, ea: number, gpa: number, littleEndian = false): void {
  const spec = decode(insn);
  const form = spec ? FORMS[spec.base] : undefined;
  if (!spec || !form) throw new EmulationFailure(`MMIO access at 0x${gpa.toString(16)} by an instruction KVM cannot emulate`, insn);
  const r = v.cpu.gpr;
  if (form.store) {
    let val = r[field(insn, "rs")]!;
    if (form.size === 1) val &= 0xff; else if (form.size === 2) val &= 0xffff;
    if ((form.reversed === true) !== littleEndian) val = swap(val, form.size);
    if (!v.dm.mmioWrite(gpa, form.size, val)) { v.machineCheck(MCSR_MCS | MCSR_DWB, pc, gpa); return; }
  } else {
    let val = v.dm.mmioRead(gpa, form.size);
    if (val === null) { v.machineCheck(MCSR_MCS | MCSR_DRB, pc, gpa); return; }
    if ((form.reversed === true) !== littleEndian) val = swap(val, form.size);
    if (form.signed) val = (val << 16) >> 16;
    r[field(insn, "rt")] = val;
  }
  if (form.update) r[field(insn, "ra")] = ea;
  v.cpu.st[S.PC] = (pc + 4) | 0;
  v.retire(spec);
}

/**
 * Processor control: MSR, SPRs, DCRs, TLB management, interrupt returns, sc, synchronisation.
 * The privilege check for Flag.Priv instructions is emitted by the engine; SPR privilege is
 * decided by number at run time in Cpu.mfspr/mtspr. Instructions that change the context
 * (MSR, TLB, timers, interrupt sources) end the run slice so the owner re-checks interrupts.
 */

import { S, MSR } from "../state.ts";
import { raise, raz, type Emit, type SemTable } from "./emit.ts";
import { ESR } from "../interrupts.ts";

const { LR, CTR } = S;

/**
 * The privileged-SPR check (SPR number bit 0x10 at MSR[PR]=1) ahead of Cpu.mfspr/mtspr, which
 * make it too: done here, a guest kernel's SPR access traps without a throw (Emit.fault).
 */
function sprPriv(e: Emit): string {
  if (e.fault === undefined) return "";
  if (typeof e.f.spr === "number" && (e.f.spr & 0x10) === 0) return "";
  return `if ((${e.f.spr} & 16) !== 0 && (st[${S.MSR}] & ${MSR.PR}) !== 0) ` +
    raise(e.sync, e.fault, `cpu.recordProgram(${e.pc}, ${ESR.PPR})`, "");
}

export const SYSTEM: SemTable = {
  mfmsr: (e) => `r[${e.f.rt}] = st[${S.MSR}];`,
  mtmsr: (e) => `cpu.setMsr(r[${e.f.rs}]); ${e.stop}`,
  wrtee: (e) => `cpu.setMsr((st[${S.MSR}] & ${~MSR.EE}) | (r[${e.f.rs}] & ${MSR.EE})); ${e.stop}`,
  wrteei: (e) => `cpu.setMsr((st[${S.MSR}] & ${~MSR.EE}) | (${e.f.e} ? ${MSR.EE} : 0)); ${e.stop}`,

  mfspr: (e) => sprPriv(e) +
    `r[${e.f.rt}] = ${e.f.spr} === 8 ? st[${LR}] : ${e.f.spr} === 9 ? st[${CTR}] : (${e.sync}cpu.mfspr(${e.f.spr}, ${e.pc}));`,
  mtspr: (e) => sprPriv(e) +
    `if (${e.f.spr} === 8) st[${LR}] = r[${e.f.rs}]; else if (${e.f.spr} === 9) st[${CTR}] = r[${e.f.rs}];` +
    `else if ((${e.sync}cpu.mtspr(${e.f.spr}, r[${e.f.rs}], ${e.pc}))) { ${e.stop} }`,
  mfdcr: (e) => `r[${e.f.rt}] = cpu.mfdcr(${e.f.dcrn}, ${e.pc});`,
  mtdcr: (e) => `cpu.mtdcr(${e.f.dcrn}, r[${e.f.rs}], ${e.pc}); ${e.stop}`,

  rfi: (e) => `{ const t = cpu.rfi(); ${e.stop} ${e.next} = t; }`,
  rfci: (e) => `{ const t = cpu.rfci(); ${e.stop} ${e.next} = t; }`,
  rfmci: (e) => `{ const t = cpu.rfmci(); ${e.stop} ${e.next} = t; }`,
  sc: (e) => raise(e.sync, e.fault, `cpu.recordSystemCall(${e.pc})`, `cpu.systemCall(${e.pc})`),

  tlbwe: (e) => `cpu.tlbwe(r[${e.f.rs}], r[${e.f.ra}], ${e.f.ws}, ${e.pc}); ${e.stop}`,
  tlbre: (e) => `r[${e.f.rt}] = cpu.tlbre(r[${e.f.ra}], ${e.f.ws}, ${e.pc});`,
  // tlbsx: RT is undefined on a miss; like QEMU and KVM we write -1.
  tlbsx: (e) =>
    `{ const i = cpu.tlbsx((${raz(e.f.ra)} + r[${e.f.rb}]) | 0); r[${e.f.rt}] = i;` +
    (e.spec.rc ? `cr[0] = (i >= 0 ? 2 : 0) | st[${S.SO}];` : "") + `}`,
  tlbsync: () => ``,

  isync: (e) => `cpu.isync(); ${e.stop}`,
  msync: () => ``,
  mbar: () => ``,
};

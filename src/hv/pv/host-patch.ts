/**
 * The seed's prototype: the hypervisor rewrites a trapping instruction of the guest kernel into
 * a load or store on the donated page, at the first trap of that site, so each site traps at most
 * once (kvm440.md 6.4). Patched: mfspr/mtspr of SPRG1-3, ESR and DEAR, and mfmsr; not mtmsr,
 * SRR0/1 or SPRG0 (the prototype left them alone).
 *
 * Safety rules: only traps from guest supervisor mode (user code never runs kernel text); the
 * word in guest memory must still be the instruction that trapped (the core's `lastInsn`: a site
 * the guest rewrote meanwhile is left alone); compiled copies of the word are dropped
 * (Cpu.invalidateCode) before the guest runs again.
 */

import { SPR } from "../../cpu/spr.ts";
import { PAGE, pageDisplacement } from "./abi.ts";

const LWZ = 0x80000000, STW = 0x90000000;

/** Page field of each SPR the prototype patched. */
const FIELD = new Map<number, number>([
  [SPR.SPRG1, PAGE.SPRG1], [SPR.SPRG2, PAGE.SPRG2], [SPR.SPRG3, PAGE.SPRG3], [SPR.ESR, PAGE.ESR], [SPR.DEAR, PAGE.DAR],
]);

/** SPR number of an mfspr/mtspr word (the field's two halves are swapped). */
export const sprOf = (insn: number): number => ((insn >>> 16) & 0x1f) | (((insn >>> 11) & 0x1f) << 5);

/** The load/store replacing `insn`, or null when the prototype does not patch it. */
export function hostPatchReplacement(insn: number): number | null {
  if (insn >>> 26 !== 31) return null;
  const xo = (insn >>> 1) & 0x3ff, reg = (insn >>> 21) & 31;
  if (xo === 83 && ((insn >>> 11) & 0x3ff) === 0) return (LWZ | (reg << 21) | pageDisplacement(PAGE.MSR)) >>> 0; // mfmsr
  if (xo !== 339 && xo !== 467) return null;
  const field = FIELD.get(sprOf(insn));
  if (field === undefined) return null;
  return ((xo === 339 ? LWZ : STW) | (reg << 21) | pageDisplacement(field)) >>> 0;
}

/** One rewritten instruction. */
export interface PatchedSite {
  /** Guest effective address (kernel text). */
  ea: number;
  /** Guest-physical address of the word. */
  pa: number;
  original: number;
  replacement: number;
}

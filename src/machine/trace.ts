/**
 * Per-instruction CPU state dumps in QEMU's `-d cpu` layout for the PPC 440 (what
 * `qemu-system-ppc -M bamboo -singlestep -d nochain,cpu` writes before each instruction), so a
 * trace of hv440 diffs line by line against QEMU's. Registers QEMU prints that a 440 does not
 * have (HID0, EPCR, SPRG8, EPR, MCAR, PID1/2, SVR, LPCR, VRSAVE) print as zero. `HF`, `iidx`
 * and `didx` are QEMU-internal (hflags, MMU indices): hv440 prints its own MMU context there and
 * `normalizeTrace` masks them, with TB/DECR (clock-dependent), before diffing.
 */

import type { Cpu } from "../cpu/cpu.ts";
import { SPR } from "../cpu/spr.ts";
import { MSR, S } from "../cpu/state.ts";

const h8 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
const h16 = (v: number) => (v >>> 0).toString(16).padStart(16, "0");

export function qemuCpuDump(cpu: Cpu, dec: number): string {
  const st = cpu.st, spr = cpu.spr, r = cpu.gpr;
  const msr = st[S.MSR]!;
  const tb = cpu.timebase;
  const lines: string[] = [];
  lines.push(`NIP ${h8(st[S.PC]!)}   LR ${h8(st[S.LR]!)} CTR ${h8(st[S.CTR]!)} XER ${h8(cpu.getXER())} CPU#0`);
  const pr = (msr & MSR.PR) !== 0 ? 1 : 0;
  lines.push(`MSR ${h8(msr)} HID0 00000000  HF ${h8(0)} iidx ${((msr >>> 5) & 1) * 2 + pr} didx ${((msr >>> 4) & 1) * 2 + pr}`);
  lines.push(`TB ${h8(Math.floor(tb / 2 ** 32))} ${h8(tb % 2 ** 32)} DECR ${dec >>> 0}`);
  for (let i = 0; i < 32; i += 4) {
    lines.push(`GPR${String(i).padStart(2, "0")} ${h16(r[i]!)} ${h16(r[i + 1]!)} ${h16(r[i + 2]!)} ${h16(r[i + 3]!)}`);
  }
  const flags = Array.from({ length: 8 }, (_, i) => {
    const f = cpu.cr[i]!;
    return ` ${f & 8 ? "L" : f & 4 ? "G" : f & 2 ? "E" : "-"}${f & 1 ? "O" : " "}`;
  }).join("");
  lines.push(`CR ${h8(cpu.getCR())}  [${flags} ]             RES ${h8(st[S.RESV] ? st[S.RESV_EA]! : -1)}`);
  lines.push(` SRR0 ${h8(spr[SPR.SRR0]!)}  SRR1 ${h8(spr[SPR.SRR1]!)}    PVR ${h8(spr[SPR.PVR]!)} VRSAVE 00000000`);
  lines.push(`SPRG0 ${h8(spr[SPR.SPRG0]!)} SPRG1 ${h8(spr[SPR.SPRG1]!)}  SPRG2 ${h8(spr[SPR.SPRG2]!)}  SPRG3 ${h8(spr[SPR.SPRG3]!)}`);
  lines.push(`SPRG4 ${h8(spr[SPR.SPRG4]!)} SPRG5 ${h8(spr[SPR.SPRG5]!)}  SPRG6 ${h8(spr[SPR.SPRG6]!)}  SPRG7 ${h8(spr[SPR.SPRG7]!)}`);
  lines.push(`CSRR0 ${h8(spr[SPR.CSRR0]!)} CSRR1 ${h8(spr[SPR.CSRR1]!)} MCSRR0 ${h8(spr[SPR.MCSRR0]!)} MCSRR1 ${h8(spr[SPR.MCSRR1]!)}`);
  lines.push(`  TCR ${h8(spr[SPR.TCR]!)}   TSR ${h8(spr[SPR.TSR]!)}    ESR ${h8(spr[SPR.ESR]!)}   DEAR ${h8(spr[SPR.DEAR]!)}`);
  lines.push(`  PIR ${h8(spr[SPR.PIR]!)} DECAR ${h8(spr[SPR.DECAR]!)}   IVPR ${h8(spr[SPR.IVPR]!)}   EPCR 00000000`);
  lines.push(` MCSR ${h8(spr[SPR.MCSR]!)} SPRG8 00000000    EPR 00000000`);
  lines.push(` MCAR 00000000  PID1 00000000   PID2 00000000    SVR 00000000`);
  lines.push(` LPCR 00000000`);
  return lines.join("\n") + "\n";
}

/** Masks what legitimately differs between two emulators' traces (clock, internal flags). */
export function normalizeTrace(text: string): string {
  return text
    .replace(/^TB .*$/gm, "TB <masked>")
    .replace(/ HF [0-9a-f]{8} iidx \d+ didx \d+$/gm, " HF <masked>");
}

/**
 * Emulation of every privileged 440 instruction the guest kernel executes (it runs at MSR[PR]=1,
 * so each one traps with ESR[PPR]), against the vCPU's virtual state. Exit subtypes follow the
 * seed's tables (design.md section 3). Where KVM never emulated an instruction (tlbre, dccci,
 * rfci, rfmci, dcread, icread, tw) or got it wrong, this does what the manual says.
 */

import { decodeExec as decode } from "../isa/exec.ts";
import { ESR } from "../cpu/interrupts.ts";
import { SPR, SPR_ACCESS } from "../cpu/spr.ts";
import { MSR, S } from "../cpu/state.ts";
import { TLB0, TLB2 } from "../cpu/mmu.ts";
import { Exit } from "./exits.ts";
import type { InsnSpec } from "../isa/types.ts";
import { Prio } from "./guest-irq.ts";
import type { Vcpu } from "./vcpu.ts";

/** The hypervisor cannot emulate the instruction: the VM stops with a KVM-style report. */
export class EmulationFailure extends Error {
  constructor(message: string, readonly insn: number) {
    super(message);
  }
}

/** SPRs KVM emulated generically (row EMULINST); the 440 core SPRs get EMUL_MTSPR/MFSPR. */
const GENERIC_SPRS = new Set<number>([SPR.SRR0, SPR.SRR1, SPR.SPRG0, SPR.SPRG1, SPR.SPRG2, SPR.SPRG3, SPR.PVR, SPR.TBLW, SPR.TBUW, SPR.DEC]);
/** SPRs the guest timer model owns. */
const TIMER_SPRS = new Set<number>([SPR.DEC, SPR.DECAR, SPR.TCR, SPR.TSR]);
/**
 * Privileged SPRs the 440 implements, from the core's own table (UM table 10-2): anything else
 * is an illegal-instruction program interrupt, as on bare metal.
 */
const PRIV_SPRS = new Set<number>(Array.from({ length: 1024 }, (_, n) => n).filter((n) => (n & 0x10) !== 0 && SPR_ACCESS[n] !== 0));
/** Read-only ones (PIR, PVR, RSTCFG, the cache debug registers): writes are ignored. */
const READ_ONLY = 2;

function mfspr(v: Vcpu, n: number): number {
  const s = v.vspr;
  v.setType(GENERIC_SPRS.has(n) ? Exit.EMULINST : Exit.EMUL_MFSPR);
  switch (n) {
    case SPR.DEC: return v.gtimers.readDec() | 0;
    case SPR.TSR: v.gtimers.update(); return s[n]!;
    case SPR.TBLW: return v.cpu.timebase % 2 ** 32 | 0;
    case SPR.TBUW: return Math.floor(v.cpu.timebase / 2 ** 32) | 0;
    case SPR.PIR: return v.id;
    default: return s[n]!;
  }
}

/** Returns false when the write asks the VM to stop (DBCR0 reset request). */
function mtspr(v: Vcpu, n: number, val: number): void {
  const s = v.vspr;
  v.setType(GENERIC_SPRS.has(n) ? Exit.EMULINST : Exit.EMUL_MTSPR);
  if (SPR_ACCESS[n] === READ_ONLY) return;
  if (TIMER_SPRS.has(n)) {
    v.loopDirty = true; // the guest timers' next event moves
    v.gtimers.write({ cycles: v.cpu.cycles, tbOffset: v.cpu.tbOffset, timebase: v.cpu.timebase, spr: s }, n, val);
    return;
  }
  switch (n) {
    case SPR.PID:
      if ((s[n]! & 0xff) !== (val & 0xff)) v.shadow.dropProcessSlots();
      s[n] = val & 0xff;
      return;
    case SPR.IVPR: s[n] = val & 0xffff0000; return;
    case SPR.MMUCR: s[n] = val & 0x017f00ff; return;
    case SPR.TBLW: case SPR.TBUW: {
      v.loopDirty = true;
      // The guest reads the real timebase without trapping, so its writes go to the real one
      // (KVM ignored them; our host keeps its own time in core cycles, which a write does not move).
      const cpu = v.cpu;
      v.gtimers.beforeTbWrite();
      cpu.timebase = n === SPR.TBLW ? Math.floor(cpu.timebase / 2 ** 32) * 2 ** 32 + (val >>> 0)
        : (val >>> 0) * 2 ** 32 + (cpu.timebase % 2 ** 32);
      v.gtimers.tbWritten();
      return;
    }
    case SPR.DBSR: case SPR.MCSR: s[n] = s[n]! & ~val; return;
    case SPR.SPRG4: case SPR.SPRG5: case SPR.SPRG6: case SPR.SPRG7:
      s[n] = val;
      v.cpu.spr[n] = val; // guest user code reads them natively through SPRG4R-7R
      return;
    case SPR.DBCR0:
      s[n] = val;
      if ((val & 0x30000000) !== 0) v.requestStop({ kind: "reset", resetKind: (val >>> 28) & 3 });
      return;
    default:
      if (n >= SPR.IVOR0 && n <= SPR.IVOR15) { s[n] = val & 0xfff0; return; }
      s[n] = val;
  }
}

/** The 440 CPR0 indirect DCRs are served "in kernel" like KVM did (row EMULINST). */
const IN_KERNEL_DCRS = new Set([0x0c, 0x0d]);

export function emulate(v: Vcpu, pc: number, insn: number): void {
  const spec = decode(insn);
  const queued = v.queuedMask();
  emulateSpec(v, pc, insn, spec);
  // completed (not turned into an interrupt for the guest): the instruction retires
  if (spec && v.queuedMask() === queued) v.retire(spec);
}

/** Instruction fields (the table's bit positions; SPR/DCR numbers un-swapped), without closures: this is the hot path of every exit. */
const RT = (w: number) => (w >>> 21) & 31;
const RA = (w: number) => (w >>> 16) & 31;
const RB = (w: number) => (w >>> 11) & 31;
const SPRN = (w: number) => (((w >>> 11) & 31) << 5) | ((w >>> 16) & 31);
const WS = RB;
const E = (w: number) => (w >>> 15) & 1;

function illegal(v: Vcpu): void {
  v.queue(Prio.PROGRAM, ESR.PIL);
}

function emulateSpec(v: Vcpu, pc: number, insn: number, spec: InsnSpec | undefined): void {
  const cpu = v.cpu, r = cpu.gpr, s = v.vspr, st = cpu.st, npc = (pc + 4) | 0;
  if (!spec) { illegal(v); return; } // not a 440 instruction: the guest gets what bare metal gives
  switch (spec.base) {
    case "mfmsr": v.setType(Exit.EMUL_MFMSR); r[RT(insn)] = v.vmsr; st[S.PC] = npc; return;
    case "mtmsr": v.setType(Exit.EMUL_MTMSR); st[S.PC] = npc; v.setGuestMsr(r[RT(insn)]!); return;
    case "wrtee": v.setType(Exit.EMUL_CORE); v.vmsr = (v.vmsr & ~MSR.EE) | (r[RT(insn)]! & MSR.EE); st[S.PC] = npc; return;
    case "wrteei": v.setType(Exit.EMUL_CORE); v.vmsr = (v.vmsr & ~MSR.EE) | (E(insn) ? MSR.EE : 0); st[S.PC] = npc; return;
    case "rfi":
      v.setType(Exit.EMUL_RFI);
      st[S.PC] = s[SPR.SRR0]! & -4;
      v.setGuestMsr(s[SPR.SRR1]!);
      return;
    case "rfci":
      v.setType(Exit.EMUL_RFI);
      st[S.PC] = s[SPR.CSRR0]! & -4;
      v.setGuestMsr(s[SPR.CSRR1]!);
      return;
    case "rfmci":
      v.setType(Exit.EMUL_RFI);
      st[S.PC] = s[SPR.MCSRR0]! & -4;
      v.setGuestMsr(s[SPR.MCSRR1]!);
      return;
    case "mfspr": {
      const n = SPRN(insn);
      if (!PRIV_SPRS.has(n)) { illegal(v); return; }
      r[RT(insn)] = mfspr(v, n);
      st[S.PC] = npc;
      return;
    }
    case "mtspr": {
      const n = SPRN(insn);
      if (!PRIV_SPRS.has(n)) { illegal(v); return; }
      mtspr(v, n, r[RT(insn)]!);
      st[S.PC] = npc;
      return;
    }
    case "mfdcr": {
      const n = SPRN(insn);
      v.loopDirty = true; // the device model
      v.setType(IN_KERNEL_DCRS.has(n) ? Exit.EMULINST : Exit.DCR);
      const val = v.dm.dcrRead(n);
      if (val === undefined) { illegal(v); return; }
      r[RT(insn)] = val;
      st[S.PC] = npc;
      return;
    }
    case "mtdcr": {
      const n = SPRN(insn);
      v.loopDirty = true;
      v.setType(IN_KERNEL_DCRS.has(n) ? Exit.EMULINST : Exit.DCR);
      if (!v.dm.dcrWrite(n, r[RT(insn)]!)) { illegal(v); return; }
      st[S.PC] = npc;
      return;
    }
    case "tlbwe": {
      v.setType(Exit.EMUL_TLBWE);
      const ws = WS(insn), idx = r[RA(insn)]! & 63;
      if (ws > 2) { illegal(v); return; }
      if (v.gtlb.valid(idx)) v.shadow.dropGuestEntry(idx);
      v.gtlb.writeWord(idx, ws, r[RT(insn)]!, s[SPR.MMUCR]!);
      // KVM maps the first page of a now-usable entry eagerly (kvm440.md 3.5 step 4)
      const w0 = v.gtlb.word0[idx]!;
      const gpa = v.gtlb.realAddress(idx, v.gtlb.pageEa(idx));
      const sameAs = ((v.vmsr >>> 5) & 1) === ((v.vmsr >>> 4) & 1);
      if ((w0 & TLB0.V) !== 0 && ((w0 >>> 8) & 1) === ((v.vmsr >>> 5) & 1) && gpa < v.dm.ramSize && sameAs) {
        v.shadow.map(v.gtlb, idx, v.gtlb.pageEa(idx), gpa, v.guestSupervisor);
      }
      st[S.PC] = npc;
      return;
    }
    case "tlbre": {
      v.setType(Exit.EMULINST);
      const ws = WS(insn), idx = r[RA(insn)]! & 63;
      if (ws > 2) { illegal(v); return; }
      if (ws === 0) s[SPR.MMUCR] = (s[SPR.MMUCR]! & ~0xff) | v.gtlb.tid[idx]!;
      r[RT(insn)] = v.gtlb.readWord(idx, ws);
      st[S.PC] = npc;
      return;
    }
    case "tlbsx": {
      v.setType(Exit.EMUL_TLBSX);
      const ra = RA(insn);
      const ea = ((ra === 0 ? 0 : r[ra]!) + r[RB(insn)]!) | 0;
      const i = v.gtlb.search(ea, s[SPR.MMUCR]!);
      r[RT(insn)] = i;
      if (spec.rc) cpu.cr[0] = (i >= 0 ? 2 : 0) | cpu.st[S.SO]!;
      st[S.PC] = npc;
      return;
    }
    case "iccci":
      v.cpu.icbi(-1); // drops compiled code, as the bare core's iccci does
      v.setType(Exit.EMULINST);
      st[S.PC] = npc;
      return;
    case "tlbsync": case "dccci":
      v.setType(Exit.EMULINST);
      st[S.PC] = npc;
      return;
    case "dcbi": {
      // no caches: a no-op, but it translates like a store (the guest may take a TLB miss, or a
      // data storage interrupt where it may not write)
      v.setType(Exit.EMULINST);
      const ra = RA(insn);
      const ea = ((ra === 0 ? 0 : r[ra]!) + r[RB(insn)]!) | 0;
      const g = v.gtlb.find(ea, (v.vmsr >>> 4) & 1, s[SPR.PID]! & 0xff);
      if (g < 0) { v.queue(Prio.DTLB, ESR.ST, ea); return; }
      if ((v.gtlb.word2[g]! & TLB2.SW) === 0) { v.queue(Prio.DSI, ESR.ST, ea); return; }
      st[S.PC] = npc;
      return;
    }
    case "dcread":
      v.setType(Exit.EMULINST);
      r[RT(insn)] = 0;
      s[SPR.DCDBTRL] = 0;
      s[SPR.DCDBTRH] = 0;
      st[S.PC] = npc;
      return;
    case "icread":
      v.setType(Exit.EMULINST);
      s[SPR.ICDBTRL] = 0;
      s[SPR.ICDBTRH] = 0;
      s[SPR.ICDBDR] = 0;
      st[S.PC] = npc;
      return;
    default:
      throw new EmulationFailure(`cannot emulate ${spec.mnemonic}`, insn);
  }
}

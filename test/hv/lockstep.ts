// Runs a short instruction sequence twice — on the bare board and as a guest kernel under the
// hypervisor with the `ideal` profile (exits cost nothing, so even the timebase agrees) — and
// returns what the program can see: GPRs, CR, the interrupt it took (if any) and, under the
// hypervisor, the row of every exit. The central property of trap-and-emulate, one instruction
// at a time.
import { BambooBoard } from "../../src/machine/bamboo.ts";
import { Machine, type StopReason } from "../../src/machine/machine.ts";
import { EXIT_NAMES, type ExitName } from "../../src/hv/exits.ts";
import { loadProfile } from "../../src/hv/profile.ts";
import type { ElfImage } from "../../src/util/elf.ts";
import { enc, type Fields } from "../cpu/vectors/encode.ts";

export type Insn = [mnemonic: string, fields?: Fields] | number;

/** r22: IVOR number of the interrupt taken (-1: none); r20 SRR0, r21 ESR, r23 DEAR, r24 SRR1. */
export const FAULT_REGS = { ivor: 22, srr0: 20, esr: 21, dear: 23, srr1: 24 } as const;

export const MAIN = 0x1000;
const VECTORS = 0x100;
const FAULT = 0x300;

const w = (i: Insn): number => (typeof i === "number" ? i >>> 0 : enc(i[0], i[1] ?? {}));

/** `reg := value` as lis/ori. */
export function li32(rt: number, value: number): Insn[] {
  return [["addis", { rt, ra: 0, si: (value >> 16) }], ["ori", { ra: rt, rs: rt, ui: value & 0xffff }]];
}

const STOP: Insn[] = [...li32(31, 0x10000000), ["mtspr", { spr: 308, rs: 31 }]]; // DBCR0[RST] = core reset

export interface Seen {
  gpr: number[];
  cr: number;
  stop: StopReason | null;
  /** Virt only: the final row of each exit, in order. */
  exits: ExitName[];
  /** Virt only: guest PCs of the exits. */
  exitPcs: number[];
  machine: Machine;
}

function program(body: readonly Insn[]): Map<number, number[]> {
  const at = new Map<number, number[]>();
  for (let n = 0; n < 16; n++) {
    const a = VECTORS + 0x10 * n;
    at.set(a, [w(["addi", { rt: 22, ra: 0, si: n }]), w(["b", { li: FAULT - (a + 4) }])]);
  }
  at.set(FAULT, [
    ["mfspr", { rt: 20, spr: 26 }], ["mfspr", { rt: 21, spr: 62 }], ["mfspr", { rt: 23, spr: 61 }],
    ["mfspr", { rt: 24, spr: 27 }], ...STOP,
  ].map((i) => w(i as Insn)));
  const pro: Insn[] = [["addi", { rt: 22, ra: 0, si: -1 }], ["addi", { rt: 0, ra: 0, si: 0 }], ["mtspr", { spr: 63, rs: 0 }]];
  for (let n = 0; n < 16; n++) pro.push(["addi", { rt: 5, ra: 0, si: VECTORS + 0x10 * n }], ["mtspr", { spr: 400 + n, rs: 5 }]);
  at.set(MAIN, [...pro, ...body, ...STOP].map(w));
  return at;
}

/** Address of body instruction i (after the prologue). */
export const bodyPc = (i: number): number => MAIN + 4 * (3 + 32 + i);

export function run(mode: "bare" | "virt", body: readonly Insn[], regs: Record<number, number> = {}): Seen {
  const board = new BambooBoard({ ramBytes: 32 << 20 });
  // a zero-filled segment over the code (the loader wants the entry inside one); code is written after
  const seg = { type: 1, offset: 0, vaddr: 0, paddr: 0, filesz: 0, memsz: 0x4000, flags: 5, align: 4 };
  const img = { phdrs: [seg], entry: MAIN, bytes: new Uint8Array(0) } as unknown as ElfImage;
  const state = board.boot(img, "lockstep");
  for (const [a, words] of program(body)) words.forEach((x, i) => board.cpu.mem.dv.setUint32(a + 4 * i, x));
  const m = new Machine(board, state, {}, mode === "virt" ? { profile: loadProfile("ideal") } : undefined);
  const cpu = board.cpu;
  for (const [r, v] of Object.entries(regs)) cpu.gpr[Number(r)] = v;
  const exits: ExitName[] = [], exitPcs: number[] = [];
  if (m.vcpu) m.vcpu.onExit = (t, pc) => { exits.push(EXIT_NAMES[t]!); exitPcs.push(pc >>> 0); };
  m.maxInsns = 100_000;
  let stop: StopReason | null = null;
  while (!stop) stop = m.run(1e8);
  return { gpr: Array.from(cpu.gpr, (x) => x >>> 0), cr: cpu.getCR() >>> 0, stop, exits, exitPcs, machine: m };
}

export function both(body: readonly Insn[], regs: Record<number, number> = {}): { bare: Seen; virt: Seen } {
  return { bare: run("bare", body, regs), virt: run("virt", body, regs) };
}

/** The exits of body instruction i. */
export function exitsAt(s: Seen, i: number): ExitName[] {
  const pc = bodyPc(i);
  return s.exits.filter((_, k) => s.exitPcs[k] === pc);
}

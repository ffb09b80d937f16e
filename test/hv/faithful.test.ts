// The ten faithfulness facts of kvm440.md section 8, adapted to the seed's row names (design.md
// section 3), one describe block per fact. Where hv440 departs from KVM on purpose, the test
// says so and checks the departure.
import { describe, expect, it } from "vitest";
import { EXIT_NAMES, Exit } from "../../src/hv/exits.ts";
import { ExitStats } from "../../src/hv/stats.ts";
import { formatTimingFile } from "../../src/hv/timing-file.ts";
import { KvmDebugFs } from "../../src/hv/debugfs.ts";
import { Prio } from "../../src/hv/guest-irq.ts";
import { HWATER } from "../../src/hv/shadow.ts";
import { TLB0, TLB2, TlbArray } from "../../src/cpu/mmu.ts";
import { SPR } from "../../src/cpu/spr.ts";
import { MSR, S } from "../../src/cpu/state.ts";
import { bodyPc, both, exitsAt, FAULT_REGS, li32, run, type Insn, type Seen } from "./lockstep.ts";

const ESR_ST = 0x00800000;

/** The rows of KVM 2.6.29's enum as the seed names them, in order (kvm440.md 1.1). */
const SEED_ROWS = ["MMIO", "DCR", "SIGNAL", "ITLBREAL", "ITLBVIRT", "DTLBREAL", "DTLBVIRT", "SYSCALL", "ISI", "DSI",
  "EMULINST", "EMUL_WAIT", "EMUL_CORE", "EMUL_MTSPR", "EMUL_MFSPR", "EMUL_MTMSR", "EMUL_MFMSR", "EMUL_TLBSX",
  "EMUL_TLBWE", "EMUL_RFI", "DEC", "EXTINT"];

describe("fact 1: the raw file's header, rows and widths", () => {
  it("header, the seed's rows in KVM's order (EMUL_CORE in the wrtee slot), extensions, TIMEINGUEST last", () => {
    const lines = formatTimingFile(new ExitStats(667).snapshot()).split("\n");
    expect(lines[0]).toBe("type\tcount\tmin\tmax\tsum\tsum_squared");
    const names = lines.slice(1, -1).map((l) => l.split("\t")[0]!.trim());
    expect(names).toEqual([...EXIT_NAMES]);
    expect(names.filter((n) => SEED_ROWS.includes(n))).toEqual(SEED_ROWS);
    // the seed prototype's PV rows sit where its PV table has them
    expect(names.indexOf("DTLBPV")).toBe(names.indexOf("DTLBREAL") + 1);
    expect(names.indexOf("HCALL")).toBe(names.indexOf("SYSCALL") + 1);
    expect(names.at(-1)).toBe("TIMEINGUEST");
    // KVM's HALT row was never assigned (always 0); hv440 has no such row
    expect(names).not.toContain("HALT");
  });
});

describe("fact 2: an unused row", () => {
  it("prints min 4294967295 and zeros", () => {
    for (const l of formatTimingFile(new ExitStats(667).snapshot()).split("\n").slice(1, -1)) {
      expect(l.split("\t").slice(1).map((c) => c.trim())).toEqual(["0", "4294967295", "0", "0", "0"]);
    }
  });
});

describe("fact 3: the final type is charged; first cycle skipped; count(TIMEINGUEST) = sum of the others", () => {
  it("an MMIO access is MMIO, not EMULINST (the emulator's first guess)", () => {
    const v = run("virt", [["lbz", { rt: 3, ra: 9, d: 0 }]], { 9: 0xef600307 });
    expect(exitsAt(v, 0)).toEqual(["MMIO"]);
  });
  it("mtmsr with MSR[WE] is EMUL_WAIT, not EMUL_MTMSR", () => {
    const v = run("virt", [...li32(4, 2000), ["mtspr", { spr: 22, rs: 4 }], ...li32(4, 0x04000000), ["mtspr", { spr: 340, rs: 4 }],
      ...li32(4, 0x00049000), ["mtmsr", { rs: 4 }]]);
    expect(exitsAt(v, 8)).toEqual(["EMUL_WAIT"]);
    expect(v.gpr[FAULT_REGS.ivor]).toBe(10); // woken by the decrementer
  });
  it("the device model's kick overrides any type (SIGNAL), then the guest goes on", () => {
    const v = run("virt", [["mfmsr", { rt: 3 }]]);
    v.machine.vcpu!.kick();
    const stats = v.machine.vcpu!.stats;
    const before = stats.snapshot().rows[Exit.SIGNAL]!.count;
    // one more exit from the stopped guest: mfspr SPRG0 would be EMULINST; with the kick it is SIGNAL
    const cpu = v.machine.board.cpu;
    cpu.mem.dv.setUint32(0x2000, 0x7c7042a6); // mfspr r3, SPRG0
    cpu.mem.dv.setUint32(0x2004, 0x7c7042a6);
    cpu.st[S.PC] = 0x2000;
    cpu.halted = false;
    v.machine.vcpu!.stop = null;
    const seen: string[] = [];
    v.machine.vcpu!.onExit = (t) => seen.push(EXIT_NAMES[t]!);
    cpu.run(cpu.cycles + 30); // the core returns to its owner after each exit
    cpu.run(cpu.cycles + 30);
    expect(seen.slice(0, 2)).toEqual(["SIGNAL", "EMULINST"]);
    expect(stats.snapshot().rows[Exit.SIGNAL]!.count).toBe(before + 1);
  });
  it("the invariant and the skipped first cycle hold on every run (see exits.test.ts for the full guest)", () => {
    const v = run("virt", [["mfmsr", { rt: 3 }], ["wrteei", { e: 0 }], ["tlbsync"]]);
    const rows = v.machine.vcpu!.stats.snapshot().rows;
    const others = rows.slice(0, -1).reduce((a, r) => a + r.count, 0);
    expect(rows[Exit.TIMEINGUEST]!.count).toBe(others);
    expect(others).toBe(v.exits.length - 1); // every exit but the last, whose cycle is open
  });
});

describe("fact 4: clearing and units", () => {
  it("one byte 'c' clears, 'c\\n' is EINVAL; values are whole microseconds", () => {
    const s = new ExitStats(667);
    s.enter(0);
    s.exit(667);
    s.current = Exit.DEC;
    s.enter(667 + 54 * 667 + 666); // 54.998 us
    s.exit(100000);
    expect(s.snapshot().rows[Exit.DEC]!.sum).toBe(54);
    const fs = new KvmDebugFs(1, [s]);
    expect(() => fs.write("kvm/vm1_vcpu0_timing", Buffer.from("c\n"))).toThrow(expect.objectContaining({ errno: "EINVAL" }));
    expect(fs.write("kvm/vm1_vcpu0_timing", Buffer.from("c"))).toBe(1);
    expect(s.snapshot().rows[Exit.DEC]!.count).toBe(0);
  });
});

describe("fact 5: the guest TLB", () => {
  const t = new TlbArray();
  const V = TLB0.V, K4 = 1 << 4;
  t.set(3, 0x10000000 | V | K4, 0x00100000, 0x3f, 7);
  t.set(5, 0x10000000 | V | K4, 0x00200000, 0x3f, 0); // same page, TID 0: matches any PID
  t.set(9, 0x10000000 | V | K4 | TLB0.TS, 0x00300000, 0x3f, 0);
  it("has 64 entries, searched from index 0, first match wins", () => {
    expect(t.word0.length).toBe(64);
    expect(t.find(0x10000123, 0, 7)).toBe(3);
    expect(t.find(0x10000123, 0, 8)).toBe(5);
  });
  it("TID 0 matches any PID, TS must equal the address space", () => {
    expect(t.find(0x10000123, 0, 0)).toBe(5);
    expect(t.find(0x10000123, 1, 7)).toBe(9);
    expect(t.find(0x10001000, 0, 7)).toBe(-1);
  });
  it("tlbwe WS 0 takes the TID from MMUCR[STID]; tlbsx searches with MMUCR[STID] and [STS]", () => {
    const u = new TlbArray();
    u.writeWord(0, 0, 0x20000000 | V | K4, 0x0001002a); // STS 1, STID 0x2a
    expect(u.tid[0]).toBe(0x2a);
    u.writeWord(1, 0, 0x20000000 | V | K4 | TLB0.TS, 0x0001002a);
    expect(u.search(0x20000010, 0x0001002a)).toBe(1);
    expect(u.search(0x20000010, 0x0000002a)).toBe(0);
    expect(u.search(0x20000010, 0x0000002b)).toBe(-1);
  });
  it("tlbsx sets rT to the index or -1, and with Rc only CR0[EQ] (SO kept): see emulate.test.ts", () => {
    const { bare, virt } = both([["tlbsx.", { rt: 3, ra: 0, rb: 4 }], ["mfcr", { rt: 5 }]], { 4: 0x12345678 });
    expect(virt.gpr[3]).toBe(0);
    expect(virt.gpr[5]! >>> 28).toBe(0x2);
    expect(virt.gpr.slice(3, 6)).toEqual(bare.gpr.slice(3, 6));
  });
});

/** Guest-TLB programs: entry 1 (the upper 2 GiB) replaced by one entry at 0x90000000. */
const guestEntry = (idx: number, w0: number, w1: number, w2: number): Insn[] => [
  ["addi", { rt: 6, ra: 0, si: idx }], ...li32(9, w0), ["tlbwe", { rs: 9, ra: 6, ws: 0 }],
  ...li32(9, w1), ["tlbwe", { rs: 9, ra: 6, ws: 1 }], ...li32(9, w2), ["tlbwe", { rs: 9, ra: 6, ws: 2 }],
];

function shadowSlotsFor(v: Seen, ea: number): { slot: number; w0: number; w2: number; tid: number }[] {
  const vcpu = v.machine.vcpu!;
  const out = [];
  for (let s = 0; s <= HWATER; s++) {
    if (vcpu.shadow.origin[s]! < 0) continue;
    const a = vcpu.utlb.pageEa(s), b = a + vcpu.utlb.bytes(s);
    if (ea >= a && ea < b) out.push({ slot: s, w0: vcpu.utlb.word0[s]! >>> 0, w2: vcpu.utlb.word2[s]!, tid: vcpu.utlb.tid[s]! });
  }
  return out;
}

describe("fact 6: the miss decision tree", () => {
  it("no guest entry: DTLBREAL, reflected with DEAR and ESR[ST] for a store", () => {
    const body = [...guestEntry(1, 0, 0, 0), ...li32(7, 0x90000040), ["stw", { rs: 3, ra: 7, d: 0 }] as Insn];
    const { bare, virt } = both(body);
    expect(exitsAt(virt, 12)).toEqual(["DTLBREAL"]);
    expect(virt.gpr[FAULT_REGS.ivor]).toBe(13);
    expect(virt.gpr[FAULT_REGS.dear]).toBe(0x90000040);
    expect(virt.gpr[FAULT_REGS.esr]).toBe(ESR_ST);
    expect(virt.gpr).toEqual(bare.gpr);
  });
  it.each([[7, "16 MiB"], [9, "256 MiB"]])("a guest hit to RAM (SIZE %i, %s page) adds one 4 KiB shadow entry", (size) => {
    const body = [...guestEntry(1, 0x90000000 | TLB0.V | (size << 4), 0x00000000, 0x3f), ...li32(7, 0x90345678), ["lwz", { rt: 3, ra: 7, d: 0 }] as Insn];
    const v = run("virt", body);
    expect(exitsAt(v, 12)).toEqual(["DTLBVIRT"]);
    const slots = shadowSlotsFor(v, 0x90345678);
    expect(slots.length).toBe(1);
    expect((slots[0]!.w0 & 0xfffff000) >>> 0).toBe(0x90345000);
    expect((slots[0]!.w0 >>> 4) & 15).toBe(1); // 4 KiB
    expect(shadowSlotsFor(v, 0x90344ffc).length).toBe(0); // the neighbouring page is not mapped
  });
  it("a data hit to a non-RAM page is MMIO; an instruction hit is a machine check for the guest", () => {
    const v = run("virt", [["lbz", { rt: 3, ra: 9, d: 0 }]], { 9: 0xef600305 });
    expect(exitsAt(v, 0)).toEqual(["MMIO"]);
    const body = [...guestEntry(2, 0x90000000 | TLB0.V | (1 << 4), 0xe0000000, 0x3f), ...li32(7, 0x90000000), ["mtspr", { spr: 9, rs: 7 }] as Insn,
      ...li32(5, 0x1000), ["mtmsr", { rs: 5 }] as Insn, ["bcctr", { bo: 20, bi: 0 }] as Insn];
    const { bare, virt } = both(body);
    expect(virt.exits[virt.exitPcs.indexOf(0x90000000)]).toBe("ITLBVIRT");
    expect(virt.gpr[FAULT_REGS.ivor]).toBe(1);
    expect(virt.gpr).toEqual(bare.gpr);
  });
});

describe("fact 7: shadow entries", () => {
  const body = [...li32(7, 0x00400000), ["lwz", { rt: 3, ra: 7, d: 0 }] as Insn];
  it("TS forced to 1, guest TID 0 becomes shadow TID 1, supervisor permissions copied into user ones", () => {
    const v = run("virt", body);
    const [s] = shadowSlotsFor(v, 0x00400000);
    expect(s!.w0 & TLB0.TS).toBe(TLB0.TS);
    expect(s!.tid).toBe(1);
    // guest SX|SW|SR (the boot entry) -> UX|UW|UR for the deprivileged guest kernel, S* for the host
    expect(s!.w2 & 0x3f).toBe(0x3f);
  });
  it("the hardware PID is the shadow PID: 1 while the guest kernel runs, 0 in guest user mode", () => {
    const v = run("virt", [["mfmsr", { rt: 3 }]]);
    const cpu = v.machine.board.cpu;
    expect(cpu.spr[SPR.PID]).toBe(1);
    expect(cpu.st[S.MSR]! & (MSR.PR | MSR.IS | MSR.DS)).toBe(MSR.PR | MSR.IS | MSR.DS);
    const vcpu = v.machine.vcpu!;
    vcpu.vmsr = MSR.PR | MSR.ME;
    vcpu.stop = null;
    vcpu.enter();
    expect(cpu.spr[SPR.PID]).toBe(0);
  });
  it("victims go round-robin over slots 0..62; slot 63 (the host's bolted entry) is never one", () => {
    // touch 70 pages of the guest's 2 GiB boot entry
    const touch: Insn[] = [...li32(7, 0x00400000), ["addi", { rt: 8, ra: 0, si: 70 }], ["mtspr", { spr: 9, rs: 8 }],
      ["lwz", { rt: 3, ra: 7, d: 0 }], ["addis", { rt: 7, ra: 7, si: 1 }], ["bc", { bo: 16, bi: 0, bd: -8 }]];
    const v = run("virt", touch);
    const vcpu = v.machine.vcpu!;
    expect(vcpu.utlb.word0[63]! >>> 0).toBe((0xc0000000 | TLB0.V | (9 << 4)) >>> 0);
    expect(vcpu.shadow.usedSlots()).toBe(HWATER + 1);
    expect(shadowSlotsFor(v, 0x00400000)).toEqual([]); // the oldest ones were evicted
    expect(shadowSlotsFor(v, 0x00400000 + 69 * 0x10000).length).toBe(1);
  });
  it("a guest tlbwe over a valid entry drops its shadow slots; a PID change drops the TID-0 slots", () => {
    // guest entry 1 with TID 0x2a (from MMUCR[STID]) under PID 0x2a: a process page, shadow TID 0
    // (64 KiB: tlbwe maps its first 4 KiB at once, the load touches the second)
    const g = 0x90000000 | TLB0.V | (3 << 4);
    const setup: Insn[] = [...li32(9, 0x2a), ["mtspr", { spr: 946, rs: 9 }], ["mtspr", { spr: 48, rs: 9 }],
      ...guestEntry(1, g, 0x00500000, 0x3f), ...li32(7, 0x90001000), ["lwz", { rt: 3, ra: 7, d: 0 }]];
    const mapped = run("virt", setup);
    expect(exitsAt(mapped, 16)).toEqual(["DTLBVIRT"]);
    expect(shadowSlotsFor(mapped, 0x90001000).map((x) => x.tid)).toEqual([0]);
    const rewritten = run("virt", [...setup, ...li32(9, 0x1f), ["tlbwe", { rs: 9, ra: 6, ws: 2 }]]);
    expect(shadowSlotsFor(rewritten, 0x90001000)).toEqual([]);
    const samePid = run("virt", [...setup, ...li32(9, 0x2a), ["mtspr", { spr: 48, rs: 9 }]]);
    expect(shadowSlotsFor(samePid, 0x90001000).length).toBe(1); // no change, no flush
    const newPid = run("virt", [...setup, ...li32(9, 0x2b), ["mtspr", { spr: 48, rs: 9 }]]);
    expect(shadowSlotsFor(newPid, 0x90001000)).toEqual([]);
    expect(exitsAt(newPid, 19)).toEqual(["EMUL_MTSPR"]);
  });
});

describe("fact 8: interrupt delivery", () => {
  function vcpuAfter(): Seen {
    return run("virt", [...li32(4, 0x12340000), ["mtspr", { spr: 63, rs: 4 }], ...li32(4, 0x5670), ["mtspr", { spr: 408, rs: 4 }],
      ["mtspr", { spr: 413, rs: 4 }], ["mtspr", { spr: 404, rs: 4 }], ["mtspr", { spr: 400, rs: 4 }]]);
  }
  it("picks the lowest-numbered allowed pending priority, one per entry, vectors to IVPR | IVOR", () => {
    const v = vcpuAfter(), vcpu = v.machine.vcpu!, cpu = v.machine.board.cpu;
    vcpu.stop = null;
    vcpu.vmsr = MSR.EE | MSR.CE | MSR.ME;
    vcpu.queue(Prio.DTLB, ESR_ST, 0x1234);
    vcpu.queue(Prio.SYSCALL);
    vcpu.extLevel = true;
    cpu.st[S.PC] = 0x3000;
    vcpu.enter();
    expect(cpu.st[S.PC]! >>> 0).toBe(0x12345670); // OR, not a sum
    expect(vcpu.vspr[SPR.SRR0]).toBe(0x3000);
    expect(vcpu.vspr[SPR.SRR1]).toBe(MSR.EE | MSR.CE | MSR.ME);
    expect(vcpu.vmsr).toBe(MSR.CE | MSR.ME); // non-critical class: MSR &= CE|ME|DE
    expect(vcpu.queuedMask()).toBe(1 << Prio.DTLB); // one per entry
    vcpu.enter();
    expect(vcpu.vspr[SPR.DEAR]).toBe(0x1234);
    expect(vcpu.vspr[SPR.ESR]).toBe(ESR_ST);
    expect(vcpu.queuedMask()).toBe(0);
    // EXTERNAL is EE-gated: masked now, so it waits, and does not block a critical input
    vcpu.critLevel = true;
    const pc = cpu.st[S.PC]!;
    vcpu.enter();
    expect(vcpu.vspr[SPR.CSRR0]).toBe(pc); // critical class: CSRR0/1 (KVM used SRR0/1, a bug)
    expect(vcpu.vmsr).toBe(MSR.ME);
    vcpu.critLevel = false;
    vcpu.enter(); // nothing allowed: EXTERNAL still waits for EE
    expect(vcpu.vmsr).toBe(MSR.ME);
  });
  it("reset IVPR is the bare core's (KVM poisoned it with 0x55550000; a guest sees what bare metal gives)", () => {
    const { bare, virt } = both([["mfspr", { rt: 3, spr: 63 }]]);
    expect(virt.gpr[3]).toBe(bare.gpr[3]);
  });
});

describe("fact 9: who is emulated, who is reflected", () => {
  it("guest kernel: subtypes; tlbsync/iccci/dcbi EMULINST no-ops; CPR0 in kernel, other DCRs to the device model", () => {
    const v = run("virt", [["mfmsr", { rt: 3 }], ["mtmsr", { rs: 3 }], ["wrteei", { e: 0 }], ["mfspr", { rt: 4, spr: 48 }],
      ["mtspr", { spr: 48, rs: 4 }], ["tlbsx", { rt: 5, ra: 0, rb: 4 }], ["tlbsync"], ["iccci", { ra: 0, rb: 0 }], ["dcbi", { ra: 0, rb: 1 }],
      ["mfdcr", { rt: 6, dcrn: 0x0d }], ["mfdcr", { rt: 6, dcrn: 0xc0 }]]);
    expect([...Array(11).keys()].map((i) => exitsAt(v, i)[0])).toEqual(["EMUL_MFMSR", "EMUL_MTMSR", "EMUL_CORE", "EMUL_MFSPR",
      "EMUL_MTSPR", "EMUL_TLBSX", "EMULINST", "EMULINST", "EMULINST", "EMULINST", "DCR"]);
  });
  it("guest user: the same instructions are program interrupts, counted USR_PR_INST (all of them: emulate.test.ts)", () => {
    const toUser: Insn[] = [["addi", { rt: 9, ra: 0, si: 0x3f }], ["addi", { rt: 6, ra: 0, si: 0 }], ["tlbwe", { rs: 9, ra: 6, ws: 2 }],
      ...li32(4, bodyPc(11)), ["mtspr", { spr: 26, rs: 4 }], ...li32(5, 0x5000), ["mtspr", { spr: 27, rs: 5 }], ["rfi"],
      ["ori", { rs: 0, ra: 0, ui: 0 }], ["mfmsr", { rt: 3 }]];
    const v = run("virt", toUser);
    expect(exitsAt(v, 11).filter((t) => t !== "ITLBVIRT")).toEqual(["USR_PR_INST"]);
  });
});

// fact 10 (the magic page, hypercalls) belongs to --pv: src/hv/pv and its own tests.

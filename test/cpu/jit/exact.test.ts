/**
 * The block compiler's exactness mechanisms, one by one, against the interpreter:
 * budgets that end inside blocks (the rest is interpreted), precise exceptions in the middle of
 * compiled blocks (counters, SRR0, DEAR), code reached through two virtual addresses, the cache
 * size limit, stores to data that shares a page with compiled code, and the statistics.
 */
import { describe, expect, it } from "vitest";
import { assemble, cpuWith, li32, state, type Line, type Program } from "./asm.ts";
import { Cpu, type ExceptionSink } from "../../../src/cpu/cpu.ts";
import { FAULT, Ivor } from "../../../src/cpu/interrupts.ts";
import { Access, type Memory, type Translator } from "../../../src/cpu/memory.ts";
import { S } from "../../../src/cpu/state.ts";
import { ENGINES, type Engine } from "../../../src/cpu/jit/engine.ts";

const BASE = 0x1000;

/** A loop mixing instruction classes of different cost (1, 4, 33 cycles), loads and stores. */
const MIXED: Line[] = [
  ...li32(1, 0x8000),
  ["addi", { rt: 3, ra: 0, si: 7 }],
  ["addi", { rt: 4, ra: 0, si: 3 }],
  { label: "loop" },
  ["mullw", { rt: 5, ra: 3, rb: 4 }],
  ["divw", { rt: 6, ra: 5, rb: 4 }],
  ["stw", { rs: 6, ra: 1, d: 0 }],
  ["lwz", { rt: 7, ra: 1, d: 0 }],
  ["add", { rt: 3, ra: 3, rb: 7 }],
  ["rlwinm", { ra: 3, rs: 3, sh: 1, mb: 1, me: 31 }],
  ["addi", { rt: 1, ra: 1, si: 4 }],
  ["andi.", { ra: 1, rs: 1, ui: 0x8ffc }],
  ["bc", { bo: 4, bi: 2, target: "loop" }], // bne
  ["addi", { rt: 9, ra: 9, si: 1 }],
  ["b", { target: "loop" }],
];

describe("budgets", () => {
  it("runs that end at every possible cycle inside blocks and regions stop where the interpreter stops", () => {
    const p = assemble(BASE, MIXED);
    const cpus = new Map<Engine, Cpu>(ENGINES.map((e) => [e, cpuWith(p, e)]));
    let x = 12345;
    for (let i = 0; i < 3000; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const step = 1 + ((x >>> 0) % (i < 1500 ? 50 : 400));
      const limit = cpus.get("interp")!.cycles + step;
      const results = new Map<Engine, number>();
      for (const [e, cpu] of cpus) results.set(e, cpu.run(limit));
      const want = state(cpus.get("interp")!);
      for (const e of ["jit", "check"] as const) {
        expect(results.get(e)).toBe(results.get("interp"));
        expect(state(cpus.get(e)!)).toEqual(want);
      }
    }
    const jit = cpus.get("jit")!.jit!;
    expect(jit.stats.regions).toBeGreaterThan(0);
    expect(jit.stats.tails).toBeGreaterThan(0);
  });

  it("step() executes exactly one (compiled) instruction", () => {
    const p = assemble(BASE, MIXED);
    const a = cpuWith(p, "interp"), b = cpuWith(p, "jit");
    for (let i = 0; i < 500; i++) {
      a.step();
      b.step();
      expect(state(b)).toEqual(state(a));
    }
  });
});

/** EA -> PA by 4 KiB page; unmapped pages raise DTLB/ITLB misses like the 440. */
class PageMap implements Translator {
  readonly map = new Map<number, number>();
  translate(mem: Memory, ea: number, access: Access, pc: number, esrExtra: number): void {
    const pa = this.map.get(ea >>> 12);
    if (pa === undefined) {
      if (access === Access.Fetch) mem.exc.set(Ivor.InstTlb, pc, 0, false, 0, false);
      else mem.exc.set(Ivor.DataTlb, pc, (access === Access.Store ? 0x00800000 : 0) | esrExtra, true, ea | 0, true);
      throw FAULT;
    }
    mem.xPhys = pa * 4096 + (ea & 0xfff);
    mem.xAttr = 0;
  }
}

/** Records each exception (with the counters at that moment) and resumes after the faulting instruction. */
function recorder(log: unknown[]): ExceptionSink {
  return {
    exception(cpu) {
      const e = cpu.exc;
      log.push({ ivor: e.ivor, pc: e.pc, dear: e.dear, esr: e.esr, insns: cpu.insns, cycles: cpu.cycles, r3: cpu.gpr[3] });
      cpu.st[S.PC] = (e.pc + 4) | 0;
      return true;
    },
  };
}

function mappedCpu(p: Program, engine: Engine, pages: [number, number][]): { cpu: Cpu; log: unknown[] } {
  const t = new PageMap();
  for (const [ea, pa] of pages) t.map.set(ea, pa);
  const cpu = new Cpu({ ramSize: 1 << 20, engine, translator: t });
  p.words.forEach((w, i) => cpu.mem.dv.setUint32(t.map.get((p.base + 4 * i) >>> 12)! * 4096 + ((p.base + 4 * i) & 0xfff), w));
  cpu.st[S.PC] = p.base;
  const log: unknown[] = [];
  cpu.sink = recorder(log);
  return { cpu, log };
}

describe("precise exceptions", () => {
  it("a load that faults in the middle of a hot compiled block reports its own PC and exact counters", () => {
    // r1 walks through 8 mapped pages then into an unmapped one; every access there faults
    const p = assemble(0x10000, [
      ...li32(1, 0x20000),
      { label: "loop" },
      ["addi", { rt: 3, ra: 3, si: 1 }],
      ["lwz", { rt: 4, ra: 1, d: 0 }],
      ["addi", { rt: 1, ra: 1, si: 64 }],
      ["stw", { rs: 3, ra: 1, d: -4 }],
      ["mullw", { rt: 5, ra: 3, rb: 3 }],
      ["b", { target: "loop" }],
    ]);
    const pages: [number, number][] = [[0x10, 1]];
    for (let i = 0; i < 8; i++) pages.push([0x20 + i, 8 + i]);
    const runs = ENGINES.map((e) => {
      const { cpu, log } = mappedCpu(p, e, pages);
      for (let i = 0; i < 20; i++) cpu.run(cpu.cycles + 1111);
      return { e, state: state(cpu), log };
    });
    const ref = runs[0]!;
    expect(ref.log.length).toBeGreaterThan(10);
    expect(ref.log[0]).toMatchObject({ ivor: Ivor.DataTlb, pc: 0x10000 + 4 * 3, dear: 0x28000 });
    for (const r of runs.slice(1)) {
      expect(r.log, r.e).toEqual(ref.log);
      expect(r.state, r.e).toEqual(ref.state);
    }
  });

  it("an instruction fetch that faults when a block falls into an unmapped page reports that page's first address", () => {
    // code runs off the end of its page into an unmapped one
    const lines: Line[] = [];
    for (let i = 0; i < 1024; i++) lines.push(["addi", { rt: 3, ra: 3, si: 1 }]);
    const p = assemble(0x30000, lines);
    const runs = ENGINES.map((e) => {
      const { cpu, log } = mappedCpu(p, e, [[0x30, 4]]);
      cpu.sink = { exception(c) { log.push({ ivor: c.exc.ivor, pc: c.exc.pc, insns: c.insns, cycles: c.cycles }); c.st[S.PC] = 0x30000; return true; } };
      for (let i = 0; i < 10; i++) cpu.run(cpu.cycles + 3000);
      return { state: state(cpu), log };
    });
    expect(runs[0]!.log[0]).toEqual({ ivor: Ivor.InstTlb, pc: 0x31000, insns: 1024, cycles: 1024 });
    for (const r of runs.slice(1)) expect(r).toEqual(runs[0]);
  });
});

describe("the code cache", () => {
  it("code reached through two virtual addresses of one physical page runs with each address", () => {
    // EA pages 0x10 and 0x50 map to the same physical page; the code computes with its own
    // address (bl/mflr), and jumps between the two mappings
    const p = assemble(0x10000, [
      { label: "top" },
      ["bl", { target: "next" }],
      { label: "next" },
      ["mfspr", { rt: 4, spr: 8 }],
      ["add", { rt: 5, ra: 5, rb: 4 }],
      ["addi", { rt: 6, ra: 6, si: 1 }],
      ["andi.", { ra: 7, rs: 6, ui: 63 }],
      ["bc", { bo: 4, bi: 2, target: "top" }],
      // every 64 iterations switch mapping: xor the PC's page with 0x40 pages
      ...li32(8, 0x40000),
      ["xor", { ra: 4, rs: 4, rb: 8 }],
      ["addi", { rt: 4, ra: 4, si: -4 }], // back to `top` in the other mapping
      ["mtspr", { spr: 9, rs: 4 }],
      ["bcctr", { bo: 20, bi: 0 }],
    ]);
    const runs = ENGINES.map((e) => {
      const { cpu } = mappedCpu(p, e, [[0x10, 3], [0x50, 3]]);
      for (let i = 0; i < 30; i++) cpu.run(cpu.cycles + 997);
      return { e, state: state(cpu), jit: cpu.jit };
    });
    for (const r of runs.slice(1)) expect(r.state, r.e).toEqual(runs[0]!.state);
    expect(runs[1]!.jit!.stats.blocks).toBeGreaterThan(0);
  });

  it("stays under its size limit by evicting the least recently used pages", () => {
    // 24 pages, each a hot loop that ends by jumping to the next page
    const lines: Line[] = [];
    for (let pg = 0; pg < 24; pg++) {
      const base = 0x10000 + pg * 0x1000;
      const body: Line[] = [
        ["addi", { rt: 4, ra: 0, si: 300 }],
        ["mtspr", { spr: 9, rs: 4 }],
        { label: `l${pg}` },
        ["addi", { rt: 3, ra: 3, si: pg + 1 }],
        ["bc", { bo: 16, bi: 0, target: `l${pg}` }],
        ...li32(5, pg === 23 ? 0x10000 : base + 0x1000),
        ["mtspr", { spr: 9, rs: 5 }],
        ["bcctr", { bo: 20, bi: 0 }],
      ];
      lines.push(...body);
      // pad to the page end
      const used = body.filter((l) => !("label" in l)).length;
      for (let i = used; i < 1024; i++) lines.push({ word: 0 });
    }
    const p = assemble(0x10000, lines);
    const a = cpuWith(p, "interp"), b = cpuWith(p, "jit");
    b.jit!.opts = { ...b.jit!.opts, maxCodeBytes: 12_000 };
    for (let i = 0; i < 60; i++) {
      a.run(a.cycles + 5000);
      b.run(b.cycles + 5000);
      expect(b.jit!.cacheBytes).toBeLessThan(12_000 + 20_000); // at most one run's growth over the limit
    }
    expect(state(b)).toEqual(state(a));
    expect(b.jit!.stats.evictions).toBeGreaterThan(0);
  });

  it("data stores to a page that also holds compiled code are not taken for code changes", () => {
    const p = assemble(BASE, [
      ...li32(1, BASE + 0x800), // data in the code's page
      { label: "loop" },
      ["stw", { rs: 3, ra: 1, d: 0 }],
      ["lwz", { rt: 4, ra: 1, d: 0 }],
      ["addi", { rt: 3, ra: 4, si: 1 }],
      ["b", { target: "loop" }],
    ]);
    const a = cpuWith(p, "interp"), b = cpuWith(p, "jit");
    a.run(50_000);
    b.run(50_000);
    expect(state(b)).toEqual(state(a));
    expect(b.jit!.stats.invalidations).toBe(0);
    expect(b.jit!.stats.regions).toBeGreaterThan(0);
    expect(b.jit!.summary()).toMatch(/^jit: \d+ blocks, \d+ regions, 1 code pages, .* compile .* ms/);
  });
});

/**
 * Self-modifying code under every engine. Our semantics (documented in src/cpu/jit/jit.ts): a
 * store to an instruction takes effect for the very next execution of it, with or without
 * dcbst/icbi/isync - as a 440 whose I-cache line was evicted would behave, which real hardware
 * may do at any time; software that manages its caches correctly (store, dcbst, msync, icbi,
 * isync) gets what the architecture promises. Host-side rewrites (the hypervisor's paravirtual
 * patching, loaders, DMA) go through Cpu.invalidateCode / Memory.hostWrite.
 */
import { describe, expect, it } from "vitest";
import { assemble, cpuWith, li32, state, type Line } from "./asm.ts";
import { enc } from "../vectors/encode.ts";
import { ENGINES, type Engine } from "../../../src/cpu/jit/engine.ts";
import type { Cpu } from "../../../src/cpu/cpu.ts";

const BASE = 0x1000;
const ADD1 = enc("addi", { rt: 3, ra: 3, si: 1 });
const ADD2 = enc("addi", { rt: 3, ra: 3, si: 2 });

/**
 * Two passes over a hot loop of `iters` iterations of `addi r3,r3,1`; between them the program
 * rewrites that instruction into `addi r3,r3,2` (with or without icbi/isync), so r3 ends at
 * iters + 2*iters if the rewrite takes effect.
 */
function rewriteAfterUse(iters: number, sync: boolean): Line[] {
  return [
    ["addi", { rt: 3, ra: 0, si: 0 }],
    ["addi", { rt: 7, ra: 0, si: 0 }],
    ...li32(5, ADD2),
    { label: "pass" },
    ["addi", { rt: 4, ra: 0, si: iters }],
    ["mtspr", { spr: 9, rs: 4 }],
    { label: "loop" },
    ["addi", { rt: 3, ra: 3, si: 1 }],
    ["bc", { bo: 16, bi: 0, target: "loop" }], // bdnz
    ["addi", { rt: 7, ra: 7, si: 1 }],
    ["cmpi", { bf: 0, l: 0, ra: 7, si: 2 }],
    ["bc", { bo: 12, bi: 2, target: "done" }], // beq
    ["stw", { rs: 5, ra: 0, d: 0 /* patched below */ }],
    ...(sync ? [["addi", { rt: 6, ra: 0, si: 0 }], ["icbi", { ra: 0, rb: 6 }], ["isync", {}]] as Line[] : []),
    ["b", { target: "pass" }],
    { label: "done" },
    ["b", { target: "done" }],
  ];
}

function build(lines: Line[], patch?: (p: ReturnType<typeof assemble>) => void) {
  const p = assemble(BASE, lines);
  patch?.(p);
  return p;
}

function runAll(make: (e: Engine) => Cpu, cycles: number): Map<Engine, Cpu> {
  const out = new Map<Engine, Cpu>();
  for (const e of ENGINES) {
    const cpu = make(e);
    while (cpu.cycles < cycles) cpu.run(cycles);
    out.set(e, cpu);
  }
  return out;
}

describe("self-modifying code", () => {
  for (const sync of [true, false]) {
    it(`a rewrite of an instruction that already ran ${sync ? "with icbi+isync" : "without icbi/isync"} takes effect`, () => {
      const iters = 2000;
      const lines = rewriteAfterUse(iters, sync);
      const p = build(lines);
      // stw r5, loop(0): the word at label `loop`
      const stwAt = p.words.findIndex((w) => w === enc("stw", { rs: 5, ra: 0, d: 0 }));
      p.words[stwAt] = enc("stw", { rs: 5, ra: 0, d: p.labels.get("loop")! });
      if (sync) p.words[stwAt + 1] = enc("addi", { rt: 6, ra: 0, si: p.labels.get("loop")! });
      const res = runAll((e) => cpuWith(p, e), 40_000);
      for (const [e, cpu] of res) {
        expect(cpu.gpr[3], e).toBe(iters + 2 * iters);
        expect(cpu.pc, e).toBe(p.labels.get("done"));
      }
      const jit = res.get("jit")!;
      expect(jit.jit!.stats.blocks + jit.jit!.stats.regions).toBeGreaterThan(0);
      expect(jit.jit!.stats.invalidations).toBeGreaterThan(0);
      expect(state(jit)).toEqual(state(res.get("interp")!));
      expect(state(res.get("check")!)).toEqual(state(res.get("interp")!));
    });
  }

  it("a store to the next instruction of the same compiled block changes what runs next", () => {
    // loop: r5 alternates between ADD1 and ADD2 and is stored over `x`, two instructions ahead
    const lines: Line[] = [
      ["addi", { rt: 3, ra: 0, si: 0 }],
      ...li32(5, ADD1),
      ...li32(8, (ADD1 ^ ADD2) | 0),
      ["addi", { rt: 4, ra: 0, si: 500 }],
      ["mtspr", { spr: 9, rs: 4 }],
      { label: "loop" },
      ["xor", { ra: 5, rs: 5, rb: 8 }],
      ["stw", { rs: 5, ra: 0, d: 0 }], // -> x
      ["addi", { rt: 9, ra: 9, si: 1 }],
      { label: "x" },
      ["addi", { rt: 3, ra: 3, si: 1 }],
      ["bc", { bo: 16, bi: 0, target: "loop" }],
      { label: "done" },
      ["b", { target: "done" }],
    ];
    const p = build(lines);
    const at = p.words.findIndex((w) => w === enc("stw", { rs: 5, ra: 0, d: 0 }));
    p.words[at] = enc("stw", { rs: 5, ra: 0, d: p.labels.get("x")! });
    const res = runAll((e) => cpuWith(p, e), 20_000);
    // iterations alternate ADD2, ADD1, ...: 250 * 2 + 250 * 1
    for (const [e, cpu] of res) expect(cpu.gpr[3], e).toBe(750);
    expect(state(res.get("jit")!)).toEqual(state(res.get("interp")!));
    expect(state(res.get("check")!)).toEqual(state(res.get("interp")!));
  });

  it("a host-side rewrite through Cpu.invalidateCode takes effect at once (paravirtual patching)", () => {
    const lines: Line[] = [
      { label: "loop" },
      ["addi", { rt: 3, ra: 3, si: 1 }],
      ["b", { target: "loop" }],
    ];
    const p = build(lines);
    for (const e of ENGINES) {
      const cpu = cpuWith(p, e);
      cpu.run(20_000); // hot: compiled (block and region)
      expect(cpu.gpr[3]).toBe(10_000);
      if (e === "jit") expect(cpu.jit!.stats.regions).toBeGreaterThan(0);
      // patch `addi r3,r3,1` into `addi r3,r3,3` behind the core's back, as the hypervisor does
      cpu.mem.dv.setUint32(BASE, enc("addi", { rt: 3, ra: 3, si: 3 }));
      cpu.invalidateCode(BASE, 4);
      const before = cpu.gpr[3]!;
      cpu.run(cpu.cycles + 2000);
      expect(cpu.gpr[3]! - before, e).toBe(3000);
      // and through Memory.writeBytes (loaders, DMA)
      cpu.mem.writeBytes(BASE, Uint8Array.of(...bytes(enc("addi", { rt: 3, ra: 3, si: 5 }))));
      const before2 = cpu.gpr[3]!;
      cpu.run(cpu.cycles + 2000);
      expect(cpu.gpr[3]! - before2, e).toBe(5000);
    }
  });

  it("iccci drops all compiled code, icbi the line's", () => {
    const lines: Line[] = [
      { label: "loop" },
      ["addi", { rt: 3, ra: 3, si: 1 }],
      ["b", { target: "loop" }],
    ];
    const cpu = cpuWith(build(lines), "jit");
    cpu.run(20_000);
    expect(cpu.jit!.codePageCount).toBe(1);
    cpu.icbi(-1);
    expect(cpu.jit!.codePageCount).toBe(0);
    expect(cpu.jit!.stats.flushes).toBe(1);
  });
});

function bytes(w: number): number[] {
  return [(w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255];
}

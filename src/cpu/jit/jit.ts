/**
 * The block compiler's runtime: a code cache per physical page, the dispatcher that runs
 * compiled code (and the interpreter where code is cold or the budget is short), invalidation,
 * eviction and statistics. Source generation is in compile.ts.
 *
 * Tiers. A block start is interpreted (in units of exactly one block) until it has been entered
 * `blockThreshold` times, then compiled to a block function. When the compiled blocks of a page have run
 * `regionThreshold` times, the page gets a region function: every known block of the page, plus
 * what direct branches and fall-through reach from them, in one `for (;;) switch` loop (v86's
 * per-page modules; reference/perf.md section 4.4). A region returns to the dispatcher when
 * control leaves the page, reaches a block it does not contain, or the budget runs short.
 *
 * Cache key. Compiled code depends only on the instruction words and their virtual addresses
 * (the semantics take no MSR, PID or TLB state at compile time: privilege and FP checks are made
 * at run time), so it is kept per *physical* page together with the virtual page it was compiled
 * for. The translation context (MSR[PR/IS/DS], PID, the TLB) enters through the dispatcher's
 * instruction-fetch translation, made exactly where the interpreter makes it (on entering a page,
 * at the start of every run) through the same software fetch TLB, which is flushed on every
 * context or TLB change. So a TLB write or a PID switch costs no recompilation: a page mapped
 * again at the same virtual address keeps its code, and one reached through another virtual
 * address is recompiled for it.
 *
 * Invalidation (self-modifying code, loaders, DMA, the hypervisor's paravirtual patching):
 * a page with compiled code is kept out of the software TLB's write tags, so every store to it
 * takes the slow path, which reports the bytes written (Memory.onCodeWrite). If they overlap a
 * compiled instruction, all code of the page is dropped and the flag J[3] is raised; compiled
 * code tests it after every instruction that may store (or call out), and leaves at once with
 * exact counters, so the next instruction is fetched from memory as it is now. Host writers call
 * `Cpu.invalidateCode` (Memory.hostWrite). A page dropped too often is left to the interpreter.
 *
 * The 440 has no coherency between its data and instruction caches: architecturally a store to
 * an instruction takes effect for execution only after dcbst/icbi at that address and an isync
 * (UM "Instruction cache coherency"); without them the processor may execute either the old or
 * the new instruction, depending on what the I-cache holds. We always execute the new one - as if
 * the stale line had been evicted, which real hardware may do at any time - in both engines: the
 * interpreter fetches from memory every time and the compiled code is dropped at the store. This
 * is the safe choice: a program that manages its caches correctly behaves as on hardware, the
 * engines never disagree, and code written by DMA or by the host is never executed stale. icbi
 * and iccci therefore have nothing left to do for stores made by the guest; they still drop
 * compiled code for the line (iccci: everything), which covers host writers that did not report.
 *
 * Exactness. A unit (block, region block) runs only if the budget exceeds the cycles of all its
 * instructions but the last: exactly when the interpreter, which runs an instruction while the
 * budget is positive, would run all of it. Otherwise the rest of the run is interpreted. Units end
 * at every instruction the table marks EndsBlock (branches, privileged and context-synchronising
 * instructions, mtspr, traps, sc) and every instruction whose semantics stop the run or assign
 * the next PC, so MSR/PID/TLB/timer changes end the run exactly as in the interpreter.
 */

import { FAULT } from "../interrupts.ts";
import type { Cpu } from "../cpu.ts";
import { getInterpreter, RunResult, type Interp } from "../interp.ts";
import { H } from "../sem/helpers.ts";
import { S } from "../state.ts";
import {
  analyse, blockSource, extent, instantiate, MAX_BLOCK, preCycles, regionSource, scan, totalCycles,
  type Insn, type RegionBlock,
} from "./compile.ts";

type BlockFn = (left: number, n: number) => number;
type RegionFn = (pc: number, left: number, n: number) => number;

/**
 * One block start seen in a page: its extent, and its compiled function once it is hot. Until
 * then `insns` is empty and `n`/`cycles`/`pre` come from a cheap scan (`extent`).
 */
class BlockInfo {
  fn: BlockFn | null = null;
  count = 0;
  /** Virtual clock when `count` started (see HOT_WINDOW). */
  since = 0;
  /** Virtual clock at its last cold entry (see LOOP_GAP). */
  last = -1e15;
  insns: Insn[] = [];
  constructor(public n: number, public cycles: number, public pre: number) {}
}

/** The code cache of one physical page. */
class CodePage {
  /** Virtual page base (int32) the code was compiled for. */
  vbase: number;
  blocks: (BlockInfo | undefined)[] = new Array(1024).fill(undefined);
  region: RegionFn | null = null;
  /** Region entry points (word index -> 1). */
  entries = new Uint8Array(1024);
  /** Region block list (for statistics and the checker's reports). */
  regionBlocks: RegionBlock[] | null = null;
  /** Words covered by compiled code. */
  code = new Uint8Array(1024);
  hasCode = false;
  heat = 0;
  misses = 0;
  regionCompiles = 0;
  drops = 0;
  /** Source bytes of the code compiled for this page (the cache's size measure). */
  bytes = 0;
  lastUse = 0;
  /** Too much self-modification: interpret only. */
  noCompile = false;
  constructor(readonly ppn: number, vbase: number) {
    this.vbase = vbase;
  }
}

/**
 * One dispatch of a run, recorded for the lockstep checker's reports: a compiled block (its
 * unit), a region call (the region's blocks), a cold block or a tail run in the interpreter.
 */
export interface TraceEntry {
  kind: "block" | "region" | "interp" | "tail";
  pc: number;
  insns: readonly { insns: readonly Insn[] }[] | null;
}

export interface JitStats {
  /** Block functions compiled. */
  blocks: number;
  /** Region functions compiled (including recompilations with more blocks). */
  regions: number;
  /** Milliseconds spent generating source and in `new Function`. */
  compileMs: number;
  /** Source bytes generated. */
  sourceBytes: number;
  /** Code writes that dropped compiled code (self-modifying code, loaders, DMA, patching). */
  invalidations: number;
  /** Evictions of pages to keep the cache under its size limit. */
  evictions: number;
  /** Whole-cache flushes (iccci). */
  flushes: number;
  /** Blocks run in the interpreter because they were not hot yet. */
  coldUnits: number;
  /** Runs finished in the interpreter because the budget ended inside a block. */
  tails: number;
}

export interface JitOptions {
  blockThreshold: number;
  regionThreshold: number;
  /** Cache size limit in bytes of generated source (a proxy for V8's code and closures). */
  maxCodeBytes: number;
}

export const DEFAULT_JIT_OPTIONS: JitOptions = {
  blockThreshold: 64,
  regionThreshold: 1024,
  maxCodeBytes: 64 << 20,
};

/** Calls of compiled blocks a region lacks before it is compiled again (doubling each time). */
const REGION_MISSES = 64;
/** A block entered this often (interpreted or compiled) is an entry of its page's region. */
const REGION_ENTRY = 4;
/** Cycles a region may run per call (see the dispatcher). */
const REGION_SLICE = 1 << 18;
const MAX_REGION_COMPILES = 5;
/**
 * A block is compiled when it is entered `blockThreshold` times within this many cycles of the
 * virtual clock (its count restarts otherwise).
 */
const HOT_WINDOW = 1 << 16;
/** A cold block entered again within this many cycles is in a loop: interpreted alone, counted exactly. */
const LOOP_GAP = 512;
/** Cycles the interpreter runs per call in cold code (see `coldRun`). */
const COLD_CHUNK = 256;
const MAX_DROPS = 64;
/**
 * Source size of a region function (estimated from its blocks). TurboFan does not optimise
 * functions of more than 60 KB of bytecode (--max-optimized-bytecode-size), about as much
 * source; and its compile time grows faster than the size. Hot loops are far smaller.
 */
const MAX_REGION_SOURCE = 24_000;

const DUMMY = new CodePage(-1, 1);

let newest: Jit | null = null;
/** The block compiler created last in this process (the CLI's and benchmarks' statistics). */
export function lastJit(): Jit | null {
  return newest;
}

export class Jit {
  /**
   * Scratch shared with compiled code: J[0]/J[1] budget and count at a region's exit, J[3] code
   * invalidated, J[4]/J[5] cycles and instructions a block retired before an early exit, J[6] the
   * compiled function caught a FAULT (exc and the counters are published).
   */
  readonly J = new Int32Array(8);
  /** JF[0]: virtual clock + budget at the start of the run (cycles = JF[0] - left); JF[1]: insns then. */
  readonly JF = new Float64Array(2);
  readonly stats: JitStats = {
    blocks: 0, regions: 0, compileMs: 0, sourceBytes: 0, invalidations: 0, evictions: 0, flushes: 0,
    coldUnits: 0, tails: 0,
  };
  opts: JitOptions;
  /** Code pages by physical page number (looked up when execution enters a page). */
  private readonly pages = new Map<number, CodePage>();
  private readonly interp: Interp;
  private codeBytes = 0;
  private epoch = 0;
  private readonly stepCache = new Map<number, { pc: number; word: number; fn: BlockFn; cost: number }>();
  private lastPage = DUMMY;
  /** Debugging: sees every generated function's source. */
  onSource: ((kind: "block" | "region", src: string) => void) | null = null;
  /** Set by the checker: record every dispatch of a run (for divergence reports). */
  trace: TraceEntry[] | null = null;

  constructor(private readonly cpu: Cpu, opts: Partial<JitOptions> = {}) {
    this.opts = { ...DEFAULT_JIT_OPTIONS, ...opts };
    this.interp = getInterpreter();
    const mem = cpu.mem;
    const nPages = Math.ceil(mem.ramSize / 4096);
    mem.codePages = new Uint8Array(nPages);
    mem.onCodeWrite = (pa, len) => this.invalidate(pa, len);
    newest = this;
  }

  // ---------------------------------------------------------------- running

  /** Runs until the virtual clock reaches `limit` (as the interpreter does, RunResult alike). */
  run(limit: number): RunResult {
    if (this.codeBytes > this.opts.maxCodeBytes) this.evict();
    this.epoch++;
    try {
      return this.loop(limit);
    } catch (e) {
      if (e !== FAULT) throw e;
      // compiled code and the dispatcher publish exact counters before anything that may raise
      this.cpu.st[S.PC] = this.cpu.exc.pc;
      return RunResult.Fault;
    }
  }

  // No try/catch in here (see interp.ts).
  private loop(limit: number): RunResult {
    const cpu = this.cpu, st = cpu.st, mem = cpu.mem, J = this.J, JF = this.JF, trace = this.trace;
    const insns0 = cpu.insns;
    let left = Math.min(limit - cpu.cycles, 0x3fffffff) | 0;
    const end = cpu.cycles + left;
    JF[0] = end;
    JF[1] = insns0;
    J[3] = 0;
    let n = 0, pc = st[S.PC]! | 0, fbase = 1, fadd = 0, stopped = false;
    let page = DUMMY;
    const ctl = cpu.ctl;
    // the interpreter stops before its first instruction when a stop is already requested
    if (ctl[0] !== 0) return RunResult.Stopped;
    if ((pc & 3) !== 0) return this.interp(cpu, end);
    // The handler is here, not in a caller: a function that leaves by a throw never reaches
    // V8's tier-up check (taken at returns and loop back-edges), so with the catch outside, a
    // guest that traps every few instructions kept this loop in the baseline tier, and every
    // throw unwound through it (measured: 5x the host cost per exit).
    try {
    while (left > 0) {
      if ((pc & -4096) !== fbase) {
        cpu.cycles = end - left; // the fetch may raise (ITLB miss, ISI, machine check)
        cpu.insns = insns0 + n;
        fadd = mem.fetchAddend(pc);
        // code in a little-endian page (byte-reversed words) or a page smaller than 4 KiB is
        // left to the interpreter (rare: test programs)
        if (mem.fetchLE || mem.fetchSmall) return this.tail(pc, left, n, end, insns0);
        fbase = pc & -4096;
        page = this.page((((pc + fadd) | 0) >>> 12), fbase);
      }
      const idx = (pc >>> 2) & 1023;
      const region = page.region;
      if (region !== null) {
        if (page.entries[idx] !== 0) {
          if (trace !== null) trace.push({ kind: "region", pc, insns: page.regionBlocks });
          // A region runs at most REGION_SLICE cycles per call: V8 optimises a function that is
          // called (not only entered on-stack at a loop), and the tiers it goes through on the
          // way are left sooner. The region sees a smaller budget; JF[0] moves with it so that
          // its published clock (JF[0] - its budget) stays exact.
          const before = left, cap = left > REGION_SLICE ? REGION_SLICE : left;
          JF[0] = end - left + cap;
          const r = region(pc, cap, n);
          JF[0] = end;
          if (J[6] !== 0) { J[6] = 0; st[S.PC] = cpu.exc.pc; return RunResult.Fault; } // counters published
          left = (left - (cap - J[0]!)) | 0;
          n = J[1]!;
          pc = r & -4;
          const f = r & 3;
          if (f === 0) continue;
          if (f === 1) { stopped = true; break; }
          if (f === 2) {
            if (left <= 0) break;
            if (cap < before) continue; // only the cap ran out: call it again
            return this.tail(pc, left, n, end, insns0);
          }
          // a slow path changed code (look the page up again) or asked the core to stop
          J[3] = 0;
          if (ctl[0] !== 0) { stopped = true; break; }
          fbase = 1;
          continue;
        }
      }
      let b = page.blocks[idx];
      if (region !== null && b !== undefined && b.fn !== null &&
        ++page.misses >= (REGION_MISSES << page.regionCompiles) && page.regionCompiles < MAX_REGION_COMPILES) {
        // a hot block the region does not hold: compile the region again with it
        this.compileRegion(page, fadd);
      }
      if (b === undefined) b = this.discover(page, idx, pc, fadd);
      if (left <= b.pre) return this.tail(pc, left, n, end, insns0);
      let fn = b.fn;
      if (fn === null) {
        // hot = entered blockThreshold times within HOT_WINDOW cycles: a loop, not code that a
        // kernel boot runs a few thousand times spread over its whole length
        const now = end - left;
        if (now - b.since > HOT_WINDOW) { b.since = now; b.count = 0; }
        if (++b.count < this.opts.blockThreshold || page.noCompile) {
          // cold: interpret a stretch of COLD_CHUNK cycles from here (at least this block), then
          // on to the end of the block it stopped in (see `coldRun`; any extent is exact)
          if (trace !== null) trace.push({ kind: "interp", pc, insns: null });
          this.stats.coldUnits++;
          st[S.PC] = pc;
          cpu.cycles = end - left;
          cpu.insns = insns0 + n;
          // a block entered again soon after its last entry (a loop) is interpreted alone, so
          // that its count is exact; any other starts a stretch
          const loops = now - b.last < LOOP_GAP && b.count > 1;
          b.last = now;
          const rr = loops ? this.interp(cpu, Math.min(end, cpu.cycles + b.cycles)) : this.coldRun(end, b.cycles);
          J[3] = 0;
          if (rr !== RunResult.Budget) return rr;
          left = (end - cpu.cycles) | 0;
          n = (cpu.insns - insns0) | 0;
          pc = st[S.PC]! | 0;
          fbase = 1; // the stretch may have left the page (or changed its translation)
          continue;
        }
        fn = this.compileBlock(page, idx, pc, fadd);
        b = page.blocks[idx]!;
        if (left <= b.pre) return this.tail(pc, left, n, end, insns0);
      }
      if (trace !== null) trace.push({ kind: "block", pc, insns: [b] });
      const r = fn(left, n);
      if (J[6] !== 0) { J[6] = 0; st[S.PC] = cpu.exc.pc; return RunResult.Fault; } // counters published
      const f = r & 3;
      if (f === 3) {
        left = (left - J[4]!) | 0;
        n = (n + J[5]!) | 0;
        pc = r & -4;
        J[3] = 0;
        if (ctl[0] !== 0) { stopped = true; break; }
        fbase = 1;
        continue;
      }
      left = (left - b.cycles) | 0;
      n = (n + b.n) | 0;
      pc = r & -4;
      if (f === 1) { stopped = true; break; }
      if (++page.heat >= this.opts.regionThreshold && page.region === null && !page.noCompile && page.regionCompiles < MAX_REGION_COMPILES) {
        this.compileRegion(page, fadd); // `page` is the page of `fbase`, `fadd` its translation
      }
    }
    } catch (e) {
      if (e !== FAULT) throw e;
      // compiled code and the dispatcher publish exact counters before anything that may raise
      st[S.PC] = cpu.exc.pc;
      return RunResult.Fault;
    }
    st[S.PC] = pc;
    cpu.cycles = end - left;
    cpu.insns = insns0 + n;
    return stopped ? RunResult.Stopped : RunResult.Budget;
  }

  /**
   * Cold code: the interpreter runs from cpu's PC for COLD_CHUNK cycles (at least `first`, the
   * cycles of the block there), then to the end of the basic block it stopped in, so that the
   * dispatcher goes on at a block start (where compiled code may be entered). Thousands of
   * run-once blocks (a kernel boot) cost one interpreter call per stretch, not per block; a block
   * is counted when the dispatcher reaches it (from compiled code, or as a stretch's first), so
   * what runs often is still found (a loop in a stretch is its first block every few stretches).
   * Counters and PC are in cpu on entry and exit.
   */
  private coldRun(end: number, first: number): RunResult {
    const cpu = this.cpu, mem = cpu.mem;
    const rr = this.interp(cpu, Math.min(end, cpu.cycles + (first > COLD_CHUNK ? first : COLD_CHUNK)));
    if (rr !== RunResult.Budget || cpu.cycles >= end) return rr;
    this.J[3] = 0;
    const pc = cpu.st[S.PC]! | 0;
    if ((pc & 3) !== 0) return rr;
    // the fetch may raise (as the interpreter's own would, at the same instruction and counters)
    const fadd = mem.fetchAddend(pc);
    if (mem.fetchLE || mem.fetchSmall) return rr;
    const e = extent(mem.dv, (pc + fadd) | 0, pc, MAX_BLOCK);
    if (e.cycles === 0) return rr; // an illegal word: the dispatcher's next unit raises it
    return this.interp(cpu, Math.min(end, cpu.cycles + e.cycles));
  }

  /** The budget ends inside the next block: the interpreter finishes the run. */
  private tail(pc: number, left: number, n: number, end: number, insns0: number): RunResult {
    const cpu = this.cpu;
    if (this.trace !== null) this.trace.push({ kind: "tail", pc, insns: null });
    this.stats.tails++;
    cpu.st[S.PC] = pc;
    cpu.cycles = end - left;
    cpu.insns = insns0 + n;
    const r = this.interp(cpu, end);
    this.J[3] = 0;
    return r;
  }

  /** Executes exactly one instruction, compiled (Cpu.step with the jit engine). */
  step(): RunResult {
    const cpu = this.cpu, st = cpu.st, mem = cpu.mem;
    const pc = st[S.PC]! | 0;
    if (cpu.ctl[0] !== 0) return RunResult.Stopped; // as the interpreter
    if ((pc & 3) !== 0) return this.interp(cpu, cpu.cycles + 1);
    try {
      const fadd = mem.fetchAddend(pc);
      if (mem.fetchLE || mem.fetchSmall) return this.interp(cpu, cpu.cycles + 1);
      const pa = (pc + fadd) | 0;
      const word = mem.dv.getInt32(pa);
      let c = this.stepCache.get(pa);
      if (c === undefined || c.pc !== pc || c.word !== word) {
        const insn = analyse(word, pc);
        const t0 = performance.now();
        const src = blockSource([insn]);
        const fn = instantiate<BlockFn>(src, cpu, H, this.J, this.JF);
        this.stats.compileMs += performance.now() - t0;
        this.stats.sourceBytes += src.length;
        if (this.stepCache.size >= 4096) this.stepCache.clear();
        c = { pc, word, fn, cost: insn.cost };
        this.stepCache.set(pa, c);
      }
      this.JF[0] = cpu.cycles + 1;
      this.JF[1] = cpu.insns;
      this.J[3] = 0;
      const r = c.fn(1, 0);
      if (this.J[6] !== 0) { this.J[6] = 0; st[S.PC] = cpu.exc.pc; return RunResult.Fault; }
      cpu.cycles += c.cost;
      cpu.insns += 1;
      st[S.PC] = r & -4;
      this.J[3] = 0;
      return (r & 3) === 1 || cpu.ctl[0] !== 0 ? RunResult.Stopped : RunResult.Budget;
    } catch (e) {
      if (e !== FAULT) throw e;
      st[S.PC] = cpu.exc.pc;
      return RunResult.Fault;
    }
  }

  // ---------------------------------------------------------------- the cache

  private page(ppn: number, vbase: number): CodePage {
    const last = this.lastPage;
    if (last.ppn === ppn && last.vbase === vbase) {
      last.lastUse = this.epoch;
      return last; // the common case after an exit: back into the page it left
    }
    let p = this.pages.get(ppn);
    if (p === undefined) {
      p = new CodePage(ppn, vbase);
      this.pages.set(ppn, p);
    } else if (p.vbase !== vbase) {
      // the same physical page reached through another virtual address: the code has the old
      // addresses baked in (the counts of blocks not compiled yet are kept: their extents do
      // not depend on the address)
      const keep = p.blocks;
      this.drop(p);
      for (let i = 0; i < 1024; i++) {
        const b = keep[i];
        if (b !== undefined && b.fn === null) p.blocks[i] = b;
      }
      p.vbase = vbase;
    }
    p.lastUse = this.epoch;
    this.lastPage = p;
    return p;
  }

  private discover(page: CodePage, idx: number, pc: number, fadd: number): BlockInfo {
    const e = extent(this.cpu.mem.dv, (pc + fadd) | 0, pc, MAX_BLOCK);
    const b = new BlockInfo(e.n, e.cycles, e.pre);
    page.blocks[idx] = b;
    return b;
  }

  private compileBlock(page: CodePage, idx: number, pc: number, fadd: number): BlockFn {
    const t0 = performance.now();
    // read the words again: the page is not write-protected until it holds code
    const insns = scan(this.cpu.mem.dv, (pc + fadd) | 0, pc, MAX_BLOCK);
    const src = blockSource(insns);
    this.onSource?.("block", src);
    const fn = instantiate<BlockFn>(src, this.cpu, H, this.J, this.JF);
    const b = page.blocks[idx]!;
    b.insns = insns;
    b.n = insns.length;
    b.cycles = totalCycles(insns);
    b.pre = preCycles(insns);
    b.fn = fn;
    this.own(page, idx, insns.length, src.length);
    this.stats.blocks++;
    this.stats.compileMs += performance.now() - t0;
    return fn;
  }

  /** Records that words [idx, idx+len) of the page are compiled, and write-protects the page. */
  private own(page: CodePage, idx: number, len: number, bytes: number): void {
    page.code.fill(1, idx, idx + len);
    page.hasCode = true;
    page.bytes += bytes;
    this.codeBytes += bytes;
    this.stats.sourceBytes += bytes;
    this.cpu.mem.protectCodePage(page.ppn);
  }

  private compileRegion(page: CodePage, fadd: number): void {
    const t0 = performance.now();
    page.heat = 0;
    page.misses = 0;
    page.regionCompiles++;
    const dv = this.cpu.mem.dv;
    const vbase = page.vbase;
    const hostOf = (pc: number) => (pc + fadd) | 0;
    // Entries: the block starts of the page that ran REGION_ENTRY times or were compiled - not
    // what they reach statically: V8 optimises a region with the type feedback of what ran, so
    // code that never ran would deoptimise it when first taken, and every extra case costs the
    // hot loops speed (register pressure). Blocks that become hot later are added by compiling
    // the region again (`misses`). If the function would be too big (for V8 to optimise, and to
    // compile quickly), the hottest entries are kept (compiled blocks first, then by count).
    const cands: { i: number; heat: number; size: number }[] = [];
    for (let i = 0; i < 1024; i++) {
      const b = page.blocks[i];
      if (b === undefined || (b.fn === null && b.count < REGION_ENTRY)) continue;
      const pc = (vbase + 4 * i) | 0;
      let size = 200;
      for (const insn of scan(dv, hostOf(pc), pc, MAX_BLOCK)) size += 40 + insn.lparts.reduce((a, p) => a + p.length + 60, 0);
      cands.push({ i, heat: b.fn !== null ? 1 << 30 : b.count, size });
    }
    if (cands.length === 0) return;
    cands.sort((a, b) => b.heat - a.heat || a.i - b.i);
    const entry = new Uint8Array(1024);
    let total = 0;
    for (const c of cands) {
      if (total + c.size > MAX_REGION_SOURCE && total > 0) continue;
      entry[c.i] = 1;
      total += c.size;
    }
    // blocks from each entry to its natural end or the next entry (words covered once)
    const blocks: RegionBlock[] = [];
    for (let i = 0; i < 1024; i++) {
      if (entry[i] === 0) continue;
      const pc = (vbase + 4 * i) | 0;
      blocks.push({ insns: scan(dv, hostOf(pc), pc, 1024, (p) => entry[(p >>> 2) & 1023] === 1) });
    }
    const src = regionSource(vbase, blocks);
    this.onSource?.("region", src);
    const fn = instantiate<RegionFn>(src, this.cpu, H, this.J, this.JF);
    // a PC outside the page: only the entry and the shared exit run (see regionSource); several
    // calls, since V8 allocates a function's feedback vector only after its first few calls
    for (let i = 0; i < 12; i++) fn(vbase ^ 0x1000, 0, 0);
    page.region = fn;
    page.regionBlocks = blocks;
    page.entries.fill(0);
    for (const b of blocks) {
      const i = (b.insns[0]!.pc >>> 2) & 1023;
      page.entries[i] = 1;
      this.own(page, i, b.insns.length, 0);
    }
    page.bytes += src.length;
    this.codeBytes += src.length;
    this.stats.sourceBytes += src.length;
    this.stats.regions++;
    this.stats.compileMs += performance.now() - t0;
  }

  /** Drops all code of a page (it becomes writable at full speed again). */
  private drop(p: CodePage): void {
    if (p.hasCode) {
      this.cpu.mem.codePages![p.ppn] = 0;
      this.codeBytes -= p.bytes;
    }
    p.blocks = new Array(1024).fill(undefined);
    p.region = null;
    p.regionBlocks = null;
    p.entries.fill(0);
    p.code.fill(0);
    p.hasCode = false;
    p.heat = 0;
    p.misses = 0;
    p.regionCompiles = 0;
    p.bytes = 0;
  }

  // ---------------------------------------------------------------- invalidation

  /**
   * Physical bytes [pa, pa+len) changed (a store to a code page, a host write, or
   * Cpu.invalidateCode): drop compiled code that covers them. Compiled code that is running
   * leaves at its next check (J[3]).
   */
  invalidate(pa: number, len: number): void {
    if (len <= 0) return;
    const first = Math.floor(pa / 4096), last = Math.floor((pa + len - 1) / 4096);
    for (let ppn = first; ppn <= last; ppn++) {
      const p = this.pages.get(ppn);
      if (p === undefined) continue;
      const base = ppn * 4096;
      const w0 = (Math.max(pa, base) - base) >>> 2, w1 = (Math.min(pa + len, base + 4096) - base - 1) >>> 2;
      let hit = false;
      if (p.hasCode) for (let w = w0; w <= w1; w++) if (p.code[w] !== 0) { hit = true; break; }
      if (hit) {
        this.drop(p);
        this.stats.invalidations++;
        if (++p.drops > MAX_DROPS) p.noCompile = true;
        this.J[3] = 1;
      } else {
        // descriptors of blocks not compiled yet may cover the bytes: forget them too
        for (let w = Math.max(0, w0 - MAX_BLOCK); w <= w1; w++) {
          const b = p.blocks[w];
          if (b !== undefined && b.fn === null && w + b.n > w0) p.blocks[w] = undefined;
        }
      }
    }
  }

  /** icbi (ea: the line's effective address, just translated by the semantics) or iccci (-1). */
  icbi(ea: number): void {
    if (ea === -1) {
      this.flushAll();
      return;
    }
    // the semantics translated `ea` (mem.touch) right before calling us: xPhys is its address
    const pa = this.cpu.mem.xPhys;
    if (pa < this.cpu.mem.ramSize) this.invalidate(pa - (pa % 32), 32);
  }

  /** Drops every page's code. */
  flushAll(): void {
    let any = false;
    for (const p of this.pages.values()) if (p.hasCode) { this.drop(p); any = true; }
    this.stepCache.clear();
    if (any) {
      this.stats.flushes++;
      this.J[3] = 1;
    }
  }

  /** Keeps the cache under its limit: drops the least recently entered pages. */
  private evict(): void {
    const live = [...this.pages.values()].filter((p) => p.hasCode);
    live.sort((a, b) => a.lastUse - b.lastUse);
    for (const p of live) {
      if (this.codeBytes <= this.opts.maxCodeBytes / 2) break;
      this.drop(p);
      this.stats.evictions++;
    }
  }

  /** Current size of the cache (bytes of live generated source) and pages holding code. */
  get cacheBytes(): number { return this.codeBytes; }
  get codePageCount(): number {
    let n = 0;
    for (const p of this.pages.values()) if (p.hasCode) n++;
    return n;
  }

  /** The compiled instructions the cache holds for the block at virtual `pc` (tests, reports). */
  blockAt(pa: number): readonly Insn[] | null {
    const p = this.pages.get(Math.floor(pa / 4096));
    return p?.blocks[(pa >>> 2) & 1023]?.insns ?? null;
  }

  /** One line for `-d jit` / --stats. */
  summary(): string {
    const s = this.stats;
    return `jit: ${s.blocks} blocks, ${s.regions} regions, ${this.codePageCount} code pages, ` +
      `${(this.codeBytes / 1024).toFixed(0)} KiB cached, compile ${s.compileMs.toFixed(1)} ms, ` +
      `${s.invalidations} invalidations, ${s.evictions} evictions, ${s.flushes} flushes, ` +
      `${s.coldUnits} cold blocks interpreted, ${s.tails} interpreted tails`;
  }
}

/**
 * Regenerates the committed vectors (test/cpu/vectors/*.json):
 *
 *   npx tsx test/cpu/vectors/oracle/gen.ts [family...]
 *
 * Needs powerpc-linux-gnu-gcc, qemu-ppc (7.2) and python3. The tests only read the JSON.
 * Oracles: "qemu" families take QEMU's final state; "mac" families take macref.py (the manual's
 * pseudo-code) and record QEMU beside it; "fp" families take QEMU with the FPSCR bits QEMU gets
 * wrong recomputed by fpref.py; manual families (interrupts, privileged state) are written by
 * hand in manual.ts from ppc440.md sections 3.1-3.3.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { h, type CaseDef, type Family } from "./defs.ts";
import { runQemu, WIN, WIN_SIZE, type QResult, type QState } from "./qemu.ts";
import type { Vector, VectorFile, VExpect, VState } from "../runner.ts";
import { intFamilies } from "./cases-int.ts";
import { branchFamily } from "./cases-branch.ts";
import { lsFamilies } from "./cases-ls.ts";
import { macFamily } from "./cases-mac.ts";
import { fpFamilies, fpOverrideAll } from "./cases-fp.ts";
import { manualFamilies } from "./manual.ts";

const HERE = import.meta.dirname;
const OUT_DIR = join(HERE, "..");
/** MSR of the QEMU-derived vectors: PR=1 and FP=1, as in QEMU's user mode. */
export const USER_MSR = 0x00006000;

const hex64 = (v: bigint): string => "0x" + v.toString(16).padStart(16, "0");
const bytesHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function runChunked(cases: readonly CaseDef[]): QResult[] {
  const out: QResult[] = [];
  for (let i = 0; i < cases.length; i += 300) out.push(...runQemu(cases.slice(i, i + 300)));
  return out;
}

/** Window bytes as one range from the first to the last byte that differs from `base`. */
function winRange(win: Uint8Array, base?: Uint8Array): Record<string, string> | undefined {
  let lo = -1, hi = -1;
  for (let i = 0; i < WIN_SIZE; i++) {
    if (win[i] !== (base ? base[i] : 0)) {
      if (lo < 0) lo = i;
      hi = i;
    }
  }
  if (lo < 0) return undefined;
  return { [h(WIN + lo)]: bytesHex(win.subarray(lo, hi + 1)) };
}

function stateInit(c: CaseDef, s: QState, addr: number): VState {
  const v: VState = { pc: h(addr), msr: h(USER_MSR) };
  const gpr: Record<string, string> = {};
  s.gpr.forEach((x, n) => { if (x !== 0 || c.gpr?.[n] !== undefined) gpr[n] = h(x); });
  if (Object.keys(gpr).length) v.gpr = gpr;
  if (s.cr !== 0 || c.cr !== undefined) v.cr = h(s.cr);
  if (s.xer !== 0 || c.xer !== undefined) v.xer = h(s.xer);
  if (s.lr !== 0 || c.lr !== undefined) v.lr = h(s.lr);
  if (s.ctr !== 0 || c.ctr !== undefined) v.ctr = h(s.ctr);
  const fpr: Record<string, string> = {};
  s.fpr.forEach((x, n) => { if (x !== 0n || c.fpr?.[n] !== undefined) fpr[n] = hex64(x); });
  if (Object.keys(fpr).length) v.fpr = fpr;
  if (s.fpscr !== 0 || c.fpscr !== undefined) v.fpscr = h(s.fpscr);
  const mem = winRange(s.win);
  if (mem) v.mem = mem;
  if (c.resv !== undefined) v.resv = h(c.resv);
  return v;
}

function stateExpect(i: QState, f: QState, pc: number): VExpect {
  const e: VExpect = { pc: h(pc) };
  const gpr: Record<string, string> = {};
  f.gpr.forEach((x, n) => { if (x !== i.gpr[n]) gpr[n] = h(x); });
  if (Object.keys(gpr).length) e.gpr = gpr;
  if (f.cr !== i.cr) e.cr = h(f.cr);
  if (f.xer !== i.xer) e.xer = h(f.xer);
  if (f.lr !== i.lr) e.lr = h(f.lr);
  if (f.ctr !== i.ctr) e.ctr = h(f.ctr);
  const fpr: Record<string, string> = {};
  f.fpr.forEach((x, n) => { if (x !== i.fpr[n]) fpr[n] = hex64(x); });
  if (Object.keys(fpr).length) e.fpr = fpr;
  if (f.fpscr !== i.fpscr) e.fpscr = h(f.fpscr);
  const mem = winRange(f.win, i.win);
  if (mem) e.mem = mem;
  return e;
}

function undefOf(c: CaseDef): VExpect["undefined"] | undefined {
  if (!c.undef) return undefined;
  const u: NonNullable<VExpect["undefined"]> = {};
  if (c.undef.gpr?.length) u.gpr = c.undef.gpr;
  if (c.undef.cr) u.cr = h(c.undef.cr);
  return u;
}

/** Runs the Python MAC reference model over the cases' initial states. */
function macModel(cases: readonly CaseDef[], res: readonly QResult[]): { rt: number; xer: number; cr: number }[] {
  const input = res.map((r, k) => {
    const w = r.word;
    return { insn: cases[k]!.insn, rt: r.init.gpr[(w >>> 21) & 31], ra: r.init.gpr[(w >>> 16) & 31], rb: r.init.gpr[(w >>> 11) & 31], xer: r.init.xer, cr: r.init.cr };
  });
  const out = execFileSync("python3", [join(HERE, "macref.py")], { input: JSON.stringify(input), maxBuffer: 1 << 26 }).toString();
  return JSON.parse(out) as { rt: number; xer: number; cr: number }[];
}

/**
 * FPSCR[FEX] and [VX] are summaries: mtfsf ignores the bits written there and recomputes them,
 * so the state the instruction really started from has them recomputed.
 */
export function fpscrSummaries(f: number): number {
  f &= ~0x60000000;
  if (f & 0x01f80700) f |= 0x20000000;
  if ((f >>> 22) & (f << 0) & 0xf8 || (f & 0x20000000 && f & 0x80)) f |= 0x40000000;
  return f >>> 0;
}

function familyVectors(fam: Family): Vector[] {
  const companions = fam.cases.flatMap((c) => (c.companion ? [c.companion] : []));
  const all = runChunked([...fam.cases, ...companions]);
  for (const r of all) r.init.fpscr = fpscrSummaries(r.init.fpscr);
  const res = all.slice(0, fam.cases.length);
  const compRes = new Map<CaseDef, QResult>();
  companions.forEach((c, k) => compRes.set(c, all[fam.cases.length + k]!));
  const model = fam.oracle === "mac" ? macModel(fam.cases, res) : undefined;
  const vecs = fam.cases.map((c, k) => {
    const r = res[k]!;
    const v: Vector = {
      name: c.name, insn: c.insn, words: [h(r.word)], init: stateInit(c, r.init, r.addr),
      expect: stateExpect(r.init, r.final, r.pc), oracle: "qemu",
    };
    const u = undefOf(c);
    if (u) {
      v.expect.undefined = u;
      for (const n of u.gpr ?? []) delete v.expect.gpr?.[n];
      if (v.expect.gpr && Object.keys(v.expect.gpr).length === 0) delete v.expect.gpr;
    }
    if (c.expectResv !== undefined) v.expect.resv = c.expectResv === null ? null : h(c.expectResv);
    if (c.note) v.note = c.note;
    if (model) {
      // expected state from the reference model; QEMU's own result recorded when it differs
      const m = model[k]!;
      const rt = (r.word >>> 21) & 31;
      const want: QState = { ...r.final, gpr: [...r.final.gpr], xer: m.xer, cr: m.cr };
      want.gpr[rt] = m.rt;
      v.expect = stateExpect(r.init, want, r.pc);
      v.oracle = "model";
      const q = r.final;
      if (q.gpr[rt] !== m.rt || q.xer !== m.xer || q.cr !== m.cr) {
        v.qemu = { gpr: { [rt]: h(q.gpr[rt]!) }, xer: h(q.xer), cr: h(q.cr) };
        v.note = "QEMU 7.2 diverges (ppc440.md section 0 items 3/4); expectation from macref.py (UM pseudo-code)";
      }
    }
    return v;
  });
  if (fam.oracle === "fp") fpOverrideAll(fam.cases, res, vecs, compRes);
  return vecs;
}

function write(name: string, description: string, vectors: Vector[]): void {
  const file: VectorFile = { family: name, description, vectors };
  // one vector per line keeps diffs readable
  const body = vectors.map((v) => "    " + JSON.stringify(v)).join(",\n");
  const text = `{\n  "family": ${JSON.stringify(file.family)},\n  "description": ${JSON.stringify(description)},\n  "vectors": [\n${body}\n  ]\n}\n`;
  writeFileSync(join(OUT_DIR, `${name}.json`), text);
  console.log(`${name}: ${vectors.length} vectors`);
}

function main(): void {
  const only = new Set(process.argv.slice(2));
  const want = (n: string) => only.size === 0 || only.has(n);
  const manual = manualFamilies();
  for (const fam of [...intFamilies(), branchFamily(), ...lsFamilies(), macFamily(), ...fpFamilies()]) {
    if (!want(fam.name)) continue;
    const vecs = familyVectors(fam);
    // hand-written vectors of the same family (interrupt paths QEMU user mode cannot show)
    const extra = manual.get(fam.name);
    if (extra) {
      vecs.push(...extra.vectors);
      manual.delete(fam.name);
    }
    write(fam.name, fam.description + (extra ? `; ${extra.description}` : ""), vecs);
  }
  for (const [name, m] of manual) if (want(name)) write(name, m.description, m.vectors);
}

main();

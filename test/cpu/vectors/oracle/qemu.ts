/**
 * QEMU oracle: turns cases (one instruction + initial user-visible state) into one static
 * PowerPC program, runs it under `qemu-ppc -cpu 440epx` and returns the state after each case.
 *
 * Program layout (linked at 0x10000 so that every address is inside the 1 MiB RAM of the test
 * harness; the vectors then use the very same addresses, so branch targets, LR values and data
 * addresses need no translation):
 *   .text   0x10000..  per case: set up, the instruction, landing pads, save
 *   .win    0xF0000    the 256-byte data window every load/store case works in
 *   .data              per case an IN record (initial state) and an OUT record (final state)
 * At the end the program writes all records to stdout with one `write` system call.
 *
 * Per case: r31 = IN; `bl load_common` (window, reservation, FPSCR, FPRs, CR, XER, r0..r30);
 * LR/CTR/r31 are loaded with USPRG0 (SPR 256, user read/write) as the only scratch; `b` to the
 * instruction. Every place control can arrive at afterwards (the next word, branch targets)
 * holds a landing pad that parks r31 in USPRG0, points r31 at OUT, saves r30, records its own
 * address as the final PC and goes to the common save code. Nothing on those paths touches CR,
 * XER, LR or CTR before they are saved.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const WIN = 0xf0000;
export const WIN_SIZE = 256;

/** A value the program loads: a number, or an assembler expression over the label `T` (the instruction). */
export type QVal = number | string;

export interface QCase {
  /** The instruction word, or assembler text (which may use the label `T`). */
  word?: number;
  asm?: string;
  /** Landing pads besides T+4, as offsets from T (multiples of 4, at least 32 apart). */
  pads?: number[];
  gpr?: Record<number, QVal>;
  cr?: number;
  xer?: number;
  lr?: QVal;
  ctr?: QVal;
  /** FPRs as 64-bit BigInts. */
  fpr?: Record<number, bigint>;
  fpscr?: number;
  /** Window contents: absolute address -> bytes. */
  mem?: Record<number, number[]>;
  /** Take a reservation on this address (lwarx) before the instruction. */
  resv?: number;
}

export interface QState {
  gpr: number[];
  cr: number;
  xer: number;
  lr: number;
  ctr: number;
  fpscr: number;
  fpr: bigint[];
  win: Uint8Array;
}

export interface QResult {
  /** Address and word of the instruction as assembled and linked. */
  addr: number;
  word: number;
  init: QState;
  final: QState;
  /** Address of the landing pad that was reached. */
  pc: number;
}

// record layout (IN and OUT share it; IN uses 144/148 for the reservation, OUT for pc/word, 152.. addr)
const R_GPR = 0, R_CR = 128, R_XER = 132, R_LR = 136, R_CTR = 140, R_A = 144, R_B = 148, R_ADDR = 156;
const R_FPSCR = 160, R_FPR = 168, R_WIN = 168 + 256;
export const REC = R_WIN + WIN_SIZE; // 680

const toVal = (v: QVal | undefined): string => (v === undefined ? "0" : typeof v === "number" ? `0x${(v >>> 0).toString(16)}` : v);

function caseAsm(c: QCase, i: number): { text: string; data: string } {
  const T = `T${i}`, IN = `IN${i}`, OUT = `OUT${i}`;
  const sub = (s: string) => s.replace(/\bT\b/g, T);
  let t = `\n# ---- case ${i}\ncase${i}:\n`;
  t += `  lis r31, ${IN}@ha\n  addi r31, r31, ${IN}@l\n  bl load_common\n`;
  t += `  mtspr 256, r31\n  lwz r31, ${R_LR}(r31)\n  mtlr r31\n  mfspr r31, 256\n`;
  t += `  lwz r31, ${R_CTR}(r31)\n  mtctr r31\n  mfspr r31, 256\n  lwz r31, 124(r31)\n  b ${T}\n`;
  // region: instruction and pads, positioned by offset from T
  const pads = [4, ...(c.pads ?? [])];
  const pre = Math.max(0, ...pads.map((p) => -p));
  const items: { off: number; lines: string }[] = [];
  items.push({ off: pre, lines: `${T}:\n  ${c.asm !== undefined ? sub(c.asm) : `.long 0x${c.word!.toString(16)}`}\n` });
  for (const p of pads) {
    const L = `P${i}_${p < 0 ? "m" + -p : p}`;
    items.push({
      off: pre + p,
      lines: `${L}:\n  mtspr 256, r31\n  lis r31, ${OUT}@ha\n  addi r31, r31, ${OUT}@l\n  stw r30, 120(r31)\n` +
        `  lis r30, ${L}@ha\n  addi r30, r30, ${L}@l\n  b S${i}\n`,
    });
  }
  items.sort((a, b) => a.off - b.off);
  t += `R${i}:\n`;
  let cur = 0;
  for (const it of items) {
    if (it.off < cur) throw new Error(`case ${i}: landing pads overlap`);
    if (it.off > cur) t += `  .skip ${it.off - cur}\n`;
    t += it.lines;
    cur = it.off + (it.lines.includes("mtspr 256") ? 28 : 4);
  }
  t += `S${i}:\n  stw r30, ${R_A}(r31)\n  mflr r30\n  stw r30, ${R_LR}(r31)\n  bl save_common\n`;
  t += `  lis r30, ${T}@ha\n  addi r30, r30, ${T}@l\n  stw r30, ${R_ADDR}(r31)\n  lwz r30, 0(r30)\n  stw r30, ${R_B}(r31)\n`;

  // IN record
  let d = `  .balign 8\n${IN}:\n`;
  const words: string[] = [];
  for (let r = 0; r < 32; r++) words.push(sub(toVal(c.gpr?.[r])));
  words.push(toVal(c.cr), toVal(c.xer), sub(toVal(c.lr)), sub(toVal(c.ctr)));
  words.push(c.resv !== undefined ? "1" : "0", toVal(c.resv), "0", "0");
  d += `  .long ${words.join(", ")}\n`;
  d += `  .long 0, ${toVal(c.fpscr)}\n`;
  const fw: string[] = [];
  for (let r = 0; r < 32; r++) {
    const v = c.fpr?.[r] ?? 0n;
    fw.push(`0x${(v >> 32n).toString(16)}`, `0x${(v & 0xffffffffn).toString(16)}`);
  }
  d += `  .long ${fw.join(", ")}\n`;
  const win = new Array<number>(WIN_SIZE).fill(0);
  for (const [a, bytes] of Object.entries(c.mem ?? {})) {
    bytes.forEach((b, k) => {
      const o = Number(a) - WIN + k;
      if (o < 0 || o >= WIN_SIZE) throw new Error(`case ${i}: memory outside the window`);
      win[o] = b;
    });
  }
  d += `  .byte ${win.join(",")}\n`;
  d += `${OUT}:\n  .skip ${REC}\n`;
  return { text: t, data: d };
}

const COMMON = `
load_common:
  # window <- IN.win
  addi r3, r31, ${R_WIN - 4}
  lis r4, ${WIN >>> 16}
  addi r4, r4, -4
  li r5, ${WIN_SIZE / 4}
  mtctr r5
1: lwzu r5, 4(r3)
  stwu r5, 4(r4)
  bdnz 1b
  # drop any reservation, then take the requested one
  addi r3, r31, ${R_B + 4}
  stwcx. r3, 0, r3
  lwz r3, ${R_A}(r31)
  cmpwi r3, 0
  beq 2f
  lwz r3, ${R_B}(r31)
  lwarx r4, 0, r3
2:
  lfd f0, ${R_FPSCR}(r31)
  mtfsf 0xff, f0
${Array.from({ length: 32 }, (_, r) => `  lfd f${r}, ${R_FPR + 8 * r}(r31)`).join("\n")}
  lwz r3, ${R_CR}(r31)
  mtcrf 0xff, r3
  lwz r3, ${R_XER}(r31)
  mtxer r3
${Array.from({ length: 31 }, (_, r) => `  lwz r${r}, ${4 * r}(r31)`).join("\n")}
  blr

save_common:
${Array.from({ length: 30 }, (_, r) => `  stw r${r}, ${4 * r}(r31)`).join("\n")}
  mfspr r30, 256
  stw r30, 124(r31)
  mfcr r30
  stw r30, ${R_CR}(r31)
  mfxer r30
  stw r30, ${R_XER}(r31)
  mfctr r30
  stw r30, ${R_CTR}(r31)
${Array.from({ length: 32 }, (_, r) => `  stfd f${r}, ${R_FPR + 8 * r}(r31)`).join("\n")}
  mffs f0
  stfd f0, ${R_FPSCR}(r31)
  addi r3, r31, ${R_WIN - 4}
  lis r4, ${WIN >>> 16}
  addi r4, r4, -4
  li r5, ${WIN_SIZE / 4}
  mtctr r5
1: lwzu r5, 4(r4)
  stwu r5, 4(r3)
  bdnz 1b
  blr
`;

function parseState(b: Buffer, o: number): QState {
  const gpr: number[] = [];
  for (let r = 0; r < 32; r++) gpr.push(b.readUInt32BE(o + 4 * r));
  const fpr: bigint[] = [];
  for (let r = 0; r < 32; r++) fpr.push(b.readBigUInt64BE(o + R_FPR + 8 * r));
  return {
    gpr, cr: b.readUInt32BE(o + R_CR), xer: b.readUInt32BE(o + R_XER), lr: b.readUInt32BE(o + R_LR),
    ctr: b.readUInt32BE(o + R_CTR), fpscr: b.readUInt32BE(o + R_FPSCR + 4), fpr,
    win: new Uint8Array(b.subarray(o + R_WIN, o + R_WIN + WIN_SIZE)),
  };
}

/** Builds, runs and parses one program for the given cases. */
export function runQemu(cases: readonly QCase[]): QResult[] {
  let text = "  .section .text\n  .globl _start\n_start:\n";
  let data = "  .section .data\n  .balign 8\nrecords:\n";
  cases.forEach((c, i) => {
    const a = caseAsm(c, i);
    text += a.text;
    data += a.data;
  });
  text += `
  li r0, 4
  li r3, 1
  lis r4, records@ha
  addi r4, r4, records@l
  lis r5, ${(cases.length * 2 * REC) >>> 16}
  ori r5, r5, ${(cases.length * 2 * REC) & 0xffff}
  sc
  li r0, 1
  li r3, 0
  sc
${COMMON}`;
  data += "\n  .section .win, \"aw\"\n  .skip 256\n";
  const dir = mkdtempSync(join(tmpdir(), "vec-oracle-"));
  try {
    writeFileSync(join(dir, "p.S"), text + data);
    execFileSync("powerpc-linux-gnu-gcc", [
      "-mcpu=440fp", "-mregnames", "-nostdlib", "-static", "-Wl,-Ttext=0x10000",
      `-Wl,--section-start=.win=0x${WIN.toString(16)}`, "-Wl,--build-id=none", "-o", join(dir, "p"), join(dir, "p.S"),
    ], { stdio: ["ignore", "inherit", "inherit"] });
    const hdr = execFileSync("powerpc-linux-gnu-objdump", ["-h", join(dir, "p")]).toString();
    const m = /\.data\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(hdr);
    if (!m || Number.parseInt(m[1]!, 16) + Number.parseInt(m[2]!, 16) > WIN) throw new Error("program too big: split the cases");
    const out = execFileSync("qemu-ppc", ["-cpu", "440epx", join(dir, "p")], { maxBuffer: 1 << 28 });
    if (out.length !== cases.length * 2 * REC) throw new Error(`qemu wrote ${out.length} bytes`);
    return cases.map((_, i) => {
      const o = i * 2 * REC, f = o + REC;
      return {
        addr: out.readUInt32BE(f + R_ADDR), word: out.readUInt32BE(f + R_B), pc: out.readUInt32BE(f + R_A),
        init: parseState(out, o), final: parseState(out, f),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

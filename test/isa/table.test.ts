import { describe, expect, it } from "vitest";
import { lookup, overlaps } from "../../src/isa/decode.ts";
import { INSNS } from "../../src/isa/table.ts";
import { Flag, type InsnSpec } from "../../src/isa/types.ts";

/** The semantics families the CPU layer implements (one per `base`). */
const BASES = `
  add addc adde addme addze subf subfc subfe subfme subfze neg mullw divw divwu mulhw mulhwu
  addi addis addic subfic mulli ori oris xori xoris andi andis
  cmp cmpi cmpl cmpli
  and andc nand nor or orc xor eqv extsb extsh cntlzw slw srw sraw srawi dlmzb
  rlwinm rlwimi rlwnm
  b bc bclr bcctr
  crand crandc creqv crnand crnor cror crorc crxor mcrf tw twi sc
  macchw macchws macchwsu macchwu machhw machhws machhwsu machhwu maclhw maclhws maclhwsu maclhwu
  nmacchw nmacchws nmachhw nmachhws nmaclhw nmaclhws mulchw mulchwu mulhhw mulhhwu mullhw mullhwu
  lbz lbzu lbzux lbzx lha lhau lhaux lhax lhz lhzu lhzux lhzx lwz lwzu lwzux lwzx
  stb stbu stbux stbx sth sthu sthux sthx stw stwu stwux stwx lhbrx lwbrx sthbrx stwbrx
  lmw stmw lswi lswx stswi stswx lwarx stwcx
  dcba dcbf dcbi dcbst dcbt dcbtst dcbz dccci dcread icbi icbt iccci icread isync msync mbar
  mfmsr mtmsr wrtee wrteei mfspr mtspr mfdcr mtdcr mfcr mtcrf mcrxr rfi rfci rfmci
  tlbre tlbwe tlbsx tlbsync
  lfd lfdu lfdux lfdx lfs lfsu lfsux lfsx stfd stfdu stfdux stfdx stfs stfsu stfsux stfsx stfiwx
  fadd fadds fsub fsubs fmul fmuls fdiv fdivs fmadd fmadds fmsub fmsubs fnmadd fnmadds fnmsub fnmsubs
  fsqrt fsqrts fres frsqrte fsel frsp fctiw fctiwz fabs fnabs fneg fmr mffs mtfsf mtfsfi mtfsb0 mtfsb1
  fcmpu fcmpo mcrfs
`.split(/\s+/).filter(Boolean);

/** Not 440 instructions (ppc440.md 5.7, 5.9): they must not appear in the table. */
const NOT_440 = [
  "mftb", "mftbu", "mfdcrx", "mtdcrx", "mfdcrux", "mtdcrux", "isel", "tlbia", "tlbie", "tlbiva",
  "tlbivax", "eciwx", "ecowx", "mtmsrd", "mfapidi", "mfsr", "mtsr", "mfocrf", "mtocrf", "sync",
  "lwsync", "eieio", "ld", "std", "mfvscr", "evaddw",
];

const names = (f: (r: InsnSpec) => boolean): string[] => [...new Set(INSNS.filter(f).map((r) => r.base))].sort();
const has = (r: InsnSpec, flag: Flag): boolean => (r.flags & flag) !== 0;
const sorted = (s: string): string[] => s.split(/\s+/).filter(Boolean).sort();

describe("instruction table", () => {
  it("has one row per mnemonic", () => {
    const mns = INSNS.map((r) => r.mnemonic);
    expect(new Set(mns).size).toBe(mns.length);
    expect(INSNS.length).toBe(383);
  });

  it("uses unsigned masks that cover the opcode and the match bits", () => {
    for (const r of INSNS) {
      expect(r.match, r.mnemonic).toBe(r.match >>> 0);
      expect(r.mask, r.mnemonic).toBe(r.mask >>> 0);
      expect((r.match & ~r.mask) >>> 0, r.mnemonic).toBe(0);
      expect(r.mask >>> 26, r.mnemonic).toBe(63);
      expect(r.match >>> 26, r.mnemonic).toBe(r.opcd);
    }
  });

  it("covers the variant bits and names them consistently", () => {
    const OE = 1 << 10, RC = 1, AA = 2;
    for (const r of INSNS) {
      const stem = r.mnemonic.replace(/\.$/, "");
      expect(r.rc, r.mnemonic).toBe(r.mnemonic.endsWith("."));
      if (r.form === "D") continue; // andi., addic.: the opcode says it
      if (r.form === "XO") {
        expect(r.mask & OE, r.mnemonic).toBe(OE);
        expect((r.match & OE) !== 0, r.mnemonic).toBe(r.oe);
        expect(r.oe, r.mnemonic).toBe(stem !== r.base && stem.endsWith("o"));
      }
      // lwarx's bit 31 is the Power ISA EH hint for objdump, not Rc.
      if (r.mnemonic !== "lwarx") expect(r.mask & RC, r.mnemonic).toBe(RC);
      if (r.form === "I" || r.form === "B") expect(r.mask & AA, r.mnemonic).toBe(AA);
      if (r.flags & Flag.Branch) {
        expect((r.match & RC) !== 0, r.mnemonic).toBe(r.lk);
        expect((r.match & AA) !== 0, r.mnemonic).toBe(r.aa);
        expect(r.mnemonic, r.mnemonic).toBe(`${r.base}${r.lk ? "l" : ""}${r.aa ? "a" : ""}`);
      } else {
        expect((r.match & RC) !== 0, r.mnemonic).toBe(r.rc);
      }
    }
  });

  it("has no two rows that can match the same word", () => {
    const clashes: string[] = [];
    for (let i = 0; i < INSNS.length; i++) {
      for (let j = i + 1; j < INSNS.length; j++) {
        const a = INSNS[i]!, b = INSNS[j]!;
        if (overlaps(a, b)) clashes.push(`${a.mnemonic} / ${b.mnemonic}`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("finds every row from its own match value", () => {
    for (const r of INSNS) expect(lookup(r.match)?.mnemonic).toBe(r.mnemonic);
  });

  it("has exactly the semantics families the CPU layer expects", () => {
    expect([...new Set(INSNS.map((r) => r.base))].sort()).toEqual([...BASES].sort());
    expect(INSNS.find((r) => r.mnemonic === "addic.")).toMatchObject({ base: "addic", rc: true });
    expect(INSNS.find((r) => r.mnemonic === "andi.")).toMatchObject({ base: "andi", rc: true });
    expect(INSNS.find((r) => r.mnemonic === "andis.")).toMatchObject({ base: "andis", rc: true });
    expect(INSNS.find((r) => r.mnemonic === "stwcx.")).toMatchObject({ base: "stwcx", rc: true });
    expect(INSNS.find((r) => r.mnemonic === "tlbsx.")).toMatchObject({ base: "tlbsx", rc: true });
    expect(INSNS.find((r) => r.mnemonic === "macchwso.")).toMatchObject({ base: "macchws", oe: true, rc: true });
  });

  it("leaves out what is not a 440 instruction", () => {
    for (const mn of NOT_440) expect(INSNS.some((r) => r.mnemonic === mn || r.base === mn), mn).toBe(false);
  });

  it("sets the flags of ppc440.md 5.8 and the block/PV rules", () => {
    expect(names((r) => has(r, Flag.Priv))).toEqual(sorted(`dcbi dccci dcread iccci icread mfdcr mtdcr mfmsr
      mtmsr rfi rfci rfmci tlbre tlbsx tlbsync tlbwe wrtee wrteei`));
    expect(names((r) => has(r, Flag.PvPatchable))).toEqual(sorted("mfmsr mtmsr wrtee wrteei mfspr mtspr tlbsync"));
    expect(names((r) => has(r, Flag.Multi))).toEqual(sorted("lmw stmw lswi lswx stswi stswx"));
    expect(names((r) => has(r, Flag.Trap))).toEqual(["tw", "twi"]);
    expect(names((r) => has(r, Flag.Branch))).toEqual(sorted("b bc bclr bcctr"));
    expect(names((r) => has(r, Flag.Sync))).toEqual(sorted("isync sc rfi rfci rfmci"));
    expect(names((r) => has(r, Flag.Cache))).toEqual(sorted(`dcba dcbf dcbi dcbst dcbt dcbtst dcbz dccci
      dcread icbi icbt iccci icread`));
    expect(names((r) => has(r, Flag.EndsBlock))).toEqual(sorted(`dcbi dccci dcread iccci icread mfdcr mtdcr
      mfmsr mtmsr rfi rfci rfmci tlbre tlbsx tlbsync tlbwe wrtee wrteei mtspr sc isync tw twi b bc bclr bcctr`));
    for (const r of INSNS) {
      expect(has(r, Flag.Mac), r.mnemonic).toBe(r.opcd === 4);
      const fp = r.opcd >= 48 && r.opcd <= 55 || r.opcd === 59 || r.opcd === 63 || /^(l|st)f\w*x$/.test(r.base);
      expect(has(r, Flag.Fp), r.mnemonic).toBe(fp);
    }
    expect(names((r) => has(r, Flag.Load))).toEqual(sorted(`lbz lbzu lbzux lbzx lha lhau lhaux lhax lhz lhzu
      lhzux lhzx lwz lwzu lwzux lwzx lhbrx lwbrx lmw lswi lswx lwarx lfd lfdu lfdux lfdx lfs lfsu lfsux lfsx`));
    expect(names((r) => has(r, Flag.Store))).toEqual(sorted(`stb stbu stbux stbx sth sthu sthux sthx stw stwu
      stwux stwx sthbrx stwbrx stmw stswi stswx stwcx stfd stfdu stfdux stfdx stfs stfsu stfsux stfsx stfiwx
      dcbz dcbi`));
  });

  it("assigns the cost classes", () => {
    const cost = (c: string): string[] => names((r) => r.cost === c);
    expect(cost("mul")).toEqual(sorted("mullw mulli mulhw mulhwu"));
    expect(cost("mulhw")).toEqual(sorted("mulchw mulchwu mulhhw mulhhwu mullhw mullhwu"));
    expect(cost("div")).toEqual(["divw", "divwu"]);
    expect(cost("mac")).toHaveLength(18);
    expect(cost("multi")).toEqual(sorted("lmw stmw lswi lswx stswi stswx"));
    expect(cost("branch")).toEqual(sorted("b bc bclr bcctr"));
    expect(cost("cr")).toEqual(sorted("crand crandc creqv crnand crnor cror crorc crxor mcrf mfcr mtcrf mcrxr"));
    expect(cost("spr")).toEqual(sorted("mfspr mtspr mfmsr mtmsr wrtee wrteei mfdcr mtdcr"));
    expect(cost("sys")).toEqual(sorted("sc rfi rfci rfmci isync msync mbar tw twi"));
    expect(cost("tlb")).toEqual(sorted("tlbre tlbwe tlbsx tlbsync"));
    expect(cost("fpdiv")).toEqual(["fdiv"]);
    expect(cost("fpdivs")).toEqual(["fdivs"]);
    expect(cost("fpsqrt")).toEqual(["fsqrt"]);
    expect(cost("fpsqrts")).toEqual(["fsqrts"]);
    expect(cost("fpload")).toEqual(sorted("lfd lfdu lfdux lfdx lfs lfsu lfsux lfsx"));
    expect(cost("fpstore")).toEqual(sorted("stfd stfdu stfdux stfdx stfs stfsu stfsux stfsx stfiwx"));
    expect(cost("cache")).toEqual(names((r) => has(r, Flag.Cache)));
    for (const r of INSNS.filter((x) => x.cost === "int")) expect(has(r, Flag.Fp) || has(r, Flag.Priv)).toBe(false);
  });
});

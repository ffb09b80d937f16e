import { describe, expect, it } from "vitest";
import { byBase, byMnemonic, decode, invalidForm, lookup, slotOf, validBo } from "../../src/isa/decode.ts";
import { INSNS } from "../../src/isa/table.ts";

/** Deterministic xorshift32 so failures reproduce. */
function words(n: number, seed: number): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out.push(s >>> 0);
  }
  return out;
}

const asm = (w: number): string | undefined => decode(w)?.mnemonic;

describe("decode", () => {
  it("agrees with a linear scan of the table", () => {
    // Random words rarely hit an instruction, so also plant every row's opcode bits.
    const sample = words(100_000, 0x1234567).flatMap((w, i) => {
      const r = INSNS[i % INSNS.length]!;
      return [w, ((w & ~r.mask) | r.match) >>> 0];
    });
    const wrong = sample.filter((w) => lookup(w) !== INSNS.find((r) => ((w & r.mask) >>> 0) === r.match));
    expect(wrong.map((w) => w.toString(16))).toEqual([]);
  });

  it("finds rows by mnemonic and by family", () => {
    expect(byMnemonic("addo.")).toMatchObject({ base: "add", oe: true, rc: true });
    expect(byMnemonic("mftb")).toBeUndefined();
    expect(byBase("add").map((r) => r.mnemonic)).toEqual(["add", "add.", "addo", "addo."]);
    expect(byBase("bc").map((r) => r.mnemonic)).toEqual(["bc", "bcl", "bca", "bcla"]);
    expect(byBase("nope")).toEqual([]);
  });

  it("indexes slots by primary opcode and the low 11 bits", () => {
    expect(slotOf(0x7c0002a6)).toBe((31 << 11) | 0x2a6);
    expect(slotOf(0xfc00002a)).toBe((63 << 11) | 0x2a);
  });

  it("decodes common instructions", () => {
    expect(asm(0x7c0802a6)).toBe("mfspr"); // mflr r0
    expect(asm(0x4e800020)).toBe("bclr"); // blr
    expect(asm(0x60000000)).toBe("ori"); // nop
    expect(asm(0x7c642a15)).toBe("add.");
    expect(asm(0x7c642e15)).toBe("addo.");
    expect(asm(0x10642d59)).toBe("macchwo.");
    expect(asm(0x7c0007a4)).toBe("tlbwe");
    expect(asm(0x7c612725)).toBe("tlbsx.");
    expect(asm(0xfc22193a)).toBe("fmadd");
    expect(asm(0x4c00004c)).toBe("rfmci");
  });

  it("ignores reserved bits objdump ignores and honours the ones it checks", () => {
    expect(asm(0x7ca3222c)).toBe("dcbt"); // bits 6-10 of dcbt are not examined
    expect(asm(0x7c6426ac)).toBe("mbar"); // RA/RB of mbar are not examined
    expect(asm(0x7c232000)).toBe("cmp"); // L=1 is an operand (cmp cr0,1,r3,r4)
    expect(asm(0x7c632000)).toBeUndefined(); // bit 9 of cmp must be zero
    expect(asm(0x7c6100a6)).toBeUndefined(); // mfmsr with RA set
    expect(asm(0x7c6000a7)).toBeUndefined(); // Rc=1 on an X-form without a `.` variant
    expect(asm(0x4e802020)).toBeUndefined(); // bclr with reserved bit 18 set
  });

  it("rejects the invalid forms objdump rejects", () => {
    expect(asm(0x84600004)).toBeUndefined(); // lwzu r3,4(0)
    expect(asm(0x84630004)).toBeUndefined(); // lwzu r3,4(r3)
    expect(asm(0x84640004)).toBe("lwzu");
    expect(asm(0x94600004)).toBeUndefined(); // stwu r3,4(0)
    expect(asm(0x94630004)).toBe("stwu"); // RA=RS is fine for stores
    expect(asm(0xb8630000)).toBeUndefined(); // lmw r3,0(r3)
    expect(asm(0xb8620000)).toBe("lmw");
    expect(asm(0x7c6304aa)).toBeUndefined(); // lswi r3,r3,32
    expect(asm(0x7c641c2a)).toBeUndefined(); // lswx r3,r4,r3
    expect(asm(0x7c4320ac)).toBeUndefined(); // dcbf with L=2
    expect(asm(0x42a20008)).toBeUndefined(); // bc with BO=21
    expect(asm(0x43000008)).toBe("bc"); // BO=24 BI=0: bdnz with the z bit set
    expect(asm(0x43020008)).toBeUndefined(); // BO=24 BI=2
    expect(asm(0x40c20008)).toBe("bc"); // BO=6: "bne" for objdump despite the z bit
    expect(asm(0x4cc20020)).toBeUndefined(); // bclr BO=6
    const lwzu = INSNS.find((r) => r.mnemonic === "lwzu")!;
    expect(invalidForm(lwzu, 0x84600004)).toBe(true);
  });

  it("classifies BO values like Book E", () => {
    const valid = [...Array(32).keys()].filter(validBo);
    expect(valid).toEqual([0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20]);
  });

  it("treats the non-440 encodings as illegal", () => {
    // Divergence from QEMU (which accepts it): the classic mftb (XO 371) is not a Book E
    // instruction; the 440 reads the time base with mfspr 268/269. objdump agrees (.long).
    expect(asm(0x7c6c42e6)).toBeUndefined();
    expect(asm(0x7c6c42a6)).toBe("mfspr"); // mfspr r3,268 ("mftb r3" for objdump)
    expect(asm(0x7c2004ac)).toBeUndefined(); // lwsync
    expect(asm(0x7c0004ac)).toBe("msync");
    expect(asm(0x7c64289e)).toBeUndefined(); // isel
    expect(asm(0x7c640206)).toBeUndefined(); // mfdcrx
    expect(asm(0x7c001a64)).toBeUndefined(); // tlbie
    expect(asm(0x7c032624)).toBeUndefined(); // tlbivax
    expect(asm(0x7c701026)).toBeUndefined(); // mfocrf
    expect(asm(0x10642c06)).toBeUndefined(); // udi0fcm (440 APU user-defined, not on the 440EPx)
  });
});

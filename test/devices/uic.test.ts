import { describe, expect, it } from "vitest";
import { DcrBusImpl } from "../../src/devices/dcr.ts";
import { Uic, UicReg, cascadeUic } from "../../src/devices/uic.ts";

const bit = (n: number) => (0x80000000 >>> n) >>> 0;

function setup() {
  const uic = new Uic({ name: "uic0" });
  const changes: [boolean, boolean][] = [];
  uic.onChange = (e, c) => changes.push([e, c]);
  return { uic, changes };
}

describe("UIC", () => {
  it("level input: SR follows the line, ER masks, MSR = SR & ER, write-1-to-clear re-asserts", () => {
    const { uic, changes } = setup();
    uic.setInput(0, true); // UART0 raises its line (active high after reset)
    expect(uic.read(UicReg.SR)).toBe(bit(0));
    expect(uic.read(UicReg.MSR)).toBe(0);
    expect(uic.external).toBe(false);
    uic.write(UicReg.ER, bit(0) | bit(1));
    expect(uic.read(UicReg.MSR)).toBe(bit(0));
    expect(uic.external).toBe(true);
    expect(changes).toEqual([[true, false]]);
    uic.write(UicReg.SR, 0xffffffff); // still asserted: comes straight back
    expect(uic.read(UicReg.SR)).toBe(bit(0));
    expect(changes).toHaveLength(1); // no glitch reported
    uic.setInput(0, false); // device deasserts
    expect(uic.read(UicReg.SR)).toBe(0);
    expect(uic.external).toBe(false);
    expect(changes).toEqual([[true, false], [false, false]]);
    uic.write(UicReg.MSR, 0xffffffff); // read-only
    expect(uic.read(UicReg.MSR)).toBe(0);
  });

  it("edge input latches until written 1 to clear", () => {
    const { uic } = setup();
    uic.write(UicReg.TR, bit(5));
    uic.write(UicReg.ER, bit(5));
    uic.setInput(5, true); // rising edge
    uic.setInput(5, false);
    expect(uic.read(UicReg.SR)).toBe(bit(5));
    expect(uic.external).toBe(true);
    uic.write(UicReg.SR, bit(5));
    expect(uic.read(UicReg.SR)).toBe(0);
    expect(uic.external).toBe(false);
    uic.setInput(5, true);
    uic.write(UicReg.SR, bit(5)); // edge already consumed: stays clear while high
    expect(uic.read(UicReg.SR)).toBe(0);
    uic.setInput(5, false); // falling edge is not active with PR=1
    expect(uic.read(UicReg.SR)).toBe(0);
  });

  it("polarity: active-low level and falling-edge inputs", () => {
    const { uic } = setup();
    uic.setInput(7, true); // idle high
    uic.setInput(8, true);
    uic.write(UicReg.PR, ~(bit(7) | bit(8)) >>> 0);
    uic.write(UicReg.TR, bit(8));
    uic.write(UicReg.SR, 0xffffffff);
    expect(uic.read(UicReg.SR)).toBe(0);
    uic.setInput(7, false); // asserted (low)
    expect(uic.read(UicReg.SR)).toBe(bit(7));
    uic.setInput(8, false); // falling edge
    expect(uic.read(UicReg.SR)).toBe(bit(7) | bit(8));
    uic.setInput(7, true);
    uic.setInput(8, true); // rising edge: nothing, bit 8 stays latched
    expect(uic.read(UicReg.SR)).toBe(bit(8));
    // unconnected pins sit low: making one active-low level asserts it
    uic.write(UicReg.PR, ~bit(20) >>> 0);
    expect(uic.read(UicReg.SR) & bit(20)).toBe(bit(20));
  });

  it("SRS sets status bits, CR routes to the critical output", () => {
    const { uic, changes } = setup();
    uic.write(UicReg.ER, bit(3) | bit(4));
    uic.write(UicReg.CR, bit(4));
    uic.write(UicReg.SRS, bit(4));
    expect(uic.read(UicReg.SRS)).toBe(bit(4));
    expect([uic.external, uic.critical]).toEqual([false, true]);
    uic.write(UicReg.SRS, bit(3));
    expect([uic.external, uic.critical]).toEqual([true, true]);
    uic.write(UicReg.CR, 0); // both non-critical now
    expect([uic.external, uic.critical]).toEqual([true, false]);
    uic.write(UicReg.SR, bit(3) | bit(4));
    expect(changes).toEqual([[false, true], [true, true], [true, false], [false, false]]);
  });

  it("VR: critical interrupts only, 512 bytes per bit from the highest-priority end", () => {
    const { uic } = setup();
    uic.write(UicReg.VCR, 0x00100003); // VBA 0x00100000, reserved bit 30 dropped, PRO=1
    expect(uic.read(UicReg.VCR)).toBe(0x00100001);
    uic.write(UicReg.ER, 0xffffffff);
    uic.write(UicReg.SRS, bit(20)); // non-critical: no vector
    expect(uic.read(UicReg.VR)).toBe(0);
    uic.write(UicReg.CR, bit(27) | bit(10));
    uic.write(UicReg.SRS, bit(27) | bit(10));
    // PRO=1: SR[31] is highest, SR[27] wins over SR[10]: offset (31-27)*512 (405GP manual example)
    expect(uic.read(UicReg.VR)).toBe(0x00100000 + 4 * 512);
    uic.write(UicReg.VCR, 0x00100000); // PRO=0: SR[0] is highest, SR[10] wins: offset 10*512
    expect(uic.read(UicReg.VR)).toBe(0x00100000 + 10 * 512);
    uic.write(UicReg.SR, bit(10));
    expect(uic.read(UicReg.VR)).toBe(0x00100000 + 27 * 512);
  });

  it("cascades UIC1 into UIC0 inputs 30/31 over the DCR bus", () => {
    const uic0 = new Uic({ name: "uic0" });
    const uic1 = new Uic({ name: "uic1" });
    const bus = new DcrBusImpl();
    bus.map(0xc0, 9, uic0, "uic0");
    bus.map(0xd0, 9, uic1, "uic1");
    cascadeUic(uic1, uic0);
    const cpu: string[] = [];
    uic0.onChange = (e, c) => cpu.push(`${e ? "E" : "e"}${c ? "C" : "c"}`);
    bus.write(0xc2, bit(30) | bit(31)); // UIC0 ER: cascade inputs
    bus.write(0xc3, bit(31)); // UIC0 CR: the critical cascade stays critical
    bus.write(0xd2, bit(12) | bit(13)); // UIC1 ER
    bus.write(0xd3, bit(13)); // UIC1 CR: input 13 critical
    uic1.setInput(12, true);
    expect(bus.read(0xc6)).toBe(bit(30)); // UIC0 MSR shows the cascade
    expect(bus.read(0xd6)).toBe(bit(12));
    expect(cpu).toEqual(["Ec"]);
    uic1.setInput(13, true);
    expect(bus.read(0xc6)).toBe((bit(30) | bit(31)) >>> 0);
    expect(cpu).toEqual(["Ec", "EC"]);
    // Linux acks the parent while the child is still pending: level input re-asserts
    bus.write(0xc0, bit(30));
    expect(bus.read(0xc0)! & bit(30)).toBe(bit(30));
    uic1.setInput(12, false);
    uic1.setInput(13, false);
    expect(bus.read(0xc0)).toBe(0);
    expect(cpu).toEqual(["Ec", "EC", "eC", "ec"]);
  });

  it("reset restores registers but keeps pin levels", () => {
    const { uic } = setup();
    uic.write(UicReg.ER, 0xffffffff);
    uic.write(UicReg.TR, 0x0f);
    uic.setInput(2, true);
    uic.reset();
    expect([uic.er, uic.tr, uic.cr, uic.pr >>> 0]).toEqual([0, 0, 0, 0xffffffff]);
    expect(uic.read(UicReg.SR)).toBe(bit(2)); // the line is still high
    expect(() => uic.setInput(32, true)).toThrow(RangeError);
  });
});

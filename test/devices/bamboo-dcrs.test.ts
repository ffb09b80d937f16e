import { describe, expect, it } from "vitest";
import {
  CPR0_OPBD, CPR0_PERD, CPR0_PLLC, CPR0_PLLD, CPR0_PRIMAD, CPR0_PRIMBD, Cpr0, DEFAULT_SYSCLK_HZ,
  SDR0_PFC1, SDR0_UART0, SDR0_UART_EXT_CLK, Sdram0, bankSize, installBambooDcrs,
} from "../../src/devices/bamboo-dcrs.ts";
import { DcrBusImpl } from "../../src/devices/dcr.ts";

const MiB = 1 << 20;

function board(ramSize = 128 * MiB) {
  const bus = new DcrBusImpl();
  const d = installBambooDcrs(bus, { ramSize });
  const mfdcr = (n: number) => {
    const v = bus.read(n);
    if (v === undefined) throw new Error(`no DCR 0x${n.toString(16)}`);
    return v;
  };
  const mtdcr = (n: number, v: number) => expect(bus.write(n, v)).toBe(true);
  const cpr = (r: number) => { mtdcr(0x0c, r); return mfdcr(0x0d); };
  const sdr = (r: number) => { mtdcr(0x0e, r); return mfdcr(0x0f); };
  const sdram = (r: number) => { mtdcr(0x10, r); return mfdcr(0x11); };
  return { bus, d, mfdcr, mtdcr, cpr, sdr, sdram };
}

/** Linux arch/powerpc/boot/4xx.c __ibm440eplike_fixup_clocks + eplike_fixup_uart_clk, in u32. */
function linuxClocks(cpr: (r: number) => number, sdr: (r: number) => number, sysClk: number) {
  const fz = (v: number, d: number) => (v ? v : d);
  const pllc = cpr(CPR0_PLLC), plld = cpr(CPR0_PLLD);
  const fbdv = fz((plld >>> 24) & 0x1f, 32), fwdva = fz((plld >>> 16) & 0xf, 16);
  const fwdvb = fz((plld >>> 8) & 7, 8), lfbdv = fz(plld & 0x3f, 64);
  const pradv0 = fz((cpr(CPR0_PRIMAD) >>> 24) & 7, 8), prbdv0 = fz((cpr(CPR0_PRIMBD) >>> 24) & 7, 8);
  const opbdv0 = fz((cpr(CPR0_OPBD) >>> 24) & 3, 4), perdv0 = fz((cpr(CPR0_PERD) >>> 24) & 3, 4);
  expect(pllc & 0x40000000).not.toBe(0);
  const sel = (pllc >>> 24) & 7;
  let m = sel === 0 ? ((pllc & 0x20000000) ? fwdvb : fwdva) * lfbdv : sel === 1 ? fwdva * pradv0 : fwdvb * prbdv0 * opbdv0 * perdv0;
  m *= fbdv;
  const vco = (sysClk * m) >>> 0;
  const cpu = Math.floor(Math.floor(vco / fwdva) / pradv0);
  const plb = Math.floor(Math.floor(vco / fwdvb) / prbdv0);
  const uartSdr = sdr(SDR0_UART0);
  const uart0 = uartSdr & 0x00800000 ? -1 : Math.floor(plb / fz(uartSdr & 0xff, 256));
  return { vco, cpu, plb, opb: Math.floor(plb / opbdv0), ebc: Math.floor(plb / perdv0), uart0 };
}

describe("CPR0 / SDR0 clocks", () => {
  it("decode to 667 MHz CPU, 133.4 MHz PLB, 66.7 MHz OPB the way Linux computes them", () => {
    const { d, cpr, sdr } = board();
    const lin = linuxClocks(cpr, sdr, DEFAULT_SYSCLK_HZ);
    expect(lin).toEqual({ vco: 1_334_000_000, cpu: 667_000_000, plb: 133_400_000, opb: 66_700_000, ebc: 66_700_000, uart0: 16_675_000 });
    const c = d.cpr0.clocks();
    expect(c).toMatchObject({ cpu: lin.cpu, plb: lin.plb, opb: lin.opb, ebc: lin.ebc, vco: lin.vco, mal: 133_400_000 });
    expect(d.sdr0.uartClockHz(0)).toBe(lin.uart0);
    expect(d.sdr0.uartClockHz(3)).toBe(lin.uart0);
  });

  it("follows the registers and the input clock", () => {
    const c = new Cpr0(33_333_333);
    expect(c.clocks().cpu).toBe(666_666_660);
    const { d, mtdcr, cpr, sdr } = board();
    mtdcr(0x0c, CPR0_PRIMBD);
    mtdcr(0x0d, 0x04000000); // PLB = VCO/5/4
    expect(cpr(CPR0_PRIMBD)).toBe(0x04000000);
    expect(d.cpr0.clocks().plb).toBe(66_700_000);
    mtdcr(0x0e, SDR0_UART0 + 1);
    mtdcr(0x0f, SDR0_UART_EXT_CLK);
    expect(d.sdr0.uartClockHz(1)).toBe(11_059_200);
    mtdcr(0x0c, 0x1234);
    expect(cpr(0x1234)).toBe(0); // unknown CPR0 register
    expect(sdr(0x7777)).toBe(0); // unknown SDR0 register
    mtdcr(0x0e, SDR0_PFC1);
    mtdcr(0x0f, 0x00020000);
    expect(sdr(SDR0_PFC1)).toBe(0x00020000);
  });
});

describe("SDRAM0", () => {
  /** Linux arch/powerpc/boot/4xx.c ibm4xx_fixup_memsize. */
  const linuxMemsize = (sdram: (r: number) => number) => {
    let size = 0;
    for (const r of [0x40, 0x44, 0x48, 0x4c]) {
      const bcr = sdram(r);
      if (bcr & 1) size += 0x00400000 * 2 ** ((bcr & 0x000e0000) >>> 17);
    }
    return size;
  };

  it("describes the RAM size in its bank registers (QEMU's layout)", () => {
    const { sdram } = board(128 * MiB);
    expect(sdram(0x40)).toBe(0x000a0001); // base 0, 128 MiB, enabled
    expect(sdram(0x44)).toBe(0);
    expect(linuxMemsize(sdram)).toBe(128 * MiB);
    expect(sdram(0x20) >>> 0).toBe(0x80000000); // CFG[DCE]
  });

  it("splits sizes into banks, largest first", () => {
    const s = new Sdram0(352 * MiB);
    expect(s.banks.map((b) => [b.base / MiB, b.size / MiB])).toEqual([[0, 256], [256, 64], [320, 32], [0, 0]]);
    expect(s.banks.map((b) => b.bcr >>> 0)).toEqual([0x000c0001, 0x10080001, 0x14060001, 0]);
    expect(s.totalSize).toBe(352 * MiB);
    const { sdram } = board(1024 * MiB);
    expect(linuxMemsize(sdram)).toBe(1024 * MiB);
    expect(bankSize(0x000c0001)).toBe(256 * MiB);
    expect(() => new Sdram0(2 * MiB)).toThrow(/cannot be split/);
    expect(() => new Sdram0(1280 * MiB)).toThrow(/cannot be split/);
  });

  it("keeps QEMU's register behaviour", () => {
    const { mtdcr, sdram } = board(64 * MiB);
    mtdcr(0x10, 0x44);
    mtdcr(0x11, 0xffffffff); // unpopulated bank: ignored
    expect(sdram(0x44)).toBe(0);
    mtdcr(0x10, 0x40);
    mtdcr(0x11, 0xffffffff);
    expect(sdram(0x40)).toBe(0xffdee001);
    mtdcr(0x10, 0x20);
    mtdcr(0x11, 0); // disable the controller: STATUS shows it
    expect(sdram(0x24) >>> 0).toBe(0x80000000);
    expect(sdram(0x30)).toBe(0x05f00000);
    expect(sdram(0x9c) >>> 0).toBe(0xffffffff);
  });
});

describe("EBC0, PLB4 arbiter, map", () => {
  it("EBC0 has no banks, the arbiter lets Linux clear WRP", () => {
    const { bus, mfdcr, mtdcr } = board();
    mtdcr(0x12, 0);
    expect(mfdcr(0x13)).toBe(0);
    expect(mfdcr(0x12)).toBe(0);
    // __plb_disable_wrp: mfdcr; rlwinm r3,r3,0,8,6; mtdcr
    const acr = mfdcr(0x81);
    mtdcr(0x81, acr & ~0x01000000);
    expect(mfdcr(0x81) & 0x01000000).toBe(0);
    expect(bus.describe().split("\n")).toEqual([
      "dcr 0x00c-0x00d cpr0", "dcr 0x00e-0x00f sdr0", "dcr 0x010-0x011 sdram0", "dcr 0x012-0x013 ebc0",
      "dcr 0x080-0x087 plb4a0",
    ]);
    expect(bus.read(0xc0)).toBeUndefined(); // the UICs are the board's
  });
});

/**
 * The system DCRs of a 440EP/440EPx board besides the UICs: CPR0 (clocks), SDR0 (system device
 * registers), SDRAM0 (DDR controller), EBC0 (external bus), and the PLB4 arbiter register that
 * Linux's __setup_cpu_440epx touches. All but the arbiter are 4xx "indirect" pairs: mtdcr the
 * register number to the first DCR, then mfdcr/mtdcr the second.
 *
 * Clocks (CPR0). Decoded exactly as Linux's boot wrapper does (arch/powerpc/boot/4xx.c,
 * __ibm440eplike_fixup_clocks), so a guest that computes its clocks from CPR0 gets the numbers we
 * put in the device tree:
 *   PLLC  = 0x41000000   ENG=1 (PLL engaged), SEL=1 (feedback from the CPU clock)
 *   PLLD  = 0x14020501   FBDV=20, FWDVA=2, FWDVB=5, LFBDV=1
 *   PRIMAD= 0x01000000   PRADV0=1          PRIMBD= 0x02000000  PRBDV0=2
 *   OPBD  = 0x02000000   OPBDV0=2          PERD  = 0x02000000  PERDV0=2
 *   MALD  = 0x01000000   MALDV0=1          SPCID = 0x03000000  SPCIDV0=3 (PCI sync)
 *   M = FBDV*FWDVA*PRADV0 = 40; VCO = SysClk*M; CPU = VCO/FWDVA/PRADV0 = SysClk*20;
 *   PLB = VCO/FWDVB/PRBDV0 = CPU/5; OPB = PLB/2; EBC = PLB/PERDV0; MAL = PLB/MALDV0.
 * SysClk defaults to 33 350 000 Hz (a "33.33 MHz" board oscillator, trimmed so that CPU is
 * exactly 667 000 000 Hz = cpu/cycles.ts DEFAULT_CLOCK_HZ, the virtual clock's rate):
 *   VCO 1334 MHz, CPU 667 MHz, PLB 133.4 MHz, OPB 66.7 MHz, EBC 66.7 MHz, MAL 133.4 MHz.
 * With the classic 33 333 333 Hz input the same registers give 666.67/133.33/66.67 MHz.
 * Writing CPR0 is accepted and changes what the registers (and `clocks()`) say, never the speed
 * of the emulated core.
 *
 * UART clocks (SDR0_UARTn, 0x120+n): bit 0x00800000 selects the external serial clock, else the
 * clock is PLB / (bits 24..31, 0 = 256). We use PLB/8 = 16.675 MHz (115200 baud: divisor 9,
 * +0.5%).
 *
 * SDRAM0 follows QEMU's ppc4xx_sdram_ddr (the 440EP DDR controller QEMU's bamboo uses): RAM is
 * split into at most 4 banks of 4..256 MiB, largest first, and B0CR..B3CR (0x40..0x4C) describe
 * them: base in bits 0..8, size code (4 MiB << n) in bits 12..14, enable bit 31. CFG has DCE set
 * (firmware enabled the controller). Banks are never unmapped: RAM stays where it is whatever the
 * guest writes. (A real 440EPx has a Denali DDR2 core at the same DCRs; we model the 440EP one,
 * which is what Linux's bamboo support and QEMU expect.)
 */

import { DcrBusImpl, DcrRegisterFile, IndirectDcr } from "./dcr.ts";

// ---- CPR0 ----

export const DCRN_CPR0_ADDR = 0x0c;
export const CPR0_CLKUPD = 0x20, CPR0_PLLC = 0x40, CPR0_PLLD = 0x60, CPR0_PRIMAD = 0x80;
export const CPR0_PRIMBD = 0xa0, CPR0_OPBD = 0xc0, CPR0_PERD = 0xe0, CPR0_MALD = 0x100;
export const CPR0_SPCID = 0x120, CPR0_ICFG = 0x140;

export const DEFAULT_SYSCLK_HZ = 33_350_000;

export interface BoardClocks {
  sysClk: number;
  vco: number;
  cpu: number;
  plb: number;
  opb: number;
  ebc: number;
  mal: number;
  pci: number;
}

const fixZero = (v: number, def: number): number => (v === 0 ? def : v);

export class Cpr0 extends IndirectDcr {
  readonly regs = new Map<number, number>([
    [CPR0_CLKUPD, 0],
    [CPR0_PLLC, 0x41000000],
    [CPR0_PLLD, 0x14020501],
    [CPR0_PRIMAD, 0x01000000],
    [CPR0_PRIMBD, 0x02000000],
    [CPR0_OPBD, 0x02000000],
    [CPR0_PERD, 0x02000000],
    [CPR0_MALD, 0x01000000],
    [CPR0_SPCID, 0x03000000],
    [CPR0_ICFG, 0],
  ]);

  constructor(readonly sysClkHz = DEFAULT_SYSCLK_HZ) {
    super();
  }

  protected readReg(reg: number): number { return this.regs.get(reg) ?? 0; }

  protected writeReg(reg: number, value: number): void {
    if (this.regs.has(reg)) this.regs.set(reg, value);
  }

  /** The clocks the registers describe (integer Hz, the boot wrapper's arithmetic). */
  clocks(): BoardClocks {
    const r = (n: number): number => this.regs.get(n) ?? 0;
    const pllc = r(CPR0_PLLC);
    const plld = r(CPR0_PLLD);
    const fbdv = fixZero((plld >>> 24) & 0x1f, 32);
    const fwdva = fixZero((plld >>> 16) & 0xf, 16);
    const fwdvb = fixZero((plld >>> 8) & 7, 8);
    const lfbdv = fixZero(plld & 0x3f, 64);
    const pradv0 = fixZero((r(CPR0_PRIMAD) >>> 24) & 7, 8);
    const prbdv0 = fixZero((r(CPR0_PRIMBD) >>> 24) & 7, 8);
    const opbdv0 = fixZero((r(CPR0_OPBD) >>> 24) & 3, 4);
    const perdv0 = fixZero((r(CPR0_PERD) >>> 24) & 3, 4);
    const maldv0 = fixZero((r(CPR0_MALD) >>> 24) & 3, 4);
    const spcidv0 = fixZero((r(CPR0_SPCID) >>> 24) & 3, 4);
    const sys = this.sysClkHz;
    let m = 0;
    if (pllc & 0x40000000) {
      switch ((pllc >>> 24) & 7) {
        case 0: m = ((pllc & 0x20000000) ? fwdvb : fwdva) * lfbdv; break;
        case 1: m = fwdva * pradv0; break;
        case 5: m = fwdvb * prbdv0 * opbdv0 * perdv0; break;
        default: m = 0; // invalid feedback source: the boot wrapper falls back to bypass
      }
    }
    let vco = 0, clkA = sys, clkB = sys;
    if (m !== 0) {
      vco = sys * m * fbdv;
      clkA = Math.floor(vco / fwdva);
      clkB = Math.floor(vco / fwdvb);
    }
    const cpu = Math.floor(clkA / pradv0);
    const plb = Math.floor(clkB / prbdv0);
    return {
      sysClk: sys, vco, cpu, plb,
      opb: Math.floor(plb / opbdv0),
      ebc: Math.floor(plb / perdv0),
      mal: Math.floor(plb / maldv0),
      pci: Math.floor(plb / spcidv0),
    };
  }
}

// ---- SDR0 ----

export const DCRN_SDR0_ADDR = 0x0e;
export const SDR0_SDSTP0 = 0x20, SDR0_PINSTP = 0x40, SDR0_ECID0 = 0x80, SDR0_UART0 = 0x120;
export const SDR0_SRST = 0x200, SDR0_CUST0 = 0x4000, SDR0_PFC0 = 0x4100, SDR0_PFC1 = 0x4101, SDR0_MFR = 0x4300;
export const SDR0_UART_EXT_CLK = 0x00800000;

export class Sdr0 extends IndirectDcr {
  /** Known registers; everything else reads 0 and ignores writes. */
  readonly regs = new Map<number, number>([
    [SDR0_SDSTP0, 0], [SDR0_SDSTP0 + 1, 0], [SDR0_SDSTP0 + 2, 0], [SDR0_SDSTP0 + 3, 0],
    [SDR0_PINSTP, 0],
    // electronic chip id: arbitrary, fixed so runs are reproducible
    [SDR0_ECID0, 0x48563434], [SDR0_ECID0 + 1, 0x30000000], [SDR0_ECID0 + 2, 0], [SDR0_ECID0 + 3, 0x00000001],
    [SDR0_UART0, 8], [SDR0_UART0 + 1, 8], [SDR0_UART0 + 2, 8], [SDR0_UART0 + 3, 8],
    [SDR0_SRST, 0], [SDR0_CUST0, 0], [SDR0_PFC0, 0], [SDR0_PFC1, 0], [SDR0_MFR, 0],
  ]);
  private readonly readOnly = new Set([SDR0_SDSTP0, SDR0_SDSTP0 + 1, SDR0_SDSTP0 + 2, SDR0_SDSTP0 + 3,
    SDR0_PINSTP, SDR0_ECID0, SDR0_ECID0 + 1, SDR0_ECID0 + 2, SDR0_ECID0 + 3]);

  constructor(private readonly cpr0: Cpr0, readonly externalSerialClkHz = 11_059_200) {
    super();
  }

  protected readReg(reg: number): number { return this.regs.get(reg) ?? 0; }

  protected writeReg(reg: number, value: number): void {
    if (this.regs.has(reg) && !this.readOnly.has(reg)) this.regs.set(reg, value);
  }

  /** Input clock of UART n (0..3), as Linux's boot wrapper computes it. */
  uartClockHz(n: number): number {
    const sdr = this.regs.get(SDR0_UART0 + n) ?? 0;
    if (sdr & SDR0_UART_EXT_CLK) return this.externalSerialClkHz;
    return Math.floor(this.cpr0.clocks().plb / fixZero(sdr & 0xff, 256));
  }
}

// ---- SDRAM0 (440EP DDR controller, QEMU's ppc4xx_sdram_ddr) ----

export const DCRN_SDRAM0_ADDR = 0x10;
export const SDRAM0_BESR0 = 0x00, SDRAM0_BESR1 = 0x08, SDRAM0_BEAR = 0x10, SDRAM0_CFG = 0x20;
export const SDRAM0_STATUS = 0x24, SDRAM0_RTR = 0x30, SDRAM0_PMIT = 0x34, SDRAM0_B0CR = 0x40;
export const SDRAM0_TR = 0x80, SDRAM0_ECCCFG = 0x94, SDRAM0_ECCESR = 0x98;

const MiB = 1024 * 1024;
const BANK_SIZES = [256, 128, 64, 32, 16, 8, 4].map((m) => m * MiB);

export interface SdramBank {
  base: number;
  size: number;
  bcr: number;
}

export class Sdram0 extends IndirectDcr {
  readonly banks: SdramBank[] = [];
  besr0 = 0;
  besr1 = 0;
  bear = 0;
  cfg = 0x80000000; // DCE: the controller is enabled (firmware's job, QEMU does the same)
  status = 0;
  rtr = 0x05f00000;
  pmit = 0x07c00000;
  tr = 0x00854009;
  ecccfg = 0;
  eccesr = 0;

  constructor(readonly ramSize: number, readonly ramBase = 0) {
    super();
    let left = ramSize;
    let base = ramBase;
    for (let i = 0; i < 4 && left > 0; i++) {
      const size = BANK_SIZES.find((s) => s <= left);
      if (size === undefined) break;
      this.banks.push({ base, size, bcr: bankBcr(base, size) });
      base += size;
      left -= size;
    }
    if (left !== 0) {
      throw new Error(`SDRAM0: ${ramSize / MiB} MiB cannot be split into 4 banks of 4..256 MiB`);
    }
    while (this.banks.length < 4) this.banks.push({ base: 0, size: 0, bcr: 0 });
  }

  /** RAM described by the enabled banks (what a boot loader would report). */
  get totalSize(): number {
    return this.banks.reduce((t, b) => t + ((b.bcr & 1) ? bankSize(b.bcr) : 0), 0);
  }

  protected readReg(reg: number): number {
    switch (reg) {
      case SDRAM0_BESR0: return this.besr0;
      case SDRAM0_BESR1: return this.besr1;
      case SDRAM0_BEAR: return this.bear;
      case SDRAM0_CFG: return this.cfg;
      case SDRAM0_STATUS: return this.status;
      case SDRAM0_RTR: return this.rtr;
      case SDRAM0_PMIT: return this.pmit;
      case SDRAM0_B0CR: case SDRAM0_B0CR + 4: case SDRAM0_B0CR + 8: case SDRAM0_B0CR + 12:
        return this.banks[(reg - SDRAM0_B0CR) >> 2]!.bcr;
      case SDRAM0_TR: return this.tr;
      case SDRAM0_ECCCFG: return this.ecccfg;
      case SDRAM0_ECCESR: return this.eccesr;
      default: return 0xffffffff; // as QEMU: an unknown register reads all ones
    }
  }

  protected writeReg(reg: number, v: number): void {
    switch (reg) {
      case SDRAM0_BESR0: this.besr0 = (this.besr0 & ~v) >>> 0; break;
      case SDRAM0_BESR1: this.besr1 = (this.besr1 & ~v) >>> 0; break;
      case SDRAM0_BEAR: this.bear = v; break;
      case SDRAM0_CFG: {
        v = (v & 0xffe00000) >>> 0;
        // STATUS[MRSC] mirrors "controller idle/disabled", STATUS[MISR] self-refresh (QEMU)
        if ((this.cfg ^ v) & 0x80000000) this.status = (v & 0x80000000) ? this.status & ~0x80000000 : this.status | 0x80000000;
        if ((this.cfg ^ v) & 0x40000000) this.status = (v & 0x40000000) ? this.status | 0x40000000 : this.status & ~0x40000000;
        this.status >>>= 0;
        this.cfg = v;
        break;
      }
      case SDRAM0_RTR: this.rtr = (v & 0x3ff80000) >>> 0; break;
      case SDRAM0_PMIT: this.pmit = ((v & 0xf8000000) | 0x07c00000) >>> 0; break;
      case SDRAM0_B0CR: case SDRAM0_B0CR + 4: case SDRAM0_B0CR + 8: case SDRAM0_B0CR + 12: {
        const b = this.banks[(reg - SDRAM0_B0CR) >> 2]!;
        if (b.size) b.bcr = (v & 0xffdee001) >>> 0; // only populated banks are programmable
        break;
      }
      case SDRAM0_TR: this.tr = (v & 0x018fc01f) >>> 0; break;
      case SDRAM0_ECCCFG: this.ecccfg = (v & 0x00f00000) >>> 0; break;
      case SDRAM0_ECCESR: this.eccesr = (v & 0xfff0f000) >>> 0; break;
      default: break;
    }
  }
}

/** Bank configuration register: base (8 MiB aligned) | size code << 17 | enable. */
export function bankBcr(base: number, size: number): number {
  const code = Math.log2(size / (4 * MiB));
  if (!Number.isInteger(code) || code < 0 || code > 6) throw new Error(`SDRAM0: bank size ${size}`);
  return ((base & 0xff800000) | (code << 17) | 1) >>> 0;
}

/** Bank size a BCR describes (4 MiB << size code). */
export function bankSize(bcr: number): number {
  return (4 * MiB) * 2 ** ((bcr >>> 17) & 7);
}

// ---- EBC0 ----

export const DCRN_EBC0_ADDR = 0x12;

/** External bus controller: no banks configured (every BxCR reads 0 = bank unused). */
export class Ebc0 extends IndirectDcr {
  protected readReg(): number { return 0; }
  protected writeReg(): void {}
}

// ---- PLB4 arbiter (DCR 0x80..0x87) ----

export const DCRN_PLB4A0_BASE = 0x80;
/** PLB4A0_ACR (0x81): Linux clears the write-pipelining bit on 440EPx (erratum). */
export const PLB4_ACR_WRP = 0x01000000;

export function plb4Arbiter(): DcrRegisterFile {
  // REVID, ACR, BESRL, BESRH, BEARL, BEARH, (2 reserved); only ACR is writable
  return new DcrRegisterFile([0, PLB4_ACR_WRP, 0, 0, 0, 0, 0, 0], [0, 0xffffffff, 0, 0, 0, 0, 0, 0]);
}

// ---- board helper ----

export interface BambooDcrs {
  cpr0: Cpr0;
  sdr0: Sdr0;
  sdram0: Sdram0;
  ebc0: Ebc0;
  plb4: DcrRegisterFile;
}

/** Maps CPR0, SDR0, SDRAM0, EBC0 and the PLB4 arbiter (the UICs are mapped by the board). */
export function installBambooDcrs(bus: DcrBusImpl, opts: { ramSize: number; sysClkHz?: number }): BambooDcrs {
  const cpr0 = new Cpr0(opts.sysClkHz);
  const d: BambooDcrs = {
    cpr0,
    sdr0: new Sdr0(cpr0),
    sdram0: new Sdram0(opts.ramSize),
    ebc0: new Ebc0(),
    plb4: plb4Arbiter(),
  };
  bus.map(DCRN_CPR0_ADDR, 2, d.cpr0, "cpr0");
  bus.map(DCRN_SDR0_ADDR, 2, d.sdr0, "sdr0");
  bus.map(DCRN_SDRAM0_ADDR, 2, d.sdram0, "sdram0");
  bus.map(DCRN_EBC0_ADDR, 2, d.ebc0, "ebc0");
  bus.map(DCRN_PLB4A0_BASE, 8, d.plb4, "plb4a0");
  return d;
}

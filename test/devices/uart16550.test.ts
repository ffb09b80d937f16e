import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/devices/events.ts";
import {
  IER_MSI, IER_RDI, IER_RLSI, IER_THRI, IIR_MSI, IIR_NO_INT, IIR_RDI, IIR_RLSI, IIR_THRI, IIR_TIMEOUT,
  LSR_DR, LSR_OE, LSR_TEMT, LSR_THRE, MCR_LOOP, Uart16550,
} from "../../src/devices/uart16550.ts";

const RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function make(opts: ConstructorParameters<typeof Uart16550>[0] = {}) {
  const u = new Uart16550(opts);
  const out: number[] = [];
  const irq: boolean[] = [];
  u.onOutput = (b) => out.push(b);
  u.onIrq = (l) => irq.push(l);
  const rd = (o: number) => u.read(o, 1);
  const wr = (o: number, v: number) => u.write(o, 1, v);
  return { u, out, irq, rd, wr };
}

describe("16550 UART", () => {
  it("polled putc: wait for THRE, write THR", () => {
    const { out, rd, wr } = make();
    for (const ch of Buffer.from("PASS\n")) {
      let spins = 0;
      while ((rd(LSR) & LSR_THRE) === 0) if (++spins > 10) throw new Error("THRE never set");
      wr(THR, ch);
    }
    expect(Buffer.from(out).toString()).toBe("PASS\n");
    expect(rd(LSR) & (LSR_THRE | LSR_TEMT)).toBe(LSR_THRE | LSR_TEMT);
  });

  it("DLAB switches offsets 0/1 to the divisor latch", () => {
    const { u, out, rd, wr } = make();
    wr(IER, 0x05);
    wr(LCR, 0x83); // DLAB, 8N1
    wr(DLL, 9);
    wr(DLM, 0x01);
    expect([rd(DLL), rd(DLM)]).toEqual([9, 1]);
    expect(out).toEqual([]); // DLL write is not a transmit
    wr(LCR, 0x03);
    expect(rd(IER)).toBe(0x05);
    expect(u.divisor).toBe(0x109);
    wr(SCR, 0x5a);
    expect(rd(SCR)).toBe(0x5a);
  });

  it("passes Linux 8250 autoconfig as a 16550A", () => {
    const { u, rd, wr } = make();
    // IER test
    const scratch = rd(IER);
    wr(IER, 0);
    const s2 = rd(IER) & 0x0f;
    wr(IER, 0x0f);
    const s3 = rd(IER) & 0x0f;
    wr(IER, scratch);
    expect([s2, s3]).toEqual([0, 0x0f]);
    // loopback probe: MCR = LOOP|OUT2|RTS must read MSR 0x90
    const saveMcr = rd(MCR);
    wr(MCR, MCR_LOOP | 0x0a);
    expect(rd(MSR) & 0xf0).toBe(0x90);
    wr(MCR, saveMcr);
    // EFR probe writes FCR=0 through LCR=0xBF, then FIFO type from IIR[7:6]
    wr(LCR, 0xbf);
    wr(2, 0);
    wr(LCR, 0);
    wr(FCR, 0x01);
    expect(rd(IIR) >> 6).toBe(3);
    // autoconfig_16550a: no EFR at LCR=0xBF / 0x80 (reads IIR, must be non-zero)
    wr(LCR, 0xbf);
    expect(rd(2)).not.toBe(0);
    wr(LCR, 0x80);
    expect(rd(2)).not.toBe(0);
    // NatSemi check: IIR bit 4 never follows MCR[LOOP]
    wr(LCR, 0);
    const st1 = rd(MCR);
    wr(LCR, 0xe0);
    let st2 = rd(2);
    expect((st1 ^ st2) & MCR_LOOP).toBe(0);
    wr(LCR, 0);
    wr(MCR, st1 ^ MCR_LOOP);
    wr(LCR, 0xe0);
    st2 = rd(2);
    wr(LCR, 0);
    wr(MCR, st1);
    expect((st2 ^ st1) & MCR_LOOP).toBe(0);
    // TI16750 check: 64-byte FIFO bit never reads back
    wr(FCR, 0x21);
    const a = rd(IIR) >> 5;
    wr(FCR, 0x01);
    wr(LCR, 0x80);
    wr(FCR, 0x21);
    const b = rd(IIR) >> 5;
    wr(FCR, 0x01);
    wr(LCR, 0);
    expect([a, b]).toEqual([6, 6]);
    // XScale UUE bit does not stick
    wr(IER, 0x40);
    expect(rd(IER) & 0x40).toBe(0);
    wr(IER, 0);
    // size_fifo(): loopback, divisor 1, 256 bytes out, count bytes back
    wr(FCR, 0x07);
    wr(MCR, MCR_LOOP);
    wr(LCR, 0x80);
    wr(DLL, 1);
    wr(DLM, 0);
    wr(LCR, 0x03);
    for (let i = 0; i < 256; i++) wr(THR, i);
    let count = 0;
    while (rd(LSR) & LSR_DR && count < 256) {
      expect(rd(RBR)).toBe(count);
      count++;
    }
    expect(count).toBe(16);
    expect(u.stats.overruns).toBe(240);
    wr(MCR, 0);
    expect(rd(LSR)).not.toBe(0xff); // serial8250_do_startup's safety check
  });

  it("THRE interrupt: set on ETBEI rising edge, cleared by IIR read, re-armed by THR write", () => {
    const { irq, rd, wr } = make();
    // serial8250_do_startup's THRE test
    wr(IER, IER_THRI);
    const iir1 = rd(IIR);
    wr(IER, 0);
    wr(IER, IER_THRI);
    const iir = rd(IIR);
    wr(IER, 0);
    expect(iir1 & IIR_NO_INT).toBe(0);
    expect(iir & IIR_NO_INT).toBe(0);
    expect(irq).toEqual([true, false, true, false]);
    // tx path: interrupt asserted until IIR read, comes back after each THR write
    wr(IER, IER_THRI);
    expect(rd(IIR) & 0x0f).toBe(IIR_THRI);
    expect(rd(IIR) & 0x0f).toBe(IIR_NO_INT);
    wr(THR, 0x41);
    expect(rd(IIR) & 0x0f).toBe(IIR_THRI);
  });

  it("receives into the FIFO, interrupts at the trigger level, IIR priorities", () => {
    const { u, irq, rd, wr } = make();
    wr(FCR, 0x81); // FIFO on, trigger 8
    wr(IER, IER_RDI | IER_THRI | IER_RLSI | IER_MSI);
    expect(rd(IIR)).toBe(0xc0 | IIR_THRI); // THRE is pending first, reading clears it
    u.pushInput("0123456789abcdefXYZ"); // 19 bytes: 16 in the FIFO, 3 waiting
    expect(u.rxLevel).toBe(16);
    expect(u.backlogLength).toBe(3);
    expect(rd(IIR) & 0x0f).toBe(IIR_RDI);
    // line status beats data available (overrun through loopback)
    wr(MCR, MCR_LOOP);
    wr(THR, 0x55); // FIFO full: overrun
    expect(rd(IIR) & 0x0f).toBe(IIR_RLSI);
    expect(rd(LSR) & LSR_OE).toBe(LSR_OE);
    expect(rd(LSR) & LSR_OE).toBe(0); // cleared by the read
    // data available next, then THRE (armed by the loopback THR write)
    expect(rd(IIR) & 0x0f).toBe(IIR_RDI);
    wr(MCR, 0);
    let got = "";
    while (rd(LSR) & LSR_DR) got += String.fromCharCode(rd(RBR));
    expect(got).toBe("0123456789abcdefXYZ");
    expect(rd(IIR) & 0x0f).toBe(IIR_THRI);
    // modem status last: leaving loopback changed CTS/DSR/DCD
    expect(rd(IIR) & 0x0f).toBe(IIR_MSI);
    expect(rd(MSR) & 0x0f).not.toBe(0);
    expect(rd(IIR) & 0x0f).toBe(IIR_NO_INT);
    expect(irq.at(-1)).toBe(false);
  });

  it("character timeout: after 4 character times on the event queue", () => {
    let cycles = 0;
    const ev = new EventQueue(() => cycles);
    const { u, rd, wr } = make({ events: ev, clockHz: 1_843_200, cpuHz: 667_000_000 });
    wr(LCR, 0x83);
    wr(DLL, 1); // 115200 baud
    wr(LCR, 0x03);
    wr(FCR, 0xc1); // trigger 14
    wr(IER, IER_RDI);
    u.pushInput([1, 2, 3]);
    expect(rd(IIR) & 0x0f).toBe(IIR_NO_INT);
    const char = u.charCycles(); // 10 bits at 115200 baud
    expect(char).toBe(Math.ceil(667e6 * 10 / 115200));
    expect(ev.nextAt()).toBe(4 * char);
    cycles = 4 * char;
    ev.runDue(cycles);
    expect(u.irqLevel).toBe(true);
    expect(rd(IIR) & 0x0f).toBe(IIR_TIMEOUT);
    expect(rd(RBR)).toBe(1); // a read clears the timeout and restarts the timer
    expect(rd(IIR) & 0x0f).toBe(IIR_NO_INT);
    expect(ev.nextAt()).toBe(8 * char);
    rd(RBR);
    rd(RBR);
    expect(ev.size).toBe(0); // FIFO empty: no timer
  });

  it("without FIFOs holds one byte and refills from the backlog", () => {
    const { u, irq, rd, wr } = make();
    wr(IER, IER_RDI);
    u.pushInput("hi");
    expect(u.rxLevel).toBe(1);
    expect(rd(IIR)).toBe(IIR_RDI); // no FIFO bits
    expect(rd(RBR)).toBe(0x68);
    expect(rd(RBR)).toBe(0x69);
    expect(rd(LSR) & LSR_DR).toBe(0);
    expect(rd(RBR)).toBe(0x69); // empty: last byte again
    expect(irq).toEqual([true, false]);
  });

  it("without an event queue the timeout is immediate", () => {
    const { u, rd, wr } = make();
    wr(FCR, 0xc1);
    wr(IER, IER_RDI);
    u.pushInput("x");
    expect(rd(IIR)).toBe(0xc0 | IIR_TIMEOUT);
  });

  it("splits wider accesses into byte accesses", () => {
    const { u, out } = make();
    u.write(4, 4, 0x00000000); // MCR..SCR
    u.write(0, 2, 0x4142); // THR 'A', IER 0x42 & 0x0f
    expect(out).toEqual([0x41]);
    expect(u.read(4, 4)).toBe(0x00_60_b0_00); // MCR, LSR, MSR, SCR
    expect(u.ier).toBe(0x02);
  });
});

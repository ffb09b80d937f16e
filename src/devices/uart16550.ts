/**
 * A 16550A UART: byte registers at offsets 0..7 (bamboo: reg-shift 0, stride 1).
 *
 *   +0 RBR (read) / THR (write) / DLL (LCR[DLAB])   +4 MCR
 *   +1 IER / DLM (LCR[DLAB])                         +5 LSR
 *   +2 IIR (read) / FCR (write)                      +6 MSR
 *   +3 LCR                                           +7 SCR
 *
 * Transmit is instantaneous: a THR write hands the byte to `onOutput` at once and THR/TSR are
 * empty again, so LSR always reads THRE|TEMT. Linux's 8250 driver does not need THRE to come
 * back later (its startup THRE test only needs THRE to re-assert when ETBEI is toggled, which it
 * does, see writeIer), and a polled putc never waits. The virtual time a console costs is then
 * only the MMIO exits, which the hypervisor charges.
 *
 * Receive: `pushInput` appends to a host-side backlog that feeds the RX FIFO (16 bytes with
 * FCR[0], else a 1-byte holding register) whenever there is room, i.e. a perfectly flow-
 * controlled line: console input is never lost. Only loopback (MCR[4]) can overrun (LSR[OE]),
 * which is what Linux's size_fifo() probe expects. In loopback the backlog waits.
 *
 * Character timeout (IIR 0x0C): with an event queue, 4 character times (from the divisor, LCR
 * and the clocks in the options) after the last byte received or read, if the FIFO holds fewer
 * bytes than the trigger level. Without an event queue it is reported at once.
 *
 * THRE interrupt: pending when THR empties (after every THR write) and when IER[ETBEI] goes
 * 0 -> 1 (THR being empty); cleared by reading IIR while it is the reported source, by writing
 * THR (which re-arms it at once since transmit is instantaneous) or by clearing ETBEI. This is
 * QEMU's serial.c rule, which Linux and Windows rely on.
 *
 * Loopback (MCR[4]): TX goes to RX, and MSR reads CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2, so
 * Linux's autoconfig sees 0x90 after writing MCR=0x1A. The interrupt output is not gated by
 * OUT2 (the 440's UARTs are wired straight to the UIC, unlike a PC).
 */

import type { AccessSize, MmioDevice } from "./bus.ts";
import { readBytesBE, writeBytesBE } from "./bus.ts";
import type { EventHandle, EventQueue } from "./events.ts";

export const UART_REG_SIZE = 8;

// LSR
export const LSR_DR = 0x01, LSR_OE = 0x02, LSR_PE = 0x04, LSR_FE = 0x08, LSR_BI = 0x10;
export const LSR_THRE = 0x20, LSR_TEMT = 0x40;
// IER
export const IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08;
// IIR
export const IIR_NO_INT = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06;
export const IIR_TIMEOUT = 0x0c, IIR_FIFO = 0xc0;
// MCR / MSR
export const MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
export const MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08;
export const MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
export const LCR_DLAB = 0x80;

const FIFO_SIZE = 16;
const TRIGGER = [1, 4, 8, 14] as const;

export interface Uart16550Options {
  name?: string;
  /** For the RX character timeout; without it the timeout is immediate. */
  events?: EventQueue;
  /** UART input clock (baud = clockHz / (16 * divisor)). Default 1.8432 MHz. */
  clockHz?: number;
  /** Core clock, to turn character times into cycles. Default 667 MHz. */
  cpuHz?: number;
}

export class Uart16550 implements MmioDevice {
  readonly name: string;
  /** Interrupt output changed (level). Wire to the UIC input. */
  onIrq: ((level: boolean) => void) | null = null;
  /** A byte left the transmitter (console). */
  onOutput: ((byte: number) => void) | null = null;

  ier = 0;
  lcr = 0;
  mcr = 0;
  scr = 0;
  dll = 0x0c;
  dlm = 0;
  fifoEnabled = false;
  trigger = 1;

  readonly stats = { txBytes: 0, rxBytes: 0, overruns: 0 };

  private readonly rx = new Uint8Array(FIFO_SIZE);
  private rxHead = 0;
  private rxCount = 0;
  private lastRx = 0;
  private backlog: number[] = [];
  private backlogHead = 0;
  private lsrErr = 0;
  private msrStatus = 0;
  private msrDelta = 0;
  /** Modem inputs from the outside world when not in loopback: CTS, DSR, DCD asserted. */
  private modemIn = MSR_CTS | MSR_DSR | MSR_DCD;
  private thrIpending = false;
  private timeoutPending = false;
  private timeoutEv: EventHandle | null = null;
  private irq = false;

  private readonly events: EventQueue | undefined;
  private readonly clockHz: number;
  private readonly cpuHz: number;

  constructor(opts: Uart16550Options = {}) {
    this.name = opts.name ?? "uart";
    this.events = opts.events;
    this.clockHz = opts.clockHz ?? 1_843_200;
    this.cpuHz = opts.cpuHz ?? 667_000_000;
    this.reset();
  }

  reset(): void {
    this.ier = 0;
    this.lcr = 0;
    this.mcr = 0;
    this.scr = 0;
    this.dll = 0x0c;
    this.dlm = 0;
    this.fifoEnabled = false;
    this.trigger = 1;
    this.rxHead = 0;
    this.rxCount = 0;
    this.lsrErr = 0;
    this.msrDelta = 0;
    this.msrStatus = this.modemIn;
    this.thrIpending = false;
    this.cancelTimeout();
    this.feed();
    this.update();
  }

  get irqLevel(): boolean { return this.irq; }

  /** Bytes waiting in the RX FIFO / holding register. */
  get rxLevel(): number { return this.rxCount; }

  /** Bytes received from the host not yet in the FIFO. */
  get backlogLength(): number { return this.backlog.length - this.backlogHead; }

  /** Bytes arriving on the serial input (console keyboard, a pipe). */
  pushInput(bytes: ArrayLike<number> | string): void {
    if (typeof bytes === "string") bytes = Buffer.from(bytes, "latin1");
    for (let i = 0; i < bytes.length; i++) this.backlog.push(bytes[i]! & 0xff);
    this.feed();
    this.update();
  }

  /** Sets the modem-status inputs (MSR bits 4..7) seen when not in loopback. */
  setModemInputs(msrBits: number): void {
    this.modemIn = msrBits & 0xf0;
    if ((this.mcr & MCR_LOOP) === 0) this.setModemStatus(this.modemIn);
    this.update();
  }

  /** Divisor latch value (0 reads as 65536 on real parts; we use 1 for timing to stay sane). */
  get divisor(): number { return (this.dlm << 8) | this.dll; }

  /** Cycles one character takes on the line at the current divisor and LCR framing. */
  charCycles(): number {
    const bits = 1 + (5 + (this.lcr & 3)) + ((this.lcr & 0x08) ? 1 : 0) + ((this.lcr & 0x04) ? 2 : 1);
    return Math.ceil((this.cpuHz * bits * 16 * (this.divisor || 1)) / this.clockHz);
  }

  // ---- bus interface ----

  read(offset: number, size: AccessSize): number {
    if (size === 1) return this.read8(offset);
    return readBytesBE((o) => this.read8(o), offset, size);
  }

  write(offset: number, size: AccessSize, value: number): void {
    if (size === 1) this.write8(offset, value & 0xff);
    else writeBytesBE((o, v) => this.write8(o, v), offset, size, value);
  }

  read8(offset: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset & 7) {
      case 0: return dlab ? this.dll : this.readRbr();
      case 1: return dlab ? this.dlm : this.ier;
      case 2: return this.readIir();
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: return this.readLsr();
      case 6: return this.readMsr();
      default: return this.scr;
    }
  }

  write8(offset: number, v: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset & 7) {
      case 0: if (dlab) this.dll = v; else this.writeThr(v); break;
      case 1: if (dlab) this.dlm = v; else this.writeIer(v); break;
      case 2: this.writeFcr(v); break;
      case 3: this.lcr = v; break;
      case 4: this.writeMcr(v); break;
      case 7: this.scr = v; break;
      default: break; // LSR and MSR writes (factory test) are ignored
    }
    this.update();
  }

  // ---- registers ----

  private readRbr(): number {
    if (this.rxCount > 0) {
      this.lastRx = this.rx[this.rxHead]!;
      this.rxHead = (this.rxHead + 1) % FIFO_SIZE;
      this.rxCount--;
      this.timeoutPending = false;
      this.feed();
      this.armTimeout();
      this.update();
    }
    return this.lastRx; // an empty FIFO reads the last byte again
  }

  private writeThr(v: number): void {
    this.thrIpending = false;
    this.stats.txBytes++;
    if (this.mcr & MCR_LOOP) this.receive(v);
    else this.onOutput?.(v);
    this.thrIpending = true; // THR emptied at once
  }

  private writeIer(v: number): void {
    v &= 0x0f; // bits 4-7 read 0 on a 16550A (Linux's autoconfig checks, e.g. IER[UUE])
    const changed = this.ier ^ v;
    this.ier = v;
    if (changed & IER_THRI) this.thrIpending = (v & IER_THRI) !== 0; // THR is always empty
  }

  private writeFcr(v: number): void {
    const enable = (v & 1) !== 0;
    if (enable !== this.fifoEnabled) {
      this.fifoEnabled = enable;
      this.clearRx();
    }
    if (v & 0x02) this.clearRx();
    // bit 2 (clear TX FIFO): the TX FIFO is always empty
    this.trigger = enable ? TRIGGER[(v >> 6) & 3]! : 1;
    this.feed();
    this.armTimeout();
  }

  private writeMcr(v: number): void {
    const wasLoop = (this.mcr & MCR_LOOP) !== 0;
    this.mcr = v & 0x1f;
    const loop = (this.mcr & MCR_LOOP) !== 0;
    this.setModemStatus(loop ? loopbackStatus(this.mcr) : this.modemIn);
    if (wasLoop && !loop) this.feed();
  }

  private readIir(): number {
    const id = this.pendingId();
    if (id === IIR_THRI) {
      this.thrIpending = false; // reading IIR acknowledges THRE when it is the source
      this.update();
    }
    return id | (this.fifoEnabled ? IIR_FIFO : 0);
  }

  private readLsr(): number {
    let v = LSR_THRE | LSR_TEMT | this.lsrErr;
    if (this.rxCount > 0) v |= LSR_DR;
    if (this.lsrErr) {
      this.lsrErr = 0; // error bits clear on read
      this.update();
    }
    return v;
  }

  private readMsr(): number {
    const v = this.msrStatus | this.msrDelta;
    if (this.msrDelta) {
      this.msrDelta = 0;
      this.update();
    }
    return v;
  }

  // ---- receive path ----

  private get capacity(): number { return this.fifoEnabled ? FIFO_SIZE : 1; }

  /** A byte arrives at the receiver; lost with LSR[OE] if there is no room (loopback only). */
  private receive(b: number): void {
    if (this.rxCount >= this.capacity) {
      this.lsrErr |= LSR_OE;
      this.stats.overruns++;
      return;
    }
    this.rx[(this.rxHead + this.rxCount) % FIFO_SIZE] = b;
    this.rxCount++;
    this.stats.rxBytes++;
    this.timeoutPending = false; // the timeout counts from the last byte received
    this.armTimeout();
  }

  /** Moves host input into the FIFO while there is room (never in loopback). */
  private feed(): void {
    if (this.mcr & MCR_LOOP) return;
    let moved = false;
    while (this.rxCount < this.capacity && this.backlogHead < this.backlog.length) {
      this.receive(this.backlog[this.backlogHead++]!);
      moved = true;
    }
    if (moved && this.backlogHead === this.backlog.length) {
      this.backlog = [];
      this.backlogHead = 0;
    }
  }

  private clearRx(): void {
    this.rxHead = 0;
    this.rxCount = 0;
    this.timeoutPending = false;
    this.cancelTimeout();
  }

  /** (Re)starts the character timeout when the FIFO holds data below the trigger level. */
  private armTimeout(): void {
    this.cancelTimeout();
    if (!this.fifoEnabled || this.rxCount === 0 || this.rxCount >= this.trigger) return;
    const ev = this.events;
    if (!ev) {
      this.timeoutPending = true;
      return;
    }
    this.timeoutEv = ev.scheduleIn(4 * this.charCycles(), () => {
      this.timeoutEv = null;
      if (this.rxCount > 0) this.timeoutPending = true;
      this.update();
    }, `${this.name}.rx-timeout`);
  }

  private cancelTimeout(): void {
    if (this.timeoutEv) {
      this.events?.cancel(this.timeoutEv);
      this.timeoutEv = null;
    }
  }

  private setModemStatus(status: number): void {
    const ch = this.msrStatus ^ status;
    if (ch & MSR_CTS) this.msrDelta |= MSR_DCTS;
    if (ch & MSR_DSR) this.msrDelta |= MSR_DDSR;
    if (ch & MSR_RI && (status & MSR_RI) === 0) this.msrDelta |= MSR_TERI; // trailing edge only
    if (ch & MSR_DCD) this.msrDelta |= MSR_DDCD;
    this.msrStatus = status;
  }

  // ---- interrupt ----

  /** Highest-priority pending interrupt, IIR[3:0] encoding. */
  private pendingId(): number {
    const ier = this.ier;
    if (ier & IER_RLSI && this.lsrErr & (LSR_OE | LSR_PE | LSR_FE | LSR_BI)) return IIR_RLSI;
    if (ier & IER_RDI && this.rxCount > 0) {
      if (!this.fifoEnabled || this.rxCount >= this.trigger) return IIR_RDI;
      if (this.timeoutPending) return IIR_TIMEOUT;
    }
    if (ier & IER_THRI && this.thrIpending) return IIR_THRI;
    if (ier & IER_MSI && this.msrDelta) return IIR_MSI;
    return IIR_NO_INT;
  }

  private update(): void {
    const level = this.pendingId() !== IIR_NO_INT;
    if (level === this.irq) return;
    this.irq = level;
    this.onIrq?.(level);
  }
}

function loopbackStatus(mcr: number): number {
  return ((mcr & MCR_RTS) ? MSR_CTS : 0) | ((mcr & MCR_DTR) ? MSR_DSR : 0) |
    ((mcr & MCR_OUT1) ? MSR_RI : 0) | ((mcr & MCR_OUT2) ? MSR_DCD : 0);
}

/**
 * The `bamboo` board (AMCC 440EP evaluation board, here with a 440EPx core as QEMU's
 * `-M bamboo -cpu 440epx`): RAM at 0, UIC0/UIC1 at DCR 0xC0/0xD0, 16550 UART0/1 at
 * 0xEF600300/0x400 (UIC0 inputs 0/1), the CPR0/SDR0/SDRAM0/EBC0 DCRs, and — our addition, since
 * the seed's guests used virtio — a virtio-mmio block device in a free OPB window with its own
 * UIC0 input. Boot state as QEMU's bamboo sets it up for `-kernel`.
 */

import { Cpu } from "../cpu/cpu.ts";
import { DEFAULT_CLOCK_HZ } from "../cpu/cycles.ts";
import { Utlb } from "../cpu/mmu.ts";
import { Timers } from "../cpu/timers.ts";
import { S } from "../cpu/state.ts";
import { installBambooDcrs, type BambooDcrs } from "../devices/bamboo-dcrs.ts";
import { MmioBus } from "../devices/bus.ts";
import { DcrBusImpl } from "../devices/dcr.ts";
import { EventQueue } from "../devices/events.ts";
import { Uart16550, UART_REG_SIZE } from "../devices/uart16550.ts";
import { Uic, UIC_DCR_COUNT, cascadeUic } from "../devices/uic.ts";
import { VirtioBlk, type BlockBackend } from "../devices/virtio-blk.ts";
import { MEASURE_DCR, MeasureDcr } from "../devices/measure.ts";
import { PT_LOAD, PT_TLS, type ElfImage } from "../util/elf.ts";
import { UserError } from "../util/errors.ts";
import { buildDtb, node, type FdtNode } from "./fdt.ts";

export const BAMBOO = {
  UART0: 0xef600300,
  UART1: 0xef600400,
  UART0_IRQ: 0,
  UART1_IRQ: 1,
  /** Our virtio-mmio block device: a free OPB window and a free UIC0 input. */
  VIRTIO: 0xef680000,
  VIRTIO_SIZE: 0x200,
  VIRTIO_IRQ: 24,
  UIC0_DCR: 0xc0,
  UIC1_DCR: 0xd0,
  /** Where QEMU's bamboo puts the device tree (r3) and the initial stack pointer (r1). */
  DTB: 0x01800000,
  INITIAL_SP: 0x00fffff8,
  INITRD: 0x01900000,
} as const;

/** Register and TLB state at reset (what QEMU's bamboo sets for -kernel). */
export interface BootState {
  entry: number;
  r1: number;
  r3: number;
  /** [word0, word1, word2, tid, forced page bytes] per TLB entry from index 0. */
  tlb: [number, number, number, number, number][];
}

/**
 * Where execution starts: like QEMU's ELF loader, an entry point inside a segment linked at a
 * virtual address other than its load address is converted to the physical one (a Linux vmlinux
 * is linked at 0xC0000000 and loaded at 0; translation is on at reset, but only EA 0 is mapped).
 */
export function physicalEntry(img: ElfImage): number {
  for (const ph of img.phdrs) {
    if (ph.type !== PT_LOAD || ph.vaddr === ph.paddr) continue;
    if (img.entry >= ph.vaddr && img.entry < ph.vaddr + ph.memsz) return (img.entry - ph.vaddr + ph.paddr) >>> 0;
  }
  return img.entry;
}

export interface BoardOptions {
  ramBytes: number;
  drive?: BlockBackend;
  /** Kernel command line (/chosen/bootargs). */
  append?: string;
  clockHz?: number;
  /** Extra device-tree nodes under / (e.g. the hypervisor node). */
  extraNodes?: FdtNode[];
}

export class BambooBoard {
  readonly cpu: Cpu;
  readonly utlb: Utlb;
  readonly timers: Timers;
  readonly events: EventQueue;
  readonly mmio = new MmioBus();
  readonly dcr = new DcrBusImpl();
  readonly uic0 = new Uic({ name: "uic0" });
  readonly uic1 = new Uic({ name: "uic1" });
  readonly uart0: Uart16550;
  readonly uart1: Uart16550;
  readonly dcrs: BambooDcrs;
  readonly blk: VirtioBlk | null;
  readonly measure = new MeasureDcr();
  readonly clockHz: number;

  constructor(readonly opts: BoardOptions) {
    const ram = opts.ramBytes;
    // at least 32 MiB: the device tree goes at 24 MiB (BAMBOO.DTB), where QEMU's bamboo puts it
    if (ram < 32 << 20 || ram > 1 << 30 || ram % (4 << 20) !== 0) {
      const got = ram % (1 << 20) === 0 ? `${ram / (1 << 20)} MiB` : `${ram} bytes`;
      throw new UserError(`RAM size must be a multiple of 4 MiB from 32 MiB to 1 GiB (got ${got})`);
    }
    this.clockHz = opts.clockHz ?? DEFAULT_CLOCK_HZ;
    const cpu = (this.cpu = new Cpu({ ramSize: ram }));
    this.utlb = new Utlb(cpu);
    cpu.mem.translator = this.utlb;
    cpu.tlb = this.utlb;
    this.timers = new Timers(cpu);
    cpu.timers = this.timers;
    this.events = new EventQueue(() => cpu.cycles);
    cpu.mem.bus = this.mmio;
    cpu.dcr = this.dcr;

    this.dcrs = installBambooDcrs(this.dcr, { ramSize: ram });
    this.dcr.map(BAMBOO.UIC0_DCR, UIC_DCR_COUNT, this.uic0, "uic0");
    this.dcr.map(BAMBOO.UIC1_DCR, UIC_DCR_COUNT, this.uic1, "uic1");
    cascadeUic(this.uic1, this.uic0);
    this.dcr.map(MEASURE_DCR, 1, this.measure, "hv440-measure");
    this.uic0.onChange = (ext, crit) => { cpu.extInput = ext; cpu.critInput = crit; cpu.ctl[0] = 1; };

    const uart = (n: 0 | 1) => {
      const u = new Uart16550({ name: `uart${n}`, events: this.events, clockHz: this.dcrs.sdr0.uartClockHz(n), cpuHz: this.clockHz });
      u.onIrq = (l) => this.uic0.setInput(n === 0 ? BAMBOO.UART0_IRQ : BAMBOO.UART1_IRQ, l);
      this.mmio.map(n === 0 ? BAMBOO.UART0 : BAMBOO.UART1, UART_REG_SIZE, u, `uart${n}`);
      return u;
    };
    this.uart0 = uart(0);
    this.uart1 = uart(1);

    if (opts.drive) {
      // DMA into guest RAM drops compiled code of the pages written (cpu/jit)
      const blk = new VirtioBlk(opts.drive, cpu.mem, { events: this.events, onDmaWrite: (pa, n) => cpu.mem.hostWrite(pa, n) });
      blk.mmio.onIrq = (l) => this.uic0.setInput(BAMBOO.VIRTIO_IRQ, l);
      this.mmio.map(BAMBOO.VIRTIO, BAMBOO.VIRTIO_SIZE, blk.mmio, "virtio-blk");
      this.blk = blk;
    } else this.blk = null;
  }

  /**
   * The device tree Linux's 44x platform code and our guest kernel read (modelled on bamboo.dts).
   * For Linux 6.1 (guest-images/linux): the cpu node's `model` must contain "440EP", since the
   * 440EPx and 440GRx share PVR 0x200008D0 and Linux (prom.c identical_pvr_fixup) switches to the
   * FPU-capable 440EPx entry of its cpu table only on that model string (otherwise it reports a
   * "440GRX" without FPU); /aliases gives the two UARTs fixed ttyS0/ttyS1 numbers, as bamboo.dts.
   */
  deviceTree(): FdtNode {
    const clk = this.dcrs.cpr0.clocks();
    const ram = this.opts.ramBytes;
    const PH = { UIC0: 1, UIC1: 2, CPU: 3 };
    const serial = (addr: number, irq: number, n: 0 | 1) => node(`serial@${addr.toString(16)}`, [
      ["device_type", "serial"], ["compatible", "ns16550"], ["reg", [addr, 8]], ["virtual-reg", [addr]],
      ["clock-frequency", [this.dcrs.sdr0.uartClockHz(n)]], ["current-speed", [115200]],
      ["interrupt-parent", [PH.UIC0]], ["interrupts", [irq, 4]],
    ]);
    const opb: FdtNode[] = [
      node("ebc", [["compatible", ["ibm,ebc-440ep", "ibm,ebc-440gp", "ibm,ebc"]], ["dcr-reg", [0x12, 2]],
        ["#address-cells", [2]], ["#size-cells", [1]], ["clock-frequency", [clk.ebc]], ["ranges", null]]),
      serial(BAMBOO.UART0, BAMBOO.UART0_IRQ, 0),
      serial(BAMBOO.UART1, BAMBOO.UART1_IRQ, 1),
    ];
    if (this.blk) {
      opb.push(node(`virtio@${BAMBOO.VIRTIO.toString(16)}`, [
        ["compatible", "virtio,mmio"], ["reg", [BAMBOO.VIRTIO, BAMBOO.VIRTIO_SIZE]],
        ["interrupt-parent", [PH.UIC0]], ["interrupts", [BAMBOO.VIRTIO_IRQ, 4]],
      ]));
    }
    const chosen: [string, string | number[]][] = [["linux,stdout-path", "/plb/opb/serial@ef600300"], ["stdout-path", "/plb/opb/serial@ef600300"]];
    if (this.opts.append !== undefined) chosen.push(["bootargs", this.opts.append]);
    return node("", [
      ["#address-cells", [2]], ["#size-cells", [1]], ["model", "amcc,bamboo"], ["compatible", "amcc,bamboo"],
      ["dcr-parent", [PH.CPU]],
    ], [
      node("aliases", [["serial0", "/plb/opb/serial@ef600300"], ["serial1", "/plb/opb/serial@ef600400"]]),
      node("cpus", [["#address-cells", [1]], ["#size-cells", [0]]], [
        node("PowerPC,440EPx@0", [
          ["device_type", "cpu"], ["model", "PowerPC,440EPx"], ["reg", [0]], ["clock-frequency", [this.clockHz]], ["timebase-frequency", [this.clockHz]],
          ["i-cache-line-size", [32]], ["d-cache-line-size", [32]], ["i-cache-size", [32768]], ["d-cache-size", [32768]],
          ["dcr-controller", null], ["dcr-access-method", "native"], ["phandle", [PH.CPU]],
        ]),
      ]),
      node("memory", [["device_type", "memory"], ["reg", [0, 0, ram]]]),
      node("interrupt-controller0", [
        ["compatible", ["ibm,uic-440ep", "ibm,uic"]], ["interrupt-controller", null], ["cell-index", [0]],
        ["dcr-reg", [BAMBOO.UIC0_DCR, 9]], ["#address-cells", [0]], ["#size-cells", [0]], ["#interrupt-cells", [2]],
        ["phandle", [PH.UIC0]],
      ]),
      node("interrupt-controller1", [
        ["compatible", ["ibm,uic-440ep", "ibm,uic"]], ["interrupt-controller", null], ["cell-index", [1]],
        ["dcr-reg", [BAMBOO.UIC1_DCR, 9]], ["#address-cells", [0]], ["#size-cells", [0]], ["#interrupt-cells", [2]],
        ["interrupts", [0x1e, 4, 0x1f, 4]], ["interrupt-parent", [PH.UIC0]], ["phandle", [PH.UIC1]],
      ]),
      node("sdr", [["compatible", "ibm,sdr-440ep"], ["dcr-reg", [0x0e, 2]]]),
      node("cpr", [["compatible", "ibm,cpr-440ep"], ["dcr-reg", [0x0c, 2]]]),
      node("plb", [
        ["compatible", ["ibm,plb-440ep", "ibm,plb-440gp", "ibm,plb4"]], ["#address-cells", [2]], ["#size-cells", [1]],
        ["ranges", null], ["clock-frequency", [clk.plb]],
      ], [
        node("sdram", [["compatible", ["ibm,sdram-440ep", "ibm,sdram-405gp"]], ["dcr-reg", [0x10, 2]]]),
        node("opb", [
          ["compatible", ["ibm,opb-440ep", "ibm,opb-440gp", "ibm,opb"]], ["#address-cells", [1]], ["#size-cells", [1]],
          ["ranges", [0x00000000, 0, 0x00000000, 0x80000000, 0x80000000, 0, 0x80000000, 0x80000000]],
          ["interrupt-parent", [PH.UIC1]], ["interrupts", [7, 4]], ["clock-frequency", [clk.opb]],
        ], opb),
      ]),
      node("measure", [["compatible", "hv440,measure"], ["dcr-reg", [MEASURE_DCR, 1]]]),
      node("chosen", chosen),
      ...(this.opts.extraNodes ?? []),
      ...this.lateNodes,
    ]);
  }

  /** Nodes added after boot (addRootNode), the size of the tree boot() wrote, the loaded segments. */
  private readonly lateNodes: FdtNode[] = [];
  private dtbBytes = 0;
  private readonly segments: [number, number][] = [];

  /**
   * Adds a node under / after boot() and writes the device tree again: the hypervisor describes
   * itself (/hypervisor, kvm440.md 6.1) once it is set up, before the guest runs. The tree may
   * only grow into the free space up to the initrd address.
   */
  addRootNode(n: FdtNode): void {
    this.lateNodes.push(n);
    if (this.dtbBytes === 0) return; // not booted yet: boot() writes it
    const dtb = buildDtb(this.deviceTree());
    const end = BAMBOO.DTB + dtb.length;
    if (end > BAMBOO.INITRD || this.segments.some(([a, b]) => a < end && b > BAMBOO.DTB)) {
      throw new UserError(`a device tree of ${dtb.length} bytes at 0x${BAMBOO.DTB.toString(16)} would overlap the image or the initrd area`);
    }
    this.cpu.mem.u8.fill(0, BAMBOO.DTB, BAMBOO.DTB + this.dtbBytes);
    this.cpu.mem.u8.set(dtb, BAMBOO.DTB);
    this.cpu.mem.hostWrite(BAMBOO.DTB, Math.max(dtb.length, this.dtbBytes));
    this.dtbBytes = dtb.length;
  }

  /**
   * Loads an ELF at its physical addresses (as QEMU's -kernel does) and sets the bamboo boot
   * state: PC = entry, MSR = 0, r1 = 16 MiB - 8, r3 = device tree, two 2 GiB supervisor TLB
   * entries (EA 0 and 0x80000000, mapped 1:1; QEMU's choice, an illegal size on real parts).
   */
  boot(img: ElfImage, what: string): BootState {
    const cpu = this.cpu;
    const ram = this.opts.ramBytes;
    const dtb = buildDtb(this.deviceTree());
    for (const [i, ph] of img.phdrs.entries()) {
      if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
      const pa = ph.paddr, end = pa + ph.memsz;
      if (end > ram) {
        const dev = this.mmio.entries().find((r) => r.base < end && r.base + r.size > pa);
        const over = dev ? `, over the registers of ${dev.name} at 0x${dev.base.toString(16)}` : "";
        // a static glibc program (PT_TLS) or a dynamic one (PT_INTERP) is for `hv440 user`
        const user = img.interp !== undefined || img.phdrs.some((p) => p.type === PT_TLS) ? " (a Linux program? 'hv440 user' runs those)" : "";
        throw new UserError(`${what}: segment ${i} at physical 0x${pa.toString(16)}-0x${(end - 1).toString(16)} is outside RAM (0-0x${(ram - 1).toString(16)}, ${ram >>> 20} MiB)${over}${user}`);
      }
      if (pa < BAMBOO.DTB + dtb.length && end > BAMBOO.DTB) {
        throw new UserError(`${what}: segment ${i} at 0x${pa.toString(16)} overlaps the device tree at 0x${BAMBOO.DTB.toString(16)}`);
      }
      cpu.mem.u8.set(img.bytes.subarray(ph.offset, ph.offset + ph.filesz), pa);
      cpu.mem.u8.fill(0, pa + ph.filesz, end);
      this.segments.push([pa, end]);
    }
    // e_entry is virtual, or (a kernel linked high that starts with translation off) physical
    const inSegment = img.phdrs.some((ph) => ph.type === PT_LOAD &&
      ((img.entry >= ph.vaddr && img.entry < ph.vaddr + ph.memsz) || (img.entry >= ph.paddr && img.entry < ph.paddr + ph.memsz)));
    if (!inSegment) throw new UserError(`${what}: the entry point 0x${img.entry.toString(16)} is in no loadable segment`);
    cpu.mem.u8.set(dtb, BAMBOO.DTB);
    this.dtbBytes = dtb.length;
    const state: BootState = {
      entry: physicalEntry(img), r1: BAMBOO.INITIAL_SP, r3: BAMBOO.DTB,
      // EPN | V | SIZE=1 (what tlbre shows), RPN, SX|SW|SR, TID 0; 2 GiB forced
      tlb: [[0x00000210, 0x00000000, 0x7, 0, 2 ** 31], [0x80000210, 0x80000000, 0x7, 0, 2 ** 31]],
    };
    this.utlb.invalidateAll();
    state.tlb.forEach(([w0, w1, w2, tid, bytes], i) => this.utlb.set(i, w0, w1, w2, tid, bytes));
    cpu.setMsr(0);
    cpu.gpr[1] = state.r1;
    cpu.gpr[3] = state.r3;
    cpu.st[S.PC] = state.entry;
    return state;
  }
}

// Hand-made ELF files for tests of what the loader says about them: any machine, class and
// byte order, any program headers.

export interface SegmentSpec {
  type?: number;
  vaddr: number;
  paddr?: number;
  /** file contents of the segment */
  data: Uint8Array;
  memsz?: number;
  flags?: number;
}

export interface ElfSpec {
  machine?: number;
  /** 1: ELFCLASS32, 2: ELFCLASS64 (headers are still written in the 32-bit layout: only the identification matters for the check) */
  cls?: number;
  /** 1: little-endian, 2: big-endian */
  data?: number;
  type?: number;
  entry?: number;
  segments?: SegmentSpec[];
}

export const EM = { PPC: 20, PPC64: 21, X86_64: 62, ARM: 40, AARCH64: 183 } as const;

/** Big-endian PowerPC instruction words as bytes. */
export function words(...ws: number[]): Uint8Array {
  const b = new Uint8Array(ws.length * 4);
  const dv = new DataView(b.buffer);
  ws.forEach((w, i) => dv.setUint32(i * 4, w >>> 0));
  return b;
}

/** An ELF executable (default: 32-bit big-endian PowerPC, one segment at 0x10000 = entry). */
export function makeElf(s: ElfSpec = {}): Uint8Array {
  const segs = s.segments ?? [{ vaddr: 0x10000, data: words(0x48000000) /* b . */ }];
  const le = (s.data ?? 2) === 1;
  const phoff = 52, phentsize = 32;
  let off = 0x1000;
  const place = segs.map((g) => { const o = off; off += Math.max(g.data.length, 4); return o; });
  const b = new Uint8Array(off);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, s.cls ?? 1, s.data ?? 2, 1]);
  const u16 = (o: number, v: number) => dv.setUint16(o, v, le);
  const u32 = (o: number, v: number) => dv.setUint32(o, v >>> 0, le);
  u16(16, s.type ?? 2);
  u16(18, s.machine ?? EM.PPC);
  u32(20, 1);
  u32(24, s.entry ?? segs[0]!.vaddr);
  u32(28, phoff);
  u16(40, 52);
  u16(42, phentsize);
  u16(44, segs.length);
  segs.forEach((g, i) => {
    const o = phoff + i * phentsize;
    u32(o, g.type ?? 1);
    u32(o + 4, place[i]!);
    u32(o + 8, g.vaddr);
    u32(o + 12, g.paddr ?? g.vaddr);
    u32(o + 16, g.data.length);
    u32(o + 20, g.memsz ?? g.data.length);
    u32(o + 24, g.flags ?? 5);
    u32(o + 28, 0x1000);
    b.set(g.data, place[i]!);
  });
  return b;
}

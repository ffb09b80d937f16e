/**
 * A flattened device tree (DTB, version 17) writer: the board describes itself as a tree of nodes
 * and properties, and the blob goes into guest RAM for the kernel (r3), as QEMU's bamboo does.
 */

export type PropValue = Uint8Array | string | string[] | number[] | null;

export interface FdtNode {
  name: string;
  props: [string, PropValue][];
  children: FdtNode[];
}

export const node = (name: string, props: [string, PropValue][] = [], children: FdtNode[] = []): FdtNode =>
  ({ name, props, children });

/** Big-endian 32-bit cells. */
export const cells = (...v: number[]): number[] => v;

function encodeValue(v: PropValue): Uint8Array {
  if (v === null) return new Uint8Array(0);
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return new TextEncoder().encode(v + "\0");
  if (v.length > 0 && typeof v[0] === "string") return new TextEncoder().encode((v as string[]).map((s) => s + "\0").join(""));
  const b = new Uint8Array(4 * v.length);
  const dv = new DataView(b.buffer);
  (v as number[]).forEach((x, i) => dv.setUint32(4 * i, x >>> 0));
  return b;
}

/** Serialises a tree rooted at `root` (name "") into a DTB. */
export function buildDtb(root: FdtNode, reserve: [number, number][] = []): Uint8Array {
  const struct: number[] = [];
  const strings: number[] = [];
  const strOff = new Map<string, number>();
  const u32 = (v: number) => struct.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  const pad = () => { while (struct.length % 4) struct.push(0); };
  const nameOff = (s: string) => {
    let o = strOff.get(s);
    if (o === undefined) {
      o = strings.length;
      strOff.set(s, o);
      for (const c of new TextEncoder().encode(s)) strings.push(c);
      strings.push(0);
    }
    return o;
  };
  const emit = (n: FdtNode) => {
    u32(1); // FDT_BEGIN_NODE
    for (const c of new TextEncoder().encode(n.name)) struct.push(c);
    struct.push(0);
    pad();
    for (const [k, v] of n.props) {
      const val = encodeValue(v);
      u32(3); // FDT_PROP
      u32(val.length);
      u32(nameOff(k));
      for (const b of val) struct.push(b);
      pad();
    }
    for (const c of n.children) emit(c);
    u32(2); // FDT_END_NODE
  };
  emit(root);
  u32(9); // FDT_END

  const headerSize = 40;
  const rsvOff = headerSize;
  const rsvSize = 16 * (reserve.length + 1);
  const structOff = rsvOff + rsvSize;
  const stringsOff = structOff + struct.length;
  const total = stringsOff + strings.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const hdr = [0xd00dfeed, total, structOff, stringsOff, rsvOff, 17, 16, 0, strings.length, struct.length];
  hdr.forEach((v, i) => dv.setUint32(4 * i, v >>> 0));
  reserve.forEach(([addr, size], i) => {
    dv.setBigUint64(rsvOff + 16 * i, BigInt(addr));
    dv.setBigUint64(rsvOff + 16 * i + 8, BigInt(size));
  });
  out.set(struct, structOff);
  out.set(strings, stringsOff);
  return out;
}

// Just enough PNG decoding (8-bit RGB/RGBA, non-interlaced: what Chromium writes) to ask whether a
// screenshot shows something: the share of pixels that are not the background's colour.
import { inflateSync } from "node:zlib";

export interface Pixels { width: number; height: number; channels: number; data: Uint8Array }

export function decodePng(buf: Buffer): Pixels {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let off = 8, width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), type = buf.toString("latin1", off + 4, off + 8), body = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = body.readUInt32BE(0); height = body.readUInt32BE(4);
      const depth = body[8], colour = body[9], interlace = body[12];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colour}, interlace ${interlace})`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels, out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!, src = y * (stride + 1) + 1, dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[dst + x - channels]! : 0, b = y > 0 ? out[dst - stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[dst - stride + x - channels]! : 0, v = raw[src + x]!;
      let p = 0;
      if (f === 1) p = a;
      else if (f === 2) p = b;
      else if (f === 3) p = (a + b) >> 1;
      else if (f === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[dst + x] = (v + p) & 0xff;
    }
  }
  return { width, height, channels, data: out };
}

/** Share of pixels whose colour differs from the top-left pixel's, and the number of distinct colours (capped). */
export function inkStats(p: Pixels): { ink: number; colours: number } {
  const { data, channels } = p, n = p.width * p.height;
  const bg = data.subarray(0, 3);
  let ink = 0;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const o = i * channels, r = data[o]!, g = data[o + 1]!, b = data[o + 2]!;
    if (r !== bg[0] || g !== bg[1] || b !== bg[2]) ink++;
    if (seen.size < 4096) seen.add((r << 16) | (g << 8) | b);
  }
  return { ink: ink / n, colours: seen.size };
}

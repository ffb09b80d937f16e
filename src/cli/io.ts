/** The process's own terminal and files: the only place that touches stdin/stdout/stderr. */

import * as fs from "node:fs";
import type { Stream } from "../user/fds.ts";

function writeAll(fd: number, b: Uint8Array): number {
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(fd, b, off, b.length - off);
    } catch (e) {
      if ((e as { code?: string }).code === "EAGAIN") continue;
      if ((e as { code?: string }).code === "EPIPE") return off;
      throw e;
    }
  }
  return b.length;
}

export const stdoutStream: Stream = { write: (b) => writeAll(1, b), isTty: process.stdout.isTTY === true };
export const stderrStream: Stream = { write: (b) => writeAll(2, b), isTty: process.stderr.isTTY === true };
export const stdinStream: Stream = {
  isTty: process.stdin.isTTY === true,
  read(max) {
    const b = Buffer.alloc(Math.min(max, 65536));
    for (;;) {
      try {
        return b.subarray(0, fs.readSync(0, b, 0, b.length, null));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "EAGAIN") continue;
        if (code === "EOF") return new Uint8Array(0);
        throw e;
      }
    }
  },
};

export const say = (s: string) => void writeAll(1, Buffer.from(s));
export const warn = (s: string) => void writeAll(2, Buffer.from(s));

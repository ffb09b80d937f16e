/** The process's own terminal and files: the only place that touches stdin/stdout/stderr. */

import * as fs from "node:fs";
import type { Stream } from "../user/fds.ts";
import { UserError } from "../util/errors.ts";

/** Descriptors whose reader went away (EPIPE): writes to them are dropped from then on. */
const closed = new Set<number>();

function writeAll(fd: number, b: Uint8Array): number {
  if (closed.has(fd)) return 0;
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(fd, b, off, b.length - off);
    } catch (e) {
      if ((e as { code?: string }).code === "EAGAIN") continue;
      if ((e as { code?: string }).code === "EPIPE") { closed.add(fd); return off; }
      throw e;
    }
  }
  return b.length;
}

/** Whether stdout's reader has gone (`hv440 run … | head`): a guest's console has no one to talk to. */
export const stdoutClosed = (): boolean => closed.has(1);

/** The exit status of a run stopped because stdout was closed, as a shell shows a SIGPIPE death. */
export const EXIT_STDOUT_CLOSED = 141;

/** Opens a log file (`-D FILE`) for writing, or says in one line why it cannot. */
export function openLog(path: string): number {
  try {
    return fs.openSync(path, "w");
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === "ENOENT" ? "no such directory" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : code ?? String(e);
    throw new UserError(`-D ${path}: cannot write the log file (${why})`);
  }
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
/** One console byte on stdout (unbuffered: a guest's console is interactive). */
const byte = Buffer.alloc(1);
export const putByte = (b: number): void => { byte[0] = b; writeAll(1, byte); };
export const warn = (s: string) => void writeAll(2, Buffer.from(s));
/** Text to any descriptor (a -D log file, or stderr), riding out EAGAIN and a closed pipe like `say`. */
export const writeText = (fd: number, s: string): void => void writeAll(fd, Buffer.from(s));

/**
 * The guest's file descriptors: each refers to a host file descriptor (files the program opens,
 * passed through to the host file system like qemu-user does) or to a host-side stream
 * (console sinks given by the embedder, so tests and the CLI can capture output).
 */

import * as fs from "node:fs";

export interface Stream {
  read?(max: number): Uint8Array | null; // null = would block / EOF handled by caller as 0
  write?(bytes: Uint8Array): number;
  isTty?: boolean;
}

export type FileRef =
  | { kind: "host"; fd: number; path: string; flags: number; pos: number; dirPos?: number; refs: number }
  | { kind: "stream"; stream: Stream; refs: number };

export class FdTable {
  private readonly fds = new Map<number, { ref: FileRef; cloexec: boolean }>();

  get(fd: number): FileRef | undefined {
    return this.fds.get(fd)?.ref;
  }

  /** Lowest free descriptor >= min. */
  alloc(ref: FileRef, min = 0, cloexec = false): number {
    let fd = min;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, { ref, cloexec });
    return fd;
  }

  set(fd: number, ref: FileRef): void {
    this.close(fd);
    ref.refs++;
    this.fds.set(fd, { ref, cloexec: false });
  }

  dup(fd: number, min = 0): number {
    const e = this.fds.get(fd);
    if (!e) return -1;
    e.ref.refs++;
    return this.alloc(e.ref, min);
  }

  close(fd: number): boolean {
    const e = this.fds.get(fd);
    if (!e) return false;
    this.fds.delete(fd);
    if (--e.ref.refs === 0 && e.ref.kind === "host") {
      try { fs.closeSync(e.ref.fd); } catch { /* already gone */ }
    }
    return true;
  }

  closeAll(): void {
    for (const fd of [...this.fds.keys()]) this.close(fd);
  }

  getCloexec(fd: number): boolean { return this.fds.get(fd)?.cloexec ?? false; }
  setCloexec(fd: number, v: boolean): void { const e = this.fds.get(fd); if (e) e.cloexec = v; }
}

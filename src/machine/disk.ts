/** A disk image file as a virtio-blk backend (synchronous positioned I/O). */

import * as fs from "node:fs";
import type { BlockBackend } from "../devices/virtio-blk.ts";
import { UserError } from "../util/errors.ts";

export class FileBlockBackend implements BlockBackend {
  private readonly fd: number;
  readonly size: number;

  constructor(readonly path: string, readonly readOnly = false) {
    try {
      this.fd = fs.openSync(path, readOnly ? "r" : "r+");
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new UserError(`drive ${path}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String((e as Error).message)}`);
    }
    if (this.size % 512 !== 0) throw new UserError(`drive ${path}: size ${this.size} is not a multiple of 512 bytes`);
  }

  read(offset: number, dst: Uint8Array): void {
    const n = fs.readSync(this.fd, dst, 0, dst.length, offset);
    if (n < dst.length) dst.fill(0, n);
  }
  write(offset: number, src: Uint8Array): void {
    if (this.readOnly) return;
    fs.writeSync(this.fd, src, 0, src.length, offset);
  }
  flush(): void {
    if (!this.readOnly) fs.fsyncSync(this.fd);
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

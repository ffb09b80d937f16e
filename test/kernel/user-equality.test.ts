// A static glibc program prints the same under hv440's guest kernel (booted bare, the program
// started by init through `run=`) as under `hv440 user` (src/user/runner.ts): hello, and libc
// (printf of doubles at the edges in every conversion, qsort, malloc, string functions, signals).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUEST_IMAGES, resolveWorkload, runAppend } from "../../src/machine/catalog.ts";
import { runWorkload } from "../../src/machine/workload.ts";
import { runUser } from "../../src/user/runner.ts";

/** The environment the guest kernel gives init, which init passes on. */
const GUEST_ENV = ["HOME=/", "TERM=linux", "PATH=/sbin:/bin"];

describe.each([["hello"], ["libc"]])("/bin/%s under the guest kernel and under hv440 user", (name) => {
  it("prints the same and exits with 0", () => {
    const path = `/bin/${name}`;
    const k = runWorkload({ ...resolveWorkload("hello", "small"), append: runAppend(path, []), program: path, args: [] });
    expect(k.end).toEqual({ exited: 0 });

    const image = join(GUEST_IMAGES, "user", "bin", `${name}.elf`);
    const out: Buffer[] = [];
    const u = runUser({
      image: readFileSync(image), exePath: path, argv: [path], env: GUEST_ENV, cwd: "/",
      stdin: { read: () => new Uint8Array(0) },
      stdout: { write: (b) => { out.push(Buffer.from(b)); return b.length; } },
      stderr: { write: (b) => b.length },
      maxInsns: 1e9,
    });
    expect(u).toMatchObject({ kind: "exit", status: 0 });
    const user = Buffer.concat(out).toString("latin1");
    expect(user.length).toBeGreaterThan(0);
    expect(k.output).toBe(user);
  });
});

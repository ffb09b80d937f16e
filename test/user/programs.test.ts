// Every user-mode test program under `hv440 user` must print what it printed under
// `qemu-ppc -cpu 440epx` (or, where QEMU is wrong, what the 440 manual says), and exit the same way.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runUser } from "../../src/user/runner.ts";
import {
  compareUserOutput, expectedOutput, expectedStatus, imagePath, loadUserPrograms,
} from "../images/user-programs.ts";

const programs = loadUserPrograms().programs.filter((p) => !p.slow);

describe.each(programs)("hv440 user $name", (p) => {
  it(`prints the expected output and exits with the expected status`, () => {
    const dir = mkdtempSync(join(tmpdir(), "hv440-user-"));
    const out: Buffer[] = [];
    try {
      const image = imagePath(p);
      const r = runUser({
        image: readFileSync(image), exePath: image, argv: [image, ...p.args],
        env: Object.entries(p.env).map(([k, v]) => `${k}=${v}`), cwd: dir,
        stdin: { read: () => new Uint8Array(0) },
        stdout: { write: (b) => { out.push(Buffer.from(b)); return b.length; } },
        stderr: { write: (b) => b.length },
        maxInsns: 2e9,
      });
      const text = Buffer.concat(out).toString("utf8");
      const mismatches = compareUserOutput(expectedOutput(p), text, "manual");
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(r).toMatchObject({ kind: "exit", status: expectedStatus(p) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The `linux` catalog entry: Linux 6.1 for the bamboo board, built by guest-images/linux/build.sh
 * into a cache outside the repository (never committed), booted with no disk to its built-in
 * initramfs, whose /init prints a report and restarts the machine. Measured from reset to that
 * restart (the kernel writes no marks), which is the seed's "boot guest" done with a real kernel.
 *
 * The cache is ${HV440_CACHE:-${XDG_CACHE_HOME:-~/.cache}/hv440}/linux-6.1/, as build.sh has it.
 */

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../util/errors.ts";
import type { CatalogEntry } from "./catalog.ts"; // types only: catalog.ts imports this file

/** Serial console on UART0 at the board's speed; everything else from the device tree. */
export const LINUX_APPEND = "console=ttyS0,115200";
export const LINUX_RAM_MIB = 128;

function env(name: string): string | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return v === "" ? undefined : v;
}

/** Where build.sh leaves the kernel (whether or not it is there). */
export function linuxKernelPath(): string {
  const cache = env("HV440_CACHE") ?? join(env("XDG_CACHE_HOME") ?? join(homedir(), ".cache"), "hv440");
  return join(cache, "linux-6.1", "vmlinux");
}

export const LINUX_ENTRY: CatalogEntry = {
  name: "linux",
  aliases: ["linux-6.1"],
  summary: "Linux 6.1 (bamboo, built-in initramfs) from reset to /init's report and restart (kernel built by guest-images/linux/build.sh)",
  stresses: "a real kernel's boot: MSR and SPR accesses (wrteei/mfmsr around every lock), TLB set-up, console MMIO, DCRs, timer interrupts",
  seedName: "boot guest",
  group: "test",
  sizes: ["small", "default", "full"],
  resolve(size) {
    const kernel = linuxKernelPath();
    if (!existsSync(kernel)) {
      throw new UserError(`linux: no kernel at ${kernel}; build it with guest-images/linux/build.sh (about 4 minutes)`);
    }
    // one boot, whatever the size
    return { name: "linux", size, kernel, append: LINUX_APPEND, ramMiB: LINUX_RAM_MIB, args: [], checksum: /^hv440-init: / };
  },
};

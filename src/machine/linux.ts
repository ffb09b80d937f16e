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

/** Where build.sh leaves the kernel (whether or not it is there); `pvfix`: build.sh --pv-fix's. */
export function linuxKernelPath(variant: "" | "pvfix" = ""): string {
  const cache = env("HV440_CACHE") ?? join(env("XDG_CACHE_HOME") ?? join(homedir(), ".cache"), "hv440");
  return join(cache, variant ? `linux-6.1-${variant}` : "linux-6.1", "vmlinux");
}

function linuxEntry(name: string, variant: "" | "pvfix", summary: string, seedName: string): CatalogEntry {
  const how = `guest-images/linux/build.sh${variant ? " --pv-fix" : ""}`;
  return {
    name,
    aliases: variant ? [] : ["linux-6.1"],
    summary: `${summary} (kernel built by ${how})`,
    stresses: "a real kernel's boot: MSR and SPR accesses (wrteei/mfmsr around every lock), TLB set-up, console MMIO, DCRs, timer interrupts",
    seedName,
    group: "test",
    sizes: ["small", "default", "full"],
    resolve(size) {
      const kernel = linuxKernelPath(variant);
      if (!existsSync(kernel)) throw new UserError(`${name}: no kernel at ${kernel}; build it with ${how} (about 4 minutes)`);
      // one boot, whatever the size
      return { name, size, kernel, append: LINUX_APPEND, ramMiB: LINUX_RAM_MIB, args: [], checksum: /^hv440-init: / };
    },
  };
}

export const LINUX_ENTRY = linuxEntry("linux", "", "Linux 6.1 (bamboo, built-in initramfs) from reset to /init's report and restart", "boot guest");

/**
 * The same kernel with Linux's magic-page self-test fixed (guest-images/linux/patches): the one
 * whose own paravirtualization works (`hv440 pv-compare linux-pvfix`).
 */
export const LINUX_PVFIX_ENTRY = linuxEntry("linux-pvfix", "pvfix", "Linux 6.1 with its KVM magic-page self-test fixed, so that it patches itself under --pv magic-page", "-");

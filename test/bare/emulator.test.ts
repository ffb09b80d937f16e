// The bare-metal self-tests on hv440's own bamboo board: every check must PASS (the manual's
// 440), and under the hypervisor (--mode virt) every program must print the same thing — the
// central property of trap-and-emulate — with the same final RAM where the program's memory
// does not record time.
import { describe, expect, it } from "vitest";
import { boot } from "../machine/boot.ts";
import { loadProfile } from "../../src/hv/profile.ts";
import { barePrograms, diffOutput } from "./expected.ts";

/** Programs whose RAM holds timebase readings or timing-dependent counts. */
const TIME_IN_RAM = new Set(["timers", "watchdog-reset"]);
/**
 * Programs that measure time with tight bounds (a DEC interrupt within N ticks, no FIT expiry
 * between two instructions): under a realistic cost profile exits take host time the guest can
 * see, as on real KVM, so these are compared with the `ideal` profile only.
 */
const TIMING = new Set(["timers", "watchdog-reset"]);
const IDEAL = loadProfile("ideal");

describe.each(barePrograms())("bare-metal self-test $name", (p) => {
  const opts = { ramMiB: p.ramMiB, ...(p.diskPath ? { disk: p.diskPath } : {}), maxInsns: p.maxInstructions };
  const bare = boot(p.imagePath, opts);

  it("passes every check on the bare board and stops as the manual says", () => {
    expect(diffOutput(p.name, bare.console)).toEqual([]);
    const how = p.stop === "watchdog-reset" ? "watchdog" : "dbcr0";
    expect(bare.stop).toMatchObject({ kind: "reset", how });
  });

  it("prints the same under the hypervisor with exits that cost nothing (profile ideal)", () => {
    const virt = boot(p.imagePath, { ...opts, mode: "virt", profile: IDEAL });
    expect(virt.console).toBe(bare.console);
    expect(virt.stop).toEqual(bare.stop);
    if (!TIME_IN_RAM.has(p.name)) expect(virt.ramDigest).toBe(bare.ramDigest);
  });

  // RAM is not compared here: the runtime logs a timebase stamp per interrupt, and real exit
  // costs move them (as they would on real KVM)
  it.skipIf(TIMING.has(p.name))("prints the same under the hypervisor with the default cost profile", () => {
    const virt = boot(p.imagePath, { ...opts, mode: "virt" });
    expect(virt.console).toBe(bare.console);
    expect(virt.stop).toEqual(bare.stop);
  });
});

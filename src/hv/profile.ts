/**
 * Cost profiles: the modelled host time of each exit (what the exit handler costs between the
 * trap and the next guest entry), as data files users can edit and name. The default,
 * `sequoia-2008`, is calibrated to the seed's measurements (see its description). Costs are
 * drawn from a seeded generator, so a run is deterministic and a different seed perturbs it.
 */

import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../util/errors.ts";
import { EXIT_NAMES, Exit, type ExitName } from "./exits.ts";

export interface ExitCost {
  min: number;
  mean: number;
  max: number;
}

export interface CostProfile {
  name: string;
  description: string;
  clockHz: number;
  /** The host's own timer tick (produces DEC exits while the guest runs). */
  hostHz: number;
  /** Period of the device model's kick (SIGNAL exits), ms; 0 disables. */
  signalPeriodMs: number;
  perShadowInvalidate: number;
  exits: Partial<Record<ExitName, ExitCost>>;
}

const PROFILE_DIR = join(import.meta.dirname, "profiles");

export function listProfiles(): string[] {
  return ["sequoia-2008", "ideal"];
}

/** A built-in profile by name, or a JSON file by path. */
export function loadProfile(nameOrPath = "sequoia-2008"): CostProfile {
  const builtin = join(PROFILE_DIR, `${nameOrPath}.json`);
  const path = existsSync(builtin) ? builtin : nameOrPath;
  let p: CostProfile;
  try {
    p = JSON.parse(readFileSync(path, "utf8")) as CostProfile;
  } catch (e) {
    const why = (e as { code?: string }).code === "ENOENT" ? `no built-in profile or file named '${nameOrPath}' (built-in: ${listProfiles().join(", ")})` : `not valid JSON (${(e as Error).message})`;
    throw new UserError(`profile ${nameOrPath}: ${why}`);
  }
  for (const k of ["name", "clockHz", "hostHz", "exits"] as const) {
    if (p[k] === undefined) throw new UserError(`profile ${nameOrPath}: missing "${k}"`);
  }
  for (const [k, v] of Object.entries(p.exits)) {
    if (!(EXIT_NAMES as readonly string[]).includes(k)) throw new UserError(`profile ${nameOrPath}: unknown exit type "${k}"`);
    if (!(v.min <= v.mean && v.mean <= v.max)) throw new UserError(`profile ${nameOrPath}: ${k} needs min <= mean <= max`);
  }
  return {
    ...p,
    signalPeriodMs: p.signalPeriodMs ?? 100,
    perShadowInvalidate: p.perShadowInvalidate ?? 0,
    description: p.description ?? "",
  };
}

/**
 * The tail mean θ that makes min + Exp(θ) + U(0,1), capped at max and truncated to whole
 * microseconds (as KVM's samples were), average `mean`: that average is min + θ(1 - e^(-K/θ)),
 * K = max - min, so θ = mean - min unless the cap binds (tight rows such as DSI 6/6.79/7), where
 * it is found by bisection.
 */
export function tailFor(c: ExitCost): number {
  const want = c.mean - c.min, k = c.max - c.min;
  if (want <= 0) return 0;
  const avg = (th: number) => th * (1 - Math.exp(-k / th));
  if (want >= k) return want; // no distribution under the cap has this mean: the cap wins
  if (avg(want) >= want - 1e-9) return want;
  let lo = want, hi = want;
  while (avg(hi) < want) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (avg(mid) < want) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Draws exit costs (in core cycles) from a profile with a seeded xorshift generator. */
export class CostModel {
  private state: number;
  private readonly cyclesPerUs: number;
  private readonly table: (ExitCost | undefined)[];
  /** Mean of each row's exponential tail (see `tailFor`). */
  private readonly tails: number[];

  constructor(readonly profile: CostProfile, seed = 1) {
    this.state = (seed >>> 0) || 1;
    this.cyclesPerUs = profile.clockHz / 1e6;
    this.table = EXIT_NAMES.map((n) => profile.exits[n]);
    this.tails = this.table.map((c) => (c ? tailFor(c) : 0));
  }

  private random(): number {
    let x = this.state;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.state = x >>> 0;
    return (this.state + 0.5) / 4294967296;
  }

  /** Host cycles for one exit of type `t` (0 if the profile does not price it). */
  cost(t: Exit, extraUs = 0): number {
    const c = this.table[t];
    if (!c) return Math.round(extraUs * this.cyclesPerUs);
    const tail = this.tails[t]!;
    const us = Math.min(c.max, c.min + (tail > 0 ? -Math.log(this.random()) * tail : 0) + this.random()) + extraUs;
    return Math.round(us * this.cyclesPerUs);
  }
}

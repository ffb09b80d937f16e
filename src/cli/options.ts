/**
 * A small option parser for subcommands: long and short options, values, repeated options,
 * `help` as a value where a list of choices exists, and (for commands that run a guest program
 * with its own arguments) stopping at the first positional. Unknown options are user errors.
 */

import { UserError } from "../util/errors.ts";

export interface OptSpec {
  name: string;
  short?: string;
  type: "boolean" | "string" | "number";
  multiple?: boolean;
  /** Allowed values (for `--x help` and validation). */
  choices?: readonly string[];
  help: string;
  arg?: string;
}

export interface Parsed {
  opts: Record<string, string | number | boolean | string[] | undefined>;
  positionals: string[];
}

/** How an option is written: QEMU-style one-letter names (-d, -D, -m) with one dash. */
const flag = (spec: OptSpec): string => (spec.name.length === 1 ? `-${spec.name}` : `--${spec.name}`);

export function parseOptions(cmd: string, specs: readonly OptSpec[], argv: readonly string[], stopAtPositional = false): Parsed {
  const opts: Parsed["opts"] = {};
  const positionals: string[] = [];
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") { i++; break; }
    if (!a.startsWith("-") || a === "-") {
      if (stopAtPositional) break;
      positionals.push(a);
      continue;
    }
    let spec: OptSpec | undefined;
    let value: string | undefined;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) value = a.slice(eq + 1);
      spec = byLong.get(name);
      if (!spec) throw new UserError(`${cmd}: unknown option --${name} (see 'hv440 help ${cmd}')`);
    } else {
      spec = byShort.get(a.slice(1)) ?? byLong.get(a.slice(1));
      if (!spec) throw new UserError(`${cmd}: unknown option ${a} (see 'hv440 help ${cmd}')`);
    }
    let v: string | number | boolean;
    if (spec.type === "boolean") {
      if (value !== undefined) throw new UserError(`${cmd}: option ${flag(spec)} takes no value`);
      v = true;
    } else {
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new UserError(`${cmd}: option ${flag(spec)} needs a value`);
        value = argv[++i]!;
      }
      if (spec.choices) {
        if (value === "help") throw new UserError(`${cmd}: ${flag(spec)} accepts: ${spec.choices.join(", ")}`, 0);
        const parts = spec.multiple ? value.split(",") : [value];
        for (const p of parts) {
          if (!spec.choices.includes(p)) throw new UserError(`${cmd}: ${flag(spec)}: '${p}' is not one of ${spec.choices.join(", ")}`);
        }
      }
      if (spec.type === "number") {
        const n = parseNumber(value);
        if (n === undefined) throw new UserError(`${cmd}: ${flag(spec)} expects a number, got '${value}'`);
        v = n;
      } else v = value;
    }
    if (spec.multiple) {
      const prev = (opts[spec.name] as string[] | undefined) ?? [];
      prev.push(String(v));
      opts[spec.name] = prev;
    } else opts[spec.name] = v;
  }
  positionals.push(...argv.slice(i));
  return { opts, positionals };
}

/** Decimal, hex (0x), with an optional k/M/G suffix (powers of 1000 for counts). */
export function parseNumber(s: string): number | undefined {
  const m = /^(0x[0-9a-f]+|\d+(?:\.\d+)?)([kmg]?)$/i.exec(s.replace(/_/g, ""));
  if (!m) return undefined;
  const base = m[1]!.toLowerCase().startsWith("0x") ? parseInt(m[1]!, 16) : Number(m[1]);
  const mult = { "": 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  const v = base * mult;
  return Number.isFinite(v) ? Math.round(v) : undefined;
}

export function usage(specs: readonly OptSpec[]): string {
  return specs.map((s) => {
    const f = `${s.short ? `-${s.short}, ` : "    "}${flag(s)}${s.type === "boolean" ? "" : ` ${s.arg ?? s.type.toUpperCase()}`}`;
    return `  ${f.padEnd(30)} ${s.help}`;
  }).join("\n");
}

/** `hv440 list`: the workload catalog (src/machine/catalog.ts) as a table, or as JSON. */

import { listCatalog, type CatalogEntry } from "../../machine/catalog.ts";
import { UserError } from "../../util/errors.ts";
import { say } from "../io.ts";
import { parseOptions, type OptSpec } from "../options.ts";

export const LIST_OPTIONS: readonly OptSpec[] = [
  { name: "long", short: "l", type: "boolean", help: "also show what each one stresses and its program and arguments per size" },
  { name: "json", type: "boolean", help: "print the catalog as JSON" },
];

const GROUPS: Record<CatalogEntry["group"], string> = {
  seed: "the seed's workloads (seed 001)",
  micro: "microbenchmarks (seeds 000, 003)",
  test: "test programs",
};

/** Columns padded to their widest cell; the last column is not padded. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd() + "\n").join("");
}

/** What a size runs, e.g. `run=/bin/hashes 40000`, or the bare image. */
function command(e: CatalogEntry, size: CatalogEntry["sizes"][number]): string {
  const w = e.resolve(size);
  return w.program ? [w.program, ...w.args].join(" ") : w.append ? `(kernel command line "${w.append}")` : "(kernel to the prompt)";
}

export function cmdList(argv: readonly string[]): number {
  const { opts, positionals } = parseOptions("list", LIST_OPTIONS, argv);
  if (positionals.length > 0) throw new UserError(`list: unexpected argument '${positionals[0]}'`);
  const entries = listCatalog();
  if (opts.json) {
    say(JSON.stringify(entries.map((e) => ({
      name: e.name, aliases: e.aliases, group: e.group, summary: e.summary, stresses: e.stresses, seedName: e.seedName,
      sizes: Object.fromEntries(e.sizes.map((s) => {
        const w = e.resolve(s);
        return [s, { kernel: w.kernel, disk: w.disk ?? null, append: w.append ?? null, ramMiB: w.ramMiB }];
      })),
    })), null, 2) + "\n");
    return 0;
  }
  let text = "";
  for (const group of Object.keys(GROUPS) as CatalogEntry["group"][]) {
    const members = entries.filter((e) => e.group === group);
    if (members.length === 0) continue;
    const rows = [["NAME", "SIZES", "SEED'S NAME", "WHAT"]];
    for (const e of members) {
      rows.push([e.name + (e.aliases.length ? ` (${e.aliases.join(", ")})` : ""), e.sizes.join(","), e.seedName, e.summary]);
    }
    text += `${text ? "\n" : ""}${GROUPS[group]}:\n${table(rows).replace(/^(?=.)/gm, "  ")}`;
    if (opts.long) {
      for (const e of members) {
        text += `\n  ${e.name}\n    stresses: ${e.stresses}\n`;
        for (const s of e.sizes) text += `    ${s.padEnd(8)} ${command(e, s)}\n`;
      }
    }
  }
  say(text + "\n'hv440 run NAME [--size small|default|full] [--mode virt]' runs one; image paths work too.\n");
  return 0;
}

/**
 * hv440's command line: a command table (kvmtool style), one module per command. This is the
 * only layer that touches `process`; everything below returns values or throws UserError.
 */

import { readFileSync } from "node:fs";
import { UserError } from "../util/errors.ts";
import { cmdCompare, COMPARE_OPTIONS } from "./commands/compare.ts";
import { cmdDisasm, DISASM_OPTIONS } from "./commands/disasm.ts";
import { cmdPvCompare, PV_COMPARE_OPTIONS } from "./commands/pv-compare.ts";
import { cmdList, LIST_OPTIONS } from "./commands/list.ts";
import { cmdRun, RUN_OPTIONS } from "./commands/run.ts";
import { cmdStat, STAT_OPTIONS } from "./commands/stat.ts";
import { cmdTable, TABLE_OPTIONS } from "./commands/table.ts";
import { cmdUser, USER_OPTIONS } from "./commands/user.ts";
import { say, warn } from "./io.ts";
import { usage, type OptSpec } from "./options.ts";

interface Command {
  name: string;
  summary: string;
  synopsis: string;
  options: readonly OptSpec[];
  run(argv: readonly string[]): number | Promise<number>;
}

const COMMANDS: Command[] = [
  { name: "run", summary: "boot an image on the bamboo board (bare metal)", synopsis: "hv440 run [options] image.elf", options: RUN_OPTIONS, run: cmdRun },
  { name: "user", summary: "run a static Linux/PowerPC program (like qemu-ppc)", synopsis: "hv440 user [options] program [args...]", options: USER_OPTIONS, run: cmdUser },
  { name: "list", summary: "list the workloads 'hv440 run NAME' knows (the catalog)", synopsis: "hv440 list [--long] [--json]", options: LIST_OPTIONS, run: cmdList },
  { name: "table", summary: "regenerate the seed's tables: % of bare metal, exit timing (--env, --scoreboard, --out DIR)", synopsis: "hv440 table [options]", options: TABLE_OPTIONS, run: cmdTable },
  { name: "compare", summary: "two runs or saved results side by side: Δ and Δ% per exit type (the seed's PV / no-PV view)", synopsis: "hv440 compare [options] A B", options: COMPARE_OPTIONS, run: cmdCompare },
  { name: "stat", summary: "kvm_stat for a guest under the hypervisor, or a saved --debugfs tree (live, --once, --log, --csv)", synopsis: "hv440 stat [options] image.elf|NAME  |  hv440 stat --debugfs DIR", options: STAT_OPTIONS, run: cmdStat },
  { name: "pv-compare", summary: "a workload virtualized without PV, with host patching and with the magic page: exit tables, net improvement, patched sites", synopsis: "hv440 pv-compare [options] NAME", options: PV_COMPARE_OPTIONS, run: cmdPvCompare },
  { name: "disasm", summary: "disassemble an ELF image (objdump -d -M 440 format)", synopsis: "hv440 disasm [options] image.elf", options: DISASM_OPTIONS, run: cmdDisasm },
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return `hv440 ${pkg.version}`;
}

function help(name?: string): string {
  if (name) {
    const c = COMMANDS.find((x) => x.name === name);
    if (!c) throw new UserError(`help: unknown command '${name}'`);
    return `usage: ${c.synopsis}\n\n${c.summary}\n\noptions:\n${usage(c.options)}\n`;
  }
  return `usage: hv440 <command> [options]\n\ncommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join("\n")}\n  help [cmd]   this text, or a command's options\n\n'hv440 help <command>' lists a command's options; '--version' prints the version.\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "help" || cmd === "--help" || cmd === "-h") {
    say(help(rest[0]));
    return cmd ? 0 : 2;
  }
  if (cmd === "--version" || cmd === "-V") { say(version() + "\n"); return 0; }
  const c = COMMANDS.find((x) => x.name === cmd);
  if (!c) throw new UserError(`unknown command '${cmd}' (see 'hv440 help')`);
  if (rest.includes("--help") && c.name !== "user") { say(help(c.name)); return 0; }
  return c.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UserError) {
    if (e.exitCode === 0) say(e.message + "\n"); else warn(`hv440: ${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    const err = e as Error;
    warn(`hv440: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.HV440_DEBUG) warn(`${err?.stack ?? ""}\n`);
    else warn("hv440: this is a bug in hv440; HV440_DEBUG=1 shows where\n");
    process.exitCode = 70;
  }
}

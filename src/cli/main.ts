/**
 * hv440's command line: a command table (kvmtool style), one module per command. This is the
 * only layer that touches `process`; everything below returns values or throws UserError.
 */

import { readFileSync } from "node:fs";
import { UserError } from "../util/errors.ts";
import { say, warn } from "./io.ts";
import { usage, type OptSpec } from "./options.ts";

interface CommandModule {
  options: readonly OptSpec[];
  run(argv: readonly string[]): number | Promise<number>;
}

/** A command's module is imported only when it runs: start-up stays cheap (`table` pulls in Vega). */
interface Command {
  name: string;
  summary: string;
  synopsis: string;
  load(): Promise<CommandModule>;
}

const COMMANDS: Command[] = [
  { name: "run", summary: "boot an image on the bamboo board (bare metal)", synopsis: "hv440 run [options] image.elf", load: async () => { const m = await import("./commands/run.ts"); return { options: m.RUN_OPTIONS, run: m.cmdRun }; } },
  { name: "user", summary: "run a static Linux/PowerPC program (like qemu-ppc)", synopsis: "hv440 user [options] program [args...]", load: async () => { const m = await import("./commands/user.ts"); return { options: m.USER_OPTIONS, run: m.cmdUser }; } },
  { name: "list", summary: "list the workloads 'hv440 run NAME' knows (the catalog)", synopsis: "hv440 list [--long] [--json]", load: async () => { const m = await import("./commands/list.ts"); return { options: m.LIST_OPTIONS, run: m.cmdList }; } },
  { name: "table", summary: "regenerate the seed's tables: % of bare metal, exit timing (--env, --scoreboard, --out DIR)", synopsis: "hv440 table [options]", load: async () => { const m = await import("./commands/table.ts"); return { options: m.TABLE_OPTIONS, run: m.cmdTable }; } },
  { name: "compare", summary: "two runs or saved results side by side: Δ and Δ% per exit type (the seed's PV / no-PV view)", synopsis: "hv440 compare [options] A B", load: async () => { const m = await import("./commands/compare.ts"); return { options: m.COMPARE_OPTIONS, run: m.cmdCompare }; } },
  { name: "stat", summary: "kvm_stat for a guest under the hypervisor, or a saved --debugfs tree (live, --once, --log, --csv)", synopsis: "hv440 stat [options] image.elf|NAME  |  hv440 stat --debugfs DIR", load: async () => { const m = await import("./commands/stat.ts"); return { options: m.STAT_OPTIONS, run: m.cmdStat }; } },
  { name: "pv-compare", summary: "a workload virtualized without PV, with host patching and with the magic page: exit tables, net improvement, patched sites", synopsis: "hv440 pv-compare [options] NAME", load: async () => { const m = await import("./commands/pv-compare.ts"); return { options: m.PV_COMPARE_OPTIONS, run: m.cmdPvCompare }; } },
  { name: "disasm", summary: "disassemble an ELF image (objdump -d -M 440 format)", synopsis: "hv440 disasm [options] image.elf", load: async () => { const m = await import("./commands/disasm.ts"); return { options: m.DISASM_OPTIONS, run: m.cmdDisasm }; } },
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return `hv440 ${pkg.version}`;
}

async function help(name?: string): Promise<string> {
  if (name) {
    const c = COMMANDS.find((x) => x.name === name);
    if (!c) throw new UserError(`help: unknown command '${name}'`);
    return `usage: ${c.synopsis}\n\n${c.summary}\n\noptions:\n${usage((await c.load()).options)}\n`;
  }
  return `usage: hv440 <command> [options]\n\ncommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join("\n")}\n  help [cmd]   this text, or a command's options\n\n'hv440 help <command>' lists a command's options; '--version' prints the version.\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "help" || cmd === "--help" || cmd === "-h") {
    say(await help(rest[0]));
    return cmd ? 0 : 2;
  }
  if (cmd === "--version" || cmd === "-V") { say(version() + "\n"); return 0; }
  const c = COMMANDS.find((x) => x.name === cmd);
  if (!c) throw new UserError(`unknown command '${cmd}' (see 'hv440 help')`);
  if (rest.includes("--help") && c.name !== "user") { say(await help(c.name)); return 0; }
  return (await c.load()).run(rest);
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

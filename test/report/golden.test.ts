// The default tables (`hv440 table`) and the environment comparison (`hv440 table --env`),
// regenerated at the small size from the committed guest images and compared byte for byte with
// the committed golden files (test/report/golden/). When a change to the guests, the hypervisor or
// the cost model moves the numbers on purpose, regenerate them with
//   npx vitest run --config test/vitest.config.ts --project jit test/report/golden.test.ts -u
// and say why in the commit (docs/tables.md discusses the default-size tables).
import { describe, expect, it } from "vitest";
import { collectRuns, parsePlan, planOptions, planRuns } from "../../src/cli/commands/table.ts";
import { renderTables } from "../../src/report/table-report.ts";
import type { ResultSet } from "../../src/report/results.ts";

const EXT = { text: "txt", csv: "csv", md: "md", json: "json" } as const;

function regenerate(opts: Record<string, unknown>): ResultSet {
  const plan = parsePlan({ size: "small", ...opts });
  return collectRuns(planRuns(plan), planOptions(plan));
}

describe("golden tables (small size)", () => {
  it("hv440 table --size small: % of bare metal and the five exit-timing tables", async () => {
    const set = regenerate({});
    expect(set.runs.length).toBe(10);
    for (const [f, ext] of Object.entries(EXT)) {
      await expect(renderTables(set, f as keyof typeof EXT)).toMatchFileSnapshot(`./golden/tables-small.${ext}`);
    }
  }, 600_000);

  it("hv440 table --env --size small: bare and virtualized microbenchmarks and boot time", async () => {
    const set = regenerate({ env: true });
    for (const [f, ext] of Object.entries(EXT)) {
      await expect(renderTables(set, f as keyof typeof EXT)).toMatchFileSnapshot(`./golden/env-small.${ext}`);
    }
  }, 600_000);
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeImportFile } from "../../bench/import-file";
import { runImport } from "../../src/import/cli";
import { progressReporter } from "../../src/import/progress";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) } };
}

describe("import progress on a terminal", () => {
  it("is a bar redrawn in place, once per percent moved at most 10 times a second, a line per phase", () => {
    const { writes, stream } = fakeStream(true);
    let clock = 0;
    const { progress, end } = progressReporter(stream, () => clock);

    progress("reading", 10, 100);
    progress("reading", 10, 100); // the same figure: not redrawn
    clock += 50;
    progress("reading", 20, 100); // too soon after the last redraw
    clock += 100;
    progress("reading", 30, 100);
    progress("reading", 100, 100); // the end of a phase is always drawn
    progress("writing", 2_000, 4_000);
    end();

    expect(writes.map((w) => w.replace(/█+|░+/g, (bar) => `${bar[0]}×${bar.length}`))).toEqual([
      "\r[█×4░×36] reading the file    10% 0.0 of 0.0 MB\x1b[K",
      "\r[█×12░×28] reading the file    30% 0.0 of 0.0 MB\x1b[K",
      "\r[█×40] reading the file   100% 0.0 of 0.0 MB\x1b[K",
      "\n",
      "\r[█×20░×20] writing shipments   50% 2,000 of 4,000\x1b[K",
      "\n",
    ]);
  });
});

describe("import progress in a log (not a terminal)", () => {
  it("is a plain line every 10%, or every 5 seconds when it moves slower", () => {
    const { writes, stream } = fakeStream(false);
    let clock = 0;
    const { progress } = progressReporter(stream, () => clock);

    for (let bytes = 0; bytes <= 50_000_000; bytes += 1_000_000) progress("reading", bytes, 50_000_000);
    progress("writing", 100, 10_000);
    progress("writing", 200, 10_000);
    clock += 5_000;
    progress("writing", 300, 10_000);

    expect(writes).toEqual([
      ...[0, 10, 20, 30, 40, 50, 60, 70, 80, 90].map((p) => `reading the file: ${p}% (${(p / 2).toFixed(1)} of 50.0 MB)\n`),
      "reading the file: 100% (50.0 of 50.0 MB)\n",
      "writing shipments: 1% (100 of 10,000)\n",
      "writing shipments: 3% (300 of 10,000)\n",
    ]);
  });
});

describeOnPostgres("the import command's progress and counts", (open) => {
  let db: PostgresDemoStore;
  let folder: string;
  let file: string;
  const SHIPMENTS = 3_000;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "alloc-import-progress-"));
    file = path.join(folder, "shipments.json");
    [db] = await Promise.all([open(), writeImportFile(file, SHIPMENTS)]);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await rm(folder, { recursive: true, force: true });
  });

  async function run(isTTY: boolean) {
    const { writes, stream } = fakeStream(isTTY);
    const lines: string[] = [];
    const code = await runImport([file], { DATABASE_URL: db.databaseUrl }, { log: (m) => lines.push(m), error: (m) => lines.push(m), progress: stream });
    return { code, output: lines.join("\n"), progress: writes.join("") };
  }

  it("writes plain lines when stderr is not a terminal, then counts what it inserted", async () => {
    const { code, output, progress } = await run(false);

    expect(code).toBe(0);
    expect(progress).toMatch(/^reading the file: \d+% /);
    expect(progress).toMatch(/\nreading the file: 100% \((\d+\.\d) of \1 MB\)\n/);
    expect(progress).toContain(`writing shipments: 100% (3,000 of 3,000)\n`);
    expect(progress).not.toContain("\r");
    expect(output).toContain("  carrier services: 0 inserted, 0 updated, 9 unchanged");
    expect(output).toContain(`  shipments:        ${SHIPMENTS} inserted, 0 already present`);
  });

  it("draws a bar on a terminal, and counts a re-import of the same file as all unchanged", async () => {
    const { code, output, progress } = await run(true);

    expect(code).toBe(0);
    expect(progress).toMatch(/^\r\[█*░*\] reading the file /);
    expect(progress).toContain("] writing shipments  100% 3,000 of 3,000\x1b[K\n");
    expect(output).toContain(
      [
        "  accounts:         0 inserted, 0 updated, 2 unchanged",
        "  API keys:         0 inserted, 0 updated, 2 unchanged, 0 removed",
        "  carriers:         0 inserted, 0 updated, 4 unchanged",
        "  carrier services: 0 inserted, 0 updated, 9 unchanged",
        "  service groups:   0 inserted, 0 updated, 5 unchanged",
        `  shipments:        0 inserted, ${SHIPMENTS} already present (left untouched)`,
      ].join("\n"),
    );
  });
});

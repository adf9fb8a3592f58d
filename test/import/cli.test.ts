import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/import/cli";
import { progressLines } from "../../src/import/progress";
import type { Dataset } from "../../src/import/dataset";
import { openConfiguredStore } from "../../src/store";
import { describeOnPostgres } from "../support/stores";
import { tableDump } from "./tables";

const DEMO_FILE = path.resolve(__dirname, "../../data/demo-dataset.json");

/** Where runImport writes (its environment) and how a test reads that store back. */
interface Target {
  env: NodeJS.ProcessEnv;
  tables(): Promise<Record<string, unknown[]>>;
  dispose(): Promise<void>;
}

async function run(argv: string[], env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const progress: string[] = [];
  const code = await runImport(argv, env, { log: (m) => lines.push(m), error: (m) => lines.push(m) }, progressLines((line) => progress.push(line)));
  return { code, output: lines.join("\n"), progress };
}

const invalidFiles: { problem: string; path: string; edit: (dataset: Dataset) => void }[] = [
  { problem: "a bad decimal", path: "$.carrierServices[0].maxWeightKg", edit: (d) => (d.carrierServices[0].maxWeightKg = "15kg") },
  { problem: "an unknown carrier", path: "$.carrierServices[0].carrier", edit: (d) => (d.carrierServices[0].carrier = "NOPE") },
  { problem: "a missing required property", path: "$.carriers[0].name", edit: (d) => Reflect.deleteProperty(d.carriers[0], "name") },
  {
    problem: "a group member of another account",
    path: "$.serviceGroups[4].services[1]",
    edit: (d) => d.serviceGroups[4].services.push("DPD-00012"),
  },
];

function importCommand(openTarget: () => Promise<Target>): void {
  let target: Target;
  let files: string;
  let demoText: string;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    target = await openTarget();
    files = await mkdtemp(path.join(tmpdir(), "alloc-import-files-"));
    demoText = await readFile(DEMO_FILE, "utf8");
    before = await target.tables();
  });
  afterAll(async () => {
    await target?.dispose();
    await rm(files, { recursive: true, force: true });
  });

  describe("a valid data set", () => {
    it("is imported and summarised", async () => {
      const { code, output, progress } = await run([DEMO_FILE], target.env);

      expect(code).toBe(0);
      expect(output.split("\n").slice(1)).toEqual([
        "  accounts:         0 inserted, 0 updated, 2 unchanged (2 API keys)",
        "  carriers:         0 inserted, 0 updated, 4 unchanged",
        "  carrier services: 0 inserted, 0 updated, 9 unchanged",
        "  service groups:   0 inserted, 0 updated, 5 unchanged",
        "  shipments:        0 inserted, 0 updated, 13 unchanged (existing shipments are never changed)",
      ]);
      expect(progress.at(-1)).toBe("Importing: 100% (33 of 33 records; now shipments)");
      expect(await target.tables()).toEqual(before);
    });
  });

  describe("an invalid data set", () => {
    it.each(invalidFiles)("with $problem is rejected at $path, writing nothing", async ({ path: jsonPath, edit }) => {
      const dataset = JSON.parse(demoText);
      edit(dataset);
      const file = path.join(files, "invalid.json");
      await writeFile(file, JSON.stringify(dataset));

      const { code, output } = await run([file], target.env);

      expect(code).toBe(1);
      expect(output).toContain(`${jsonPath}: `);
      expect(output).toContain("nothing was imported");
      expect(await target.tables()).toEqual(before);
    });

    it("that is not JSON is rejected with the line and column", async () => {
      const file = path.join(files, "malformed.json");
      await writeFile(file, '{\n  "version": 1\n  "accounts": []\n}\n');

      const { code, output } = await run([file], target.env);

      expect(code).toBe(1);
      expect(output).toMatch(/is not valid JSON: .*line 3,? column 3/);
      expect(await target.tables()).toEqual(before);
    });
  });
}

describe("the import command [pglite]", () => {
  importCommand(async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "alloc-import-data-"));
    const env = { DATA_DIR: dataDir };
    // the command itself seeds the data directory: it must hold the demo data before the tests
    const seeded = await run([DEMO_FILE], env);
    if (seeded.code !== 0) throw new Error(seeded.output);
    return {
      env,
      tables: async () => {
        const store = await openConfiguredStore({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
        try {
          return await tableDump(store);
        } finally {
          await store.close();
        }
      },
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  });
});

describeOnPostgres("the import command", (open) => {
  importCommand(async () => {
    const store = await open();
    return { env: { DATABASE_URL: store.databaseUrl }, tables: () => tableDump(store), dispose: () => store.dropDatabase() };
  });
});

describe("importing into a data directory a running service holds", () => {
  let dataDir: string;
  let service: Awaited<ReturnType<typeof openConfiguredStore>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "alloc-import-busy-"));
    service = await openConfiguredStore({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  });
  afterAll(async () => {
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("fails with a message that says what to do", async () => {
    const { code, output } = await run([DEMO_FILE], { DATA_DIR: dataDir });

    expect(code).toBe(1);
    expect(output).toContain(`The embedded store in ${dataDir} is in use by another process`);
    expect(output).toContain("Stop it first, or use PostgreSQL");
  });
});

describe("the import command's arguments", () => {
  it("must be exactly one file", async () => {
    const { code, output } = await run([], {});

    expect(code).toBe(2);
    expect(output).toContain("Usage: npm run import -- <data-set.json>");
  });
});

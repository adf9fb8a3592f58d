import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/import/cli";
import type { Dataset } from "../../src/import/dataset";
import { openConfiguredStore } from "../../src/store";
import { hashApiKey } from "../../src/store/accounts";
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
  const code = await runImport(argv, env, { log: (m) => lines.push(m), error: (m) => lines.push(m) });
  return { code, output: lines.join("\n") };
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
  { problem: "a rate too large to price", path: "$.carrierServices[0].rates[0].net", edit: (d) => (d.carrierServices[0].rates[0].net = "1000000000000") },
  { problem: "a tax rate of 1000%", path: "$.carrierServices[0].tax.value", edit: (d) => (d.carrierServices[0].tax.value = "10") },
  { problem: "an API key of another account", path: "$.accounts[0].apiKeys[1]", edit: listNorthwindKeyUnderDemo },
  { problem: "a NUL character", path: "$.accounts[0].name", edit: (d) => (d.accounts[0].name = "Demo\u0000Retail") },
  { problem: "an unpaired surrogate", path: "$.shipments[0].tags[0]", edit: (d) => (d.shipments[0].tags = ["half \ud83d"]) },
];

// the file names account "demo" only, with northwind's key among its own
function listNorthwindKeyUnderDemo(dataset: Dataset): void {
  dataset.accounts = [{ ...dataset.accounts[0], apiKeys: [...dataset.accounts[0].apiKeys, "northwind-api-key"] }];
}

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
      const { code, output } = await run([DEMO_FILE], target.env);

      expect(code).toBe(0);
      expect(output).toContain("carrier services: 0 inserted, 0 updated, 9 unchanged");
      expect(output).toContain("shipments:        0 inserted, 13 already present");
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

    it("nested 10,000 deep is rejected where it passes 32 levels", async () => {
      const file = path.join(files, "deep.json");
      const dataset = JSON.parse(demoText);
      dataset.shipments[0].tags = ["TAGS"];
      await writeFile(file, JSON.stringify(dataset).replace('["TAGS"]', "[".repeat(10_000) + "]".repeat(10_000)));

      const { code, output } = await run([file], target.env);

      // $ is level 1, so $.shipments[0].tags is 4 and the first container past 32 is 29 arrays into it
      expect(code).toBe(1);
      expect(output).toContain(`$.shipments[0].tags${"[0]".repeat(29)}: nests deeper than 32 levels`);
      expect(await target.tables()).toEqual(before);
    });

    it("that is not UTF-8 is rejected with the line and column of the first bad byte", async () => {
      const file = path.join(files, "latin1.json");
      const [head, tail] = demoText.split("Demo Retail Ltd");
      await writeFile(file, Buffer.concat([Buffer.from(`${head}D`), Buffer.from([0xe9]), Buffer.from(`mo Retail Ltd${tail}`)]));

      const { code, output } = await run([file], target.env);

      const lines = `${head}D`.split("\n");
      expect(code).toBe(1);
      expect(output).toContain(`is not valid UTF-8: line ${lines.length}, column ${lines.at(-1)!.length + 1}`);
      expect(await target.tables()).toEqual(before);
    });
  });

  describe("an API key that another account holds", () => {
    let file: string;
    beforeAll(async () => {
      const dataset = JSON.parse(demoText);
      listNorthwindKeyUnderDemo(dataset);
      file = path.join(files, "key-of-northwind.json");
      await writeFile(file, JSON.stringify(dataset));
    });

    it("is refused, naming the account that holds it", async () => {
      const { code, output } = await run([file], target.env);

      expect(code).toBe(1);
      expect(output).toContain('$.accounts[0].apiKeys[1]: is an API key of account "northwind"; pass --move-api-keys to move it to "demo"');
      expect(await target.tables()).toEqual(before);
    });

    it("moves with --move-api-keys, listed in the summary", async () => {
      const moved = await run(["--move-api-keys", file], target.env);
      const afterMove = await target.tables();
      const movedBack = await run(["--move-api-keys", DEMO_FILE], target.env);

      const demoAccount = (afterMove.accounts as { id: number; reference: string }[]).find((a) => a.reference === "demo");
      const keys = afterMove.api_keys as { key_hash: string; account_id: number }[];
      expect(moved.code).toBe(0);
      expect(moved.output).toContain('API key moved:    $.accounts[0].apiKeys[1], from account "northwind" to "demo"');
      expect(keys.find((k) => k.key_hash === hashApiKey("northwind-api-key"))?.account_id).toBe(demoAccount?.id);
      expect(movedBack.output).toContain('API key moved:    $.accounts[1].apiKeys[0], from account "demo" to "northwind"');
      expect(await target.tables()).toEqual(before);
    });
  });

  describe("a file that starts with a UTF-8 byte order mark", () => {
    it("is imported", async () => {
      const file = path.join(files, "bom.json");
      await writeFile(file, `\uFEFF${demoText}`);

      const { code, output } = await run([file], target.env);

      expect(code).toBe(0);
      expect(output).toContain("carrier services: 0 inserted, 0 updated, 9 unchanged");
      expect(await target.tables()).toEqual(before);
    });
  });

  describe("a file streamed in chunks", () => {
    // each a new shipment of account demo: more than one chunk is staged before the problems
    const newShipments = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...JSON.parse(demoText).shipments[0], reference: `sp_8${String(i).padStart(31, "0")}` }));

    it("with problems after thousands of staged shipments writes nothing, and names them", async () => {
      const dataset = JSON.parse(demoText);
      const added = newShipments(5_000);
      dataset.shipments.push(...added, { ...added[0] }, { ...added[1], account: "nobody" });
      const file = path.join(files, "late-problems.json");
      await writeFile(file, JSON.stringify(dataset));

      const { code, output } = await run([file], target.env);

      expect(code).toBe(1);
      expect(output).toContain("has 2 problem(s); nothing was imported");
      expect(output).toContain("$.shipments[5013].reference: duplicates $.shipments[13].reference");
      expect(output).toContain('$.shipments[5014].account: unknown account "nobody"');
      expect(await target.tables()).toEqual(before);
    });

    // last: it adds an account and a shipment
    it("with its shipments before the accounts they name is imported", async () => {
      const { accounts, shipments, ...rest } = JSON.parse(demoText);
      const late = { ...shipments[0], account: "late", reference: `sp_${"4".repeat(32)}` };
      const file = path.join(files, "shipments-first.json");
      await writeFile(file, JSON.stringify({ shipments: [...shipments, late], ...rest, accounts: [...accounts, { reference: "late", name: "Late", apiKeys: [] }] }));

      const { code, output } = await run([file], target.env);

      expect(code).toBe(0);
      expect(output).toContain("accounts:         1 inserted, 0 updated, 2 unchanged");
      expect(output).toContain("shipments:        1 inserted, 13 already present");
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
    expect(output).toContain("Usage: npm run import -- [--move-api-keys] <data-set.json>");
  });

  it("may not hold an unknown option", async () => {
    const { code, output } = await run(["--force", DEMO_FILE], {});

    expect(code).toBe(2);
    expect(output).toContain("Usage: npm run import -- [--move-api-keys] <data-set.json>");
  });
});

// `npm run backup` / `npm run restore`: the embedded store, allocations and tracking counters
// included, to a file and back; never beside a running service, never from a file that is not a backup.
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackupCommand } from "../../src/backup/cli";
import { seedDemoDataIfEmpty } from "../../src/import/demo";
import { openConfiguredStore, type Store } from "../../src/store";
import { tableDump } from "../import/tables";
import { createOperationRunner } from "../support/server";

const sp = (n: number) => `sp_00802615769404976542730318118${n}`;
const ALLOCATE = `mutation ($shipmentRef: ID!, $serviceRef: ID!) {
  allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $serviceRef) {
    ... on AllocateResult { state trackingDetails { shipment { trackingReferences } } }
  }
}`;

type Api = Awaited<ReturnType<typeof createOperationRunner>>;

async function run(argv: string[], dataDir: string) {
  const lines: string[] = [];
  const code = await runBackupCommand(argv, { DATA_DIR: dataDir }, { log: (m) => lines.push(m), error: (m) => lines.push(m) });
  return { code, output: lines.join("\n") };
}

/** Opens the store as the service does (same lock), runs the work, closes it. */
async function withService<T>(dataDir: string, work: (store: Store, api: Api) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  const api = await createOperationRunner(store);
  try {
    return await work(store, api);
  } finally {
    await api.stop();
    await store.close();
  }
}

const allocate = async (api: Api, n: number, serviceRef: string) =>
  (await api.run(ALLOCATE, { shipmentRef: sp(n), serviceRef })).data?.allocateShipmentWithVirtualService;

describe("backup and restore of the embedded store", () => {
  let work: string;
  let dataDir: string;
  let backup: string;
  /** Every row and tracking counter of the store when it was backed up. */
  let atBackup: Record<string, unknown[]>;

  const tables = (dir: string) => withService(dir, (store) => tableDump(store));

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "alloc-backup-"));
    dataDir = path.join(work, "data");
    backup = path.join(work, "store.tgz");
    await withService(dataDir, async (store, api) => {
      await seedDemoDataIfEmpty(store);
      expect(await allocate(api, 912, "FF_LINET-00001")).toEqual({ state: "ALLOCATED", trackingDetails: { shipment: { trackingReferences: ["19297253"] } } });
      atBackup = await tableDump(store);
    });
    expect(await run(["backup", backup], dataDir)).toEqual({ code: 0, output: expect.stringMatching(`^Backed up ${dataDir} to ${backup} \\(\\d+ bytes\\)$`) });
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("round-trips a store with allocations: restored over later changes, tracking counters included", async () => {
    const afterBackup = await withService(dataDir, (_, api) => allocate(api, 913, "DPD-00012"));

    const restored = await run(["restore", backup], dataDir);

    expect(afterBackup.state).toBe("ALLOCATED");
    expect(restored).toEqual({ code: 0, output: `Restored ${backup} into ${dataDir}` });
    expect(await tables(dataDir)).toEqual(atBackup);
    expect(atBackup.allocations).toHaveLength(1);
    // the service runs on it, and the carrier's counter hands out the same number again
    expect(await withService(dataDir, (_, api) => allocate(api, 913, "DPD-00012"))).toEqual(afterBackup);
  });

  it("restores into an empty folder (a new machine)", async () => {
    const fresh = path.join(work, "fresh");

    const restored = await run(["restore", backup], fresh);

    expect(restored.code).toBe(0);
    expect(readdirSync(fresh).sort()).toEqual(readdirSync(dataDir).sort());
    expect(await tables(fresh)).toEqual(atBackup);
  });

  it("refuses to restore over a folder a running service holds (or to back it up), and changes nothing", async () => {
    const before = await tables(dataDir);
    const other = path.join(work, "other.tgz");
    const busy = `The embedded store in ${dataDir} is in use by another process (a running service?): stop it first. Nothing was changed.`;

    const attempts = await withService(dataDir, async () => [await run(["restore", backup], dataDir), await run(["backup", other], dataDir)]);

    expect(attempts).toEqual([
      { code: 1, output: busy },
      { code: 1, output: busy },
    ]);
    expect(await tables(dataDir)).toEqual(before);
    expect(existsSync(other)).toBe(false);
  });

  it.each([
    ["a JSON file", "dataset.json", (json: Buffer) => json],
    ["a gzipped file that is no tarball", "dataset.json.gz", (json: Buffer) => gzipSync(json)],
  ])("refuses %s, and changes nothing", async (_, name, content) => {
    const notABackup = path.join(work, name);
    await writeFile(notABackup, content(await readFile(path.resolve(__dirname, "../../data/demo-dataset.json"))));
    const before = await tables(dataDir);

    const restored = await run(["restore", notABackup], dataDir);

    expect(restored.code).toBe(1);
    expect(restored.output).toMatch(new RegExp(`^restore failed: ${notABackup} is not a backup of the embedded store \\(.+\\); nothing was changed$`));
    expect(await tables(dataDir)).toEqual(before);
  });

  it("points PostgreSQL users to pg_dump, and takes no arguments it does not know", async () => {
    const lines: string[] = [];
    const out = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };

    const onPostgres = await runBackupCommand(["backup", backup], { DATABASE_URL: "postgres://localhost/x" }, out);
    const noFile = await runBackupCommand(["backup"], {}, out);

    expect([onPostgres, noFile]).toEqual([1, 2]);
    expect(lines).toEqual([
      "DATABASE_URL is set: backup is for the embedded store; back PostgreSQL up with pg_dump and pg_restore",
      "Usage: npm run backup -- <file>   |   npm run restore -- <file>",
    ]);
  });
});

// The catalogue and API keys are cached per process (src/store/cache): an import, from any process,
// reaches every running process's cache within 1 s (PostgreSQL LISTEN/NOTIFY), and a process whose
// listener is gone uses no cache until it listens again.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatasetCarrierService } from "../../src/import/dataset";
import { loadDemoDataset } from "../../src/import/demo";
import { validateDataset } from "../../src/import/validate";
import { importDataset } from "../../src/store/import-dataset";
import { openPostgresStore, type Store } from "../../src/store/store";
import { allocateMutation } from "../api/api";
import { statementLog, tally } from "../batching/statements";
import { postGraphQL } from "../observability/harness";
import { importShipments, referenceMaker } from "../stress/shipments";
import { untilCachesTrusted } from "../support/caches";
import { createOperationRunner } from "../support/server";
import { buildService, startService, type ServiceProcess } from "../support/service-process";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";

const BOUND_MS = 1_000;
const LISTENER = "allocation-cache-listener";
const LISTS = "{ carrierServices { reference } }";
const BY_GROUP = allocateMutation("serviceGroup");

/** Imports a data set the way `npm run import` does (validated, then importDataset), from the given store. */
async function importRaw(store: Store, raw: Record<string, unknown>): Promise<void> {
  const result = validateDataset({ version: 1, ...raw });
  if (!result.ok) throw new Error(`Invalid test data set: ${JSON.stringify(result.problems)}`);
  await importDataset(store, result.dataset);
}

const account = (reference: string, apiKeys: string[]) => ({ accounts: [{ reference, name: reference, apiKeys }] });

/** Sends requests one after another until `done` says so; when the first such request was sent, in ms after `since`. */
async function firstSentWhen(since: number, send: () => Promise<boolean>, giveUpMs = 3 * BOUND_MS): Promise<number> {
  for (;;) {
    const sentAt = Date.now();
    if (await send()) return sentAt - since;
    if (sentAt - since > giveUpMs) return Infinity;
    await sleep(20);
  }
}

async function listeners(client: pg.Client, database: string): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", [
    database,
    LISTENER,
  ]);
  return rows.map((row) => row.pid);
}

describeOnPostgres("caches across processes", (open) => {
  let build: Awaited<ReturnType<typeof buildService>>;
  let db: PostgresDemoStore;
  // on the server's own database: a database cannot refuse connections while the one asking is on it
  let admin: pg.Client;
  let name: string;
  let servers: ServiceProcess[] = [];
  const ref = referenceMaker();
  let shipmentCount = 0;
  const freshShipment = () => ref(shipmentCount++);

  beforeAll(async () => {
    [build, db] = await Promise.all([buildService("cache-invalidation"), open()]);
    await importShipments(db, Array.from({ length: 60 }, (_, i) => ref(i)));
    name = new URL(db.databaseUrl).pathname.slice(1);
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    servers = await Promise.all([0, 1].map(() => startService(build.main, db.databaseUrl)));
  });
  afterAll(async () => {
    for (const server of servers) server.child.kill("SIGKILL");
    await Promise.all(servers.map((server) => server.exited));
    await admin?.end();
    await db?.dropDatabase();
    build?.remove();
  });

  // the first request starts a process's listener; a request once it listens fills the cache
  async function warm(headers: Record<string, string>, query = LISTS, variables?: () => Record<string, unknown>) {
    for (const server of servers) expect((await postGraphQL(server.origin + "/graphql", query, variables?.(), headers)).status).toBe(200);
    for (let tries = 0; (await listeners(admin, name)).length < servers.length; tries++) {
      if (tries > 200) throw new Error("The services' cache listeners did not come up");
      await sleep(25);
    }
    await sleep(100);
    for (const server of servers) expect((await postGraphQL(server.origin + "/graphql", query, variables?.(), headers)).status).toBe(200);
  }

  it("an API key replaced by an import stops working within 1 s on both processes; the new one works", async () => {
    // Arrange: an account whose key both processes have cached
    await importRaw(db, account("rotation", ["rotation-key-one"]));
    await warm({ "x-api-key": "rotation-key-one" });

    // Act: the import replaces the account's keys (from this process, a third one)
    await importRaw(db, account("rotation", ["rotation-key-two"]));
    const importedAt = Date.now();
    const refusedAfter = await Promise.all(
      servers.map((server) =>
        firstSentWhen(importedAt, async () => (await postGraphQL(server.origin + "/graphql", LISTS, undefined, { "x-api-key": "rotation-key-one" })).status === 401),
      ),
    );
    const newKey = await Promise.all(servers.map((server) => postGraphQL(server.origin + "/graphql", LISTS, undefined, { "x-api-key": "rotation-key-two" })));

    // Assert
    for (const after of refusedAfter) expect(after).toBeLessThan(BOUND_MS);
    expect(newKey.map((response) => response.status)).toEqual([200, 200]);
  });

  it("a carrier service deactivated by an import is not chosen within 1 s on either process", async () => {
    // Arrange: both processes have allocated through NEXT_DAY, so its members are cached
    const demo = await loadDemoDataset();
    const allocate = async (server: ServiceProcess) => {
      const response = await postGraphQL(server.origin + "/graphql", BY_GROUP, { shipmentRef: freshShipment(), ref: "NEXT_DAY" });
      return response.body.data?.result as { state: string; carrier: { serviceReference: string } };
    };
    await warm({ "x-api-key": "demo-api-key" }, BY_GROUP, () => ({ shipmentRef: freshShipment(), ref: "NEXT_DAY" }));
    const chosen = (await allocate(servers[0])).carrier.serviceReference;
    const service = demo.carrierServices.find((s) => s.reference === chosen) as DatasetCarrierService;

    // Act
    await importRaw(db, { carrierServices: [{ ...service, active: false }] });
    const importedAt = Date.now();
    const notChosenAfter = await Promise.all(
      servers.map((server) => firstSentWhen(importedAt, async () => (await allocate(server)).carrier.serviceReference !== chosen)),
    );

    // Assert
    for (const after of notChosenAfter) expect(after).toBeLessThan(BOUND_MS);
    await importRaw(db, { carrierServices: [service] });
  });

  describe("when the listener's connection is lost", () => {
    const log = statementLog();
    let served: Store;
    let importer: Store;
    let runner: Awaited<ReturnType<typeof createOperationRunner>>;
    const apiKeyStatements = async (apiKey: string) => {
      log.take();
      const response = await runner.run(LISTS, {}, apiKey);
      return { errors: response.errors?.map((e) => e.extensions?.code), apiKey: tally(log.take()).apiKey ?? 0 };
    };

    beforeAll(async () => {
      served = openPostgresStore(db.databaseUrl, { onQuery: log.onQuery });
      importer = openPostgresStore(db.databaseUrl, { cache: false });
      runner = await createOperationRunner(served);
    });
    afterAll(async () => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await runner?.stop();
      await Promise.all([served?.close(), importer?.close()]);
    });

    it("clears and bypasses the cache until it listens again, then caches again", async () => {
      // Arrange: a key cached here; the importer's connection opened; no new connection possible, so the listener stays down
      await importRaw(importer, account("dropped", ["dropped-key-one"]));
      await apiKeyStatements("dropped-key-one");
      await untilCachesTrusted(served);
      await apiKeyStatements("dropped-key-one");
      const warmBefore = await apiKeyStatements("dropped-key-one");
      const listening = (await listeners(admin, name)).length;
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);

      // Act: the listeners' backends end; an import replaces the key while nobody here listens
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", [name, LISTENER]);
      for (let tries = 0; served.caches.begin() !== undefined; tries++) {
        if (tries > 200) throw new Error("The store did not notice its listener's end");
        await sleep(10);
      }
      await importRaw(importer, account("dropped", ["dropped-key-two"]));
      const revoked = await apiKeyStatements("dropped-key-one");
      const whileDown = [await apiKeyStatements("dropped-key-two"), await apiKeyStatements("dropped-key-two")];
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await untilCachesTrusted(served);
      const afterReconnect = [await apiKeyStatements("dropped-key-two"), await apiKeyStatements("dropped-key-two")];

      // Assert
      // the two services' and this store's
      expect(listening).toBe(3);
      expect(warmBefore).toEqual({ errors: undefined, apiKey: 0 });
      expect(revoked).toEqual({ errors: ["UNAUTHENTICATED"], apiKey: 1 });
      // nothing is kept while down: every request asks the database
      expect(whileDown).toEqual([{ errors: undefined, apiKey: 1 }, { errors: undefined, apiKey: 1 }]);
      expect(afterReconnect).toEqual([{ errors: undefined, apiKey: 1 }, { errors: undefined, apiKey: 0 }]);
    });
  });
});

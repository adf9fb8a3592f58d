import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { isStoreUnavailable } from "../../src/observability/unavailable";
import { openPostgresStore, type Store, type StoreOptions } from "../../src/store/store";
import { allocateMutation } from "../api/api";
import { firstReadyAt, startObservedServer, type ObservedServer } from "../observability/harness";
import { importShipments, referenceMaker } from "../stress/shipments";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";
import { proxyDatabase, type TcpProxy } from "./tcp-proxy";

// far beyond every timeout configured here: what has not settled by then hangs
const HUNG_AFTER_MS = 10_000;
const RECOVERY_MS = 5_000;

describeOnPostgres("PostgreSQL behind a network that goes silent", (open) => {
  let direct: PostgresDemoStore;
  const proxies: TcpProxy[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const ref = referenceMaker();
  let shipments = 0;

  beforeAll(async () => {
    direct = await open();
  });
  afterEach(async () => {
    // proxies first: whatever still waits on a silenced connection then fails at once
    for (const proxy of proxies.splice(0)) await proxy.close();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await direct?.dropDatabase();
  });

  // a store that reaches the test's database through a proxy of its own
  async function proxiedStore(options: StoreOptions): Promise<{ proxy: TcpProxy; store: Store }> {
    const { proxy, url } = await proxyDatabase(direct.databaseUrl);
    proxies.push(proxy);
    const store = openPostgresStore(url, options);
    cleanups.push(() => store.close());
    return { proxy, store };
  }

  async function freshShipments(count: number): Promise<string[]> {
    const references = Array.from({ length: count }, () => ref(shipments++));
    await importShipments(direct, references);
    return references;
  }

  it("fails a statement whose answer never comes as store-unavailable, destroys its connection, and answers again once the network is back", async () => {
    // Arrange: two pooled connections, then silence, then more queries than connections
    const { proxy, store } = await proxiedStore({ poolSize: 2, timeouts: { statementMs: 500, connectMs: 500 } });
    await Promise.all([sql`SELECT pg_sleep(0.05)`.execute(store.db), sql`SELECT pg_sleep(0.05)`.execute(store.db)]);
    proxy.silence();

    // Act
    const during = await Promise.all(Array.from({ length: 4 }, () => settle(sql`SELECT 1`.execute(store.db))));
    const poolAfterFailures = store.poolStats!().total;
    proxy.restore();
    const after = await settle(sql<{ one: number }>`SELECT 1 AS one`.execute(store.db));

    // Assert
    expect(during.map(describeOutcome)).toEqual(["unavailable", "unavailable", "unavailable", "unavailable"]);
    expect(poolAfterFailures).toBe(0);
    expect(after).toMatchObject({ rows: [{ one: 1 }] });
  });

  it("fails a migration script that gets no answer as store-unavailable and destroys its connection", async () => {
    // Arrange
    const { proxy, store } = await proxiedStore({ poolSize: 1, timeouts: { statementMs: 300 } });
    await store.exec("SELECT 1");
    proxy.silence();

    // Act
    const outcome = await settle(store.exec("BEGIN; SELECT 1; COMMIT;"));

    // Assert
    expect(describeOutcome(outcome)).toBe("unavailable");
    expect(store.poolStats!().total).toBe(0);
  });

  it("has the server end a transaction that a silent client left idle, so that its row locks are released", async () => {
    // Arrange: a transaction holds a shipment's row lock, then its client goes silent
    const [shipment] = await freshShipments(1);
    const { proxy, store } = await proxiedStore({ poolSize: 1, timeouts: { idleTransactionMs: 1_000 } });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const transaction = store.db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM shipments WHERE reference = ${shipment} FOR UPDATE`.execute(trx);
      locked();
      await finished;
    });
    cleanups.push(async () => {
      finish();
      await transaction.catch(() => undefined);
    });
    await lockTaken;
    proxy.silence();

    // Act: another session asks for the same row
    const other = await settle(sql`SELECT id FROM shipments WHERE reference = ${shipment} FOR UPDATE`.execute(direct.db));

    // Assert
    expect(describeOutcome(other)).toBe("answered");
  });

  it("answers 503 SERVICE_UNAVAILABLE instead of hanging, reports not ready, and after each of two silences is ready and allocating within seconds", async () => {
    // Arrange
    const { proxy, store } = await proxiedStore({ poolSize: 3, timeouts: { statementMs: 1_000, connectMs: 1_000 } });
    const server = await startObservedServer(store);
    cleanups.push(() => server.stop());
    const references = await freshShipments(20);
    let next = 0;
    const allocate = () => allocateThrough(server, references[next++]);
    expect(await allocate()).toEqual({ status: 200, state: "ALLOCATED" });

    for (const event of [1, 2]) {
      // Act: the network goes silent under more requests than the pool has connections
      proxy.silence();
      const during = await Promise.all(Array.from({ length: 6 }, allocate));
      const ready = await server.get("/ready");
      const health = await server.get("/health");
      const restoredAt = Date.now();
      proxy.restore();
      const readyAt = await firstReadyAt(server, restoredAt + RECOVERY_MS);
      const after = await allocate();

      // Assert
      expect({ event, during }).toEqual({ event, during: during.map(() => ({ status: 503, code: "SERVICE_UNAVAILABLE" })) });
      expect([ready.status, health.status]).toEqual([503, 200]);
      expect(readyAt - restoredAt).toBeLessThanOrEqual(RECOVERY_MS);
      expect(after).toEqual({ status: 200, state: "ALLOCATED" });
    }
  });
});

describeOnPostgres("a statement that runs longer than the statement timeout", (open) => {
  let direct: PostgresDemoStore;
  let store: Store;
  beforeAll(async () => {
    direct = await open();
    store = openPostgresStore(direct.databaseUrl, { poolSize: 1, timeouts: { statementMs: 200 } });
  });
  afterAll(async () => {
    await store?.close();
    await direct?.dropDatabase();
  });

  it("is cancelled by the server as store-unavailable (a 503 to clients), and its connection stays in use", async () => {
    // Act
    const slow = await settle(sql`SELECT pg_sleep(3)`.execute(store.db));
    const next = await settle(sql<{ one: number }>`SELECT 1 AS one`.execute(store.db));

    // Assert
    expect(describeOutcome(slow)).toBe("unavailable");
    expect(slow).toMatchObject({ code: "57014" });
    expect(next).toMatchObject({ rows: [{ one: 1 }] });
    expect(store.poolStats!()).toMatchObject({ total: 1 });
  });
});

// what a promise came to, or "hung" when it did not settle in time
async function settle<T>(promise: Promise<T>): Promise<T | Error | "hung"> {
  return Promise.race([promise.catch((error: Error) => error), sleep(HUNG_AFTER_MS).then(() => "hung" as const)]);
}

function describeOutcome(outcome: unknown): string {
  if (outcome === "hung") return "hung";
  if (outcome instanceof Error) return isStoreUnavailable(outcome) ? "unavailable" : `failed: ${outcome.message}`;
  return "answered";
}

async function allocateThrough(server: ObservedServer, shipmentRef: string): Promise<Record<string, unknown>> {
  const response = await Promise.race([
    server.post(allocateMutation("carrierService"), { shipmentRef, ref: "DPD-00012" }),
    sleep(HUNG_AFTER_MS).then(() => null),
  ]);
  if (!response) return { status: "hung" };
  const state = response.body.data?.result?.state;
  return state ? { status: response.status, state } : { status: response.status, code: response.body.errors?.[0]?.extensions?.code };
}

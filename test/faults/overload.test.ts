import type { KyselyPlugin } from "kysely";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config";
import { createMetrics, type Metrics } from "../../src/observability/metrics";
import { allocateMutation } from "../api/api";
import { startObservedServer, type ObservedServer } from "../observability/harness";
import { importShipments, referenceMaker } from "../stress/shipments";
import { lockShipments, startWaitingOneByOne } from "../support/locks";
import { describeOnPostgres, describeStores, type DemoStore, type PostgresDemoStore } from "../support/stores";

// a field resolved after the commit that needs a lookup of its own: the service's groups
const ALLOCATE_WITH_GROUPS = `mutation ($shipmentRef: ID!, $ref: ID!) {
  result: allocateShipmentWithCarrierService(shipmentRef: $shipmentRef, carrierServiceRef: $ref) {
    __typename ... on AllocateResult { shipmentReference state carrierService { reference serviceGroups { reference } } }
  }
}`;
const SERVICE = "DPD-00012";
const BURST = 300;

describe("the load and time bounds' configuration", () => {
  it("defaults MAX_CONCURRENT_REQUESTS to 4 per pooled connection", () => {
    expect(loadConfig({ DATABASE_POOL_SIZE: "5" }).maxConcurrentRequests).toBe(20);
    expect(loadConfig({ DATABASE_POOL_SIZE: "5", MAX_CONCURRENT_REQUESTS: "7" }).maxConcurrentRequests).toBe(7);
  });

  it("reads the PostgreSQL timeouts, 5 s / 10 s / 2 s by default, and refuses a bad one", () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ statementMs: 5_000, idleTransactionMs: 10_000, connectMs: 2_000 });
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "30000" }).databaseTimeouts.statementMs).toBe(30_000);
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: "0" })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS/);
  });
});

describeOnPostgres("excess load", (open) => {
  let store: PostgresDemoStore;
  let metrics: Metrics;
  const ref = referenceMaker();
  let count = 0;
  let locker: pg.Client | undefined;
  let server: ObservedServer | undefined;

  beforeAll(async () => {
    metrics = createMetrics();
    store = await open({ poolSize: 2, onQuery: metrics.onQuery });
  });
  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    await server?.stop();
  });
  afterAll(async () => {
    await store?.dropDatabase();
  });

  async function freshShipments(n: number): Promise<string[]> {
    const references = Array.from({ length: n }, () => ref(count++));
    await importShipments(store, references);
    return references;
  }

  // allocations held in flight (and holding pooled connections) by row locks of the test's own
  async function holdAllocations(references: string[]) {
    locker = await lockShipments(store.databaseUrl, references);
    const held = await startWaitingOneByOne(
      store.databaseUrl,
      references.map((shipmentRef) => () => server!.post(allocateMutation("carrierService"), { shipmentRef, ref: SERVICE })),
    );
    return {
      release: async () => {
        await locker!.query("COMMIT");
        return Promise.all(held);
      },
    };
  }

  it("refuses a request beyond MAX_CONCURRENT_REQUESTS at once, with 503, Retry-After and SERVICE_UNAVAILABLE, and runs no SQL for it", async () => {
    // Arrange: two requests in flight, the limit
    server = await startObservedServer(store, { metrics, config: { maxConcurrentRequests: 2 } });
    const [first, second, third] = await freshShipments(3);
    const held = await holdAllocations([first, second]);
    const sqlBefore = await sqlStatements(metrics);

    // Act
    const refused = await server.post(allocateMutation("carrierService"), { shipmentRef: third, ref: SERVICE });
    const sqlAfter = await sqlStatements(metrics);
    const metricsText = (await server.scrape()).text;
    const answered = await held.release();
    const afterwards = await server.post(allocateMutation("carrierService"), { shipmentRef: third, ref: SERVICE });

    // Assert
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.body).toEqual({
      errors: [
        {
          message: "The service is temporarily unavailable: retry shortly",
          extensions: { code: "SERVICE_UNAVAILABLE", correlationId: expect.any(String) },
        },
      ],
    });
    expect(sqlAfter).toBe(sqlBefore);
    expect(metricsText).toContain("graphql_requests_refused_total 1");
    expect(answered.map((a) => [a.status, a.body.data?.result?.state])).toEqual([
      [200, "ALLOCATED"],
      [200, "ALLOCATED"],
    ]);
    expect([afterwards.status, afterwards.body.data?.result?.state]).toEqual([200, "ALLOCATED"]);
  });

  it("answers /ready 200 while every pooled connection is busy", async () => {
    // Arrange: both pooled connections held by allocations waiting for a lock
    server = await startObservedServer(store);
    const held = await holdAllocations(await freshShipments(2));

    // Act
    const ready = await server.get("/ready");
    await held.release();

    // Assert
    expect(store.poolStats!()).toMatchObject({ total: 2 });
    expect(ready.status).toBe(200);
  });

  it(`answers ${BURST} concurrent allocations with 200 for every one that committed and 503 + Retry-After for the others, while /ready stays 200`, async () => {
    // Arrange
    server = await startObservedServer(store);
    const references = await freshShipments(BURST);
    const readiness: number[] = [];
    let bursting = true;
    const poll = (async () => {
      while (bursting) readiness.push((await server.get("/ready")).status);
    })();

    // Act
    const answers = await Promise.all(
      references.map(async (shipmentRef) => {
        const response = await server!.post(ALLOCATE_WITH_GROUPS, { shipmentRef, ref: SERVICE });
        return { shipmentRef, status: response.status, retryAfter: response.headers.get("retry-after"), body: response.body };
      }),
    );
    bursting = false;
    await poll;
    const committed = await allocatedAmong(store, references);

    // Assert: a commit is always answered as one; a refusal is a retryable 503 that changed nothing
    const answeredAllocated = answers.filter((a) => a.body.data?.result?.state === "ALLOCATED");
    expect(answeredAllocated.filter((a) => a.status !== 200)).toEqual([]);
    expect(answeredAllocated.map((a) => a.shipmentRef).sort()).toEqual(committed);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.filter((a) => a.status !== 503 || a.retryAfter !== "1" || a.body.errors?.[0]?.extensions?.code !== "SERVICE_UNAVAILABLE")).toEqual([]);
    expect(readiness.length).toBeGreaterThan(0);
    expect(readiness.filter((status) => status !== 200)).toEqual([]);
  });
});

describeStores("a committed mutation's answer", (open) => {
  let store: DemoStore;
  let server: ObservedServer;
  const ref = referenceMaker();

  beforeAll(async () => {
    store = await open();
    // the store goes away after the commit: the service's groups are looked up last
    server = await startObservedServer({ ...store, db: store.db.withPlugin(unreachableFor("service_group_members")) });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dropDatabase();
  });

  it("is HTTP 200 with the result, and a later field that cannot reach the store is a partial SERVICE_UNAVAILABLE error", async () => {
    // Arrange
    const shipmentRef = ref(0);
    await importShipments(store, [shipmentRef]);

    // Act
    const response = await server.post(ALLOCATE_WITH_GROUPS, { shipmentRef, ref: SERVICE });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.data?.result).toEqual({ __typename: "AllocateResult", shipmentReference: shipmentRef, state: "ALLOCATED", carrierService: null });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: ["result", "carrierService", "serviceGroups"], extensions: expect.objectContaining({ code: "SERVICE_UNAVAILABLE" }) }),
    ]);
    expect(await allocatedAmong(store, [shipmentRef])).toEqual([shipmentRef]);
  });
});

// every query on `table` fails as pg-pool's does when no pooled connection frees up in time
function unreachableFor(table: string): KyselyPlugin {
  return {
    transformQuery({ node }) {
      if (JSON.stringify(node).includes(`"${table}"`)) throw new Error("timeout exceeded when trying to connect");
      return node;
    },
    transformResult: async ({ result }) => result,
  };
}

async function sqlStatements(metrics: Metrics): Promise<number> {
  return (await metrics.sqlQueries.get()).values[0]?.value ?? 0;
}

async function allocatedAmong(store: DemoStore, references: string[]): Promise<string[]> {
  const rows = await store.db.selectFrom("shipments").select("reference").where("reference", "in", references).where("state", "=", "allocated").execute();
  return rows.map((row) => row.reference).sort();
}

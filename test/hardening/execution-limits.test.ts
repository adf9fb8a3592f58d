// The limits checked while a query runs and before its answer is sent (issue 8, point 2): a
// deadline on execution and a bound on the answer's size. Both answer one clear 400 error instead
// of the data; a mutation is never cut short or withheld. Lowered here so that small data reach them.
import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXECUTION_TIMEOUT } from "../../src/graphql/limits/deadline";
import { RESPONSE_TOO_LARGE } from "../../src/graphql/limits/limits.plugin";
import { openPostgresStore, type Store } from "../../src/store/store";
import { statementLog } from "../batching/statements";
import { startObservedServer, type ObservedServer } from "../observability/harness";
import { describeOnPostgres, openDemoPglite, type DemoStore, type PostgresDemoStore } from "../support/stores";

const sp = (suffix: number) => `sp_00802615769404976542730318118${suffix}`;
const ALLOCATE = `mutation ($s: ID!, $r: ID!) {
  allocateShipmentWithCarrierService(shipmentRef: $s, carrierServiceRef: $r) {
    __typename ... on AllocateResult { state message price { net gross currency } links { href rel } carrier { name serviceName } trackingDetails { shipment { trackingReferences } } }
  }
}`;

describe("the size of a query's answer", () => {
  const MAX = 500;
  let store: DemoStore;
  let server: ObservedServer;

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startObservedServer(store, { config: { production: true }, limits: { maxResponseBytes: MAX } });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dropDatabase();
  });

  it(`over ${MAX} bytes: 400 ${RESPONSE_TOO_LARGE}, one error and no data`, async () => {
    const response = await server.post(`{ carrierServices { reference name carrier { reference name } serviceGroups { reference name } } }`, undefined, {
      "x-api-key": "demo-api-key",
      "x-correlation-id": "too-large",
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(new RegExp(`^The answer would be \\d+ bytes, over the response limit of ${MAX}`)),
          extensions: { code: RESPONSE_TOO_LARGE, correlationId: "too-large" },
        },
      ],
    });
    expect(server.logs.find((line) => line.correlationId === "too-large" && line.msg === "graphql request")).toMatchObject({ errorCodes: [RESPONSE_TOO_LARGE] });
  });

  it("within it: answered", async () => {
    const response = await server.post(`{ carrierService(reference: "FF_LINET-00001") { reference name } }`);

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ carrierService: { reference: "FF_LINET-00001", name: "Lineten - Standard On Demand" } });
  });

  it("a mutation's answer is sent whatever its size: what it committed is reported", async () => {
    const response = await server.post(ALLOCATE, { s: sp(913), r: "DPD-00012" });

    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body).length).toBeGreaterThan(MAX);
    expect(response.body.data?.allocateShipmentWithCarrierService).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED" });
  });
});

describeOnPostgres("the execution deadline of a query", (open) => {
  const DEADLINE_MS = 300;
  const log = statementLog();
  let store: PostgresDemoStore;
  let locker: Store;
  let server: ObservedServer;

  beforeAll(async () => {
    store = await open({ onQuery: log.onQuery });
    locker = openPostgresStore(store.databaseUrl, { poolSize: 1 });
    server = await startObservedServer(store, { config: { production: true }, limits: { maxExecutionMs: DEADLINE_MS } });
    const allocated = await server.post(ALLOCATE, { s: sp(912), r: "FF_LINET-00001" });
    expect(allocated.body.data?.allocateShipmentWithCarrierService.state).toBe("ALLOCATED");
  });
  afterAll(async () => {
    await server?.stop();
    await locker?.close();
    await store?.dropDatabase();
  });
  beforeEach(() => void log.take());

  // holds an exclusive lock on `table` until `work` has waited on it and then past the deadline
  async function withTableLocked<T>(table: string, work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = locker.db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE ${sql.table(table)} IN ACCESS EXCLUSIVE MODE`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    const result = work();
    let settled = false;
    void result.finally(() => (settled = true));
    while (!settled && !(await waitingOnLock())) await sleep(20);
    await sleep(DEADLINE_MS * 2);
    release();
    await holder;
    return result;
  }

  async function waitingOnLock(): Promise<boolean> {
    const { rows } = await sql<{ waiting: number }>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(store.db);
    return rows[0].waiting > 0;
  }

  const SELECTION = "reference allocation { allocationDate carrierService { reference } }";
  const QUERIES = {
    shipment: [`{ shipment(reference: "${sp(912)}") { ${SELECTION} } }`, {}],
    // the router's entity fetch runs on the compiled executor (src/graphql/entities.executor.ts)
    _entities: [
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { ${SELECTION} } } }`,
      { r: [{ __typename: "Shipment", reference: sp(912) }] },
    ],
  } as const;

  it.each(Object.keys(QUERIES) as (keyof typeof QUERIES)[])(`a query (%s) still running after ${DEADLINE_MS} ms: 400 ${EXECUTION_TIMEOUT}, one error, and no field resolves after it`, async (name) => {
    const [query, variables] = QUERIES[name];

    const response = await withTableLocked("allocations", () => server.post(query, variables));

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [{ message: expect.stringMatching(`stopped after ${DEADLINE_MS} ms`), extensions: { code: EXECUTION_TIMEOUT, correlationId: expect.any(String) } }],
    });
    // the allocation was being read when the deadline passed; its carrier service is never asked for
    const statements = log.take();
    expect(statements).toContain("allocationByShipment");
    expect(statements).not.toContain("carrierServiceByRef");
  });

  it("the same query within its deadline: answered", async () => {
    const response = await server.post(`{ shipment(reference: "${sp(912)}") { reference allocation { carrierService { reference } } } }`);

    expect(response.status).toBe(200);
    expect(response.body.data?.shipment).toEqual({ reference: sp(912), allocation: { carrierService: { reference: "FF_LINET-00001" } } });
  });

  it("a mutation is never cut short: an allocation that outlasts the deadline is committed and answered", async () => {
    const response = await withTableLocked("allocations", () => server.post(ALLOCATE, { s: sp(913), r: "DPD-00012" }));

    expect(response.status).toBe(200);
    expect(response.body.data?.allocateShipmentWithCarrierService).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED" });
    expect(log.take()).toContain("claimAndInsert");
  });
});

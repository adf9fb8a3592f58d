// Idempotent retries: one allocation per (account, idempotencyKey), replayed from the database.
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Store } from "../../src/store";
import { openPostgresStore } from "../../src/store/store";
import { createOperationRunner, NORTHWIND_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { describeOnPostgres, describeStores, type DemoStore, type PostgresDemoStore } from "../support/stores";

const sp = (suffix: number) => `sp_00802615769404976542730318118${suffix}`;
const NORTHWIND_SHIPMENT = "sp_00900000000000000000000000000001";

const RESULT = `
  __typename
  ... on AllocateResult { shipmentReference state correlationId trackingDetails { shipment { trackingReferences } } details { code } }
  ... on ApiError { code correlationId }
  ... on ReferenceNotFoundError { reference }
`;
const AMBIGUOUS = "... on AmbiguousReferenceError { carrierService { reference } serviceGroup { reference } }";
const VIRTUAL = `mutation ($shipmentRef: ID!, $ref: ID!, $key: String) {
  result: allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $ref, idempotencyKey: $key) { ${RESULT} ${AMBIGUOUS} }
}`;
const CARRIER = `mutation ($shipmentRef: ID!, $ref: ID!, $key: String) {
  result: allocateShipmentWithCarrierService(shipmentRef: $shipmentRef, carrierServiceRef: $ref, idempotencyKey: $key) { ${RESULT} }
}`;
const GROUP = `mutation ($shipmentRef: ID!, $ref: ID!, $key: String) {
  result: allocateShipmentWithServiceGroup(shipmentRef: $shipmentRef, serviceGroupRef: $ref, idempotencyKey: $key) { ${RESULT} }
}`;

async function allocationsOf(store: Store, shipmentRef: string): Promise<number> {
  const row = await store.db
    .selectFrom("allocations as a")
    .innerJoin("shipments as s", "s.id", "a.shipment_id")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("s.reference", "=", shipmentRef)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const trackingOf = (result: any): string[] => result.trackingDetails.shipment.trackingReferences;

describeStores("idempotent allocation", (open) => {
  let store: DemoStore;
  let runner: Awaited<ReturnType<typeof createOperationRunner>>;

  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.dropDatabase();
  });
  beforeEach(async () => {
    await runner?.stop();
    runner = await createOperationRunner(store);
  });

  it("replays the first result for the same key and arguments: one allocation, same tracking reference", async () => {
    const first = await runner.run(VIRTUAL, { shipmentRef: sp(912), ref: "FF_LINET-00001", key: "retry-912" });

    const retry = await runner.run(VIRTUAL, { shipmentRef: sp(912), ref: "FF_LINET-00001", key: "retry-912" });

    expect(first.data?.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", details: [] });
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", details: [] });
    expect(trackingOf(retry.data?.result)).toEqual(trackingOf(first.data?.result));
    expect(await allocationsOf(store, sp(912))).toBe(1);
  });

  it("replays after a restart: the key lives in the database, not in the process", async () => {
    const first = await runner.run(CARRIER, { shipmentRef: sp(913), ref: "DPD-00012", key: "restart-913" });
    await runner.stop();
    runner = await createOperationRunner(store);

    const retry = await runner.run(CARRIER, { shipmentRef: sp(913), ref: "DPD-00012", key: "restart-913" }, undefined, "corr-retry");

    expect(first.data?.result.state).toBe("ALLOCATED");
    expect(retry.data?.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", correlationId: "corr-retry" });
    expect(trackingOf(retry.data?.result)).toEqual(trackingOf(first.data?.result));
    expect(await allocationsOf(store, sp(913))).toBe(1);
  });

  it("without a key a retry is a second attempt (shipment_invalid_state), with the key it is not", async () => {
    await runner.run(GROUP, { shipmentRef: sp(914), ref: "NEXT_DAY", key: "group-914" });

    const unkeyed = await runner.run(GROUP, { shipmentRef: sp(914), ref: "NEXT_DAY" });
    const keyed = await runner.run(GROUP, { shipmentRef: sp(914), ref: "NEXT_DAY", key: "group-914" });

    expect(unkeyed.data?.result.details).toEqual([{ code: "shipment_invalid_state" }]);
    expect(keyed.data?.result).toMatchObject({ __typename: "AllocateResult", details: [] });
  });

  it("replays a union member that is not an AllocateResult as that member", async () => {
    const first = await runner.run(VIRTUAL, { shipmentRef: sp(915), ref: "EVRI-00048", key: "ambiguous-915" });

    const retry = await runner.run(VIRTUAL, { shipmentRef: sp(915), ref: "EVRI-00048", key: "ambiguous-915" });

    expect(first.data?.result.__typename).toBe("AmbiguousReferenceError");
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.result).toEqual({ ...first.data?.result, correlationId: retry.data?.result.correlationId });
  });

  it("refuses the same key with other arguments or another mutation (IDEMPOTENCY_KEY_REUSED, 422) and writes nothing", async () => {
    await runner.run(VIRTUAL, { shipmentRef: sp(916), ref: "FF_LINET-00001", key: "reused" });

    const otherShipment = await runner.run(VIRTUAL, { shipmentRef: sp(917), ref: "FF_LINET-00001", key: "reused" });
    const otherMutation = await runner.run(CARRIER, { shipmentRef: sp(916), ref: "FF_LINET-00001", key: "reused" });

    for (const response of [otherShipment, otherMutation]) {
      expect(response.errors?.[0]?.extensions?.code).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(response.http.status).toBe(422);
    }
    expect(await allocationsOf(store, sp(917))).toBe(0);
  });

  it("scopes keys to the account: another account's identical key allocates its own shipment", async () => {
    await runner.run(VIRTUAL, { shipmentRef: sp(918), ref: "FF_LINET-00001", key: "shared-key" });

    const northwind = await runner.run(
      CARRIER,
      { shipmentRef: NORTHWIND_SHIPMENT, ref: "NW-00001", key: "shared-key" },
      NORTHWIND_KEY,
    );

    expect(northwind.errors).toBeUndefined();
    expect(northwind.data?.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED" });
    expect(await allocationsOf(store, NORTHWIND_SHIPMENT)).toBe(1);
  });

  it("lets a key older than the TTL (24 h) be used again, with other arguments", async () => {
    await runner.run(VIRTUAL, { shipmentRef: sp(919), ref: "FF_LINET-00001", key: "old-key" });
    await sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'`.execute(store.db);

    const reuse = await runner.run(VIRTUAL, { shipmentRef: sp(922), ref: "NO-SUCH-SERVICE", key: "old-key" });

    expect(reuse.errors).toBeUndefined();
    expect(reuse.data?.result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "virtual_service_not_found" });
    const keys = await store.db.selectFrom("idempotency_keys").select("created_at").where("key", "=", "old-key").execute();
    expect(keys).toHaveLength(1);
    expect(Date.now() - new Date(keys[0].created_at).getTime()).toBeLessThan(60 * 60 * 1000);
  });

  it("refuses an empty key or one longer than 255 characters (BAD_USER_INPUT)", async () => {
    for (const key of ["", "k".repeat(256)]) {
      const response = await runner.run(VIRTUAL, { shipmentRef: sp(923), ref: "FF_LINET-00001", key });
      expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    expect(await allocationsOf(store, sp(923))).toBe(0);
  });

  // PostgreSQL refuses NUL (an internal error, before) and stores every lone surrogate as U+FFFD (keys collide)
  const UNPRINTABLE_KEYS: [string, string][] = [
    ["a NUL byte", "key-\u0000"],
    ["a control character", "key-\u0007"],
    ["a C1 control character", "key-\u0085"],
    ["a lone high surrogate", "key-\ud800"],
    ["a lone low surrogate", "\udc00-key"],
    ["an invisible format character", "key-\u200b"],
    ["a line separator", "key-\u2028"],
    ["a non-character", "key-\ufffe"],
  ];

  it.each(UNPRINTABLE_KEYS)("refuses a key with %s (BAD_USER_INPUT, 400): no key stored, nothing allocated", async (_name, key) => {
    const keysBefore = await keysOf(store);

    const response = await runner.run(VIRTUAL, { shipmentRef: sp(920), ref: "FF_LINET-00001", key });

    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors?.[0]?.message).toMatch(/printable/);
    expect(response.http.status).toBe(400);
    expect(await keysOf(store)).toEqual(keysBefore);
    expect(await allocationsOf(store, sp(920))).toBe(0);
  });

  // jsonb cannot hold NUL or a lone surrogate, which the not-found answer echoes (an internal error, before)
  it.each([
    ["a NUL byte", "sp_\u0000"],
    ["a lone surrogate", "sp_\ud800"],
  ])("keeps and replays the answer to a shipmentRef with %s, and refuses the key with other arguments", async (name, shipmentRef) => {
    const key = `echo-${name.replace(/ /g, "-")}`;
    const first = await runner.run(VIRTUAL, { shipmentRef, ref: "FF_LINET-00001", key });

    const retry = await runner.run(VIRTUAL, { shipmentRef, ref: "FF_LINET-00001", key }, undefined, "corr-echo");
    const reused = await runner.run(VIRTUAL, { shipmentRef: sp(920), ref: "FF_LINET-00001", key });

    expect(first.errors).toBeUndefined();
    expect(first.data?.result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "shipment_not_found", reference: shipmentRef });
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.result).toEqual({ ...first.data?.result, correlationId: "corr-echo" });
    expect(reused.errors?.[0]?.extensions?.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await allocationsOf(store, sp(920))).toBe(0);
  });

  it("accepts a key of printable non-ASCII characters (accents, emoji) and replays it", async () => {
    const key = "clé-📦-über";
    const first = await runner.run(GROUP, { shipmentRef: sp(921), ref: "NEXT_DAY", key });

    const retry = await runner.run(GROUP, { shipmentRef: sp(921), ref: "NEXT_DAY", key });

    expect(first.data?.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED" });
    expect(trackingOf(retry.data?.result)).toEqual(trackingOf(first.data?.result));
    expect(await keysOf(store)).toContain(key);
  });
});

async function keysOf(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom("idempotency_keys").select("key").orderBy("key").execute();
  return rows.map((row) => row.key);
}

describeOnPostgres("idempotent allocation across processes", (open) => {
  let store: PostgresDemoStore;
  let second: Store;
  let servers: HttpTestServer[];

  beforeAll(async () => {
    store = await open();
    second = openPostgresStore(store.databaseUrl);
    servers = [await startHttpServer(store), await startHttpServer(second)];
  });
  afterAll(async () => {
    await Promise.all((servers ?? []).map((server) => server.stop()));
    await second?.close();
    await store?.dropDatabase();
  });

  it("turns 10 concurrent retries over two servers into one allocation and 10 identical answers", async () => {
    const variables = { shipmentRef: sp(912), ref: "FF_LINET-00001", key: "burst-912" };
    const headers = { "x-api-key": "demo-api-key", "x-correlation-id": "burst" };

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => servers[i % 2].post(VIRTUAL, variables, headers)),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(responses[0].body.data?.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED" });
    for (const response of responses) expect(response.body).toEqual(responses[0].body);
    expect(await allocationsOf(store, sp(912))).toBe(1);
  });

  it("makes a retry wait while another transaction holds the key, then answers from what it committed", async () => {
    const client = new pg.Client({ connectionString: store.databaseUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        "INSERT INTO idempotency_keys (account_id, key, request_hash, result) SELECT id, 'held', 'another-request', '{}' FROM accounts WHERE reference = 'demo'",
      );
      const retry = servers[0].post(VIRTUAL, { shipmentRef: sp(913), ref: "FF_LINET-00001", key: "held" });
      await waitForLockWaiter(client);

      await client.query("COMMIT");

      const response = await retry;
      expect(response.status).toBe(422);
      expect(response.body.errors?.[0]?.extensions?.code).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(await allocationsOf(store, sp(913))).toBe(0);
    } finally {
      await client.end();
    }
  });
});

// the retry's INSERT is blocked on the held row: PostgreSQL reports it as waiting for a lock
async function waitForLockWaiter(client: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

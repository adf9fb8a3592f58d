// Rule numbers: docs/allocation-rules.md
// Rule 17 on PostgreSQL: without a key, the items' allocations go out together on one connection, as one
// statement (src/store/shared-statements.ts); with a key they follow each other inside the key's transaction.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { openPostgresStore, type Store } from "../../src/store/store";
import { addToDemo, onDemandShipments } from "../batching/datasets";
import { proxyDatabase, type TcpProxy } from "../faults/tcp-proxy";
import { createOperationRunner } from "../support/server";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";

const BATCH = `mutation ($items: [AllocateShipmentInput!]!, $key: String) {
  allocateShipments(items: $items, idempotencyKey: $key) { ... on AllocateResult { state } }
}`;

describeOnPostgres("rule 17: a batch's writes on PostgreSQL", (open) => {
  let demo: PostgresDemoStore;
  let proxy: TcpProxy;
  let store: Store;
  let runner: Awaited<ReturnType<typeof createOperationRunner>>;
  let locker: pg.Client;
  // the allocation statements that reached the server, counted in the bytes the service sent
  let sent = 0;

  beforeAll(async () => {
    demo = await open();
    await importDataset(demo, addToDemo({ shipments: [...onDemandShipments("sp_pipe", 6), ...onDemandShipments("sp_pool", 12)] }));
    const proxied = await proxyDatabase(demo.databaseUrl, (chunk) => {
      // allocate_shipment() for one allocation alone, allocate_shipments() for several issued at once
      sent += chunk.toString("latin1").split(/allocate_shipments?\(/).length - 1;
    });
    proxy = proxied.proxy;
    store = openPostgresStore(proxied.url);
    runner = await createOperationRunner(store);
    locker = new pg.Client(demo.databaseUrl);
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await runner?.stop();
    await store?.close();
    await proxy?.close();
    await demo?.dropDatabase();
  });

  // another session locks the first item's shipment: that item's statement waits for the lock
  async function allocateWhileFirstIsLocked(refs: string[], key: string | null) {
    await locker.query("BEGIN");
    await locker.query("SELECT id FROM shipments WHERE reference = $1 FOR UPDATE", [refs[0]]);
    sent = 0;
    const response = runner.run(BATCH, { items: refs.map((shipmentRef) => ({ shipmentRef, virtualServiceRef: "FF_LINET-00001" })), key });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentWhileLocked = sent;
    await locker.query("COMMIT");
    return { sentWhileLocked, response: await response };
  }

  it("without a key: the items' allocations reach the server as one statement while the first one waits, and each commits", async () => {
    const refs = ["sp_pipe_0000", "sp_pipe_0001", "sp_pipe_0002"];

    const { sentWhileLocked, response } = await allocateWhileFirstIsLocked(refs, null);

    expect(sentWhileLocked).toBe(1);
    expect(response.data?.allocateShipments).toEqual(refs.map(() => ({ state: "ALLOCATED" })));
    const { rows } = await locker.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM allocations a JOIN shipments s ON s.id = a.shipment_id WHERE s.reference = ANY($1)",
      [refs],
    );
    expect(rows[0].n).toBe(3);
  });

  it("with a key: one item after another (savepoints of one transaction), the others held back until the first is answered", async () => {
    const refs = ["sp_pipe_0003", "sp_pipe_0004", "sp_pipe_0005"];

    const { sentWhileLocked, response } = await allocateWhileFirstIsLocked(refs, "pipeline-key");

    expect(sentWhileLocked).toBe(1);
    expect(response.data?.allocateShipments).toEqual(refs.map(() => ({ state: "ALLOCATED" })));
  });

  it("more batches at once than the pool has connections: each holds one and never waits for a second, so all commit", async () => {
    // two connections, a short wait for one: a batch waiting on the pool it holds would fail in 1 s
    const small = openPostgresStore(demo.databaseUrl, { poolSize: 2, timeouts: { connectMs: 1_000 } });
    const smallRunner = await createOperationRunner(small);
    try {
      const batches = [0, 1, 2, 3].map((b) => [0, 1, 2].map((i) => `sp_pool_${String(b * 3 + i).padStart(4, "0")}`));

      const responses = await Promise.all(
        batches.map((refs) => smallRunner.run(BATCH, { items: refs.map((shipmentRef) => ({ shipmentRef, virtualServiceRef: "FF_LINET-00001" })), key: null })),
      );

      for (const response of responses) {
        expect(response.errors).toBeUndefined();
        expect(response.data?.allocateShipments).toEqual([{ state: "ALLOCATED" }, { state: "ALLOCATED" }, { state: "ALLOCATED" }]);
      }
    } finally {
      await smallRunner.stop();
      await small.close();
    }
  });
});

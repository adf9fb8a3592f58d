// Rule numbers: docs/allocation-rules.md
// Rule 19: allocationHistory is batched like allocation: one query per request, whatever the number
// of shipments, also through _entities; and the new mutations run a fixed number of statements.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { allocateMutation } from "../api/api";
import { ALLOCATE_WITH_QUOTE, DEALLOCATE, PREVIEW } from "../api/lifecycle";
import { untilCachesTrusted } from "../support/caches";
import { createOperationRunner } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";
import { addToDemo, onDemandShipments } from "./datasets";
import { allocationWrites, statementLog, tally } from "./statements";

const HISTORY_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Shipment { reference allocationHistory { carrierService { reference } deallocatedAt trackingDetails { shipment { trackingReferences } } } }
  }
}`;

const SHIPMENTS = onDemandShipments("sp_history", 300).map((s) => s.reference);
// the key and the catalogue: none of their statements when the caches are warm
const CACHED = new Set(["apiKey", "carrierServiceByRef", "serviceGroupByRef", "groupMembers", "groupsOfService"]);
// none, one in force, one voided, or a voided one and one in force
const HISTORY_OF = (i: number) => (["none", "allocated", "voided", "reallocated"] as const)[i % 4];

describeStores("batching: allocationHistory", (open) => {
  const log = statementLog();
  let store: DemoStore;
  let runner: Awaited<ReturnType<typeof createOperationRunner>>;
  const run = async (query: string, variables: Record<string, unknown>) => {
    const response = await runner.run(query, variables);
    expect(response.errors).toBeUndefined();
    return response.data!;
  };

  beforeAll(async () => {
    store = await open({ onQuery: log.onQuery });
    runner = await createOperationRunner(store);
    await importDataset(store, addToDemo({ shipments: onDemandShipments("sp_history", 300) }));
    for (const [i, shipmentRef] of SHIPMENTS.entries()) {
      const history = HISTORY_OF(i);
      if (history === "none") continue;
      await run(allocateMutation("virtual"), { shipmentRef, ref: "FF_LINET-00001" });
      if (history === "allocated") continue;
      await run(DEALLOCATE, { shipmentRef, reason: "batching test" });
      if (history === "reallocated") await run(allocateMutation("virtual"), { shipmentRef, ref: "FF_LINET-00001" });
    }
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.dropDatabase();
  });
  // each case starts cold (empty caches); `warm` runs a request again once they hold what it read
  beforeEach(async () => {
    await untilCachesTrusted(store);
    store.caches.clear();
    log.take();
  });
  const withoutCached = (statements: Record<string, number>) => Object.fromEntries(Object.entries(statements).filter(([kind]) => !CACHED.has(kind)));

  it.each([
    ["1", [3]],
    ["100", Array.from({ length: 100 }, (_, i) => i)],
    ["300", Array.from({ length: 300 }, (_, i) => 299 - i)],
  ])("_entities with %s shipments: one query for every history", async (_, indexes) => {
    const representations = indexes.map((i) => ({ __typename: "Shipment", reference: SHIPMENTS[i] }));

    const data = await run(HISTORY_ENTITIES, { representations });
    const coldStatements = tally(log.take());
    const warm = await run(HISTORY_ENTITIES, { representations });
    const warmStatements = tally(log.take());

    expect(coldStatements).toEqual({ apiKey: 1, shipmentByRef: 1, allocationHistoryByShipment: 1, carrierServiceByRef: 1 });
    expect(warmStatements).toEqual(withoutCached(coldStatements));
    expect(warm).toEqual(data);
    const shapes = data._entities.map((e: any) => e.allocationHistory.map((a: any) => (a.deallocatedAt === null ? "in force" : "voided")));
    const expected = { none: [], allocated: ["in force"], voided: ["voided"], reallocated: ["in force", "voided"] };
    expect(shapes).toEqual(indexes.map((i) => expected[HISTORY_OF(i)]));
  });

  describe("statements of the new operations", () => {
    it("a deallocation: one guarded state change and one update of the allocation, in one transaction", async () => {
      await run(DEALLOCATE, { shipmentRef: SHIPMENTS[1], reason: null });
      const coldStatements = tally(log.take());
      await run(DEALLOCATE, { shipmentRef: SHIPMENTS[5], reason: null });
      const warmStatements = tally(log.take());

      expect(warmStatements).toEqual(withoutCached(coldStatements));
      expect(coldStatements).toEqual({
        apiKey: 1,
        shipmentByRef: 1,
        begin: 1,
        claimShipment: 1,
        voidAllocation: 1,
        commit: 1,
        // the result's shipment { allocationHistory }, read after the write
        allocationHistoryByShipment: 1,
      });
    });

    it("a preview: the allocation's reads, no write (the signing key is read once per store)", async () => {
      await run(PREVIEW, { shipmentRef: SHIPMENTS[0], ref: "FF_LINET-00001" });
      log.take();

      store.caches.clear();

      await run(PREVIEW, { shipmentRef: SHIPMENTS[4], ref: "FF_LINET-00001" });
      const coldStatements = tally(log.take());
      await run(PREVIEW, { shipmentRef: SHIPMENTS[12], ref: "FF_LINET-00001" });
      const warmStatements = tally(log.take());

      expect(coldStatements).toEqual({ apiKey: 1, shipmentByRef: 1, carrierServiceByRef: 1, serviceGroupByRef: 1 });
      expect(warmStatements).toEqual({ shipmentByRef: 1 });
    });

    it("an allocation with a quote: the allocation's statements, no catalogue search", async () => {
      const quotes = [];
      for (const shipmentRef of [SHIPMENTS[8], SHIPMENTS[16]]) quotes.push((await run(PREVIEW, { shipmentRef, ref: "FF_LINET-00001" })).result.quote.reference);
      store.caches.clear();
      log.take();

      await run(ALLOCATE_WITH_QUOTE, { shipmentRef: SHIPMENTS[8], quoteRef: quotes[0] });
      const coldStatements = tally(log.take());
      await run(ALLOCATE_WITH_QUOTE, { shipmentRef: SHIPMENTS[16], quoteRef: quotes[1] });
      const warmStatements = tally(log.take());

      expect(coldStatements).toEqual({ apiKey: 1, shipmentByRef: 1, carrierServiceByRef: 1, ...allocationWrites() });
      expect(warmStatements).toEqual({ shipmentByRef: 1, ...allocationWrites() });
    });
  });
});

// Rule numbers: docs/allocation-rules.md
// Rule 17: a batch reads its shipments, services and groups with one statement each, whatever its size,
// and allocates its items with one statement (src/store/shared-statements.ts).
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { untilCachesTrusted } from "../support/caches";
import { createOperationRunner } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";
import { addToDemo, ffLinetServices, onDemandShipments } from "./datasets";
import { allocationWrites, statementLog, tally } from "./statements";

const BATCH = `mutation ($items: [AllocateShipmentInput!]!) {
  allocateShipments(items: $items) { __typename ... on AllocateResult { state details { code } } ... on ApiError { code } }
}`;

const SERVICES = ffLinetServices("WAVE", 3);
const SHIPMENTS = onDemandShipments("sp_wave", 222).map((s) => s.reference);

// a service group, a carrier service and an unknown reference in turn
function items(shipments: string[]) {
  const references = ["WAVE_GROUP", "FF_LINET-00001", "NO-SUCH-REFERENCE"];
  return shipments.map((shipmentRef, i) => ({ shipmentRef, virtualServiceRef: references[i % references.length] }));
}

describeStores("batching: allocateShipments' statements", (open) => {
  const log = statementLog();
  let store: DemoStore;
  let runner: Awaited<ReturnType<typeof createOperationRunner>>;

  beforeAll(async () => {
    store = await open({ onQuery: log.onQuery });
    runner = await createOperationRunner(store);
    await importDataset(
      store,
      addToDemo({
        carrierServices: SERVICES,
        serviceGroups: [{ account: "demo", reference: "WAVE_GROUP", name: "Wave", services: SERVICES.map((s) => s.reference) }],
        shipments: onDemandShipments("sp_wave", 222),
      }),
    );
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.dropDatabase();
  });
  // each case starts with empty caches (cold), then repeats with what they kept (warm)
  beforeEach(async () => {
    await untilCachesTrusted(store);
    store.caches.clear();
    log.take();
  });

  it.each([
    [1, SHIPMENTS.slice(0, 1), SHIPMENTS.slice(111, 112)],
    [10, SHIPMENTS.slice(1, 11), SHIPMENTS.slice(112, 122)],
    [100, SHIPMENTS.slice(11, 111), SHIPMENTS.slice(122, 222)],
  ])("%i items: one statement per lookup (none for the key and the catalogue when warm), and one statement for all the allocations", async (count, coldShipments, warmShipments) => {
    const cold = await runner.run(BATCH, { items: items(coldShipments) });
    const coldStatements = tally(log.take());
    const warm = await runner.run(BATCH, { items: items(warmShipments) });
    const warmStatements = tally(log.take());

    const allocated = Math.ceil((count * 2) / 3);
    const writes = allocationWrites(allocated);
    for (const response of [cold, warm]) {
      expect(response.errors).toBeUndefined();
      expect(response.data?.allocateShipments.filter((r: { state?: string }) => r.state === "ALLOCATED").length).toBe(allocated);
    }
    expect(coldStatements).toEqual({ apiKey: 1, shipmentByRef: 1, carrierServiceByRef: 1, serviceGroupByRef: 1, groupMembers: 1, ...writes });
    // the unknown reference is remembered as absent too, for this account
    expect(warmStatements).toEqual({ shipmentByRef: 1, ...writes });
  });
});

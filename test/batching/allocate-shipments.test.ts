// Rule numbers: docs/allocation-rules.md
// Rule 17: a batch reads its shipments, services and groups with one statement each, whatever its size.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { createOperationRunner } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";
import { addToDemo, ffLinetServices, onDemandShipments } from "./datasets";
import { statementLog, tally } from "./statements";

const BATCH = `mutation ($items: [AllocateShipmentInput!]!) {
  allocateShipments(items: $items) { __typename ... on AllocateResult { state details { code } } ... on ApiError { code } }
}`;

const SERVICES = ffLinetServices("WAVE", 3);
const SHIPMENTS = onDemandShipments("sp_wave", 111).map((s) => s.reference);
const READS = ["apiKey", "shipmentByRef", "carrierServiceByRef", "serviceGroupByRef", "groupMembers"];
const WRITES_PER_ALLOCATION = ["claimAndInsert"];

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
        shipments: onDemandShipments("sp_wave", 111),
      }),
    );
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.dropDatabase();
  });
  beforeEach(() => void log.take());

  it.each([
    [1, SHIPMENTS.slice(0, 1)],
    [10, SHIPMENTS.slice(1, 11)],
    [100, SHIPMENTS.slice(11, 111)],
  ])("%i items: one statement per lookup, and only the allocations' own statements besides", async (count, shipments) => {
    const response = await runner.run(BATCH, { items: items(shipments) });

    expect(response.errors).toBeUndefined();
    const allocated = response.data?.allocateShipments.filter((r: { state?: string }) => r.state === "ALLOCATED").length;
    expect(allocated).toBe(Math.ceil((count * 2) / 3));
    const statements = tally(log.take());
    const reads = Object.fromEntries(READS.map((kind) => [kind, statements[kind]]));
    expect(reads).toEqual({ apiKey: 1, shipmentByRef: 1, carrierServiceByRef: 1, serviceGroupByRef: 1, groupMembers: 1 });
    const writes = Object.fromEntries(WRITES_PER_ALLOCATION.map((kind) => [kind, statements[kind]]));
    expect(writes).toEqual(Object.fromEntries(WRITES_PER_ALLOCATION.map((kind) => [kind, allocated])));
    expect(Object.keys(statements).sort()).toEqual([...READS, ...WRITES_PER_ALLOCATION].sort());
  });
});

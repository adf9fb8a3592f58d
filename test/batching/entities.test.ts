import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { untilCachesTrusted } from "../support/caches";
import { createOperationRunner } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";
import { addToDemo, ffLinetServices, onDemandShipments } from "./datasets";
import { allocationWrites, statementLog, tally } from "./statements";

const ALLOCATE = `mutation ($shipmentRef: ID!, $ref: ID!) {
  allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $ref) {
    __typename ... on AllocateResult { state carrier { serviceReference } details { code } }
  }
}`;

const SHIPMENT_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Shipment { reference state allocation { carrierService { reference name } } }
  }
}`;

const CATALOGUE_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on CarrierService { reference name serviceGroups { reference } }
    ... on ServiceGroup { reference name services { reference } }
  }
}`;

const SHIPMENTS = onDemandShipments("sp_batch", 1_000).map((s) => s.reference);
// every 100th shipment is allocated, so each set below reaches allocation and carrierService
const ALLOCATED = new Set(SHIPMENTS.filter((_, i) => i % 100 === 0));
const UNKNOWN = "sp_no_such_shipment";
const SERVICES = ffLinetServices("BATCH", 50);
const GROUP_SIZES = [1, 10, 50];

describeStores("batching: statements per request", (open) => {
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
        serviceGroups: GROUP_SIZES.map((size) => ({
          account: "demo",
          reference: `BATCH_G${size}`,
          name: `Group of ${size}`,
          services: SERVICES.slice(0, size).map((s) => s.reference),
        })),
        // a cold and a warm allocation per group
        shipments: [...onDemandShipments("sp_batch", 1_000), ...onDemandShipments("sp_group", 2 * GROUP_SIZES.length)],
      }),
    );
    for (const reference of ALLOCATED) {
      const result = await runner.run(ALLOCATE, { shipmentRef: reference, ref: "FF_LINET-00001" });
      expect(result.data?.allocateShipmentWithVirtualService.state).toBe("ALLOCATED");
    }
  });
  afterAll(async () => {
    await runner.stop();
    await store.dropDatabase();
  });
  // the process's caches are empty (cold) or hold what the previous request read (warm)
  beforeEach(async () => {
    await untilCachesTrusted(store);
    store.caches.clear();
    log.take();
  });

  describe("_entities for shipments", () => {
    const sets: [string, string[]][] = [
      ["1", [SHIPMENTS[0]]],
      ["100", withUnknownInMiddle(SHIPMENTS.slice(0, 99).reverse())],
      ["1,000", withUnknownInMiddle(SHIPMENTS.slice(0, 999).reverse())],
    ];

    it.each(sets)("%s representations: one api-key lookup and one query per loader; warm, none for the key and the catalogue", async (_, references) => {
      const representations = references.map((reference) => ({ __typename: "Shipment", reference }));

      const cold = await runner.run(SHIPMENT_ENTITIES, { representations });
      const coldStatements = tally(log.take());
      const warm = await runner.run(SHIPMENT_ENTITIES, { representations });
      const warmStatements = tally(log.take());

      expect(cold.errors).toBeUndefined();
      expect(coldStatements).toEqual({ apiKey: 1, shipmentByRef: 1, allocationByShipment: 1, carrierServiceByRef: 1 });
      expect(cold.data?._entities).toEqual(references.map(expectedShipment));
      expect(warmStatements).toEqual({ shipmentByRef: 1, allocationByShipment: 1 });
      expect(warm.data).toEqual(cold.data);
    });
  });

  describe("_entities for the catalogue", () => {
    it("carrier services with their groups: one query per loader; warm, none", async () => {
      const references = ["EVRI-00048", UNKNOWN, ...SERVICES.map((s) => s.reference), "NW-00001", "DPD-00012"];
      const representations = references.map((reference) => ({ __typename: "CarrierService", reference }));

      const result = await runner.run(CATALOGUE_ENTITIES, { representations });
      const coldStatements = tally(log.take());
      const warm = await runner.run(CATALOGUE_ENTITIES, { representations });
      const warmStatements = tally(log.take());

      expect(result.errors).toBeUndefined();
      expect(coldStatements).toEqual({ apiKey: 1, carrierServiceByRef: 1, groupsOfService: 1 });
      // the unknown reference and the other account's service are remembered as absent, for this account
      expect(warmStatements).toEqual({});
      expect(warm.data).toEqual(result.data);
      const entities = result.data?._entities as ({ reference: string; serviceGroups: { reference: string }[] } | null)[];
      // NW-00001 belongs to another account: the demo key cannot see it
      const visible = (r: string) => (r === UNKNOWN || r === "NW-00001" ? null : r);
      expect(entities.map((e) => e?.reference ?? null)).toEqual(references.map(visible));
      expect(entities[0]?.serviceGroups.map((g) => g.reference)).toEqual(["EVRI-00048", "UK_ECONOMY"]);
      expect(entities[2]?.serviceGroups.map((g) => g.reference)).toEqual(["BATCH_G1", "BATCH_G10", "BATCH_G50"]);
      expect(entities.at(-1)?.serviceGroups.map((g) => g.reference)).toEqual(["NEXT_DAY", "UK_ECONOMY"]);
    });

    it("service groups with their services: one query per loader; warm, none", async () => {
      const references = ["UK_ECONOMY", UNKNOWN, "NW_ALL", "BATCH_G50", "NEXT_DAY"];
      const representations = references.map((reference) => ({ __typename: "ServiceGroup", reference }));

      const result = await runner.run(CATALOGUE_ENTITIES, { representations });
      const coldStatements = tally(log.take());
      const warm = await runner.run(CATALOGUE_ENTITIES, { representations });
      const warmStatements = tally(log.take());

      expect(result.errors).toBeUndefined();
      expect(coldStatements).toEqual({ apiKey: 1, serviceGroupByRef: 1, groupMembers: 1 });
      expect(warmStatements).toEqual({});
      expect(warm.data).toEqual(result.data);
      const entities = result.data?._entities as ({ reference: string; services: { reference: string }[] } | null)[];
      expect(entities.map((e) => e?.reference ?? null)).toEqual(["UK_ECONOMY", null, null, "BATCH_G50", "NEXT_DAY"]);
      expect(entities[0]?.services.map((s) => s.reference)).toEqual(["RM-00048", "EVRI-00048", "DPD-00012", "DPD-00099"]);
      expect(entities[3]?.services.map((s) => s.reference)).toEqual(SERVICES.map((s) => s.reference));
      expect(entities[4]?.services.map((s) => s.reference)).toEqual(["DPD-00012", "RM-00024"]);
    });
  });

  describe("an allocation runs a fixed, small number of statements whatever the group size", () => {
    it.each(GROUP_SIZES.map((size, i) => [size, i]))("a group of %i: cold, one statement per lookup; warm, only the shipment's and the writes", async (size, i) => {
      const [coldRef, warmRef] = [2 * i, 2 * i + 1].map((n) => `sp_group_${String(n).padStart(4, "0")}`);

      const result = await runner.run(ALLOCATE, { shipmentRef: coldRef, ref: `BATCH_G${size}` });
      const coldStatements = tally(log.take());
      const warm = await runner.run(ALLOCATE, { shipmentRef: warmRef, ref: `BATCH_G${size}` });
      const warmStatements = tally(log.take());

      const allocated = { __typename: "AllocateResult", state: "ALLOCATED", carrier: { serviceReference: "BATCH-000" }, details: [] };
      expect(result.data?.allocateShipmentWithVirtualService).toEqual(allocated);
      expect(warm.data?.allocateShipmentWithVirtualService).toEqual(allocated);
      expect(warmStatements).toEqual({ shipmentByRef: 1, ...allocationWrites() });
      expect(coldStatements).toEqual({
        apiKey: 1,
        shipmentByRef: 1,
        // a virtual reference may name a service or a group: both are looked up, in one round
        carrierServiceByRef: 1,
        serviceGroupByRef: 1,
        groupMembers: 1,
        ...allocationWrites(),
      });
    });
  });
});

function withUnknownInMiddle(references: string[]): string[] {
  const middle = Math.floor(references.length / 2);
  return [...references.slice(0, middle), UNKNOWN, ...references.slice(middle)];
}

function expectedShipment(reference: string) {
  if (reference === UNKNOWN) return null;
  const allocated = ALLOCATED.has(reference);
  return {
    reference,
    state: allocated ? "ALLOCATED" : "UNALLOCATED",
    allocation: allocated ? { carrierService: { reference: "FF_LINET-00001", name: "Lineten - Standard On Demand" } } : null,
  };
}

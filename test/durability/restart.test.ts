import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { seedDemoDataIfEmpty } from "../../src/import/demo";
import { openConfiguredStore, type Store } from "../../src/store";
import { addToDemo, onDemandShipments } from "../batching/datasets";
import { startHttpServer, type HttpTestServer } from "../support/server";

const EXAMPLE = "sp_00802615769404976542730318118912";

const ALLOCATE = `mutation ($shipmentRef: ID!) {
  allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: "FF_LINET-00001") {
    ... on AllocateResult { state trackingDetails { shipment { trackingReferences } } }
  }
}`;

const SHIPMENT = `query ($reference: ID!) {
  shipment(reference: $reference) { state allocation { trackingDetails { shipment { trackingReferences } } } }
}`;

// One DATA_DIR, two lives of the service: what the first wrote, the second must still see.
describe("the embedded store across a restart", () => {
  let dataDir: string;
  let store: Store | undefined;
  let server: HttpTestServer | undefined;
  let seededAgain: boolean;

  const openService = async () => {
    store = await openConfiguredStore({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
    return store;
  };
  const stopService = async () => {
    await server?.stop();
    await store?.close();
    server = store = undefined;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "alloc-durability-"));
    const firstLife = await openService();
    expect(await seedDemoDataIfEmpty(firstLife)).toBe(true);
    server = await startHttpServer(firstLife);
    const first = await server.post(ALLOCATE, { shipmentRef: EXAMPLE });
    const firstResult = first.body.data?.allocateShipmentWithVirtualService;
    expect(firstResult.trackingDetails.shipment.trackingReferences).toEqual(["19297253"]);
    await stopService();

    const secondLife = await openService();
    seededAgain = await seedDemoDataIfEmpty(secondLife);
    server = await startHttpServer(secondLife);
  });
  afterAll(async () => {
    await stopService();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps the allocation", async () => {
    const response = await server!.post(SHIPMENT, { reference: EXAMPLE });

    expect(response.body).toEqual({
      data: {
        shipment: { state: "ALLOCATED", allocation: { trackingDetails: { shipment: { trackingReferences: ["19297253"] } } } },
      },
    });
  });

  it("does not seed the demo data again", () => {
    expect(seededAgain).toBe(false);
  });

  it("continues the carrier's tracking sequence", async () => {
    const [next] = onDemandShipments("sp_after_restart", 1);
    await importDataset(store!, addToDemo({ shipments: [next] }));

    const response = await server!.post(ALLOCATE, { shipmentRef: next.reference });

    expect(response.body.data?.allocateShipmentWithVirtualService).toEqual({
      state: "ALLOCATED",
      trackingDetails: { shipment: { trackingReferences: ["19297254"] } },
    });
  });
});

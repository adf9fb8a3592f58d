// Preview, quote allocation and deallocation end to end through @apollo/gateway: this subgraph
// composed with the shipments subgraph, every hop real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALLOCATE_WITH_QUOTE, DEALLOCATE, PREVIEW } from "../api/lifecycle";
import { DEMO_KEY, NORTHWIND_KEY } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { startSupergraph, type RunningGateway } from "./gateway";
import { customerReferenceOf } from "../../app/server/shipments-subgraph";

const SHIPMENT = "sp_00802615769404976542730318118913";

// the peer's customerReference joined with this subgraph's history, through _entities
const WITH_HISTORY = `query ($c: String!) {
  shipment: shipmentByCustomerReference(customerReference: $c) {
    reference customerReference state
    allocation { carrierService { reference } }
    allocationHistory { carrierService { reference name } trackingDetails { shipment { trackingReferences } } deallocatedAt deallocationReason }
  }
}`;

describe("preview, quote and deallocation through a gateway", () => {
  let store: DemoStore;
  let supergraph: Awaited<ReturnType<typeof startSupergraph>>;
  let gateway: RunningGateway;
  const demo = { "x-api-key": DEMO_KEY, "x-correlation-id": "gw-lifecycle" };

  beforeAll(async () => {
    store = await openDemoPglite();
    supergraph = await startSupergraph(store);
    gateway = supergraph.gateway;
  });
  afterAll(async () => {
    await supergraph?.stop();
    await store?.close();
  });

  it("previews, allocates with the quote, deallocates and shows the history joined with the peer's fields", async () => {
    // Act
    const preview = await gateway.post(PREVIEW, { shipmentRef: SHIPMENT, ref: "UK_ECONOMY" }, demo);
    const { quote } = preview.body.data!.result;
    const allocated = await gateway.post(ALLOCATE_WITH_QUOTE, { shipmentRef: SHIPMENT, quoteRef: quote.reference }, demo);
    const deallocated = await gateway.post(DEALLOCATE, { shipmentRef: SHIPMENT, reason: "through the gateway" }, demo);
    const joined = await gateway.post(WITH_HISTORY, { c: customerReferenceOf(SHIPMENT) }, demo);

    // Assert
    for (const response of [preview, allocated, deallocated, joined]) {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }
    expect(preview.body.data!.result).toMatchObject({
      __typename: "AllocationPreview",
      allocatable: true,
      correlationId: "gw-lifecycle",
      quote: { carrierService: { reference: "EVRI-00048" }, price: { gross: "3.35" } },
    });
    expect(preview.body.data!.result.candidates.map((c: any) => c.carrierService.reference)).toEqual(["RM-00048", "EVRI-00048", "DPD-00012", "DPD-00099"]);
    expect(allocated.body.data!.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", price: quote.price });
    expect(deallocated.body.data!.result).toMatchObject({ __typename: "DeallocateResult", state: "UNALLOCATED", details: [] });
    expect(joined.body.data!.shipment).toEqual({
      reference: SHIPMENT,
      customerReference: customerReferenceOf(SHIPMENT),
      state: "UNALLOCATED",
      allocation: null,
      allocationHistory: [
        {
          carrierService: { reference: "EVRI-00048", name: "Evri - 48 Hour" },
          trackingDetails: { shipment: { trackingReferences: allocated.body.data!.result.trackingDetails.shipment.trackingReferences } },
          deallocatedAt: expect.any(String),
          deallocationReason: "through the gateway",
        },
      ],
    });
  });

  it("answers another account's preview and deallocation of a demo shipment with shipment_not_found", async () => {
    const northwind = { "x-api-key": NORTHWIND_KEY };

    const preview = await gateway.post(PREVIEW, { shipmentRef: SHIPMENT, ref: "NW_ALL" }, northwind);
    const deallocation = await gateway.post(DEALLOCATE, { shipmentRef: SHIPMENT }, northwind);

    expect(preview.body.data!.result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "shipment_not_found" });
    expect(deallocation.body.data!.result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "shipment_not_found" });
  });
});

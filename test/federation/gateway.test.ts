// End to end through @apollo/gateway: this subgraph composed with a shipments subgraph, every hop
// real HTTP on an ephemeral port.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_KEY, NORTHWIND_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { printedCosts, printedSubgraphSdl } from "../support/printed-costs";
import { compose, startGateway, type RunningGateway, type Subgraph } from "./gateway";
import {
  customerReferenceOf,
  DEMO_SHIPMENTS,
  NORTHWIND_SHIPMENTS,
  startShipmentsSubgraph,
  type RunningPeer,
} from "../../app/server/shipments-subgraph";

const ref = (n: number) => `sp_00802615769404976542730318118${n}`;

const SHIPMENTS = `{ shipments { reference customerReference state allocation { carrierService { reference } } } }`;

// the members every allocate mutation can return; only the virtual service one can be ambiguous
const RESULT_FIELDS = `
  __typename
  ... on AllocateResult { shipmentReference state correlationId carrierService { reference } }
  ... on ReferenceNotFoundError { code reference correlationId }
`;
const AMBIGUOUS_FIELDS = `... on AmbiguousReferenceError { code reference correlationId }`;
const BY_VIRTUAL_SERVICE = `mutation ($s: ID!, $r: ID!) { result: allocateShipmentWithVirtualService(shipmentRef: $s, virtualServiceRef: $r) { ${RESULT_FIELDS} ${AMBIGUOUS_FIELDS} } }`;
const BY_CARRIER_SERVICE = `mutation ($s: ID!, $r: ID!) { result: allocateShipmentWithCarrierService(shipmentRef: $s, carrierServiceRef: $r) { ${RESULT_FIELDS} } }`;
const BY_SERVICE_GROUP = `mutation ($s: ID!, $r: ID!) { result: allocateShipmentWithServiceGroup(shipmentRef: $s, serviceGroupRef: $r) { ${RESULT_FIELDS} } }`;

interface Shipments {
  shipments: { reference: string; customerReference: string; state: string; allocation: { carrierService: { reference: string } } | null }[];
}

describe("a gateway composing this subgraph with a shipments subgraph", () => {
  let store: DemoStore;
  let allocation: HttpTestServer;
  let peer: RunningPeer;
  let subgraphs: Subgraph[];
  let gateway: RunningGateway;
  const demo = (correlationId = "gw-test") => ({ "x-api-key": DEMO_KEY, "x-correlation-id": correlationId });
  const northwind = { "x-api-key": NORTHWIND_KEY };

  beforeAll(async () => {
    store = await openDemoPglite();
    allocation = await startHttpServer(store);
    peer = await startShipmentsSubgraph();
    subgraphs = [
      { name: "allocation", url: allocation.url },
      { name: "shipments", url: peer.url },
    ];
    gateway = await startGateway(subgraphs);
  });

  afterAll(async () => {
    await gateway?.stop();
    await peer?.stop();
    await allocation?.stop();
    await store?.close();
  });

  it("composes with no errors into a supergraph holding both subgraphs' fields", async () => {
    const composition = await compose(subgraphs);

    expect(composition.errors).toBeUndefined();
    expect(composition.supergraphSdl).toContain("customerReference: String!");
    expect(composition.supergraphSdl).toContain("allocateShipmentWithVirtualService(");
  });

  it("keeps this subgraph's @cost and @listSize in the supergraph, where a router's demand control reads them", async () => {
    const { supergraphSdl } = await compose(subgraphs);

    // the spec's own directive, @cost, needs no import
    expect(supergraphSdl).toContain(`@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])`);
    expect(printedCosts(supergraphSdl!)).toEqual(printedCosts(printedSubgraphSdl()));
  });

  it("joins the peer's customerReference with this subgraph's state, allocation and carrierService in one query", async () => {
    await gateway.post(BY_VIRTUAL_SERVICE, { s: ref(912), r: "FF_LINET-00001" }, demo());

    const { status, body } = await gateway.post<Shipments>(SHIPMENTS, {}, demo());

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const shipments = body.data!.shipments;
    expect(shipments.map((s) => s.reference)).toEqual(DEMO_SHIPMENTS);
    for (const s of shipments) expect(s.customerReference).toBe(customerReferenceOf(s.reference));
    const byRef = new Map(shipments.map((s) => [s.reference, s]));
    expect(byRef.get(ref(912))).toMatchObject({ state: "ALLOCATED", allocation: { carrierService: { reference: "FF_LINET-00001" } } });
    expect(byRef.get(ref(920))).toMatchObject({ state: "CANCELLED", allocation: null });
    expect(byRef.get(ref(921))).toMatchObject({ state: "ALLOCATION_FAILED", allocation: null });
    expect(byRef.get(ref(922))).toMatchObject({ state: "UNALLOCATED", allocation: null });
  });

  it.each([
    ["virtual service, a carrier service", BY_VIRTUAL_SERVICE, ref(913), "DPD-00012", { __typename: "AllocateResult", state: "ALLOCATED", carrierService: { reference: "DPD-00012" } }],
    ["virtual service, both service and group", BY_VIRTUAL_SERVICE, ref(914), "EVRI-00048", { __typename: "AmbiguousReferenceError", code: "non_unique_reference", reference: "EVRI-00048" }],
    ["virtual service, unknown", BY_VIRTUAL_SERVICE, ref(914), "NOPE-1", { __typename: "ReferenceNotFoundError", code: "virtual_service_not_found", reference: "NOPE-1" }],
    ["carrier service", BY_CARRIER_SERVICE, ref(915), "RM-00024", { __typename: "AllocateResult", state: "ALLOCATED", carrierService: { reference: "RM-00024" } }],
    ["carrier service, unknown", BY_CARRIER_SERVICE, ref(915), "NOPE-1", { __typename: "ReferenceNotFoundError", code: "carrier_service_not_found", reference: "NOPE-1" }],
    ["service group", BY_SERVICE_GROUP, ref(916), "NEXT_DAY", { __typename: "AllocateResult", state: "ALLOCATED" }],
    ["service group, unknown", BY_SERVICE_GROUP, ref(916), "NOPE_GROUP", { __typename: "ReferenceNotFoundError", code: "service_group_not_found", reference: "NOPE_GROUP" }],
  ])("allocates through the gateway by %s", async (_name, mutation, shipmentRef, reference, expected) => {
    const { status, body } = await gateway.post(mutation, { s: shipmentRef, r: reference }, demo());

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.result).toMatchObject(expected);
  });

  it("forwards x-correlation-id: the result's correlationId is the header sent to the gateway", async () => {
    const correlationId = "gw-corr-7f3a9c1e";

    const { body } = await gateway.post(BY_VIRTUAL_SERVICE, { s: ref(917), r: "NOPE-2" }, demo(correlationId));

    expect(body.data!.result).toMatchObject({ __typename: "ReferenceNotFoundError", correlationId });
  });

  describe("tenancy through the gateway", () => {
    it("lists northwind's shipments for the northwind key, with this subgraph's fields for them", async () => {
      const { body } = await gateway.post<Shipments>(SHIPMENTS, {}, northwind);

      expect(body.errors).toBeUndefined();
      expect(body.data!.shipments).toEqual(
        NORTHWIND_SHIPMENTS.map((reference) => ({ reference, customerReference: customerReferenceOf(reference), state: "UNALLOCATED", allocation: null })),
      );
    });

    it("resolves none of this subgraph's fields of a demo shipment for the northwind key", async () => {
      const query = `query ($c: String!) { shipment: shipmentByCustomerReference(customerReference: $c) { reference allocation { carrierService { reference } } } }`;
      const variables = { c: customerReferenceOf(ref(912)) };

      const asDemo = await gateway.post(query, variables, demo());
      const asNorthwind = await gateway.post(query, variables, northwind);

      expect(asDemo.body.data!.shipment.allocation).toEqual({ carrierService: { reference: "FF_LINET-00001" } });
      expect(asNorthwind.body.data!.shipment).toMatchObject({ reference: ref(912), allocation: null });
    });

    it("answers shipment_not_found to northwind allocating a demo shipment, and leaves it unallocated", async () => {
      const { body } = await gateway.post(BY_VIRTUAL_SERVICE, { s: ref(918), r: "NW-00001" }, northwind);
      const after = await gateway.post<Shipments>(SHIPMENTS, {}, demo());

      expect(body.data!.result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "shipment_not_found", reference: ref(918) });
      expect(after.body.data!.shipments.find((s) => s.reference === ref(918))).toMatchObject({ state: "UNALLOCATED", allocation: null });
    });
  });
});

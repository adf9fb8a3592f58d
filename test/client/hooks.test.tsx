// @vitest-environment jsdom
// The generated Apollo Client 4 hooks, as a mobile app uses them: rendered in React against a live
// gateway (this subgraph composed with a shipments subgraph), switching on __typename.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  useAllocateShipmentWithCarrierServiceMutation,
  useAllocateShipmentWithServiceGroupMutation,
  useAllocateShipmentWithVirtualServiceMutation,
  useCarrierServiceQuery,
  useServiceGroupQuery,
  useShipmentQuery,
  type AllocateShipmentWithVirtualServiceMutation,
} from "../../client/generated/graphql";
import generatedPossibleTypes from "../../client/generated/possible-types";
import { startGateway, type RunningGateway } from "../federation/gateway";
import { startShipmentsSubgraph, type RunningPeer } from "../../app/server/shipments-subgraph";
import { DEMO_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const ref = (n: number) => `sp_00802615769404976542730318118${n}`;

type Outcome = AllocateShipmentWithVirtualServiceMutation["allocateShipmentWithVirtualService"];

/** What an app would show for each member of the union: the switch must cover all three. */
function describeOutcome(outcome: Outcome): string {
  switch (outcome.__typename) {
    case "AllocateResult":
      return `allocated ${outcome.carrier?.serviceReference}, tracking ${outcome.trackingDetails?.shipment.trackingReferences.join(",")}`;
    case "AmbiguousReferenceError":
      return `${outcome.code}: service ${outcome.carrierService?.reference} or group ${outcome.serviceGroup?.reference}`;
    case "ReferenceNotFoundError":
      return `${outcome.code}: ${outcome.reference}`;
  }
}

describe("the generated hooks against a live gateway", () => {
  let store: DemoStore;
  let allocation: HttpTestServer;
  let peer: RunningPeer;
  let gateway: RunningGateway;
  let wrapper: (props: { children: ReactNode }) => ReactNode;

  beforeAll(async () => {
    store = await openDemoPglite();
    allocation = await startHttpServer(store);
    peer = await startShipmentsSubgraph();
    gateway = await startGateway([
      { name: "allocation", url: allocation.url },
      { name: "shipments", url: peer.url },
    ]);
    const client = new ApolloClient({
      link: new HttpLink({ uri: gateway.url, headers: { "x-api-key": DEMO_KEY } }),
      cache: new InMemoryCache({ possibleTypes: generatedPossibleTypes.possibleTypes }),
    });
    wrapper = ({ children }) => <ApolloProvider client={client}>{children}</ApolloProvider>;
  });

  afterAll(async () => {
    await gateway?.stop();
    await peer?.stop();
    await allocation?.stop();
    await store?.close();
  });

  it("allocates with a virtual service: AllocateResult, AmbiguousReferenceError and ReferenceNotFoundError", async () => {
    const { result } = renderHook(() => useAllocateShipmentWithVirtualServiceMutation(), { wrapper });
    const allocate = (shipmentRef: string, virtualServiceRef: string) =>
      act(async () => (await result.current[0]({ variables: { shipmentRef, virtualServiceRef } })).data!.allocateShipmentWithVirtualService);

    const allocated = await allocate(ref(912), "FF_LINET-00001");
    const ambiguous = await allocate(ref(914), "EVRI-00048");
    const notFound = await allocate(ref(914), "NOPE-1");

    expect(describeOutcome(allocated)).toBe("allocated FF_LINET-00001, tracking 19297253");
    expect(describeOutcome(ambiguous)).toBe("non_unique_reference: service EVRI-00048 or group EVRI-00048");
    expect(describeOutcome(notFound)).toBe("virtual_service_not_found: NOPE-1");
    // the hook's own state holds the last answer, as a component would render it
    expect(result.current[1].data?.allocateShipmentWithVirtualService).toEqual(notFound);
  });

  it("allocates with a carrier service: AllocateResult and ReferenceNotFoundError", async () => {
    const { result } = renderHook(() => useAllocateShipmentWithCarrierServiceMutation(), { wrapper });
    const allocate = (shipmentRef: string, carrierServiceRef: string) =>
      act(async () => (await result.current[0]({ variables: { shipmentRef, carrierServiceRef } })).data!.allocateShipmentWithCarrierService);

    const allocated = await allocate(ref(915), "RM-00024");
    const notFound = await allocate(ref(915), "NOPE-1");

    expect(allocated.__typename === "AllocateResult" && allocated.carrier?.serviceReference).toBe("RM-00024");
    expect(notFound.__typename === "ReferenceNotFoundError" && notFound.code).toBe("carrier_service_not_found");
  });

  it("allocates with a service group: AllocateResult and ReferenceNotFoundError", async () => {
    const { result } = renderHook(() => useAllocateShipmentWithServiceGroupMutation(), { wrapper });
    const allocate = (shipmentRef: string, serviceGroupRef: string) =>
      act(async () => (await result.current[0]({ variables: { shipmentRef, serviceGroupRef } })).data!.allocateShipmentWithServiceGroup);

    const allocated = await allocate(ref(916), "NEXT_DAY");
    const notFound = await allocate(ref(916), "NOPE_GROUP");

    expect(allocated.__typename === "AllocateResult" && allocated.state).toBe("ALLOCATED");
    expect(notFound.__typename === "ReferenceNotFoundError" && notFound.code).toBe("service_group_not_found");
  });

  it("queries a shipment with its allocation, a carrier service and a service group", async () => {
    const shipment = renderHook(() => useShipmentQuery({ variables: { reference: ref(912) } }), { wrapper });
    const service = renderHook(() => useCarrierServiceQuery({ variables: { reference: "EVRI-00048" } }), { wrapper });
    const group = renderHook(() => useServiceGroupQuery({ variables: { reference: "NEXT_DAY" } }), { wrapper });

    await waitFor(() => expect(shipment.result.current.loading || service.result.current.loading || group.result.current.loading).toBe(false));

    expect(shipment.result.current.data?.shipment).toMatchObject({
      state: "ALLOCATED",
      allocation: { carrierService: { reference: "FF_LINET-00001" }, trackingDetails: { shipment: { trackingReferences: ["19297253"] } } },
    });
    expect(service.result.current.data?.carrierService?.serviceGroups.map((g) => g.reference)).toContain("EVRI-00048");
    expect(group.result.current.data?.serviceGroup?.services.length).toBeGreaterThan(0);
  });
});

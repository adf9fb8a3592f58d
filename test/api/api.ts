// Shared GraphQL documents, demo references and store probes for the API tests.
import { sql } from "kysely";
import { afterAll, beforeAll } from "vitest";
import { createOperationRunner, DEMO_KEY } from "../support/server";
import { openDemoPglite, type DemoStore, type OpenDemoStore } from "../support/stores";

/** Demo shipments by their last three digits (sp_00802615769404976542730318118912 is "912"). */
export const sp = (suffix: number): string => `sp_00802615769404976542730318118${suffix}`;
export const NORTHWIND_SHIPMENT = "sp_00900000000000000000000000000001";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const PRICE = "price { net gross currency taxes { amount rate { reference countryIsoCode type value } } }";
const CARRIER = "carrier { reference name serviceReference serviceName }";
const TRACKING = "trackingDetails { shipment { reference trackingReferences } contents { reference trackingReferences } }";
const LINKS = "links { href rel reference type }";

/** Every field of every member of the allocate unions (only the virtual one has AmbiguousReferenceError). */
export const resultFields = (withAmbiguous: boolean) => `
  __typename
  ... on AllocateResult {
    shipmentReference state message correlationId ${PRICE} ${CARRIER} ${TRACKING} ${LINKS}
    details { code message property }
    excludedServices { carrier { reference serviceReference } exclusion { code reason } }
    carrierService { reference }
    shipment { reference state }
  }
  ... on ApiError { code message correlationId }
  ... on ReferenceNotFoundError { reference }
  ${withAmbiguous ? "... on AmbiguousReferenceError { reference carrierService { reference } serviceGroup { reference } }" : ""}
`;

export type AllocateKind = "virtual" | "carrierService" | "serviceGroup";

const MUTATION: Record<AllocateKind, [string, string]> = {
  virtual: ["allocateShipmentWithVirtualService", "virtualServiceRef"],
  carrierService: ["allocateShipmentWithCarrierService", "carrierServiceRef"],
  serviceGroup: ["allocateShipmentWithServiceGroup", "serviceGroupRef"],
};

/** One allocate mutation, answered as `result`, with variables $shipmentRef and $ref. */
export function allocateMutation(kind: AllocateKind): string {
  const [field, argument] = MUTATION[kind];
  return `mutation ($shipmentRef: ID!, $ref: ID!) { result: ${field}(shipmentRef: $shipmentRef, ${argument}: $ref) { ${resultFields(kind === "virtual")} } }`;
}

export const SHIPMENT_QUERY = `query ($ref: ID!) {
  shipment(reference: $ref) {
    reference state
    allocation { ${CARRIER} carrierService { reference } allocationDate ${PRICE} ${TRACKING} ${LINKS} }
  }
}`;

export const CARRIER_SERVICE_QUERY = `query ($ref: ID!) { carrierService(reference: $ref) { reference name } }`;
export const SERVICE_GROUP_QUERY = `query ($ref: ID!) { serviceGroup(reference: $ref) { reference name } }`;
export const LISTS_QUERY = `{
  carrierServices { reference serviceGroups { reference } }
  serviceGroups { reference services { reference } }
}`;
export const ENTITIES_QUERY = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Shipment { reference state }
    ... on CarrierService { reference }
    ... on ServiceGroup { reference }
  }
}`;

export type Runner = Awaited<ReturnType<typeof createOperationRunner>>;

export interface DemoApi {
  store: DemoStore;
  runner: Runner;
  /** Runs one allocate mutation and returns its `result`. */
  allocate(kind: AllocateKind, shipmentRef: string, ref: string, apiKey?: string, correlationId?: string): Promise<any>;
  /** The shipment as the `shipment` query shows it (null when the caller cannot see it). */
  shipment(ref: string, apiKey?: string): Promise<any>;
}

/** A fresh demo store and an operation runner for the enclosing describe (its tests share the state). */
export function useDemoApi(open: OpenDemoStore = openDemoPglite): DemoApi {
  const api = {
    async allocate(kind: AllocateKind, shipmentRef: string, ref: string, apiKey = DEMO_KEY, correlationId?: string) {
      const response = await api.runner.run(allocateMutation(kind), { shipmentRef, ref }, apiKey, correlationId);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data!.result;
    },
    async shipment(ref: string, apiKey = DEMO_KEY) {
      const response = await api.runner.run(SHIPMENT_QUERY, { ref }, apiKey);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data!.shipment;
    },
  } as DemoApi;
  beforeAll(async () => {
    api.store = await open();
    api.runner = await createOperationRunner(api.store);
  });
  afterAll(async () => {
    await api.runner?.stop();
    await api.store?.dropDatabase();
  });
  return api;
}

/** What an allocation writes: shipments per state and allocation rows, read straight from the store. */
export async function writtenState(store: DemoStore): Promise<{ states: Record<string, number>; allocations: number }> {
  const rows = await store.db
    .selectFrom("shipments")
    .select(["state", sql<string>`count(*)::text`.as("count")])
    .groupBy("state")
    .execute();
  const allocations = await store.db
    .selectFrom("allocations")
    .select(sql<string>`count(*)::text`.as("count"))
    .executeTakeFirstOrThrow();
  return {
    states: Object.fromEntries(rows.map((row) => [row.state, Number(row.count)])),
    allocations: Number(allocations.count),
  };
}

/** The links of an allocated shipment under the test servers' BASE_URL. */
export function successLinks(baseUrl: string, ref: string) {
  return [
    { href: `${baseUrl}/shipments/${ref}`, rel: "shipment", reference: ref, type: "shipment" },
    { href: `${baseUrl}/labels/${ref}/pdf`, rel: "label", reference: ref, type: "label" },
    { href: `${baseUrl}/labels/${ref}/zpl`, rel: "label", reference: ref, type: "label" },
  ];
}

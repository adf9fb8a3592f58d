// Persisted operations: the manifest a router's persisted query list is given, the generated link an
// app sends ids with, and automatic persisted queries, all through a real gateway in front of this
// subgraph and a shipments subgraph.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CarrierServiceDocument } from "../../client/generated/graphql";
import { createPersistedQueryLink, persistedQueryIds } from "../../client/generated/persisted-queries";
import generatedPossibleTypes from "../../client/generated/possible-types";
import { startGateway, type GatewayOptions, type RunningGateway } from "../federation/gateway";
import { startShipmentsSubgraph, type RunningPeer } from "../../app/server/shipments-subgraph";
import { DEMO_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

interface ManifestOperation {
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

const MANIFEST_FILE = path.resolve(__dirname, "../../client/generated/persisted-query-manifest.json");
const manifest = JSON.parse(readFileSync(MANIFEST_FILE, "utf8")) as { format: string; version: number; operations: ManifestOperation[] };

const sp = (n: number) => `sp_00802615769404976542730318118${n}`;
/** Variables that take each manifest operation to its main outcome (an allocation, a found record). */
const VARIABLES: Record<string, Record<string, unknown>> = {
  AllocateShipmentWithVirtualService: { shipmentRef: sp(912), virtualServiceRef: "FF_LINET-00001" },
  AllocateShipmentWithCarrierService: { shipmentRef: sp(913), carrierServiceRef: "DPD-00012" },
  AllocateShipmentWithServiceGroup: { shipmentRef: sp(914), serviceGroupRef: "NEXT_DAY" },
  Shipment: { reference: sp(912) },
  CarrierService: { reference: "FF_LINET-00001" },
  ServiceGroup: { reference: "NEXT_DAY" },
  // a quote carries its issue time: an unknown reference answers the same on both stacks
  PreviewAllocationWithVirtualService: { shipmentRef: sp(915), virtualServiceRef: "NO_SUCH_SERVICE" },
  AllocateShipmentWithQuote: { shipmentRef: sp(916), quoteRef: "q1.not.a-quote" },
  DeallocateShipment: { shipmentRef: sp(920), reason: "wrong service" },
  ShipmentAllocationHistory: { reference: sp(912) },
  AllocateShipments: { items: [{ shipmentRef: sp(917), virtualServiceRef: "FF_LINET-00001" }] },
  // a shipment with no allocation in force: the label (null) does not depend on when a stack allocated
  ShipmentLabel: { reference: sp(921), format: "PDF" },
};
const HEADERS = { "content-type": "application/json", "x-api-key": DEMO_KEY, "x-correlation-id": "5f0c3f5e-7a43-4c55-9d3a-2f7f0e9d4a11" };

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

async function post(url: string, body: Record<string, unknown>) {
  const response = await fetch(url, { method: "POST", headers: HEADERS, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

/** A fetch that keeps the JSON body of every request it sends. */
function recordingFetch(sent: Record<string, unknown>[]): typeof fetch {
  return async (input, init) => {
    sent.push(JSON.parse(init?.body as string));
    return fetch(input, init);
  };
}

interface Stack {
  gateway: RunningGateway;
  stop(): Promise<void>;
}

/** The demo data behind this subgraph, composed with the shipments subgraph behind a gateway that knows the manifest. */
async function startStack(peer: RunningPeer, options: GatewayOptions = {}): Promise<Stack> {
  const store: DemoStore = await openDemoPglite();
  const allocation: HttpTestServer = await startHttpServer(store);
  const gateway = await startGateway(
    [
      { name: "allocation", url: allocation.url },
      { name: "shipments", url: peer.url },
    ],
    { persistedQueries: manifest.operations, ...options },
  );
  return {
    gateway,
    async stop() {
      await gateway.stop();
      await allocation.stop();
      await store.close();
    },
  };
}

describe("the persisted query manifest (client/generated/persisted-query-manifest.json)", () => {
  it("is in Apollo's format: every operation of schema/operations, its id the SHA-256 of its body", () => {
    expect(manifest.format).toBe("apollo-persisted-query-manifest");
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(Object.keys(VARIABLES).sort());
    for (const operation of manifest.operations) expect(operation.id, operation.name).toBe(sha256(operation.body));
  });

  it("gives the generated client code the same ids", () => {
    expect(persistedQueryIds.operations).toEqual(manifest.operations.map(({ name, id }) => ({ name, id })));
  });
});

describe("operations sent by id through the gateway", () => {
  // a mutation changes the store, so its text runs on a twin of the stack its id runs on
  let peer: RunningPeer;
  let byIdStack: Stack;
  let byTextStack: Stack;

  beforeAll(async () => {
    peer = await startShipmentsSubgraph();
    [byIdStack, byTextStack] = [await startStack(peer), await startStack(peer)];
  });

  afterAll(async () => {
    await byIdStack?.stop();
    await byTextStack?.stop();
    await peer?.stop();
  });

  it("answers every manifest operation sent by its id as it answers its full text", async () => {
    // mutations first, so that the queries read allocations
    const operations = [...manifest.operations].sort((a, b) => Number(a.type === "query") - Number(b.type === "query"));

    for (const operation of operations) {
      const variables = VARIABLES[operation.name];
      expect(variables, `variables for ${operation.name}: add them to VARIABLES`).toBeDefined();
      const textStack = operation.type === "mutation" ? byTextStack : byIdStack;

      const answerById = await post(byIdStack.gateway.url, { operationName: operation.name, variables, ...byId(operation.id) });
      const answerByText = await post(textStack.gateway.url, { query: operation.body, operationName: operation.name, variables });

      expect({ operation: operation.name, ...answerById }).toEqual({ operation: operation.name, ...answerByText });
      expect(answerById.status).toBe(200);
      expect(Object.values(answerById.body.data ?? {}), operation.name).not.toContain(null);
    }
    const shipment = await post(byIdStack.gateway.url, { operationName: "Shipment", variables: VARIABLES.Shipment, ...byId(idOf("Shipment")) });
    expect(shipment.body.data?.shipment).toMatchObject({ state: "ALLOCATED", allocation: { carrierService: { reference: "FF_LINET-00001" } } });
  });

  it("sends an app's operations by id alone with the generated createPersistedQueryLink", async () => {
    const sent: Record<string, unknown>[] = [];
    const client = new ApolloClient({
      link: createPersistedQueryLink().concat(new HttpLink({ uri: byIdStack.gateway.url, headers: HEADERS, fetch: recordingFetch(sent) })),
      cache: new InMemoryCache({ possibleTypes: generatedPossibleTypes.possibleTypes }),
    });

    const result = await client.query({ query: CarrierServiceDocument, variables: { reference: "FF_LINET-00001" } });

    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty("query");
    expect(sent[0]).toMatchObject({ operationName: "CarrierService", variables: { reference: "FF_LINET-00001" }, ...byId(idOf("CarrierService")) });
    expect(result.data?.carrierService).toMatchObject({ reference: "FF_LINET-00001", carrier: { reference: "FF_LINET" } });
  });
});

describe("automatic persisted queries through the gateway", () => {
  const query = `query CarrierNames { carrierService(reference: "DPD-00012") { name carrier { name } } }`;
  const hash = sha256(query);
  let peer: RunningPeer;
  let stack: Stack;
  const toSubgraphs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    peer = await startShipmentsSubgraph();
    stack = await startStack(peer, { subgraphApq: { fetch: recordingFetch(toSubgraphs) } });
  });

  afterAll(async () => {
    await stack?.stop();
    await peer?.stop();
  });

  it("registers an operation outside the manifest from a client: unknown hash, then hash and text, then the hash alone", async () => {
    const unknown = await post(stack.gateway.url, byId(hash));
    const registered = await post(stack.gateway.url, { query, ...byId(hash) });
    const again = await post(stack.gateway.url, byId(hash));

    expect(unknown.body.errors?.map((e) => e.extensions?.code)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    expect(registered).toMatchObject({ status: 200, body: { data: { carrierService: { name: expect.any(String), carrier: { name: expect.any(String) } } } } });
    expect(again).toEqual(registered);
  });

  it("reaches this subgraph by hash once the subgraph has seen the text", async () => {
    toSubgraphs.length = 0;
    const first = await post(stack.gateway.url, { query: "{ serviceGroup(reference: \"NEXT_DAY\") { name services { reference } } }" });
    const second = await post(stack.gateway.url, { query: "{ serviceGroup(reference: \"NEXT_DAY\") { name services { reference } } }" });

    // first: the hash (unknown), then hash and text; second: the hash alone, which the subgraph answers
    expect(toSubgraphs.map((body) => ("query" in body ? "hash and text" : "hash"))).toEqual(["hash", "hash and text", "hash"]);
    expect(second).toEqual(first);
    expect(first.body.data?.serviceGroup).toMatchObject({ name: expect.any(String), services: expect.any(Array) });
  });
});

function idOf(name: string): string {
  const operation = manifest.operations.find((o) => o.name === name);
  if (!operation) throw new Error(`${name} is not in the manifest`);
  return operation.id;
}

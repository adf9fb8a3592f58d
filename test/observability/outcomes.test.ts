// The outcome of the fields that have one (the allocate mutations, the batch, the quote allocation, the
// deallocation, the preview) is recorded by a middleware of those fields alone: in the request log and the
// metrics as before, and without an Apollo field hook, which would make Apollo wrap every field of the schema.
import { HeaderMap } from "@apollo/server";
import { getNamedType, isObjectType, isUnionType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import pino from "pino";
import { getMetadataStorage } from "type-graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApolloServer } from "../../src/graphql/apollo";
import { createContext } from "../../src/graphql/context";
import { buildAllocationSchema } from "../../src/graphql/schema";
import { createMetrics } from "../../src/observability/metrics";
import { recordOutcome } from "../../src/observability/outcome.middleware";
import { allocateMutation, sp } from "../api/api";
import { DEALLOCATE, PREVIEW } from "../api/lifecycle";
import { addBrokenCarrier } from "../batching/datasets";
import { DEMO_KEY, testConfig } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { startObservedServer, type ObservedServer } from "./harness";

// every schema the server builds, in order (createApolloServer: the one Apollo executes, then _entities' compiled one)
const built = vi.hoisted(() => [] as GraphQLSchema[]);
vi.mock("../../src/graphql/schema", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/graphql/schema")>();
  return {
    buildAllocationSchema: async () => {
      const schema = await original.buildAllocationSchema();
      built.push(schema);
      return schema;
    },
  };
});

const BATCH = `mutation ($items: [AllocateShipmentInput!]!) { allocateShipments(items: $items) { __typename } }`;
const TWO_ALLOCATIONS = `mutation ($shipmentRef: ID!) {
  first: allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: "FF_LINET-00001") { __typename }
  second: allocateShipmentWithCarrierService(shipmentRef: $shipmentRef, carrierServiceRef: "NO-SUCH-SERVICE") { __typename }
}`;

describe("the request log and the metrics of the fields with an outcome", () => {
  let store: DemoStore;
  let server: ObservedServer;
  const as = (correlationId: string) => ({ "x-api-key": DEMO_KEY, "x-correlation-id": correlationId });
  const line = (correlationId: string) => server.logs.find((l) => l.msg === "graphql request" && l.correlationId === correlationId);

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startObservedServer(store, { metrics: createMetrics() });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it("logs the outcome of each field of a mutation, in field order, and counts each", async () => {
    const response = await server.post(TWO_ALLOCATIONS, { shipmentRef: sp(912) }, as("two-fields"));

    expect(response.body.data).toEqual({ first: { __typename: "AllocateResult" }, second: { __typename: "ReferenceNotFoundError" } });
    expect(line("two-fields")).toMatchObject({
      operation: "allocateShipmentWithCarrierService,allocateShipmentWithVirtualService",
      outcome: "AllocateResult,ReferenceNotFoundError",
    });
    const text = (await server.scrape()).text;
    expect(text).toContain('allocations_total{mutation="allocateShipmentWithVirtualService",outcome="AllocateResult"} 1');
    expect(text).toContain('allocations_total{mutation="allocateShipmentWithCarrierService",outcome="ReferenceNotFoundError"} 1');
    expect(text).toContain('allocation_duration_seconds_count{mutation="allocateShipmentWithVirtualService"} 1');
    expect(text).toContain('allocation_duration_seconds_count{mutation="allocateShipmentWithCarrierService"} 1');
  });

  it('counts a mutation whose resolver throws as outcome "error", with its latency', async () => {
    const response = await server.post(DEALLOCATE, { shipmentRef: sp(913), reason: "no\u0000nul" }, as("thrown"));

    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(line("thrown")).toMatchObject({ operation: "deallocateShipment", outcome: "error", errorCodes: ["BAD_USER_INPUT"] });
    const text = (await server.scrape()).text;
    expect(text).toContain('allocations_total{mutation="deallocateShipment",outcome="error"} 1');
    expect(text).toContain('allocation_duration_seconds_count{mutation="deallocateShipment"} 1');
  });

  it('counts a batch item that failed unexpectedly as outcome "error", and the others by their __typename', async () => {
    await addBrokenCarrier(store, "sp_outcome", 3);
    const items = ["FF_LINET-00001", "BROKEN-1", "FF_LINET-00001"].map((ref, i) => ({ shipmentRef: `sp_outcome_000${i}`, virtualServiceRef: ref }));

    const response = await server.post(BATCH, { items }, as("batch-item-error"));

    expect(response.body.errors).toEqual([expect.objectContaining({ path: ["allocateShipments", 1] })]);
    expect(line("batch-item-error")).toMatchObject({ operation: "allocateShipments", outcome: "error" });
    const text = (await server.scrape()).text;
    expect(text).toContain('allocations_total{mutation="allocateShipments",outcome="AllocateResult"} 2');
    expect(text).toContain('allocations_total{mutation="allocateShipments",outcome="error"} 1');
    expect(text).toContain('allocation_duration_seconds_count{mutation="allocateShipments"} 1');
  });
});

describe("the fields that record an outcome", () => {
  it("are exactly the root fields whose type is a union, federation's _entities aside", async () => {
    const schema = await buildAllocationSchema();
    const unions = [schema.getQueryType()!, schema.getMutationType()!]
      .flatMap((root) => Object.values(root.getFields()))
      .filter((field) => field.name !== "_entities" && isUnionType(getNamedType(field.type)))
      .map((field) => field.name);
    const storage = getMetadataStorage();

    const recording = [...storage.queries, ...storage.mutations].filter((r) => r.middlewares?.includes(recordOutcome)).map((r) => r.schemaName);

    expect(unions).toContain("allocateShipments");
    expect(recording.sort()).toEqual(unions.sort());
  });
});

describe("Apollo's schema, after requests with an outcome", () => {
  let store: DemoStore;
  beforeAll(async () => {
    store = await openDemoPglite();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function afterOutcomeRequests(federationTraces: boolean, headers: [string, string][]) {
    const config = testConfig({ federationTraces });
    const from = built.length;
    const apollo = await createApolloServer({ config, logger: pino({ level: "silent" }), metrics: createMetrics() });
    const schemas = built.slice(from);
    const before = schemas.map(resolvers);
    const run = async (query: string, variables: Record<string, unknown>) => {
      const http = { method: "POST", headers: new HeaderMap(headers), search: "", body: {} };
      const contextValue = createContext(store, config, { apiKey: DEMO_KEY, correlationId: undefined });
      const response = await apollo.executeOperation({ query, variables, http }, { contextValue });
      if (response.body.kind !== "single" || response.body.singleResult.errors) throw new Error(JSON.stringify(response.body));
    };
    try {
      await run(allocateMutation("virtual"), { shipmentRef: sp(914), ref: "NEXT_DAY" });
      await run(BATCH, { items: [{ shipmentRef: sp(915), virtualServiceRef: "FF_LINET-00001" }] });
      await run(PREVIEW, { shipmentRef: sp(916), ref: "FF_LINET-00001" });
    } finally {
      await apollo.stop();
    }
    return schemas.map((schema, i) => ({ instrumented: instrumented(schema), rewrapped: changed(schema, before[i]), fields: [...before[i].keys()] }));
  }

  it("keeps every field's resolver its own when federationTraces is off: Apollo wraps none", async () => {
    const [executed, compiled] = await afterOutcomeRequests(false, []);

    expect(executed).toMatchObject({ instrumented: false, rewrapped: [] });
    expect(compiled).toMatchObject({ instrumented: false, rewrapped: [] });
  });

  it("is wrapped field by field when the router asks for ftv1 traces (the inline trace plugin's field hook)", async () => {
    const [executed, compiled] = await afterOutcomeRequests(true, [["apollo-federation-include-trace", "ftv1"]]);

    expect(executed.instrumented).toBe(true);
    expect(executed.rewrapped).toEqual(executed.fields);
    expect(executed.fields).toContain("Query.carrierServices");
    expect(compiled).toMatchObject({ instrumented: false, rewrapped: [] });
  });
});

// what Apollo sets on a schema once it has wrapped its fields for a plugin's willResolveField
function instrumented(schema: GraphQLSchema): boolean {
  return Object.getOwnPropertySymbols(schema).some((symbol) => symbol.description === "apolloServerPluginsEnabled");
}

function resolvers(schema: GraphQLSchema): Map<string, GraphQLFieldResolver<unknown, unknown> | undefined> {
  const byField = new Map<string, GraphQLFieldResolver<unknown, unknown> | undefined>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) byField.set(`${type.name}.${field.name}`, field.resolve);
  }
  return byField;
}

function changed(schema: GraphQLSchema, before: Map<string, GraphQLFieldResolver<unknown, unknown> | undefined>): string[] {
  return [...resolvers(schema)].filter(([name, resolve]) => before.get(name) !== resolve).map(([name]) => name);
}

// Hostile input: limits on body size, batching, tokens, depth, aliases, directives and cost, each
// refused before any SQL runs; the legitimate operations stay inside them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/graphql/limits/limits";
import { DEMO_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const OPERATIONS = path.resolve(__dirname, "../../schema/operations");
const operations = (file: string) => readFileSync(path.join(OPERATIONS, file), "utf8");
const sp = (suffix: number) => `sp_00802615769404976542730318118${suffix}`;

// serviceGroups { services { serviceGroups … { leaf } } }, `lists` lists deep
function nestedLists(lists: number, leaf: string): string {
  let selection = leaf;
  for (let level = lists; level >= 1; level--) selection = `${level % 2 ? "serviceGroups" : "services"} { ${selection} }`;
  return selection;
}

// carrierService → serviceGroups → services → serviceGroups …: a selection `levels` deep
const nested = (levels: number, leaf = "reference") => `query { carrierService(reference: "FF_LINET-00001") { ${nestedLists(levels - 1, leaf)} } }`;

describe("request limits", () => {
  let store: DemoStore;
  let server: HttpTestServer;
  let statements = 0;

  beforeAll(async () => {
    store = await openDemoPglite({ onQuery: () => void statements++ });
    server = await startHttpServer(store, { production: true });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dropDatabase();
  });
  beforeEach(() => {
    statements = 0;
  });

  async function send(body: string, contentType = "application/json") {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": contentType, "x-api-key": DEMO_KEY },
      body,
    });
    return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
  }

  const post = (query: string, variables?: Record<string, unknown>) => send(JSON.stringify({ query, variables }));

  it("answers a body over 1 MB with 413 JSON, before any SQL", async () => {
    const response = await post(`query { __typename }`, { padding: "x".repeat(LIMITS.maxBodyBytes) });

    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]?.message).toMatch(/too large/i);
    expect(statements).toBe(0);
  });

  it("refuses a batch (a JSON array body) with 400 and a clear message, before any SQL", async () => {
    const response = await send(JSON.stringify([{ query: "{ serviceGroups { reference } }" }, { query: "{ serviceGroups { name } }" }]));

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/batching/i);
    expect(statements).toBe(0);
  });

  it(`refuses a document over ${LIMITS.maxTokens} tokens at parse time, before any SQL`, async () => {
    const response = await post(`query { ${"__typename ".repeat(LIMITS.maxTokens)} }`);

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(response.body.errors?.[0]?.message).toMatch(/more that 1000 tokens/);
    expect(statements).toBe(0);
  });

  it(`refuses a selection deeper than ${LIMITS.maxDepth}, before any SQL`, async () => {
    const response = await post(nested(LIMITS.maxDepth + 1));

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/depth limit of 10/);
    expect(statements).toBe(0);
  });

  it(`refuses more than ${LIMITS.maxAliases} aliases, before any SQL`, async () => {
    const aliases = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: serviceGroups { reference }`).join(" ");

    const response = await post(`query { ${aliases} }`);

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/aliases limit/i);
    expect(statements).toBe(0);
  });

  it(`refuses more than ${LIMITS.maxDirectives} directives, before any SQL`, async () => {
    const response = await post(`query { serviceGroups { reference ${"@include(if: true) ".repeat(LIMITS.maxDirectives + 1)} } }`);

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/directives limit/i);
    expect(statements).toBe(0);
  });

  it(`refuses an operation whose cost is over ${LIMITS.maxCost}, before any SQL`, async () => {
    // within the depth, alias and token limits: its lists make it costly
    const response = await post(`{ carrierServices { serviceGroups { services { serviceGroups { services { reference } } } } } }`);

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/cost limit/i);
    expect(response.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(statements).toBe(0);
  });

  describe("the cost multiplies a list's selection by the list's size", () => {
    it("refuses 15 aliases of nested carrierServices (a 2 KB query that was a 4.4 MB answer), before any SQL", async () => {
      const query = `{ ${Array.from({ length: LIMITS.maxAliases }, (_, i) => `a${i}: carrierServices { ${nestedLists(8, "reference name active")} }`).join(" ")} }`;

      const response = await post(query);

      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.message).toMatch(/cost limit/i);
      expect(statements).toBe(0);
    });

    it(`refuses ${LIMITS.maxRepresentations} representations selecting nested serviceGroups { services }, before any SQL`, async () => {
      const representations = Array.from({ length: LIMITS.maxRepresentations }, () => ({ __typename: "CarrierService", reference: "DPD-00012" }));

      const response = await post(`query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on CarrierService { ${nestedLists(2, "reference name")} } }
      }`, { representations });

      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.message).toMatch(/cost limit/i);
      expect(statements).toBe(0);
    });
  });

  describe("an operation's cost is reused only where no variable can change it", () => {
    it("still refuses the invalid variables of an operation weighed before, before any SQL", async () => {
      const query = `query ($reference: ID!) { carrierService(reference: $reference) { reference } }`;
      await post(query, { reference: "FF_LINET-00001" });
      statements = 0;

      const response = await post(query, {});

      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(response.body.errors?.[0]?.message).toMatch(/\$reference/);
      expect(statements).toBe(0);
    });

    it("weighs again an operation whose @include depends on a variable", async () => {
      const query = `query ($deep: Boolean!) { carrierServices { reference serviceGroups @include(if: $deep) { services { serviceGroups { services { reference } } } } } }`;
      const shallow = await post(query, { deep: false });
      statements = 0;

      const deep = await post(query, { deep: true });

      expect(shallow.status).toBe(200);
      expect(deep.status).toBe(400);
      expect(deep.body.errors?.[0]?.message).toMatch(/estimated cost/);
      expect(statements).toBe(0);
    });

    it("weighs again an operation whose list variable sizes it", async () => {
      const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Shipment { reference } } }`;
      const representations = (count: number) => Array.from({ length: count }, (_, i) => ({ __typename: "Shipment", reference: `sp_missing_${i}` }));
      const one = await post(query, { representations: representations(1) });
      statements = 0;

      const tooMany = await post(query, { representations: representations(LIMITS.maxRepresentations + 1) });

      expect(one.status).toBe(200);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors?.[0]?.message).toMatch(/Too many representations/);
      expect(statements).toBe(0);
    });
  });

  it("lets the client's operations (schema/operations) through", async () => {
    const document = readdirSync(OPERATIONS).map(operations).join("\n");
    const runs: [string, Record<string, unknown>][] = [
      ["AllocateShipmentWithVirtualService", { shipmentRef: sp(912), virtualServiceRef: "FF_LINET-00001" }],
      ["AllocateShipmentWithCarrierService", { shipmentRef: sp(913), carrierServiceRef: "DPD-00012" }],
      ["AllocateShipmentWithServiceGroup", { shipmentRef: sp(914), serviceGroupRef: "NEXT_DAY" }],
      ["Shipment", { reference: sp(912) }],
      ["CarrierService", { reference: "FF_LINET-00001" }],
      ["ServiceGroup", { reference: "NEXT_DAY" }],
    ];

    for (const [operationName, variables] of runs) {
      const response = await send(JSON.stringify({ query: document, operationName, variables }));
      expect({ operationName, status: response.status, errors: response.body.errors }).toEqual({ operationName, status: 200, errors: undefined });
    }
  });

  describe("allocateShipments", () => {
    // the README's documented example selection, on every item of a batch
    const DOCUMENTED = `__typename ... on AllocateResult { shipmentReference state price { net gross taxes { rate { reference countryIsoCode type value } amount } currency } message carrier { reference name serviceReference serviceName } trackingDetails { shipment { reference trackingReferences } contents { reference trackingReferences } } links { href rel reference type } correlationId details { code message property } excludedServices { carrier { reference serviceReference } exclusion { code reason } } } ... on ApiError { code message }`;
    const batches = (count: number) =>
      `mutation ($items: [AllocateShipmentInput!]!) { ${Array.from({ length: count }, (_, i) => `b${i}: allocateShipments(items: $items) { ${DOCUMENTED} }`).join(" ")} }`;
    const items = Array.from({ length: 100 }, (_, i) => ({ shipmentRef: i === 0 ? sp(915) : `sp_missing_${i}`, virtualServiceRef: "DPD-00012" }));

    it("lets a 100-item batch with the documented selection through", async () => {
      const response = await post(batches(1), { items });

      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      const results = (response.body as { data?: { b0: { __typename: string; state?: string }[] } }).data?.b0;
      expect(results).toHaveLength(100);
      expect(results?.[0]).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED" });
    });

    it("refuses aliases of batches (two or more in one request), before any SQL", async () => {
      const response = await post(batches(2), { items: items.slice(1) });

      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(response.body.errors?.[0]?.message).toMatch(/allocateShipments may appear once/);
      expect(statements).toBe(0);
    });
  });

  it("lets the router's _entities with 1,000 representations through (they are variables, not tokens)", async () => {
    const representations = Array.from({ length: 1_000 }, (_, i) => ({ __typename: "Shipment", reference: `sp_missing_${i}` }));
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Shipment { reference state allocation { allocationDate price { net gross taxes { amount rate { value } } } carrierService { reference carrier { name } serviceGroups { reference } } } } }
    }`;

    const response = await post(query, { representations });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect((response.body as { data?: { _entities: unknown[] } }).data?._entities).toHaveLength(1_000);
  });

  it("lets the router's _entities for 1,000 carrier services and service groups with their lists through (test/batching)", async () => {
    const representations = Array.from({ length: 1_000 }, (_, i) =>
      i % 2 ? { __typename: "CarrierService", reference: "DPD-00012" } : { __typename: "ServiceGroup", reference: "UK_ECONOMY" },
    );
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on CarrierService { reference name serviceGroups { reference } }
        ... on ServiceGroup { reference name services { reference } }
      }
    }`;

    const response = await post(query, { representations });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect((response.body as { data?: { _entities: unknown[] } }).data?._entities).toHaveLength(1_000);
  });
});

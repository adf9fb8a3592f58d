// Hostile input: limits on body size, batching, tokens, depth, aliases, directives and cost, each
// refused before any SQL runs; the legitimate operations stay inside them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/graphql/limits";
import { DEMO_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const OPERATIONS = path.resolve(__dirname, "../../schema/operations");
const operations = (file: string) => readFileSync(path.join(OPERATIONS, file), "utf8");
const sp = (suffix: number) => `sp_00802615769404976542730318118${suffix}`;

// carrierService → serviceGroups → services → serviceGroups …: a selection `levels` deep
function nested(levels: number, leaf = "reference"): string {
  let selection = leaf;
  for (let level = levels - 1; level >= 1; level--) selection = `${level % 2 ? "serviceGroups" : "services"} { ${selection} }`;
  return `query { carrierService(reference: "FF_LINET-00001") { ${selection} } }`;
}

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
    const fields = "reference name active carrier { reference name }";
    const wide = nested(LIMITS.maxDepth, `${fields} serviceGroups { reference name services { ${fields} } }`).replace(
      /(serviceGroups|services) \{/g,
      `$1 { ${fields} `,
    );

    const response = await post(wide);

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/cost limit/i);
    expect(statements).toBe(0);
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
});

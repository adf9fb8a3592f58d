import Decimal from "decimal.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { DEMO_KEY, startHttpServer, type HttpTestServer } from "../support/server";

// The response of PRO's documented example, as published (snake_case, numbers).
const pro = JSON.parse(
  readFileSync(path.join(__dirname, "../fixtures/pro-allocate-result.json"), "utf8"),
) as Record<string, unknown>;

const ALLOCATE = /* GraphQL */ `
  mutation Allocate($shipmentRef: ID!, $virtualServiceRef: ID!) {
    allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $virtualServiceRef) {
      __typename
      ... on AllocateResult {
        shipmentReference
        state
        price { net gross taxes { rate { reference countryIsoCode type value } amount } currency }
        message
        carrier { reference name serviceReference serviceName }
        trackingDetails { shipment { reference trackingReferences } contents { reference trackingReferences } }
        links { href rel reference type }
        correlationId
        details { code message property }
        excludedServices { carrier { reference name serviceReference serviceName } exclusion { code reason } }
      }
    }
  }
`;

function camelCase(key: string): string {
  if (key === "_links") return "links";
  return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Every field of PRO's JSON, camelCased, must be in ours with the same value (PRO's numbers = our decimals). */
function differences(expected: unknown, actual: unknown, at = "$"): string[] {
  if (typeof expected === "number") {
    const same = typeof actual === "string" && new Decimal(actual).eq(expected);
    return same ? [] : [`${at}: expected ${expected}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${at}: expected ${expected.length} items, got ${JSON.stringify(actual)}`];
    }
    return expected.flatMap((item, i) => differences(item, actual[i], `${at}[${i}]`));
  }
  if (expected && typeof expected === "object") {
    if (!actual || typeof actual !== "object") return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) =>
      differences(value, (actual as Record<string, unknown>)[camelCase(key)], `${at}.${camelCase(key)}`),
    );
  }
  // PRO writes the state in lower case; GraphQL enum values are upper case
  const same = at === "$.state" ? String(actual) === String(expected).toUpperCase() : actual === expected;
  return same ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

describe("the documented example, end to end over HTTP on the demo data", () => {
  let store: DemoStore;
  let server: HttpTestServer;

  beforeAll(async () => {
    store = await openDemoPglite();
    // PRO's example links point at api-int.sorted.com/pro: the links follow PUBLIC_BASE_URL
    server = await startHttpServer(store, { publicBaseUrl: "https://api-int.sorted.com/pro" });
  });

  afterAll(async () => {
    await server.stop();
    await store.dropDatabase();
  });

  it("allocates sp_00802615769404976542730318118912 with FF_LINET-00001 and answers every field PRO answers", async () => {
    const response = await server.post(
      ALLOCATE,
      { shipmentRef: pro.shipment_reference, virtualServiceRef: "FF_LINET-00001" },
      { "x-api-key": DEMO_KEY, "x-correlation-id": String(pro.correlation_id) },
    );

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const result = response.body.data?.allocateShipmentWithVirtualService;
    expect(result.__typename).toBe("AllocateResult");
    expect(differences(pro, result)).toEqual([]);
  });

  it("writes money with exactly two decimal places and the tax rate as configured", async () => {
    const shipment = await server.post(
      `query { shipment(reference: "sp_00802615769404976542730318118912") {
         state allocation { price { net gross taxes { rate { value } amount } currency } trackingDetails { shipment { trackingReferences } } } } }`,
    );

    expect(shipment.body.data?.shipment).toEqual({
      state: "ALLOCATED",
      allocation: {
        price: { net: "2.00", gross: "2.00", taxes: [{ rate: { value: "0" }, amount: "0.00" }], currency: "GBP" },
        trackingDetails: { shipment: { trackingReferences: ["19297253"] } },
      },
    });
  });
});

describe("the comparison with PRO's JSON", () => {
  it("reports a value that differs", () => {
    const changed = { ...pro, message: "something else" };
    expect(differences(pro, { ...changed, state: "ALLOCATED" })).toContain(
      `$.message: expected ${JSON.stringify(pro.message)}, got "something else"`,
    );
  });

  it("reports a number written differently in value", () => {
    expect(differences({ net: 2.0 }, { net: "2.01" })).toEqual(['$.net: expected 2, got "2.01"']);
  });
});

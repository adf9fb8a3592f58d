// `_entities` representations a router never sends (issue 8, point 8): refused as the client's
// input, 400 BAD_USER_INPUT, before any SQL, never an internal error; and how many one request may carry.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/graphql/limits/limits";
import { startObservedServer, type ObservedServer } from "../observability/harness";
import { openDemoPglite, type DemoStore } from "../support/stores";

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { __typename ... on Shipment { reference state } ... on CarrierService { reference } }
}`;
const shipments = (count: number) => Array.from({ length: count }, (_, i) => ({ __typename: "Shipment", reference: `sp_missing_${i}` }));

describe("_entities representations", () => {
  let store: DemoStore;
  let server: ObservedServer;
  let statements = 0;

  beforeAll(async () => {
    store = await openDemoPglite({ onQuery: () => void statements++ });
    server = await startObservedServer(store, { config: { production: true } });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dropDatabase();
  });
  beforeEach(() => {
    statements = 0;
    server.logs.length = 0;
  });

  const internalErrors = () => server.logs.filter((line) => line.msg === "internal error");

  describe("a malformed representation is the client's error", () => {
    const malformed: [string, unknown][] = [
      ["a type that is no entity", { __typename: "Allocation", reference: "x" }],
      ["a root type", { __typename: "Query", reference: "x" }],
      ["__proto__", { __typename: "__proto__", reference: "x" }],
      ["toString", { __typename: "toString", reference: "x" }],
      ["an unknown type", { __typename: "Nope", reference: "x" }],
      ["no __typename", { reference: "FF_LINET-00001" }],
      ["a __typename that is not a string", { __typename: ["Shipment"], reference: "x" }],
      ["no key", { __typename: "Shipment" }],
      ["a key that is not a string", { __typename: "CarrierService", reference: { $ne: null } }],
      ["a string", "Shipment"],
      ["a number", 42],
      ["an array", [{ __typename: "Shipment", reference: "x" }]],
    ];

    it.each(malformed)("%s: 400 BAD_USER_INPUT naming the representation, no SQL, no internal error", async (_, representation) => {
      const representations = [{ __typename: "Shipment", reference: "sp_00802615769404976542730318118912" }, representation];

      const response = await server.post(ENTITIES, { representations });

      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/^Representation 1 /), extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
      ]);
      expect(statements).toBe(0);
      expect(internalErrors()).toEqual([]);
    });

    it("also when the representations are written in the document", async () => {
      const response = await server.post(`{ _entities(representations: [{ __typename: "Allocation", reference: "x" }]) { __typename } }`);

      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(statements).toBe(0);
      expect(internalErrors()).toEqual([]);
    });

    it("a well-formed representation of another account or of nothing is still null, not an error", async () => {
      const response = await server.post(ENTITIES, { representations: [{ __typename: "CarrierService", reference: "NW-00001" }, ...shipments(1)] });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { _entities: [null, null] } });
    });
  });

  describe(`at most ${LIMITS.maxRepresentations} representations per request`, () => {
    it(`refuses ${LIMITS.maxRepresentations + 1} with 400 BAD_USER_INPUT, before any SQL`, async () => {
      const response = await server.post(ENTITIES, { representations: shipments(LIMITS.maxRepresentations + 1) });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          message: `Too many representations: ${LIMITS.maxRepresentations + 1}, at most ${LIMITS.maxRepresentations} per request`,
          extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }),
        }),
      ]);
      expect(statements).toBe(0);
    });

    it("counts every _entities field of the request together", async () => {
      const half = shipments(LIMITS.maxRepresentations / 2 + 1);
      const query = `query ($a: [_Any!]!, $b: [_Any!]!) {
        a: _entities(representations: $a) { __typename }
        b: _entities(representations: $b) { __typename }
      }`;

      const response = await server.post(query, { a: half, b: half });

      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.message).toMatch(/^Too many representations/);
      expect(statements).toBe(0);
    });

    it(`answers ${LIMITS.maxRepresentations}`, async () => {
      const response = await server.post(ENTITIES, { representations: shipments(LIMITS.maxRepresentations) });

      expect(response.status).toBe(200);
      expect(response.body.data?._entities).toHaveLength(LIMITS.maxRepresentations);
    });
  });
});

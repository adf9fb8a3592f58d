// Over real HTTP: odd references, wrongly typed variables and malformed bodies get a clear answer
// (a not-found member, null, or a 4xx JSON error), never a 5xx, and write nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_KEY } from "../support/server";
import { allocateMutation, CARRIER_SERVICE_QUERY, SHIPMENT_QUERY, sp, writtenState } from "./api";
import { useHttpApi } from "./http";

const api = useHttpApi();
const KEY = { "x-api-key": DEMO_KEY };

const ODD_REFERENCES: Record<string, string> = {
  empty: "",
  "10,000 characters": "sp_" + "0".repeat(9_997),
  "a NUL byte": "sp_\u0000",
  "non-ASCII letters": "sp_über_straße",
  "an emoji": "sp_📦",
  "SQL text": "sp_' OR '1'='1",
  "a lone surrogate": "sp_\ud800",
};

let before: Awaited<ReturnType<typeof writtenState>>;
// registered after useHttpApi's hook, so the store is open
beforeAll(async () => {
  before = await writtenState(api.store);
});

describe("odd references", () => {
  for (const [name, reference] of Object.entries(ODD_REFERENCES)) {
    it(`answers a shipmentRef with ${name} with shipment_not_found (HTTP 200)`, async () => {
      const response = await api.server.post(allocateMutation("virtual"), { shipmentRef: reference, ref: "DPD-00012" }, KEY);

      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.result).toMatchObject({
        __typename: "ReferenceNotFoundError",
        code: "shipment_not_found",
        reference,
      });
    });

    it(`answers a virtualServiceRef with ${name} with virtual_service_not_found (HTTP 200)`, async () => {
      const response = await api.server.post(allocateMutation("virtual"), { shipmentRef: sp(913), ref: reference }, KEY);

      expect(response.status).toBe(200);
      expect(response.body.data?.result).toMatchObject({
        __typename: "ReferenceNotFoundError",
        code: "virtual_service_not_found",
        reference,
      });
    });

    it(`answers the carrier service and service group mutations with ${name} with their not-found codes`, async () => {
      const service = await api.server.post(allocateMutation("carrierService"), { shipmentRef: sp(913), ref: reference }, KEY);
      const group = await api.server.post(allocateMutation("serviceGroup"), { shipmentRef: sp(913), ref: reference }, KEY);

      expect([service.status, group.status]).toEqual([200, 200]);
      expect(service.body.data?.result).toMatchObject({ code: "carrier_service_not_found", reference });
      expect(group.body.data?.result).toMatchObject({ code: "service_group_not_found", reference });
    });

    it(`answers the shipment and carrierService queries with ${name} with null (HTTP 200)`, async () => {
      const shipment = await api.server.post(SHIPMENT_QUERY, { ref: reference }, KEY);
      const service = await api.server.post(CARRIER_SERVICE_QUERY, { ref: reference }, KEY);

      expect([shipment.status, shipment.body]).toEqual([200, { data: { shipment: null } }]);
      expect([service.status, service.body]).toEqual([200, { data: { carrierService: null } }]);
    });
  }
});

describe("wrongly typed variables", () => {
  it("takes an integer shipmentRef as an ID, as GraphQL's ID coercion says, and does not find it", async () => {
    const response = await api.server.post(allocateMutation("virtual"), { shipmentRef: 123, ref: "DPD-00012" }, KEY);

    expect(response.status).toBe(200);
    expect(response.body.data?.result).toMatchObject({ code: "shipment_not_found", reference: "123" });
  });

  const WRONG: Record<string, { variables: Record<string, unknown>; message: RegExp }> = {
    "a float shipmentRef": { variables: { shipmentRef: 1.5, ref: "DPD-00012" }, message: /\$shipmentRef.*ID/ },
    "a boolean shipmentRef": { variables: { shipmentRef: true, ref: "DPD-00012" }, message: /\$shipmentRef.*ID/ },
    "an object shipmentRef": { variables: { shipmentRef: { reference: sp(913) }, ref: "DPD-00012" }, message: /\$shipmentRef.*ID/ },
    "a missing shipmentRef": { variables: { ref: "DPD-00012" }, message: /\$shipmentRef.*was not provided/ },
    "a null shipmentRef": { variables: { shipmentRef: null, ref: "DPD-00012" }, message: /\$shipmentRef.*must not be null/ },
    "a null virtualServiceRef": { variables: { shipmentRef: sp(913), ref: null }, message: /\$ref.*must not be null/ },
  };
  for (const [name, { variables, message }] of Object.entries(WRONG)) {
    it(`answers ${name} with HTTP 400 and a message naming the variable`, async () => {
      const response = await api.server.post(allocateMutation("virtual"), variables, KEY);

      expect(response.status).toBe(400);
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: "BAD_USER_INPUT" } });
    });
  }

  it("answers an argument missing from the document with HTTP 400 and a validation message", async () => {
    const response = await api.server.post(`mutation { allocateShipmentWithVirtualService(shipmentRef: "${sp(913)}") { __typename } }`, {}, KEY);

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/virtualServiceRef/);
  });
});

describe("malformed request bodies", () => {
  const BODIES: Record<string, { body: string; message: RegExp }> = {
    "truncated JSON": { body: '{"query":', message: /not valid JSON/ },
    "text that is not JSON": { body: "not json", message: /not valid JSON/ },
    "an empty body": { body: "", message: /body missing/ },
    "a JSON array (batching is disabled)": { body: JSON.stringify([{ query: "{ __typename }" }]), message: /batching disabled/ },
    "a query that is a number": { body: JSON.stringify({ query: 5 }), message: /must be strings/ },
    "a JSON string": { body: JSON.stringify("{ __typename }"), message: /not valid JSON/ },
    "variables as a string": { body: JSON.stringify({ query: SHIPMENT_QUERY, variables: "{}" }), message: /variables/ },
    "a body without a query": { body: JSON.stringify({ variables: {} }), message: /query/ },
    "a query with a syntax error": { body: JSON.stringify({ query: "{ shipment(" }), message: /Syntax Error/ },
    "an operationName the document does not define": {
      body: JSON.stringify({ query: "{ serviceGroups { reference } }", operationName: "Missing" }),
      message: /Unknown operation named "Missing"/,
    },
  };
  for (const [name, { body, message }] of Object.entries(BODIES)) {
    it(`answers ${name} with HTTP 400 and a JSON error`, async () => {
      const response = await api.postRaw(body, KEY);

      expect(response.status).toBe(400);
      expect(response.contentType).toMatch(/^application\/json/);
      expect(response.json?.errors?.[0]?.message).toMatch(message);
    });
  }

  it("answers a body over the size limit with HTTP 413 and a JSON error", async () => {
    const response = await api.postRaw(JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(2_000_000) } }), KEY);

    expect(response.status).toBe(413);
    expect(response.json?.errors?.[0]?.message).toEqual(expect.any(String));
  });
});

describe("after all of the above", () => {
  it("nothing was written: as many allocated shipments and allocations as before", async () => {
    expect(before).toBeDefined();
    expect(await writtenState(api.store)).toEqual(before);
  });
});

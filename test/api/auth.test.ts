// Over real HTTP: every operation but `_service` needs a known x-api-key, and the x-correlation-id
// header comes back in the correlationId of every union member.
import { describe, expect, it } from "vitest";
import { DEMO_KEY } from "../support/server";
import { allocateMutation, ENTITIES_QUERY, SHIPMENT_QUERY, sp, UUID, writtenState } from "./api";
import { useHttpApi } from "./http";

const api = useHttpApi();

const REQUESTS: Record<string, { query: string; variables: Record<string, unknown> }> = {
  query: { query: SHIPMENT_QUERY, variables: { ref: sp(913) } },
  mutation: { query: allocateMutation("virtual"), variables: { shipmentRef: sp(913), ref: "DPD-00012" } },
  _entities: { query: ENTITIES_QUERY, variables: { representations: [{ __typename: "Shipment", reference: sp(913) }] } },
};
const WITHOUT_KEY: Record<string, Record<string, string>> = {
  "no x-api-key": {},
  "an unknown x-api-key": { "x-api-key": "not-a-key" },
  "an empty x-api-key": { "x-api-key": "" },
};

describe("requests without a known API key", () => {
  for (const [keyCase, headers] of Object.entries(WITHOUT_KEY)) {
    for (const [kind, request] of Object.entries(REQUESTS)) {
      it(`answers a ${kind} with ${keyCase} with HTTP 401 UNAUTHENTICATED and no data`, async () => {
        const response = await api.server.post(request.query, request.variables, headers);

        expect(response.status).toBe(401);
        expect(response.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
        expect(response.body.data ?? null).toBeNull();
      });
    }
  }

  it("writes nothing: the shipment is still unallocated when asked with the right key", async () => {
    const before = await writtenState(api.store);

    await api.server.post(REQUESTS.mutation.query, REQUESTS.mutation.variables, { "x-api-key": "not-a-key" });
    await api.server.post(REQUESTS.mutation.query, REQUESTS.mutation.variables, {});

    expect(await writtenState(api.store)).toEqual(before);
    const shipment = await api.server.post(SHIPMENT_QUERY, { ref: sp(913) }, { "x-api-key": DEMO_KEY });
    expect(shipment.status).toBe(200);
    expect(shipment.body.data).toEqual({ shipment: { reference: sp(913), state: "UNALLOCATED", allocation: null } });
  });

  it("refuses a query that mixes _service with a field that needs a key", async () => {
    const response = await api.server.post(`{ _service { sdl } shipment(reference: "${sp(913)}") { state } }`, {}, {});

    expect(response.status).toBe(401);
    expect(response.body.data ?? null).toBeNull();
  });
});

describe("_service without a key", () => {
  it("answers with the SDL, federation keys included", async () => {
    const response = await api.server.post("{ _service { sdl } }", {}, {});

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?._service.sdl).toContain("@key");
  });
});

// one request, three mutations: each member of the union must carry the request's correlation id
const EVERY_MEMBER = `mutation ($ok: ID!, $ambiguous: ID!, $missing: ID!) {
  ok: allocateShipmentWithVirtualService(shipmentRef: $ok, virtualServiceRef: "FF_LINET-00001") { __typename ... on AllocateResult { correlationId } }
  ambiguous: allocateShipmentWithVirtualService(shipmentRef: $ambiguous, virtualServiceRef: "EVRI-00048") { __typename ... on ApiError { correlationId } }
  missing: allocateShipmentWithVirtualService(shipmentRef: $missing, virtualServiceRef: "FF_LINET-00001") { __typename ... on ApiError { correlationId } }
}`;
const MEMBERS = { ok: "AllocateResult", ambiguous: "AmbiguousReferenceError", missing: "ReferenceNotFoundError" };

describe("correlation id", () => {
  it("echoes x-correlation-id into the correlationId of AllocateResult, AmbiguousReferenceError and ReferenceNotFoundError", async () => {
    const correlationId = "c0d007b2-ff54-4e6d-b770-2298bb15e667";

    const response = await api.server.post(
      EVERY_MEMBER,
      { ok: sp(912), ambiguous: sp(915), missing: "sp_unknown" },
      { "x-api-key": DEMO_KEY, "x-correlation-id": correlationId },
    );

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      ok: { __typename: MEMBERS.ok, correlationId },
      ambiguous: { __typename: MEMBERS.ambiguous, correlationId },
      missing: { __typename: MEMBERS.missing, correlationId },
    });
  });

  it("gives every member one new UUID when the header is absent", async () => {
    // 912 may be allocated already: rule 6's AllocateResult (docs/allocation-rules.md) carries the id as well
    const response = await api.server.post(EVERY_MEMBER, { ok: sp(912), ambiguous: sp(915), missing: "sp_unknown" });

    const data = response.body.data as Record<keyof typeof MEMBERS, { __typename: string; correlationId: string }>;
    expect(data.ok).toEqual({ __typename: MEMBERS.ok, correlationId: expect.stringMatching(UUID) });
    expect(data.ambiguous).toEqual({ __typename: MEMBERS.ambiguous, correlationId: data.ok.correlationId });
    expect(data.missing).toEqual({ __typename: MEMBERS.missing, correlationId: data.ok.correlationId });
  });

  it("gives each request its own UUID", async () => {
    const first = await api.server.post(EVERY_MEMBER, { ok: sp(912), ambiguous: sp(915), missing: "sp_unknown" });
    const second = await api.server.post(EVERY_MEMBER, { ok: sp(912), ambiguous: sp(915), missing: "sp_unknown" });

    expect(first.body.data?.missing.correlationId).toMatch(UUID);
    expect(second.body.data?.missing.correlationId).toMatch(UUID);
    expect(first.body.data?.missing.correlationId).not.toBe(second.body.data?.missing.correlationId);
  });
});

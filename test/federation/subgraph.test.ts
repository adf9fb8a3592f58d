// What a router or gateway relies on, after the ideas of Apollo's subgraph compatibility suite:
// the _service SDL, @key on the entities, _entities, and ftv1 inline traces. Over real HTTP.
import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import demoDataset from "../../data/demo-dataset.json";
import { DEMO_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Shipment { reference state }
    ... on CarrierService { reference name }
    ... on ServiceGroup { reference name }
  }
}`;

const demo = { "x-api-key": DEMO_KEY };
// the shared response type leaves out extensions, where the trace travels
const extensionsOf = (body: object) => (body as { extensions?: Record<string, unknown> }).extensions;
const nameOf = (list: { reference: string; name: string }[], reference: string) => list.find((x) => x.reference === reference)!.name;

function stringArg(directive: ConstDirectiveNode, name: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg?.value.kind === Kind.STRING ? (arg.value).value : undefined;
}

function schemaLinks(sdl: DocumentNode): string[] {
  return sdl.definitions
    .flatMap((d) => (d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION ? (d.directives ?? []) : []))
    .filter((d) => d.name.value === "link")
    .map((d) => stringArg(d, "url") ?? "");
}

function keysOf(sdl: DocumentNode, typeName: string): string[] {
  return sdl.definitions
    .flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === typeName ? (d.directives ?? []) : []))
    .filter((d) => d.name.value === "key")
    .map((d) => stringArg(d, "fields") ?? "");
}

describe("federation: what a router needs from this subgraph", () => {
  let store: DemoStore;
  let server: HttpTestServer;
  let sdl: DocumentNode;

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startHttpServer(store);
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  describe("_service { sdl }", () => {
    beforeAll(async () => {
      const { status, body } = await server.post<{ _service: { sdl: string } }>("{ _service { sdl } }", {}, {});
      expect(status).toBe(200);
      sdl = parse(body.data!._service.sdl);
    });

    it("is served without an API key and links one federation spec, v2.9 or later (@cost and @listSize)", () => {
      const federationLinks = schemaLinks(sdl).filter((url) => url.startsWith("https://specs.apollo.dev/federation/"));

      expect(federationLinks).toHaveLength(1);
      const minor = Number(/^https:\/\/specs\.apollo\.dev\/federation\/v2\.(\d+)$/.exec(federationLinks[0])?.[1]);
      expect(minor).toBeGreaterThanOrEqual(9);
    });

    it.each(["Shipment", "CarrierService", "ServiceGroup"])("declares %s @key(fields: \"reference\")", (typeName) => {
      expect(keysOf(sdl, typeName)).toEqual(["reference"]);
    });
  });

  describe("_entities", () => {
    it.each([
      ["Shipment", "sp_00802615769404976542730318118912", { state: "UNALLOCATED" }],
      ["CarrierService", "FF_LINET-00001", { name: nameOf(demoDataset.carrierServices, "FF_LINET-00001") }],
      ["ServiceGroup", "NEXT_DAY", { name: nameOf(demoDataset.serviceGroups, "NEXT_DAY") }],
    ])("round-trips a %s representation: same reference out, with its fields", async (__typename, reference, fields) => {
      const { body } = await server.post(ENTITIES, { representations: [{ __typename, reference }] }, demo);

      expect(body.errors).toBeUndefined();
      expect(body.data!._entities).toEqual([{ __typename, reference, ...fields }]);
    });

    it("answers null for an unknown reference and for another account's, in the representations' order", async () => {
      const representations = [
        { __typename: "CarrierService", reference: "NO-SUCH-SERVICE" },
        { __typename: "ServiceGroup", reference: "NEXT_DAY" },
        { __typename: "Shipment", reference: "sp_00900000000000000000000000000001" },
        { __typename: "ServiceGroup", reference: "NW_ALL" },
      ];

      const { body } = await server.post(ENTITIES, { representations }, demo);

      expect(body.errors).toBeUndefined();
      expect(body.data!._entities).toEqual([null, expect.objectContaining({ reference: "NEXT_DAY" }), null, null]);
    });
  });

  describe("ftv1 inline traces", () => {
    const representations = [{ __typename: "CarrierService", reference: "FF_LINET-00001" }];
    const ASK_FOR_TRACE = { ...demo, "apollo-federation-include-trace": "ftv1" };
    // FEDERATION_TRACES=true, or ROUTER_SECRET set (test/federation/router-secret.test.ts)
    let traced: HttpTestServer;

    beforeAll(async () => {
      traced = await startHttpServer(store, { federationTraces: true });
    });
    afterAll(async () => {
      await traced?.stop();
    });

    it("are returned as a base64 trace when the request carries apollo-federation-include-trace: ftv1", async () => {
      const { body } = await traced.post(ENTITIES, { representations }, ASK_FOR_TRACE);

      const trace = extensionsOf(body)?.ftv1;
      expect(typeof trace).toBe("string");
      expect(trace).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(trace as string, "base64").length).toBeGreaterThan(0);
    });

    it("time every field: a traced _entities runs graphql-js, not the compiled executor, which no field hook sees", async () => {
      const { body } = await traced.post(ENTITIES, { representations }, ASK_FOR_TRACE);

      // the trace's nodes carry their response names as plain protobuf strings
      const nodes = Buffer.from(extensionsOf(body)?.ftv1 as string, "base64").toString("latin1");
      for (const field of ["_entities", "reference", "name"]) expect(nodes).toContain(field);
    });

    it("are absent without that header", async () => {
      const { body } = await traced.post(ENTITIES, { representations }, demo);

      expect(body.data!._entities).toHaveLength(1);
      expect(extensionsOf(body)?.ftv1).toBeUndefined();
    });

    it("are never given, whatever the header, when neither FEDERATION_TRACES nor ROUTER_SECRET is set: any client could ask", async () => {
      const { body } = await server.post(ENTITIES, { representations }, ASK_FOR_TRACE);

      expect(body.data!._entities).toHaveLength(1);
      expect(extensionsOf(body)?.ftv1).toBeUndefined();
    });
  });
});

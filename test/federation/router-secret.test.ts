// ROUTER_SECRET keeps the subgraph reachable only through the router: without the shared secret in
// router-authorization, /graphql answers 401 before anything else runs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config";
import { DEMO_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { compose, startGateway, type RunningGateway, type Subgraph } from "./gateway";
import { startShipmentsSubgraph, type RunningPeer } from "../../app/server/shipments-subgraph";

const SECRET = "s3cret-shared-with-the-router";
const SHIPMENT = `query ($r: ID!) { shipment(reference: $r) { reference state } }`;
const SHIPMENT_912 = { r: "sp_00802615769404976542730318118912" };

describe("ROUTER_SECRET configuration", () => {
  it("is read when it has at least 16 characters", () => {
    expect(loadConfig({ ROUTER_SECRET: SECRET }).routerSecret).toBe(SECRET);
  });

  it("is off when unset or empty", () => {
    expect(loadConfig({}).routerSecret).toBeUndefined();
    expect(loadConfig({ ROUTER_SECRET: "" }).routerSecret).toBeUndefined();
  });

  it("turns ftv1 traces on, since only the router reaches /graphql, unless FEDERATION_TRACES=false", () => {
    expect(loadConfig({}).federationTraces).toBe(false);
    expect(loadConfig({ ROUTER_SECRET: SECRET }).federationTraces).toBe(true);
    expect(loadConfig({ ROUTER_SECRET: SECRET, FEDERATION_TRACES: "false" }).federationTraces).toBe(false);
    expect(loadConfig({ FEDERATION_TRACES: "true" }).federationTraces).toBe(true);
  });

  it("rejects a secret shorter than 16 characters, naming the variable", () => {
    expect(() => loadConfig({ ROUTER_SECRET: "fifteen-chars!!" })).toThrow(/ROUTER_SECRET: must be at least 16 characters/);
  });
});

describe("the router secret on /graphql", () => {
  let store: DemoStore;
  let server: HttpTestServer;
  let statements: string[] = [];

  beforeAll(async () => {
    store = await openDemoPglite({ onQuery: (sql) => statements.push(sql) });
    server = await startHttpServer(store, { routerSecret: SECRET });
  });

  beforeEach(() => {
    statements = [];
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it.each([
    ["no router-authorization header", {}],
    ["a wrong secret of the same length", { "router-authorization": SECRET.replace("s3cret", "secr3t") }],
    ["a wrong secret of another length", { "router-authorization": "short" }],
    ["the secret with a prefix", { "router-authorization": `Bearer ${SECRET}` }],
  ])("refuses a request with %s: 401 UNAUTHENTICATED, no SQL run", async (_name, secretHeader: Record<string, string>) => {
    const { status, body } = await server.post(SHIPMENT, SHIPMENT_912, { "x-api-key": DEMO_KEY, ...secretHeader });

    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: "UNAUTHENTICATED", correlationId: expect.any(String) } })]);
    expect(statements).toEqual([]);
  });

  it("refuses even _service, which needs no API key, without the secret", async () => {
    const { status } = await server.post("{ _service { sdl } }", {}, {});

    expect(status).toBe(401);
  });

  it("answers a request that carries the secret", async () => {
    const { status, body } = await server.post(SHIPMENT, SHIPMENT_912, { "x-api-key": DEMO_KEY, "router-authorization": SECRET });

    expect(status).toBe(200);
    expect(body.data).toEqual({ shipment: { reference: SHIPMENT_912.r, state: "UNALLOCATED" } });
    // the statement counter works: the refusals above really ran no SQL
    expect(statements.length).toBeGreaterThan(0);
  });

  it("leaves /health open", async () => {
    const response = await fetch(server.url.replace(/\/graphql$/, "/health"));

    expect(response.status).toBe(200);
  });
});

describe("a gateway in front of a subgraph with a router secret", () => {
  let store: DemoStore;
  let allocation: HttpTestServer;
  let peer: RunningPeer;
  let subgraphs: Subgraph[];
  let withSecret: RunningGateway;
  let withoutSecret: RunningGateway;
  const demo = { "x-api-key": DEMO_KEY };

  beforeAll(async () => {
    store = await openDemoPglite();
    allocation = await startHttpServer(store, { routerSecret: SECRET });
    peer = await startShipmentsSubgraph();
    subgraphs = [
      { name: "allocation", url: allocation.url },
      { name: "shipments", url: peer.url },
    ];
    withSecret = await startGateway(subgraphs, { routerSecret: SECRET });
    const { supergraphSdl } = await compose(subgraphs, { routerSecret: SECRET });
    withoutSecret = await startGateway(subgraphs, { supergraphSdl });
  });

  afterAll(async () => {
    await withSecret?.stop();
    await withoutSecret?.stop();
    await peer?.stop();
    await allocation?.stop();
    await store?.close();
  });

  it("composes only with the secret: the subgraph's SDL is refused with 401 without it", async () => {
    await expect(compose(subgraphs)).rejects.toThrow(/HTTP 401/);
  });

  it("answers through a gateway that forwards the secret", async () => {
    const { status, body } = await withSecret.post(SHIPMENT, SHIPMENT_912, demo);

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ shipment: { reference: SHIPMENT_912.r, state: "UNALLOCATED" } });
  });

  it("gets the subgraph's 401 through a gateway that does not forward it", async () => {
    const { body } = await withoutSecret.post(SHIPMENT, SHIPMENT_912, demo);

    expect(body.data).toEqual({ shipment: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "UNAUTHENTICATED", response: expect.objectContaining({ status: 401 }) }),
      }),
    ]);
  });
});

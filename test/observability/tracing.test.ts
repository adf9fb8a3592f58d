// Traces across the supergraph: a provider with an in-memory exporter, registered for this file's
// process as startTracing registers the OTLP one; @apollo/gateway's own spans go to it too.
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startShipmentsSubgraph, type RunningPeer } from "../../app/server/shipments-subgraph";
import { startGateway, type RunningGateway } from "../federation/gateway";
import { DEMO_KEY } from "../support/server";
import { describeStores, openDemoPglite, type DemoStore } from "../support/stores";
import { startObservedServer, type ObservedServer } from "./harness";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const tracer = provider.getTracer("allocation-subgraph");
type ReadableSpan = ReturnType<InMemorySpanExporter["getFinishedSpans"]>[number];

const ALLOCATE = `mutation Allocate($s: ID!, $r: ID!) {
  result: allocateShipmentWithVirtualService(shipmentRef: $s, virtualServiceRef: $r) { __typename ... on AllocateResult { state } }
}`;
const sp = (n: number) => `sp_00802615769404976542730318118${n}`;

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;

// spans end as responses close, a little after the client has its answer
async function spansWhere(done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  return vi.waitFor(() => {
    const spans = exporter.getFinishedSpans();
    if (!done(spans)) throw new Error(`not yet: ${spans.map((s) => s.name).join(", ")}`);
    return spans;
  });
}

function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [idOf(s), s]));
  const names: string[] = [];
  for (let at: ReadableSpan | undefined = span; at; at = byId.get(parentOf(at) ?? "")) names.push(at.name);
  return names;
}

afterAll(() => provider.shutdown());

describeStores("one trace from the gateway's request to the subgraph's SQL", (open) => {
  let store: DemoStore;
  let server: ObservedServer;
  let peer: RunningPeer;
  let gateway: RunningGateway;
  beforeAll(async () => {
    store = await open({ tracing: true });
    server = await startObservedServer(store, { tracer });
    peer = await startShipmentsSubgraph();
    gateway = await startGateway([
      { name: "allocation", url: server.url },
      { name: "shipments", url: peer.url },
    ]);
  });
  afterAll(async () => {
    await gateway?.stop();
    await peer?.stop();
    await server?.stop();
    await store?.dropDatabase();
  });
  beforeEach(() => exporter.reset());

  it("links the gateway's fetch, the subgraph's HTTP, GraphQL, allocation and SQL spans in one trace", async () => {
    // Act
    const { body } = await gateway.post(ALLOCATE, { s: sp(913), r: "DPD-00012" }, { "x-api-key": DEMO_KEY });
    const spans = await spansWhere((all) => all.some((s) => s.name === "POST /graphql") && all.some((s) => s.name === "gateway.request"));

    // Assert
    expect(body.data?.result).toEqual({ __typename: "AllocateResult", state: "ALLOCATED" });
    const request = spans.find((s) => s.name === "gateway.request")!;
    const fetch = spans.find((s) => s.name === "gateway.fetch")!;
    const http = spans.find((s) => s.name === "POST /graphql")!;
    // the gateway names the operation it sends to a subgraph after the client's: Allocate__allocation__0
    const operation = spans.find((s) => s.attributes["graphql.operation.type"] === "mutation")!;
    const allocation = spans.find((s) => s.name === "allocation")!;
    const sql = spans.filter((s) => s.attributes["db.system.name"] === "postgresql");
    expect(new Set(spans.map(traceOf))).toEqual(new Set([traceOf(request)]));
    expect(parentOf(request)).toBeUndefined();
    expect(parentOf(http)).toBe(idOf(fetch));
    expect(http).toMatchObject({
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": "POST", "http.route": "/graphql", "url.path": "/graphql", "http.response.status_code": 200 },
    });
    expect(parentOf(operation)).toBe(idOf(http));
    expect(operation.name).toMatch(/^mutation Allocate__allocation__\d+$/);
    expect(operation.attributes["graphql.operation.name"]).toBe(operation.name.slice("mutation ".length));
    expect(parentOf(allocation)).toBe(idOf(operation));
    expect(allocation.attributes).toMatchObject({ "allocation.decision": "allocate", "allocation.carrier_service": "DPD-00012", "allocation.state": "allocated" });
    // every statement of the request, the API-key lookup to the allocation's write, under the operation
    expect(sql.length).toBeGreaterThan(3);
    for (const statement of sql) {
      expect(statement.kind).toBe(SpanKind.CLIENT);
      expect(ancestry(statement, spans)).toEqual(expect.arrayContaining([operation.name, "POST /graphql", "gateway.fetch", "gateway.request"]));
    }
    // the allocation's write, one call of its function (migration 0004), named by operation and function
    const written = sql.filter((s) => parentOf(s) === idOf(allocation));
    expect(written.map((s) => s.name)).toContain("SELECT allocate_shipment");
    expect(written.every((s) => typeof s.attributes["db.query.text"] === "string" && !String(s.attributes["db.query.text"]).includes(sp(913)))).toBe(true);
  });

  it("writes the trace id in the request's log line", async () => {
    await gateway.post(ALLOCATE, { s: sp(914), r: "NOPE-1" }, { "x-api-key": DEMO_KEY, "x-correlation-id": "traced-log" });
    const spans = await spansWhere((all) => all.some((s) => s.name === "gateway.request"));

    const line = server.logs.find((l) => l.msg === "graphql request" && l.correlationId === "traced-log");
    const operation = spans.find((s) => s.attributes["graphql.operation.type"] === "mutation")!;
    expect(line).toMatchObject({ traceId: traceOf(spans.find((s) => s.name === "gateway.request")!), spanId: idOf(operation) });
  });
});

describe("a request that carries a traceparent", () => {
  let store: DemoStore;
  let server: ObservedServer;
  beforeAll(async () => {
    store = await openDemoPglite({ tracing: true });
    server = await startObservedServer(store, { tracer });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });
  beforeEach(() => exporter.reset());

  it("continues the caller's trace: same trace id, the header's span as parent, the trace id in the log line", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpanId = "00f067aa0ba902b7";
    const headers = { "x-api-key": DEMO_KEY, "x-correlation-id": "traceparent-1", traceparent: `00-${traceId}-${callerSpanId}-01` };

    await server.post(`query Lists { carrierServices { reference } }`, {}, headers);
    const spans = await spansWhere((all) => all.some((s) => s.name === "POST /graphql"));

    const http = spans.find((s) => s.name === "POST /graphql")!;
    expect(traceOf(http)).toBe(traceId);
    expect(parentOf(http)).toBe(callerSpanId);
    expect(spans.every((s) => traceOf(s) === traceId)).toBe(true);
    expect(spans.find((s) => s.name === "query Lists")).toBeDefined();
    expect(server.logs.find((l) => l.correlationId === "traceparent-1")).toMatchObject({ traceId });
  });

  it("records nothing for a trace its caller did not sample", async () => {
    const headers = { "x-api-key": DEMO_KEY, traceparent: "00-5bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b8-00" };

    const response = await server.post(`query Unsampled { carrierServices { reference } }`, {}, headers);
    await server.post(`query Sampled { carrierServices { reference } }`, {}, { "x-api-key": DEMO_KEY });
    const spans = await spansWhere((all) => all.some((s) => s.name === "query Sampled"));

    expect(response.status).toBe(200);
    expect(spans.filter((s) => traceOf(s) === "5bf92f3577b34da6a3ce929d0e0e4737")).toEqual([]);
  });

  it("starts a trace of its own without one", async () => {
    await server.post(`{ carrierServices { reference } }`, {}, { "x-api-key": DEMO_KEY });
    const spans = await spansWhere((all) => all.some((s) => s.name === "POST /graphql"));

    const http = spans.find((s) => s.name === "POST /graphql")!;
    expect(parentOf(http)).toBeUndefined();
    expect(spans.find((s) => s.name === "query")!.attributes["graphql.operation.type"]).toBe("query");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config";
import { createMetrics, type Metrics } from "../../src/observability/metrics";
import { openPostgresStore, type Store } from "../../src/store/store";
import { allocateMutation, sp } from "../api/api";
import { DEMO_KEY } from "../support/server";
import { describeOnPostgres, openDemoPglite } from "../support/stores";
import { startObservedServer, type ObservedServer } from "./harness";

// nothing listens on port 1: every connection is refused at once
const UNREACHABLE_URL = "postgres://postgres@127.0.0.1:1/none";

describe("request log", () => {
  let store: Store;
  let server: ObservedServer;
  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startObservedServer(store);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });
  const requestLines = () => server.logs.filter((line) => line.msg === "graphql request");

  it("writes one JSON line per request with correlation id, account, operation name, outcome and duration", async () => {
    const query = allocateMutation("virtual").replace("mutation (", "mutation Allocate(");

    await server.post(query, { shipmentRef: sp(912), ref: "FF_LINET-00001" }, { "x-api-key": DEMO_KEY, "x-correlation-id": "corr-log-1" });

    const lines = requestLines().filter((line) => line.correlationId === "corr-log-1");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      account: "demo",
      operationName: "Allocate",
      operation: "allocateShipmentWithVirtualService",
      outcome: "AllocateResult",
    });
    expect(lines[0].durationMs).toEqual(expect.any(Number));
  });

  it("logs the __typename of a result that is an error member", async () => {
    await server.post(allocateMutation("carrierService"), { shipmentRef: sp(913), ref: "NO-SUCH-SERVICE" }, {
      "x-api-key": DEMO_KEY,
      "x-correlation-id": "corr-log-2",
    });

    expect(requestLines().find((line) => line.correlationId === "corr-log-2")).toMatchObject({
      outcome: "ReferenceNotFoundError",
      operationName: null,
    });
  });

  it('logs a router\'s _entities fetch as "ok": the entity types are not an outcome (no field hook on it)', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { reference } } }`;

    await server.post(query, { r: [{ __typename: "Shipment", reference: sp(912) }] }, { "x-api-key": DEMO_KEY, "x-correlation-id": "corr-log-4" });

    expect(requestLines().find((line) => line.correlationId === "corr-log-4")).toMatchObject({ operation: "_entities", outcome: "ok" });
  });

  it('logs "error" and the error code when the request is refused, without the key', async () => {
    await server.post(allocateMutation("virtual"), { shipmentRef: sp(913), ref: "FF_LINET-00001" }, {
      "x-api-key": "not-a-key",
      "x-correlation-id": "corr-log-3",
    });

    const line = requestLines().find((l) => l.correlationId === "corr-log-3");
    expect(line).toMatchObject({ outcome: "error", account: null, errorCodes: ["UNAUTHENTICATED"] });
    expect(JSON.stringify(server.logs)).not.toContain("not-a-key");
  });
});

describe("request log and metrics of a batch", () => {
  let metrics: Metrics;
  let store: Store;
  let server: ObservedServer;
  beforeAll(async () => {
    metrics = createMetrics();
    store = await openDemoPglite();
    server = await startObservedServer(store, { metrics });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it("logs how many items had each outcome and counts every item in allocations_total", async () => {
    const items = [
      { shipmentRef: sp(912), virtualServiceRef: "FF_LINET-00001" },
      { shipmentRef: sp(913), virtualServiceRef: "NO-SUCH-SERVICE" },
      { shipmentRef: sp(914), virtualServiceRef: "NEXT_DAY" },
    ];
    const query = `mutation Wave($items: [AllocateShipmentInput!]!) { allocateShipments(items: $items) { __typename } }`;

    const response = await server.post(query, { items }, { "x-api-key": DEMO_KEY, "x-correlation-id": "corr-batch-log" });

    expect(response.status).toBe(200);
    expect(response.body.data?.allocateShipments).toHaveLength(3);
    const line = server.logs.find((l) => l.msg === "graphql request" && l.correlationId === "corr-batch-log");
    expect(line).toMatchObject({ operation: "allocateShipments", outcome: "AllocateResult×2,ReferenceNotFoundError×1" });
    const text = (await server.scrape()).text;
    expect(text).toContain('allocations_total{mutation="allocateShipments",outcome="AllocateResult"} 2');
    expect(text).toContain('allocations_total{mutation="allocateShipments",outcome="ReferenceNotFoundError"} 1');
    expect(text).toContain('allocation_duration_seconds_count{mutation="allocateShipments"} 1');
  });
});

describe("readiness", () => {
  it("answers 200 ready while the store answers", async () => {
    const store = await openDemoPglite();
    const server = await startObservedServer(store);
    try {
      const response = await server.get("/ready");

      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ status: "ready" });
    } finally {
      await server.stop();
      await store.close();
    }
  });

  it("answers 503 unavailable once shutdown has begun, while /health still answers 200", async () => {
    const store = await openDemoPglite();
    const server = await startObservedServer(store);
    try {
      server.readiness.beginShutdown();

      const ready = await server.get("/ready");
      const health = await server.get("/health");

      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({ status: "unavailable" });
      expect(health.status).toBe(200);
    } finally {
      await server.stop();
      await store.close();
    }
  });

  it("answers 503 when the store cannot be reached", async () => {
    const store = openPostgresStore(UNREACHABLE_URL);
    const server = await startObservedServer(store);
    try {
      const response = await server.get("/ready");

      expect(response.status).toBe(503);
      expect(JSON.parse(response.text)).toEqual({ status: "unavailable" });
    } finally {
      await server.stop();
      await store.close();
    }
  });
});

describe("store outage answer", () => {
  it("answers 503 SERVICE_UNAVAILABLE, Retry-After 1, with a clear GraphQL error when the store cannot be reached", async () => {
    const store = openPostgresStore(UNREACHABLE_URL);
    const server = await startObservedServer(store, { config: { production: true } });
    try {
      const response = await server.post(allocateMutation("virtual"), { shipmentRef: sp(912), ref: "FF_LINET-00001" });

      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0]).toMatchObject({
        message: expect.stringMatching(/temporarily unavailable/),
        extensions: { code: "SERVICE_UNAVAILABLE" },
      });
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stacktrace/);
    } finally {
      await server.stop();
      await store.close();
    }
  });
});

describe("metrics configuration", () => {
  it("reads METRICS_PORT, unset by default, and refuses the public port", () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: "9464" }).metricsPort).toBe(9464);
    expect(() => loadConfig({ PORT: "4001", METRICS_PORT: "4001" })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: "http" })).toThrow(/METRICS_PORT/);
  });
});

describe("metrics", () => {
  let metrics: Metrics;
  let store: Store;
  let server: ObservedServer;
  beforeAll(async () => {
    metrics = createMetrics();
    store = await openDemoPglite({ onQuery: metrics.onQuery });
    server = await startObservedServer(store, { metrics });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it("exposes requests by operation and outcome, allocation latency, SQL queries and pool gauges after a request", async () => {
    await server.post(allocateMutation("serviceGroup"), { shipmentRef: sp(914), ref: "NEXT_DAY" });

    const response = await server.scrape();

    expect(response.status).toBe(200);
    expect(response.text).toContain('graphql_requests_total{operation="allocateShipmentWithServiceGroup",outcome="ok"} 1');
    expect(response.text).toContain('allocations_total{mutation="allocateShipmentWithServiceGroup",outcome="AllocateResult"} 1');
    expect(response.text).toContain('allocation_duration_seconds_count{mutation="allocateShipmentWithServiceGroup"} 1');
    expect(sqlQueries(response.text)).toBeGreaterThan(0);
    for (const name of ["db_pool_connections", "db_pool_idle_connections", "db_pool_waiting_clients"]) {
      expect(response.text).toContain(`# TYPE ${name} gauge`);
    }
  });

  it("are not served on the public port", async () => {
    const response = await server.get("/metrics");

    expect(response.status).toBe(404);
    expect(response.text).not.toContain("graphql_requests_total");
  });

  it("are served nowhere when METRICS_PORT is unset", async () => {
    const unset = await startObservedServer(store, { config: { metricsPort: undefined } });
    try {
      expect(unset.metricsUrl).toBeUndefined();
      expect((await unset.get("/metrics")).status).toBe(404);
    } finally {
      await unset.stop();
    }
  });

  it("keeps each server's metrics apart", async () => {
    const other = await startObservedServer(store);
    try {
      const response = await other.scrape();

      expect(response.text).not.toContain("allocateShipmentWithServiceGroup");
    } finally {
      await other.stop();
    }
  });
});

describeOnPostgres("pool metrics", (open) => {
  it("reports the PostgreSQL pool's connections", async () => {
    const metrics = createMetrics();
    const store = await open({ onQuery: metrics.onQuery });
    const server = await startObservedServer(store, { metrics });
    try {
      await server.post(allocateMutation("virtual"), { shipmentRef: sp(912), ref: "FF_LINET-00001" });

      const text = (await server.scrape()).text;

      expect(gauge(text, "db_pool_connections")).toBeGreaterThanOrEqual(1);
      expect(gauge(text, "db_pool_waiting_clients")).toBe(0);
    } finally {
      await server.stop();
      await store.dropDatabase();
    }
  });
});

function sqlQueries(text: string): number {
  return gauge(text, "sql_queries_total");
}

function gauge(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, "m").exec(text);
  if (!match) throw new Error(`${name} is not in the metrics`);
  return Number(match[1]);
}

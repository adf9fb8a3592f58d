// Tracing as main.ts sets it up from the environment: nothing without OTEL_EXPORTER_OTLP_ENDPOINT,
// OTLP/HTTP export to it with. In this order: the second test registers the process's provider.
import { context, ProxyTracerProvider, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config";
import { startServer } from "../../src/http/server";
import { startTracing } from "../../src/observability/tracing";
import { DEMO_KEY, testConfig } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { postGraphQL } from "./harness";

interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
}

// a stand-in OpenTelemetry collector: what it was sent
async function startCollector(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", contentType: req.headers["content-type"], body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("tracing configuration", () => {
  let store: DemoStore;
  beforeAll(async () => {
    store = await openDemoPglite();
  });
  afterAll(() => store?.close());

  it("reads the OTLP endpoint and service name once, the standard way", () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).tracing).toEqual({
      tracesUrl: "http://collector:4318/v1/traces",
      serviceName: "allocation-subgraph",
    });
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:4318/traces", OTEL_SERVICE_NAME: "alloc-eu" }).tracing,
    ).toEqual({ tracesUrl: "http://b:4318/traces", serviceName: "alloc-eu" });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_SDK_DISABLED: "true" }).tracing).toBeUndefined();
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it("without an endpoint: no provider, no exporter, no context manager, and requests are served untraced", async () => {
    const config = testConfig();

    const tracing = await startTracing(config.tracing);
    const server = await startServer(store, config, 0, { tracer: tracing?.tracer });
    const response = await postGraphQL(server.url, `{ carrierServices { reference } }`, {}, { "x-api-key": DEMO_KEY, traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    await server.stop();

    expect(response.status).toBe(200);
    expect(tracing).toBeUndefined();
    // the API's no-op defaults are still in place: nothing was registered
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate().constructor.name).toBe("NoopTracerProvider");
    expect(context.with(trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: "1".repeat(32), spanId: "1".repeat(16), traceFlags: 1 })), () => context.active())).toBe(ROOT_CONTEXT);
  });

  it("with OTEL_EXPORTER_OTLP_ENDPOINT: the request's spans are sent to <endpoint>/v1/traces with the service name", async () => {
    const collector = await startCollector();
    const config = testConfig({ tracing: loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }).tracing });
    const tracing = await startTracing(config.tracing);
    const tracedStore = await openDemoPglite({ tracing: true });
    const server = await startServer(tracedStore, config, 0, { tracer: tracing!.tracer });

    try {
      await postGraphQL(server.url, `query Lists { carrierServices { reference } }`, {}, { "x-api-key": DEMO_KEY });
      await server.stop();
      // what main.ts does on SIGTERM: the batch is flushed
      await tracing!.shutdown();
    } finally {
      await tracedStore.close();
      await collector.close();
    }

    const traces = collector.received.filter((r) => r.path === "/v1/traces");
    expect(traces.length).toBeGreaterThan(0);
    const body = traces.map((r) => r.body).join("\n");
    expect(body).toContain('"service.name"');
    expect(body).toContain("allocation-subgraph");
    for (const name of ["POST /graphql", "query Lists", "SELECT carrier_services"]) expect(body).toContain(`"name":"${name}"`);
  });
});

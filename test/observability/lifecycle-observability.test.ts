// The request log and the metrics name the preview, the quote allocation and the deallocation,
// with the outcome (__typename) of each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/observability/metrics";
import type { Store } from "../../src/store/store";
import { sp } from "../api/api";
import { ALLOCATE_WITH_QUOTE, DEALLOCATE, PREVIEW } from "../api/lifecycle";
import { DEMO_KEY } from "../support/server";
import { openDemoPglite } from "../support/stores";
import { startObservedServer, type ObservedServer } from "./harness";

describe("the request log and the metrics of the preview, quote and deallocation operations", () => {
  let store: Store;
  let server: ObservedServer;
  const as = (correlationId: string) => ({ "x-api-key": DEMO_KEY, "x-correlation-id": correlationId });
  const line = (correlationId: string) => server.logs.find((l) => l.msg === "graphql request" && l.correlationId === correlationId);

  beforeAll(async () => {
    const metrics = createMetrics();
    store = await openDemoPglite({ onQuery: metrics.onQuery });
    server = await startObservedServer(store, { metrics });
    // Arrange + Act: one of each, and a refused quote
    const preview = await server.post(PREVIEW, { shipmentRef: sp(913), ref: "UK_ECONOMY" }, as("obs-preview"));
    await server.post(ALLOCATE_WITH_QUOTE, { shipmentRef: sp(913), quoteRef: preview.body.data!.result.quote.reference }, as("obs-quote"));
    await server.post(ALLOCATE_WITH_QUOTE, { shipmentRef: sp(913), quoteRef: "NOT-A-QUOTE" }, as("obs-bad-quote"));
    await server.post(DEALLOCATE, { shipmentRef: sp(913), reason: "observed" }, as("obs-deallocate"));
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it("logs each operation's root field and the __typename of its result", () => {
    expect(line("obs-preview")).toMatchObject({ operation: "previewAllocationWithVirtualService", outcome: "AllocationPreview", account: "demo" });
    expect(line("obs-quote")).toMatchObject({ operation: "allocateShipmentWithQuote", outcome: "AllocateResult" });
    expect(line("obs-bad-quote")).toMatchObject({ operation: "allocateShipmentWithQuote", outcome: "ReferenceNotFoundError" });
    expect(line("obs-deallocate")).toMatchObject({ operation: "deallocateShipment", outcome: "DeallocateResult" });
  });

  it("counts the requests by operation, and the two mutations by outcome with their latency", async () => {
    const text = (await server.scrape()).text;

    expect(text).toContain('graphql_requests_total{operation="previewAllocationWithVirtualService",outcome="ok"} 1');
    expect(text).toContain('graphql_requests_total{operation="allocateShipmentWithQuote",outcome="ok"} 2');
    expect(text).toContain('graphql_requests_total{operation="deallocateShipment",outcome="ok"} 1');
    expect(text).toContain('allocations_total{mutation="allocateShipmentWithQuote",outcome="AllocateResult"} 1');
    expect(text).toContain('allocations_total{mutation="allocateShipmentWithQuote",outcome="ReferenceNotFoundError"} 1');
    expect(text).toContain('allocations_total{mutation="deallocateShipment",outcome="DeallocateResult"} 1');
    expect(text).toContain('allocation_duration_seconds_count{mutation="deallocateShipment"} 1');
    // a query allocates nothing: the preview is not an allocation
    expect(text).not.toMatch(/allocations_total\{mutation="previewAllocationWithVirtualService"/);
  });
});

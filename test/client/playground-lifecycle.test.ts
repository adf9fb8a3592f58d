// The Playground opens with the preview → quote → allocate → deallocate → reallocate flow in tabs
// beside the documented example, and those tabs work as a session on the demo data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIFECYCLE_TABS } from "../../src/http/playground/lifecycle-tabs";
import { createOperationRunner, startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const [preview, allocate, deallocate, history] = LIFECYCLE_TABS;

describe("the Playground's lifecycle tabs", () => {
  let store: DemoStore;
  let server: HttpTestServer;
  let runner: Awaited<ReturnType<typeof createOperationRunner>>;
  const run = async (tab: (typeof LIFECYCLE_TABS)[number], variables = tab.variables) => {
    const response = await runner.run(tab.query, variables);
    expect(response.errors).toBeUndefined();
    return Object.values(response.data!)[0];
  };

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startHttpServer(store, { playground: true });
    runner = await createOperationRunner(store);
  });
  afterAll(async () => {
    await runner?.stop();
    await server?.stop();
    await store?.close();
  });

  it("follow the documented example's tab on the page, in order, with the demo key", async () => {
    const html = await (await fetch(server.url, { headers: { accept: "text/html" } })).text();

    const positions = ["Allocate (documented example)", ...LIFECYCLE_TABS.map((tab) => tab.name)].map((name) => html.indexOf(name));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const field of ["previewAllocationWithVirtualService", "allocateShipmentWithQuote", "deallocateShipment", "allocationHistory"]) {
      expect(html).toContain(field);
    }
  });

  it("run as a session: preview, allocate with the quote, deallocate, allocate again with it, history", async () => {
    // Act: the user pastes the quote's reference into tab 2's variables
    const previewed = await run(preview);
    const quoteRef = previewed.quote.reference;
    const first = await run(allocate, { ...allocate.variables, quoteRef });
    const undone = await run(deallocate);
    const again = await run(allocate, { ...allocate.variables, quoteRef });
    const shipment = await run(history);

    // Assert
    expect(previewed).toMatchObject({ allocatable: true, quote: { carrier: { serviceReference: "EVRI-00048" }, price: { gross: "3.35" } } });
    expect(first).toMatchObject({ state: "ALLOCATED", price: { gross: "3.35" } });
    expect(undone).toMatchObject({ state: "UNALLOCATED", details: [] });
    expect(again).toMatchObject({ state: "ALLOCATED", price: { gross: "3.35" } });
    const tracking = (result: any) => result.trackingDetails.shipment.trackingReferences;
    expect(tracking(again)).not.toEqual(tracking(first));
    expect(shipment.allocationHistory.map((a: any) => [tracking(a), a.deallocationReason])).toEqual([
      [tracking(again), null],
      [tracking(first), "Demo: allocated by mistake"],
    ]);
  });
});

// The client's preview, quote, deallocation and history operations (schema/operations) stay inside
// the request limits of a production server.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREVIEW } from "../api/lifecycle";
import { startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const OPERATIONS = path.resolve(__dirname, "../../schema/operations");
// every file: the operations use fragments from the others
const document = readdirSync(OPERATIONS)
  .map((file) => readFileSync(path.join(OPERATIONS, file), "utf8"))
  .join("\n");
const SHIPMENT = "sp_00802615769404976542730318118913";

describe("request limits and the preview, quote and deallocation operations", () => {
  let store: DemoStore;
  let server: HttpTestServer;

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startHttpServer(store, { production: true });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dropDatabase();
  });

  it("let the client's operations through", async () => {
    const quote = (await server.post(PREVIEW, { shipmentRef: SHIPMENT, ref: "UK_ECONOMY" })).body.data!.result.quote;
    const runs: [string, Record<string, unknown>][] = [
      ["PreviewAllocationWithVirtualService", { shipmentRef: SHIPMENT, virtualServiceRef: "UK_ECONOMY" }],
      ["AllocateShipmentWithQuote", { shipmentRef: SHIPMENT, quoteRef: quote.reference, idempotencyKey: "limits-1" }],
      ["DeallocateShipment", { shipmentRef: SHIPMENT, reason: "x".repeat(500), idempotencyKey: "limits-2" }],
      ["ShipmentAllocationHistory", { reference: SHIPMENT }],
    ];

    for (const [operationName, variables] of runs) {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "demo-api-key" },
        body: JSON.stringify({ query: document, operationName, variables }),
      });
      const body = (await response.json()) as { errors?: unknown };
      expect({ operationName, status: response.status, errors: body.errors }).toEqual({ operationName, status: 200, errors: undefined });
    }
  });
});

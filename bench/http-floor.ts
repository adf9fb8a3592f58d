// The HTTP floor: the minimal ceiling's two statements behind a bare node:http server, answering the
// documented result's JSON. No GraphQL, no engine, no express: what any HTTP service that allocates
// pays on this machine, loaded by the same autocannon as the subgraph, on the same core.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { readBody } from "./baseline";
import { allocateMinimal, readCatalogue } from "./sql-allocation";
import { DEMO_KEY } from "./dataset";

// the documented selection's fields, filled from the inserted row
function answer(reference: string, row: Record<string, unknown>) {
  const tracking = row.tracking_references as string[];
  return {
    data: {
      allocateShipmentWithVirtualService: {
        __typename: "AllocateResult",
        shipmentReference: reference,
        state: "ALLOCATED",
        message: `Shipment ${reference} allocated`,
        correlationId: null,
        price: { net: row.net, gross: row.gross, taxes: row.taxes, currency: row.currency },
        carrier: { reference: row.carrier_reference, name: row.carrier_name, serviceReference: row.carrier_service_reference, serviceName: row.service_name },
        trackingDetails: { shipment: { reference, trackingReferences: tracking }, contents: [] },
        links: ["pdf", "zpl"].map((type) => ({ href: `/labels/${reference}/${type}`, rel: "label", reference, type })),
        details: [],
        excludedServices: [],
      },
    },
  };
}

export async function startHttpFloor(pool: pg.Pool): Promise<{ port: number }> {
  const catalogue = await readCatalogue(pool);
  const server = http.createServer((req, res) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    void (async () => {
      const { variables } = JSON.parse(await readBody(req)) as { variables: { shipmentRef: string } };
      // the key's account from memory, as the subgraph's cache serves it
      if (req.headers["x-api-key"] !== DEMO_KEY) return send(401, { errors: [{ message: "A valid x-api-key header is required" }] });
      send(200, answer(variables.shipmentRef, await allocateMinimal(pool, catalogue, variables.shipmentRef)));
    })().catch((error: unknown) => send(500, { errors: [{ message: String(error) }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port };
}

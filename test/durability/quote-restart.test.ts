// Rule numbers: docs/allocation-rules.md
// Rule 15: a quote survives a restart. Two lives of the built service, as `npm start` runs it, on
// one DATA_DIR (the embedded store): the second process verifies what the first one issued.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALLOCATE_WITH_QUOTE, PREVIEW } from "../api/lifecycle";
import { postGraphQL } from "../observability/harness";
import { buildService, startService, type ServiceProcess } from "../support/service-process";

const SHIPMENT = "sp_00802615769404976542730318118913";

describe("a quote across a restart of the service", () => {
  let build: Awaited<ReturnType<typeof buildService>>;
  let dataDir: string;
  let service: ServiceProcess | undefined;
  let quote: { reference: string; price: unknown; carrierService: unknown };

  // no DATABASE_URL: the embedded store in DATA_DIR, seeded with the demo data on the first start
  const start = async () => (service = await startService(build.main, "", { DATA_DIR: dataDir }));
  const stop = async () => {
    service?.child.kill("SIGTERM");
    await service?.exited;
    service = undefined;
  };

  beforeAll(async () => {
    [build, dataDir] = await Promise.all([buildService("quote-restart"), mkdtemp(path.join(tmpdir(), "alloc-quote-restart-"))]);
    const firstLife = await start();
    quote = (await postGraphQL(`${firstLife.origin}/graphql`, PREVIEW, { shipmentRef: SHIPMENT, ref: "UK_ECONOMY" })).body.data!.result.quote;
    await stop();
  });
  afterAll(async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
    build?.remove();
  });

  it("is allocated by the next process on the same store, at the quoted price", async () => {
    const secondLife = await start();

    const response = await postGraphQL(`${secondLife.origin}/graphql`, ALLOCATE_WITH_QUOTE, { shipmentRef: SHIPMENT, quoteRef: quote.reference });

    expect(response.body.data!.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", price: quote.price, carrierService: quote.carrierService });
  });
});

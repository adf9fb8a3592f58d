import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { openPostgresStore, type Store } from "../../src/store/store";
import { addToDemo, ffLinetServices, onDemandShipments } from "../batching/datasets";
import { startHttpServer, type HttpTestServer } from "../support/server";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";

const ALLOCATE = `mutation ($shipmentRef: ID!, $ref: ID!) {
  allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $ref) {
    __typename
    ... on AllocateResult { state details { code } trackingDetails { shipment { trackingReferences } } }
    ... on ApiError { code }
  }
}`;

interface Outcome {
  __typename: string;
  state?: string;
  details?: { code: string }[];
  trackingDetails?: { shipment: { trackingReferences: string[] } } | null;
  code?: string;
}

const RACERS = 50;

// Two service processes, as in production: two servers, each with its own pool, on one database.
describeOnPostgres("concurrent allocation across two servers", (open) => {
  let first: PostgresDemoStore;
  let second: Store;
  let servers: HttpTestServer[];

  beforeAll(async () => {
    first = await open();
    second = openPostgresStore(first.databaseUrl);
    servers = [await startHttpServer(first), await startHttpServer(second)];
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await second.close();
    await first.dropDatabase();
  });

  // request i goes to server i mod 2
  function allocate(shipmentRef: string, ref: string, i: number) {
    return servers[i % servers.length].post<{ allocateShipmentWithVirtualService: Outcome }>(ALLOCATE, { shipmentRef, ref });
  }

  async function race(shipmentRef: string, ref: string) {
    const responses = await Promise.all(Array.from({ length: RACERS }, (_, i) => allocate(shipmentRef, ref, i)));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }
    const outcomes = responses.map((r) => r.body.data!.allocateShipmentWithVirtualService);
    const rows = await first.db
      .selectFrom("allocations as a")
      .innerJoin("shipments as s", "s.id", "a.shipment_id")
      .select("a.tracking_references")
      .where("s.reference", "=", shipmentRef)
      .execute();
    return { outcomes, rows };
  }

  function expectOneWinner(outcomes: Outcome[]) {
    const winners = outcomes.filter((o) => o.state === "ALLOCATED" && o.details?.length === 0);
    const losers = outcomes.filter((o) => o.details?.[0]?.code === "shipment_invalid_state");
    expect(outcomes.every((o) => o.__typename === "AllocateResult")).toBe(true);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(RACERS - 1);
    return winners[0];
  }

  describe("one shipment, many requests", () => {
    it(`${RACERS} concurrent allocations to a carrier service: one winner, one allocation row, one tracking number drawn`, async () => {
      const start = await nextTrackingNumber(first, "tracking_FF_LINET");

      const { outcomes, rows } = await race("sp_00802615769404976542730318118912", "FF_LINET-00001");

      const winner = expectOneWinner(outcomes);
      expect(rows).toHaveLength(1);
      expect(rows[0].tracking_references).toEqual(winner.trackingDetails?.shipment.trackingReferences);
      // the losers' statements claimed nothing, so none of them drew a number
      expect(await nextTrackingNumber(first, "tracking_FF_LINET")).toBe(start + 1n);
    });

    it(`${RACERS} concurrent allocations through a service group: one winner, one allocation row`, async () => {
      const { outcomes, rows } = await race("sp_00802615769404976542730318118913", "NEXT_DAY");

      const winner = expectOneWinner(outcomes);
      expect(rows).toHaveLength(1);
      expect(rows[0].tracking_references).toEqual(winner.trackingDetails?.shipment.trackingReferences);
    });
  });

  describe("tracking references", () => {
    const COUNT = 200;
    const PARALLEL = 20;

    it(`are distinct and from the carrier's range across ${COUNT} concurrent allocations`, async () => {
      const shipments = onDemandShipments("sp_many", COUNT).map((s) => s.reference);
      const extra = ffLinetServices("MANY", 1);
      const services = ["FF_LINET-00001", extra[0].reference];
      await importDataset(first, addToDemo({ carrierServices: extra, shipments: onDemandShipments("sp_many", COUNT) }));
      const start = await nextTrackingNumber(first, "tracking_FF_LINET");

      const outcomes: Outcome[] = [];
      // bounded: PARALLEL requests in flight, alternating servers and services
      for (let from = 0; from < COUNT; from += PARALLEL) {
        const batch = shipments.slice(from, from + PARALLEL).map((ref, j) => {
          const i = from + j;
          return allocate(ref, services[i % 2], i);
        });
        for (const response of await Promise.all(batch)) {
          expect(response.status).toBe(200);
          outcomes.push(response.body.data!.allocateShipmentWithVirtualService);
        }
      }

      expect(outcomes.every((o) => o.state === "ALLOCATED")).toBe(true);
      const numbers = outcomes.flatMap((o) => o.trackingDetails!.shipment.trackingReferences);
      expect(numbers).toHaveLength(COUNT);
      expect(new Set(numbers).size).toBe(COUNT);
      for (const number of numbers) {
        expect(number).toMatch(/^\d+$/);
        expect(BigInt(number) >= start && BigInt(number) < start + BigInt(COUNT)).toBe(true);
      }
    });
  });
});

async function nextTrackingNumber(store: Store, sequence: string): Promise<bigint> {
  const { rows } = await sql<{ last_value: string; is_called: boolean }>`
    SELECT last_value, is_called FROM ${sql.id(sequence)}`.execute(store.db);
  return BigInt(rows[0].last_value) + (rows[0].is_called ? 1n : 0n);
}

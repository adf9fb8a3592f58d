// Anything a client can send to the preview, the quote allocation and the deallocation: answered
// without a 5xx or a stack trace; refused input changes nothing; a reason is stored as sent.
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { allocateMutation } from "../api/api";
import { ALLOCATE_WITH_QUOTE, DEALLOCATE, PREVIEW } from "../api/lifecycle";
import { addToDemo, onDemandShipments } from "../batching/datasets";
import { startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const RUNS = 200;
// any UTF-16 code units (lone surrogates and NUL included), short or far over every limit
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 490, maxLength: 520 }),
  fc.constantFrom("", "a\u0000b", "\ud800", "sp_00802615769404976542730318118913", "UK_ECONOMY", "q1..", "x".repeat(5_000)),
);
const SHIPMENTS = onDemandShipments("sp_fuzz", RUNS).map((s) => s.reference);

describe("fuzzing the preview, quote and deallocation operations (production server)", () => {
  let store: DemoStore;
  let server: HttpTestServer;

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startHttpServer(store, { production: true });
    await importDataset(store, addToDemo({ shipments: onDemandShipments("sp_fuzz", RUNS) }));
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dropDatabase();
  });

  const written = async () =>
    (
      await sql<{ allocations: string; states: string }>`
        SELECT (SELECT count(*) FROM allocations) AS allocations,
               (SELECT string_agg(reference || '=' || state, ',' ORDER BY reference) FROM shipments) AS states`.execute(store.db)
    ).rows[0];

  it(`answers ${RUNS} generated arguments of each operation with 200 or 400, never a stack trace, and writes nothing`, async () => {
    const before = await written();
    const answers: { status: number; body: string }[] = [];

    await fc.assert(
      fc.asyncProperty(text, text, text, async (shipmentRef, reference, reason) => {
        for (const [query, variables] of [
          [PREVIEW, { shipmentRef, ref: reference }],
          [ALLOCATE_WITH_QUOTE, { shipmentRef, quoteRef: reference }],
          [DEALLOCATE, { shipmentRef, reason }],
        ] as const) {
          const response = await server.post(query, variables);
          answers.push({ status: response.status, body: JSON.stringify(response.body) });
        }
      }),
      { numRuns: RUNS, seed: 20_261_201 },
    );

    expect(answers.filter((a) => a.status !== 200 && a.status !== 400)).toEqual([]);
    expect(answers.filter((a) => /stacktrace|\n {4}at /.test(a.body))).toEqual([]);
    expect(await written()).toEqual(before);
  }, 240_000);

  it("stores any reason it accepts as sent (lone surrogates as U+FFFD), and refuses the rest with BAD_USER_INPUT", async () => {
    let next = 0;
    await fc.assert(
      fc.asyncProperty(text, async (reason) => {
        // Arrange: a fresh allocated shipment
        const shipmentRef = SHIPMENTS[next++];
        await server.post(allocateMutation("virtual"), { shipmentRef, ref: "FF_LINET-00001" });
        // Act
        const response = await server.post(DEALLOCATE, { shipmentRef, reason });
        // Assert
        const refused = [...reason].length > 500 || reason.includes("\u0000");
        const stored = await store.db
          .selectFrom("allocations as a")
          .innerJoin("shipments as s", "s.id", "a.shipment_id")
          .select(["a.deallocated_at", "a.deallocation_reason"])
          .where("s.reference", "=", shipmentRef)
          .executeTakeFirstOrThrow();
        if (refused) {
          expect(response.status).toBe(400);
          expect(response.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
          expect(stored.deallocated_at).toBeNull();
        } else {
          expect(response.body.data!.result.state).toBe("UNALLOCATED");
          expect(stored.deallocation_reason).toBe(reason === "" ? null : Buffer.from(reason).toString());
        }
      }),
      { numRuns: RUNS, seed: 20_261_202 },
    );
  }, 240_000);
});

// Rule numbers: docs/allocation-rules.md
// Rule 17: allocateShipments answers every item, in order, as allocateShipmentWithVirtualService would.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMutation, NORTHWIND_SHIPMENT, resultFields, sp, writtenState } from "../api/api";
import { addBrokenCarrier } from "../batching/datasets";
import { createOperationRunner } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";

const BATCH = `mutation ($items: [AllocateShipmentInput!]!, $key: String) {
  results: allocateShipments(items: $items, idempotencyKey: $key) { ${resultFields(true)} }
}`;

type Item = { shipmentRef: string; virtualServiceRef: string };
const item = (shipmentRef: string, virtualServiceRef: string): Item => ({ shipmentRef, virtualServiceRef });

// every outcome of rules 1-13, and a repeat of one shipment
const MIXED: Item[] = [
  item(sp(912), "FF_LINET-00001"), // allocated to a carrier service
  item(sp(913), "NEXT_DAY"), // allocated within a group
  item(sp(914), "DPD-00012"), // HS is excluded: allocation_failed
  item(sp(914), "RM-00048"), // the failed shipment can be allocated again, and is
  item(sp(920), "RM-00048"), // cancelled: shipment_invalid_state
  item(sp(915), "EVRI-00048"), // a service and a group: non_unique_reference
  item("sp_00000000000000000000000000000000", "FF_LINET-00001"), // shipment_not_found
  item(sp(916), "NO-SUCH-REFERENCE"), // virtual_service_not_found
  item(NORTHWIND_SHIPMENT, "FF_LINET-00001"), // another account's: shipment_not_found
  item(sp(912), "FF_LINET-00001"), // the first item allocated it: shipment_invalid_state
];

const summary = (result: any) =>
  result === null ? null : [result.__typename, result.state ?? result.code, result.details?.[0]?.code ?? null];

async function stateOf(store: DemoStore, reference: string): Promise<{ state: string; allocations: number }> {
  const row = await store.db
    .selectFrom("shipments as s")
    .leftJoin("allocations as a", "a.shipment_id", "s.id")
    .select(["s.state", sql<string>`count(a.shipment_id)::text`.as("allocations")])
    .where("s.reference", "=", reference)
    .groupBy("s.state")
    .executeTakeFirstOrThrow();
  return { state: row.state, allocations: Number(row.allocations) };
}

describeStores("rule 17: allocateShipments", (open) => {
  let store: DemoStore;
  let runner: Awaited<ReturnType<typeof createOperationRunner>>;

  beforeAll(async () => {
    store = await open();
    runner = await createOperationRunner(store);
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.dropDatabase();
  });

  describe("each item exactly as allocateShipmentWithVirtualService", () => {
    let singlesStore: DemoStore;
    let singles: Awaited<ReturnType<typeof createOperationRunner>>;
    beforeAll(async () => {
      singlesStore = await open();
      singles = await createOperationRunner(singlesStore);
    });
    afterAll(async () => {
      await singles?.stop();
      await singlesStore?.dropDatabase();
    });

    it("answers result i for item i, the same as the single mutations one after another on the same data", async () => {
      const expected = [];
      for (const { shipmentRef, virtualServiceRef } of MIXED) {
        const single = await singles.run(allocateMutation("virtual"), { shipmentRef, ref: virtualServiceRef }, undefined, "corr-batch");
        expected.push(single.data?.result);
      }

      const batch = await runner.run(BATCH, { items: MIXED }, undefined, "corr-batch");

      expect(batch.errors).toBeUndefined();
      expect(batch.data?.results).toEqual(expected);
      expect(batch.data?.results.map(summary)).toEqual([
        ["AllocateResult", "ALLOCATED", null],
        ["AllocateResult", "ALLOCATED", null],
        ["AllocateResult", "ALLOCATION_FAILED", "allocation_failed"],
        ["AllocateResult", "ALLOCATED", null],
        ["AllocateResult", "CANCELLED", "shipment_invalid_state"],
        ["AmbiguousReferenceError", "non_unique_reference", null],
        ["ReferenceNotFoundError", "shipment_not_found", null],
        ["ReferenceNotFoundError", "virtual_service_not_found", null],
        ["ReferenceNotFoundError", "shipment_not_found", null],
        ["AllocateResult", "ALLOCATED", "shipment_invalid_state"],
      ]);
      expect(await writtenState(store)).toEqual(await writtenState(singlesStore));
    });
  });

  describe("1 to 100 items", () => {
    it.each([0, 101])("refuses %i items with BAD_USER_INPUT and changes nothing", async (count) => {
      const before = await writtenState(store);
      const items = Array.from({ length: count }, () => item(sp(917), "DPD-00019"));

      const response = await runner.run(BATCH, { items });

      expect(response.data).toBeNull();
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors?.[0]?.message).toMatch(/1 to 100/);
      expect(await writtenState(store)).toEqual(before);
    });
  });

  describe("each item commits on its own", () => {
    beforeAll(() => addBrokenCarrier(store, "sp_commit", 6));

    it.each([
      ["without an idempotencyKey", null, ["sp_commit_0000", "sp_commit_0001", "sp_commit_0002"]],
      ["with an idempotencyKey (one transaction, a savepoint per item)", "commit-key", ["sp_commit_0003", "sp_commit_0004", "sp_commit_0005"]],
    ] as const)("%s: an unexpected error in item i answers null at i with its path; the others stand", async (_, key, refs) => {
      const items = [item(refs[0], "FF_LINET-00001"), item(refs[1], "BROKEN-1"), item(refs[2], "FF_LINET-00001")];

      const response = await runner.run(BATCH, { items, key });

      expect(response.data?.results.map(summary)).toEqual([["AllocateResult", "ALLOCATED", null], null, ["AllocateResult", "ALLOCATED", null]]);
      expect(response.errors?.map((e) => e.path)).toEqual([["results", 1]]);
      expect(await stateOf(store, refs[0])).toEqual({ state: "allocated", allocations: 1 });
      expect(await stateOf(store, refs[1])).toEqual({ state: "unallocated", allocations: 0 });
      expect(await stateOf(store, refs[2])).toEqual({ state: "allocated", allocations: 1 });
    });
  });

  describe("idempotencyKey covers the whole list", () => {
    const items = [item(sp(917), "DPD-00019"), item(sp(918), "RM-00091"), item(sp(918), "RM-00091")];

    it("replays the same results for the same key and items: nothing is allocated twice", async () => {
      const first = await runner.run(BATCH, { items, key: "wave-1" });
      const before = await writtenState(store);

      const retry = await runner.run(BATCH, { items, key: "wave-1" }, undefined, "corr-retry");

      expect(first.data?.results.map(summary)).toEqual([
        ["AllocateResult", "ALLOCATED", null],
        ["AllocateResult", "ALLOCATED", null],
        ["AllocateResult", "ALLOCATED", "shipment_invalid_state"],
      ]);
      expect(retry.errors).toBeUndefined();
      expect(retry.data?.results).toEqual(first.data?.results.map((r: any) => ({ ...r, correlationId: "corr-retry" })));
      expect(await writtenState(store)).toEqual(before);
    });

    it("refuses the same key with other items: IDEMPOTENCY_KEY_REUSED, nothing done", async () => {
      const before = await writtenState(store);

      const response = await runner.run(BATCH, { items: [item(sp(919), "RM-00091")], key: "wave-1" });

      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
      expect(await writtenState(store)).toEqual(before);
    });

    it("replays an item that failed unexpectedly as null with an error at its index", async () => {
      const items = [item("sp_commit_0003", "FF_LINET-00001"), item("sp_commit_0004", "BROKEN-1"), item("sp_commit_0005", "FF_LINET-00001")];

      const retry = await runner.run(BATCH, { items, key: "commit-key" });

      expect(retry.data?.results.map(summary)).toEqual([["AllocateResult", "ALLOCATED", null], null, ["AllocateResult", "ALLOCATED", null]]);
      expect(retry.errors?.map((e) => [e.path, e.message])).toEqual([[["results", 1], expect.stringMatching(/not allocated/)]]);
    });
  });
});

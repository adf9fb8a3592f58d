// Rule numbers: docs/allocation-rules.md
// Requests running at once share the allocation's statements (src/store/shared-statements.ts): calls made
// on the store's db in one turn of the event loop go out as one statement, each item scoped and guarded
// as if it ran alone.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ShipmentRecord } from "../../src/allocation/engine/records";
import { importDataset } from "../../src/store/import-dataset";
import { commitAllocation, findShipmentsByRefs, type NewAllocation } from "../../src/store/shipments";
import { addBrokenCarrier, addToDemo, onDemandShipments } from "../batching/datasets";
import { statementLog, tally } from "../batching/statements";
import { describeStores, type DemoStore } from "../support/stores";

describeStores("shared statements: requests running at once", (open) => {
  const log = statementLog();
  let store: DemoStore;
  let demo: number;
  let northwind: number;

  beforeAll(async () => {
    store = await open({ onQuery: log.onQuery });
    const northwindShipments = onDemandShipments("sp_twin", 2).map((shipment) => ({ ...shipment, account: "northwind" }));
    await importDataset(store, addToDemo({ shipments: [...onDemandShipments("sp_twin", 2), ...northwindShipments, ...onDemandShipments("sp_shared", 40)] }));
    await addBrokenCarrier(store, "sp_broken", 1);
    const accounts = await store.db.selectFrom("accounts").select(["id", "reference"]).execute();
    demo = accounts.find((account) => account.reference === "demo")!.id;
    northwind = accounts.find((account) => account.reference === "northwind")!.id;
  });
  afterAll(() => store.dropDatabase());
  beforeEach(() => void log.take());

  async function shipment(reference: string): Promise<ShipmentRecord> {
    const [found] = await findShipmentsByRefs(store.db, demo, [reference]);
    return found;
  }

  async function allocationTo(reference: string, carrier = "FF_LINET", service = "FF_LINET-00001"): Promise<NewAllocation> {
    const row = await store.db
      .selectFrom("carrier_services as s")
      .innerJoin("carriers as c", "c.id", "s.carrier_id")
      .select(["s.id", "s.name", "c.id as carrierId"])
      .where("s.reference", "=", service)
      .where("c.reference", "=", carrier)
      .executeTakeFirstOrThrow();
    return {
      shipment: await shipment(reference),
      serviceId: row.id,
      serviceReference: service,
      serviceName: row.name,
      carrierId: row.carrierId,
      price: { net: "1.00", gross: "1.20", currency: "GBP", taxes: [] },
    };
  }

  describe("reads", () => {
    it("one read alone is the statement it always was", async () => {
      const found = await findShipmentsByRefs(store.db, demo, ["sp_twin_0000"]);

      expect(found.map((s) => s.reference)).toEqual(["sp_twin_0000"]);
      expect(tally(log.take())).toEqual({ shipmentByRef: 1 });
    });

    it("reads of two accounts at once go out as one statement, and each finds only its own account's shipments", async () => {
      // Act: the same references, read for both accounts in the same turn
      const [ofDemo, ofNorthwind, none] = await Promise.all([
        findShipmentsByRefs(store.db, demo, ["sp_twin_0000", "sp_twin_0001"]),
        findShipmentsByRefs(store.db, northwind, ["sp_twin_0001"]),
        findShipmentsByRefs(store.db, northwind, ["sp_shared_0000"]),
      ]);

      // Assert
      expect(log.take()).toHaveLength(1);
      expect(ofDemo.map((s) => [s.accountId, s.reference])).toEqual([[demo, "sp_twin_0000"], [demo, "sp_twin_0001"]]);
      expect(ofNorthwind.map((s) => [s.accountId, s.reference])).toEqual([[northwind, "sp_twin_0001"]]);
      expect(none).toEqual([]);
      // a record of each request's own: nothing one request changes reaches another
      expect(ofNorthwind[0]).not.toBe(ofDemo[1]);
    });

    it("a transaction's reads are its own, never shared", async () => {
      await store.db.transaction().execute(async (trx) => {
        await Promise.all([findShipmentsByRefs(trx, demo, ["sp_twin_0000"]), findShipmentsByRefs(trx, demo, ["sp_twin_0001"])]);
      });

      expect(tally(log.take())).toMatchObject({ shipmentByRef: 2 });
    });
  });

  describe("allocations", () => {
    it("allocations issued at once go out as one statement; each claims its own shipment with a tracking reference of its own, drawn in their order", async () => {
      // Arrange
      const references = Array.from({ length: 20 }, (_, i) => `sp_shared_${String(i).padStart(4, "0")}`);
      const allocations = await Promise.all(references.map((reference) => allocationTo(reference)));
      log.take();

      // Act
      const made = await Promise.all(allocations.map((allocation) => commitAllocation(store.db, allocation)));

      // Assert
      expect(tally(log.take())).toEqual({ claimAndInsertShared: 1 });
      expect(made.map((allocation) => allocation?.shipmentId)).toEqual(allocations.map((a) => a.shipment.id));
      const numbers = made.map((allocation) => allocation!.trackingReferences[0]);
      expect(new Set(numbers).size).toBe(references.length);
      // drawn in the items' order, as if they had run in turn
      expect(numbers).toEqual([...numbers].sort());
      const states = await findShipmentsByRefs(store.db, demo, references);
      expect(states.every((s) => s.state === "allocated")).toBe(true);
    });

    it("two allocations of one shipment in the same statement: the first claims it, the second finds it taken (rule 7)", async () => {
      const first = await allocationTo("sp_shared_0020");
      const second = await allocationTo("sp_shared_0020", "FF_LINET", "FF_LINET-00001");

      const [won, lost] = await Promise.all([commitAllocation(store.db, first), commitAllocation(store.db, second)]);

      expect(tally(log.take())).toMatchObject({ claimAndInsertShared: 1 });
      expect(won?.shipmentId).toBe(first.shipment.id);
      expect(lost).toBeNull();
      const rows = await store.db.selectFrom("allocations").select("shipment_id").where("shipment_id", "=", first.shipment.id).execute();
      expect(rows).toHaveLength(1);
    });

    it("an item that fails fails alone: the statement is run again item by item, and the others are allocated", async () => {
      // Arrange: BROKEN's tracking sequence is gone, so its allocation raises an error
      const broken = await allocationTo("sp_broken_0000", "BROKEN", "BROKEN-1");
      const fine = await Promise.all(["sp_shared_0021", "sp_shared_0022"].map((reference) => allocationTo(reference)));
      log.take();

      // Act
      const results = await Promise.allSettled([commitAllocation(store.db, fine[0]), commitAllocation(store.db, broken), commitAllocation(store.db, fine[1])]);

      // Assert
      expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(tally(log.take())).toEqual({ claimAndInsertShared: 1, claimAndInsert: 3 });
      expect((await findShipmentsByRefs(store.db, demo, ["sp_broken_0000", "sp_shared_0021", "sp_shared_0022"])).map((s) => s.state).sort()).toEqual([
        "allocated",
        "allocated",
        "unallocated",
      ]);
    });

    it("a transaction's allocations are its own, never shared", async () => {
      const allocations = await Promise.all(["sp_shared_0023", "sp_shared_0024"].map((reference) => allocationTo(reference)));
      log.take();

      await store.db.transaction().execute((trx) => Promise.all(allocations.map((allocation) => commitAllocation(trx, allocation))));

      expect(tally(log.take())).toMatchObject({ claimAndInsert: 2 });
    });
  });
});

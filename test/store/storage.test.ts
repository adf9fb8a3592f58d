import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAccountByApiKey } from "../../src/store/accounts";
import {
  findCarrierServicesByRefs,
  findGroupMembers,
  findGroupsOfServices,
  findServiceGroupsByRefs,
} from "../../src/store/catalogue";
import { migrate, migrationFiles } from "../../src/store/migrate";
import type { CarrierServiceRecord, PriceRecord, ShipmentRecord } from "../../src/allocation/engine/records";
import {
  commitAllocation,
  findAllocationsByShipmentIds,
  findShipmentsByRefs,
  markAllocationFailed,
  type NewAllocation,
} from "../../src/store/shipments";
import { DEMO_KEY, NORTHWIND_KEY } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";

const SHIPMENT = (n: number) => `sp_008026157694049765427303181189${n}`;
const NW_SHIPMENT = "sp_00900000000000000000000000000001";

describeStores("the store (src/store)", (open) => {
  let store: DemoStore;
  let demo: number;
  let northwind: number;

  beforeAll(async () => {
    store = await open();
    demo = (await findAccountByApiKey(store.db, DEMO_KEY))!.id;
    northwind = (await findAccountByApiKey(store.db, NORTHWIND_KEY))!.id;
  });
  afterAll(() => store.dropDatabase());

  const shipment = async (reference: string) => (await findShipmentsByRefs(store.db, demo, [reference]))[0];
  const service = async (reference: string) => (await findCarrierServicesByRefs(store.db, demo, [reference]))[0];
  const allocationRows = (shipmentId: number) =>
    store.db.selectFrom("allocations").selectAll().where("shipment_id", "=", shipmentId).execute();
  const stateOf = async (id: number) =>
    (await store.db.selectFrom("shipments").select("state").where("id", "=", id).executeTakeFirstOrThrow()).state;

  describe("reads are scoped to the account", () => {
    it("finds shipments by reference, and none of another account's", async () => {
      const found = await findShipmentsByRefs(store.db, demo, [SHIPMENT(12), NW_SHIPMENT, "sp_unknown"]);
      const asNorthwind = await findShipmentsByRefs(store.db, northwind, [SHIPMENT(12)]);

      expect(found.map((s) => s.reference)).toEqual([SHIPMENT(12)]);
      expect(found[0]).toMatchObject({ accountId: demo, state: "unallocated", shipmentType: "on_demand" });
      expect(found[0].contents).toEqual([{ weightKg: "1.2", value: { amount: "25.00", currency: "GBP" }, quantity: 1 }]);
      expect(asNorthwind).toEqual([]);
    });

    it("finds carrier services with their carrier, and none of another account's", async () => {
      const found = await findCarrierServicesByRefs(store.db, demo, ["RM-00048", "NW-00001"]);
      const asNorthwind = await findCarrierServicesByRefs(store.db, northwind, ["RM-00048"]);

      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        reference: "RM-00048",
        carrier: { reference: "RM", name: "Royal Mail" },
        maxWeightKg: "20",
        rates: [{ maxWeightKg: "2", net: "3.10" }, { maxWeightKg: "20", net: "5.40" }],
        tax: { countryIsoCode: "GB", type: "Standard", value: "0.2" },
      });
      expect(asNorthwind).toEqual([]);
    });

    it("finds service groups, and none of another account's", async () => {
      const found = await findServiceGroupsByRefs(store.db, demo, ["UK_ECONOMY", "NW_ALL"]);
      const asNorthwind = await findServiceGroupsByRefs(store.db, northwind, ["UK_ECONOMY"]);

      expect(found.map((g) => [g.reference, g.name])).toEqual([["UK_ECONOMY", "UK economy"]]);
      expect(asNorthwind).toEqual([]);
    });

    it("lists a group's members in priority order, and nothing for another account's group ids", async () => {
      const [economy, nextDay] = await Promise.all(
        ["UK_ECONOMY", "NEXT_DAY"].map(async (r) => (await findServiceGroupsByRefs(store.db, demo, [r]))[0].id),
      );

      const members = await findGroupMembers(store.db, demo, [economy, nextDay]);
      const asNorthwind = await findGroupMembers(store.db, northwind, [economy, nextDay]);

      const of = (id: number) => members.filter((m) => m.groupId === id).map((m) => m.service.reference);
      expect(of(economy)).toEqual(["RM-00048", "EVRI-00048", "DPD-00012", "DPD-00099"]);
      expect(of(nextDay)).toEqual(["DPD-00012", "RM-00024"]);
      expect(asNorthwind).toEqual([]);
    });

    it("lists the groups of services, and nothing for another account's service ids", async () => {
      const dpd = await service("DPD-00012");

      const groups = await findGroupsOfServices(store.db, demo, [dpd.id]);
      const asNorthwind = await findGroupsOfServices(store.db, northwind, [dpd.id]);

      expect(groups.map((g) => [g.serviceId, g.group.reference])).toEqual([
        [dpd.id, "NEXT_DAY"],
        [dpd.id, "UK_ECONOMY"],
      ]);
      expect(asNorthwind).toEqual([]);
    });

    it("finds allocations only through the account's own shipments", async () => {
      const example = await shipment(SHIPMENT(17));
      await commitAllocation(store.db, newAllocation(example, await service("DPD-00019"), price("12.50", "12.50", "0.00")));

      const found = await findAllocationsByShipmentIds(store.db, demo, [example.id]);
      const asNorthwind = await findAllocationsByShipmentIds(store.db, northwind, [example.id]);

      expect(found.map((a) => a.shipmentId)).toEqual([example.id]);
      expect(asNorthwind).toEqual([]);
    });
  });

  describe("commitAllocation", () => {
    it("moves the shipment to allocated and stores money and taxes exactly", async () => {
      const example = await shipment(SHIPMENT(12));
      const lineten = await service("FF_LINET-00001");
      const expectedPrice = price("2.00", "2.00", "0.00", "FF_LINET-00001");

      const allocation = await commitAllocation(store.db, newAllocation(example, lineten, expectedPrice));

      expect(await stateOf(example.id)).toBe("allocated");
      const rows = await allocationRows(example.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        carrier_service_id: lineten.id,
        carrier_service_reference: "FF_LINET-00001",
        carrier_reference: "FF_LINET",
        carrier_name: "Lineten",
        service_name: "Lineten - Standard On Demand",
        net: "2.00",
        gross: "2.00",
        currency: "GBP",
        taxes: expectedPrice.taxes,
        tracking_references: ["19297253"],
      });
      expect(allocation).toMatchObject({ shipmentId: example.id, price: expectedPrice, trackingReferences: ["19297253"] });
    });

    it("builds the tracking reference from the carrier's prefix, next number and suffix", async () => {
      const next = await nextTrackingNumber("tracking_RM");
      const target = await shipment(SHIPMENT(13));
      const rm = await service("RM-00048");

      const allocation = await commitAllocation(store.db, newAllocation(target, rm, price("3.10", "3.72", "0.62")));

      expect(next).toBe(10000001n);
      expect(allocation?.trackingReferences).toEqual([`TT${next}GB`]);
      expect(await nextTrackingNumber("tracking_RM")).toBe(next + 1n);
      expect((await allocationRows(target.id))[0]).toMatchObject({ net: "3.10", gross: "3.72" });
    });

    it("returns null and stores nothing when the shipment is already allocated", async () => {
      const target = await shipment(SHIPMENT(22));
      const rm = await service("RM-00048");
      await commitAllocation(store.db, newAllocation(target, rm, price("3.10", "3.72", "0.62")));
      const before = await allocationRows(target.id);
      const dpd = newAllocation(target, await service("DPD-00012"), price("4.50", "5.40", "0.90"));

      const second = await commitAllocation(store.db, dpd);

      expect(second).toBeNull();
      expect(await allocationRows(target.id)).toEqual(before);
    });

    it("draws no tracking number when the shipment is no longer allocatable", async () => {
      const target = await shipment(SHIPMENT(19));
      const rm = await service("RM-00048");
      await commitAllocation(store.db, newAllocation(target, rm, price("3.10", "3.72", "0.62")));
      const next = await nextTrackingNumber("tracking_RM");

      const second = await commitAllocation(store.db, newAllocation(target, rm, price("3.10", "3.72", "0.62")));

      expect(second).toBeNull();
      expect(await nextTrackingNumber("tracking_RM")).toBe(next);
    });

    it("draws no tracking number for a shipment in a state that forbids allocation", async () => {
      const cancelled = await shipment(SHIPMENT(20));
      const next = await nextTrackingNumber("tracking_RM");

      const attempt = await commitAllocation(store.db, newAllocation(cancelled, await service("RM-00048"), price("3.10", "3.72", "0.62")));

      expect(attempt).toBeNull();
      expect(await stateOf(cancelled.id)).toBe("cancelled");
      expect(await nextTrackingNumber("tracking_RM")).toBe(next);
    });

    it("draws no tracking number for another account's shipment", async () => {
      const theirs = (await findShipmentsByRefs(store.db, northwind, [NW_SHIPMENT]))[0];
      const next = await nextTrackingNumber("tracking_RM");

      const attempt = await commitAllocation(store.db, newAllocation({ ...theirs, accountId: demo }, await service("RM-00048"), price("3.10", "3.72", "0.62")));

      expect(attempt).toBeNull();
      expect(await stateOf(theirs.id)).toBe("unallocated");
      expect(await nextTrackingNumber("tracking_RM")).toBe(next);
    });

    it("joins the caller's transaction: rolled back with it, claim and number included", async () => {
      const target = await shipment(SHIPMENT(23));
      const rm = await service("RM-00048");
      const next = await nextTrackingNumber("tracking_RM");
      const rollback = new Error("rolled back by the test");

      const attempt = store.db.transaction().execute(async (trx) => {
        const allocation = await commitAllocation(trx, newAllocation(target, rm, price("3.10", "3.72", "0.62")));
        expect(allocation?.trackingReferences).toEqual([`TT${next}GB`]);
        throw rollback;
      });

      await expect(attempt).rejects.toBe(rollback);
      expect(await stateOf(target.id)).toBe("unallocated");
      expect(await allocationRows(target.id)).toEqual([]);
    });

    it("rolls the state back when the insert finds no carrier", async () => {
      const target = await shipment(SHIPMENT(14));
      const valid = newAllocation(target, await service("DPD-00012"), price("7.95", "9.54", "1.59"));

      const attempt = commitAllocation(store.db, { ...valid, carrierId: 999_999 });

      await expect(attempt).rejects.toThrow();
      expect(await stateOf(target.id)).toBe("unallocated");
      expect(await allocationRows(target.id)).toEqual([]);
    });

    it("rolls the state back when the insert violates a foreign key", async () => {
      const target = await shipment(SHIPMENT(15));
      const valid = newAllocation(target, await service("DPD-00012"), price("7.95", "9.54", "1.59"));

      const attempt = commitAllocation(store.db, { ...valid, serviceId: 999_999 });

      await expect(attempt).rejects.toThrow(/foreign key/);
      expect(await stateOf(target.id)).toBe("unallocated");
      expect(await allocationRows(target.id)).toEqual([]);
    });
  });

  describe("markAllocationFailed", () => {
    it("moves an unallocated shipment to allocation_failed", async () => {
      const target = await shipment(SHIPMENT(16));

      expect(await markAllocationFailed(store.db, target)).toBe(true);
      expect(await stateOf(target.id)).toBe("allocation_failed");
    });

    it("refuses an allocated shipment", async () => {
      const target = await shipment(SHIPMENT(18));
      await commitAllocation(store.db, newAllocation(target, await service("RM-00091"), price("9.80", "9.80", "0.00")));

      expect(await markAllocationFailed(store.db, target)).toBe(false);
      expect(await stateOf(target.id)).toBe("allocated");
      expect(await allocationRows(target.id)).toHaveLength(1);
    });
  });

  describe("migrations", () => {
    it("running them again changes nothing, and each file is recorded once", async () => {
      const snapshot = async () => ({
        migrations: (await sql`SELECT version, applied_at FROM schema_migrations ORDER BY version`.execute(store.db)).rows,
        tables: (
          await sql`SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public' ORDER BY 1, 2`.execute(store.db)
        ).rows,
        shipments: (await sql`SELECT id, state FROM shipments ORDER BY id`.execute(store.db)).rows,
      });
      const before = await snapshot();

      await migrate(store);

      expect(await snapshot()).toEqual(before);
      const versions = (before.migrations as { version: string }[]).map((m) => m.version);
      expect(versions).toEqual((await migrationFiles()).map((f) => f.replace(/\.sql$/, "")));
    });
  });

  async function nextTrackingNumber(sequence: string): Promise<bigint> {
    const { rows } = await sql<{ last_value: string; is_called: boolean }>`
      SELECT last_value, is_called FROM ${sql.id(sequence)}`.execute(store.db);
    return BigInt(rows[0].last_value) + (rows[0].is_called ? 1n : 0n);
  }
});

// tax amounts are given, not computed: the store must keep whatever decimals it is handed
function price(net: string, gross: string, tax: string, reference = "TEST"): PriceRecord {
  const rate = tax === "0.00" ? { type: "Zero", value: "0" } : { type: "Standard", value: "0.2" };
  return { net, gross, currency: "GBP", taxes: [{ rate: { reference, countryIsoCode: "GB", ...rate }, amount: tax }] };
}

function newAllocation(shipment: ShipmentRecord, service: CarrierServiceRecord, price: PriceRecord): NewAllocation {
  return {
    shipment,
    serviceId: service.id,
    serviceReference: service.reference,
    serviceName: service.name,
    carrierId: service.carrier.id,
    price,
  };
}

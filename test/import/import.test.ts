import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/import/apply";
import type { Dataset } from "../../src/import/dataset";
import { loadDemoDataset } from "../../src/import/demo";
import { describeStores, type DemoStore } from "../support/stores";
import { nextTrackingNumber, rowCounts, tableDump } from "./tables";

const DEMO_COUNTS = {
  accounts: 2,
  api_keys: 2,
  carriers: 4,
  carrier_services: 9,
  service_groups: 5,
  service_group_members: 11,
  shipments: 13,
  allocations: 0,
};

describeStores("importDataset", (open) => {
  let store: DemoStore;
  let demo: Dataset;

  beforeAll(async () => {
    store = await open();
    demo = await loadDemoDataset();
  });
  afterAll(() => store?.dropDatabase());

  describe("the demo data set", () => {
    it("creates every record in an empty store", async () => {
      await sql`TRUNCATE accounts, carriers CASCADE`.execute(store.db);

      const summary = await importDataset(store, demo);

      expect(summary).toEqual({
        accounts: { inserted: 2, updated: 0, unchanged: 0 },
        apiKeys: 2,
        carriers: { inserted: 4, updated: 0, unchanged: 0 },
        carrierServices: { inserted: 9, updated: 0, unchanged: 0 },
        serviceGroups: { inserted: 5, updated: 0, unchanged: 0 },
        shipments: { inserted: 13, updated: 0, unchanged: 0 },
      });
      expect(await rowCounts(store)).toEqual(DEMO_COUNTS);
    });

    it("stores API keys only as their SHA-256", async () => {
      const rows = await store.db.selectFrom("api_keys").selectAll().execute();

      const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");
      expect(rows.map((r) => r.key_hash).sort()).toEqual(demo.accounts.flatMap((a) => a.apiKeys).map(sha256).sort());
      const everything = JSON.stringify(await tableDump(store));
      for (const key of demo.accounts.flatMap((a) => a.apiKeys)) expect(everything).not.toContain(key);
    });

    it("stores a group's services in priority order", async () => {
      const members = await store.db
        .selectFrom("service_group_members as m")
        .innerJoin("service_groups as g", "g.id", "m.group_id")
        .innerJoin("carrier_services as s", "s.id", "m.service_id")
        .select("s.reference")
        .where("g.reference", "=", "UK_ECONOMY")
        .orderBy("m.position")
        .execute();

      expect(members.map((m) => m.reference)).toEqual(["RM-00048", "EVRI-00048", "DPD-00012", "DPD-00099"]);
    });
  });

  describe("re-importing", () => {
    afterEach(() => importDataset(store, demo));

    it("changes nothing when the file is the same", async () => {
      const before = await tableDump(store);

      const summary = await importDataset(store, demo);

      expect(summary).toEqual({
        accounts: { inserted: 0, updated: 0, unchanged: 2 },
        apiKeys: 2,
        carriers: { inserted: 0, updated: 0, unchanged: 4 },
        carrierServices: { inserted: 0, updated: 0, unchanged: 9 },
        serviceGroups: { inserted: 0, updated: 0, unchanged: 5 },
        shipments: { inserted: 0, updated: 0, unchanged: 13 },
      });
      expect(await tableDump(store)).toEqual(before);
    });

    it("updates a catalogue record with the same reference in place", async () => {
      const renamed = structuredClone(demo);
      renamed.carrierServices[1].name = "DPD - Next Day (renamed)";
      renamed.serviceGroups[0].services = ["RM-00024"];

      const summary = await importDataset(store, renamed);

      expect(summary.carrierServices).toEqual({ inserted: 0, updated: 1, unchanged: 8 });
      expect(summary.serviceGroups).toEqual({ inserted: 0, updated: 1, unchanged: 4 });
      const service = await store.db
        .selectFrom("carrier_services")
        .select("name")
        .where("reference", "=", renamed.carrierServices[1].reference)
        .execute();
      expect(service).toEqual([{ name: "DPD - Next Day (renamed)" }]);
      expect(await rowCounts(store)).toEqual({ ...DEMO_COUNTS, service_group_members: DEMO_COUNTS.service_group_members - 1 });
    });
  });

  describe("existing shipments", () => {
    const reference = "sp_00802615769404976542730318118912";
    afterEach(() => store.db.updateTable("shipments").set({ state: "unallocated" }).where("reference", "=", reference).execute());

    it("are left untouched", async () => {
      await store.db.updateTable("shipments").set({ state: "allocated" }).where("reference", "=", reference).execute();

      const summary = await importDataset(store, demo);

      const shipment = await store.db.selectFrom("shipments").select("state").where("reference", "=", reference).executeTakeFirst();
      expect(shipment?.state).toBe("allocated");
      expect(summary.shipments).toEqual({ inserted: 0, updated: 0, unchanged: 13 });
    });
  });

  describe("tracking counters", () => {
    const withDpdNext = (next: number): Dataset => ({
      ...demo,
      carriers: demo.carriers.map((c) => (c.reference === "DPD" ? { ...c, trackingNumber: { prefix: "", suffix: "", next } } : c)),
    });

    it("never move backwards", async () => {
      await sql`SELECT nextval('"tracking_DPD"'), nextval('"tracking_DPD"')`.execute(store.db);
      const next = await nextTrackingNumber(store, "tracking_DPD");

      const summary = await importDataset(store, withDpdNext(1));

      expect(await nextTrackingNumber(store, "tracking_DPD")).toBe(next);
      expect(next).toBe(15501000000003n);
      expect(summary.carriers).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    });

    it("move forward to a larger next number", async () => {
      const summary = await importDataset(store, withDpdNext(20_000_000_000_000));

      // the same name, prefix and suffix, but the counter moved: an update of the carrier
      expect(summary.carriers).toEqual({ inserted: 0, updated: 1, unchanged: 3 });
      const { rows } = await sql<{ n: string }>`SELECT nextval('"tracking_DPD"')::text AS n`.execute(store.db);
      expect(rows[0].n).toBe("20000000000000");
    });

    it("start at 1 for a new carrier without tracking numbers", async () => {
      await importDataset(store, { ...demo, carriers: [{ reference: "NEW.carrier-1", name: "New" }] });

      expect(await nextTrackingNumber(store, "tracking_NEW.carrier-1")).toBe(1n);
    });
  });
});

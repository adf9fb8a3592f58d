import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import type { Dataset } from "../../src/import/dataset";
import { loadDemoDataset } from "../../src/import/demo";
import { findAccountByApiKey } from "../../src/store/accounts";
import { validateDataset } from "../../src/import/validate";
import { allocateMutation } from "../api/api";
import { addToDemo, ffLinetServices, onDemandShipments } from "../batching/datasets";
import { createOperationRunner, NORTHWIND_KEY } from "../support/server";
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
        apiKeys: { inserted: 2, updated: 0, unchanged: 0, removed: 0 },
        movedApiKeys: [],
        carriers: { inserted: 4, updated: 0, unchanged: 0 },
        carrierServices: { inserted: 9, updated: 0, unchanged: 0 },
        serviceGroups: { inserted: 5, updated: 0, unchanged: 0 },
        shipments: { inserted: 13, skipped: 0 },
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
        apiKeys: { inserted: 0, updated: 0, unchanged: 2, removed: 0 },
        movedApiKeys: [],
        carriers: { inserted: 0, updated: 0, unchanged: 4 },
        carrierServices: { inserted: 0, updated: 0, unchanged: 9 },
        serviceGroups: { inserted: 0, updated: 0, unchanged: 5 },
        shipments: { inserted: 0, skipped: 13 },
      });
      expect(await tableDump(store)).toEqual(before);
    });

    it("updates a catalogue record with the same reference in place", async () => {
      const renamed = structuredClone(demo);
      renamed.carrierServices[1].name = "DPD - Next Day (renamed)";
      renamed.serviceGroups[0].services = ["RM-00024"];

      await importDataset(store, renamed);

      const service = await store.db
        .selectFrom("carrier_services")
        .select("name")
        .where("reference", "=", renamed.carrierServices[1].reference)
        .execute();
      expect(service).toEqual([{ name: "DPD - Next Day (renamed)" }]);
      expect(await rowCounts(store)).toEqual({ ...DEMO_COUNTS, service_group_members: DEMO_COUNTS.service_group_members - 1 });
    });
  });

  describe("the summary's counts", () => {
    afterEach(() => importDataset(store, demo));

    it("tell inserted, updated and unchanged records apart, per kind", async () => {
      const changed = structuredClone(demo);
      changed.accounts[0].name = "Demo (renamed)";
      changed.accounts[0].apiKeys.push("demo-second-api-key");
      changed.accounts[1].apiKeys = [];
      changed.carriers[0].name = "Lineten (renamed)";
      changed.carrierServices[1].name = "DPD - Next Day (renamed)";
      changed.carrierServices.push({ ...demo.carrierServices[0], reference: "COUNTED-1" });
      changed.serviceGroups[0].services = ["RM-00024", "DPD-00012"];
      changed.shipments.push({ ...demo.shipments[0], reference: `sp_${"6".repeat(32)}` });

      const summary = await importDataset(store, changed);

      expect(summary).toEqual({
        accounts: { inserted: 0, updated: 1, unchanged: 1 },
        apiKeys: { inserted: 1, updated: 0, unchanged: 1, removed: 1 },
        movedApiKeys: [],
        carriers: { inserted: 0, updated: 1, unchanged: 3 },
        carrierServices: { inserted: 1, updated: 1, unchanged: 8 },
        // its services reordered, its name the same
        serviceGroups: { inserted: 0, updated: 1, unchanged: 4 },
        shipments: { inserted: 1, skipped: 13 },
      });
    });

    it("count a carrier whose tracking counter alone moves forward as updated", async () => {
      const forward = structuredClone(demo);
      forward.carriers[0].trackingNumber = { prefix: "", suffix: "", next: 29_297_253 };

      const summary = await importDataset(store, forward);

      expect(summary.carriers).toEqual({ inserted: 0, updated: 1, unchanged: 3 });
    });
  });

  describe("an API key that another account holds", () => {
    const keyOfNorthwindUnderDemo = (): Dataset => ({
      ...demo,
      accounts: [{ ...demo.accounts[0], apiKeys: [...demo.accounts[0].apiKeys, NORTHWIND_KEY] }],
    });
    afterEach(() => importDataset(store, demo, { moveApiKeys: true }));

    it("is refused, and nothing is written", async () => {
      const before = await tableDump(store);

      const attempt = importDataset(store, keyOfNorthwindUnderDemo());

      await expect(attempt).rejects.toThrow('$.accounts[0].apiKeys[1]: is an API key of account "northwind"');
      expect(await tableDump(store)).toEqual(before);
    });

    it("moves with moveApiKeys, and the summary lists the move", async () => {
      const summary = await importDataset(store, keyOfNorthwindUnderDemo(), { moveApiKeys: true });

      expect(summary.movedApiKeys).toEqual([{ path: "$.accounts[0].apiKeys[1]", from: "northwind", to: "demo" }]);
      expect(summary.apiKeys).toEqual({ inserted: 0, updated: 1, unchanged: 1, removed: 0 });
      expect(await findAccountByApiKey(store.db, NORTHWIND_KEY)).toMatchObject({ reference: "demo" });
    });
  });

  describe("the largest decimals the format accepts", () => {
    it("price an allocation that the database stores", async () => {
      const [shipment] = onDemandShipments("sp_largest", 1).map((s) => ({ ...s, reference: `sp_${"5".repeat(32)}` }));
      const [service] = ffLinetServices("LARGEST", 1).map((s) => ({
        ...s,
        maxWeightKg: "9999999999.9999999999",
        rates: [{ maxWeightKg: "9999999999.9999999999", net: "9999999999.9999999999" }],
        tax: { ...s.tax, value: "9.9999999999" },
      }));
      const validated = validateDataset(addToDemo({ carrierServices: [service], shipments: [shipment] }));
      if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
      await importDataset(store, validated.dataset);
      const runner = await createOperationRunner(store);

      const { data } = await runner.run(allocateMutation("carrierService"), { shipmentRef: shipment.reference, ref: service.reference });
      await runner.stop();

      expect(data?.result).toMatchObject({ state: "ALLOCATED", price: { net: "10000000000.00", gross: "109999999999.00" } });
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
      expect(summary.shipments).toEqual({ inserted: 0, skipped: 13 });
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

      await importDataset(store, withDpdNext(1));

      expect(await nextTrackingNumber(store, "tracking_DPD")).toBe(next);
      expect(next).toBe(15501000000003n);
    });

    it("move forward to a larger next number", async () => {
      await importDataset(store, withDpdNext(20_000_000_000_000));

      const { rows } = await sql<{ n: string }>`SELECT nextval('"tracking_DPD"')::text AS n`.execute(store.db);
      expect(rows[0].n).toBe("20000000000000");
    });

    it("start at 1 for a new carrier without tracking numbers", async () => {
      await importDataset(store, { ...demo, carriers: [{ reference: "NEW.carrier-1", name: "New" }] });

      expect(await nextTrackingNumber(store, "tracking_NEW.carrier-1")).toBe(1n);
    });
  });
});

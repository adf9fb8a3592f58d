import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openPostgresStore, type Store } from "../../src/store/store";
import { allocateMutation } from "../api/api";
import { firstReadyAt, startObservedServer, type ObservedServer } from "../observability/harness";
import { importShipments, referenceMaker } from "../stress/shipments";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";
import { proxyDatabase, type TcpProxy } from "./tcp-proxy";

const LOAD_INTERVAL_MS = 50;
const OUTAGE_MS = 10_000;
const FAIL_FAST_MS = 2_500; // the pool's 2 s connection timeout, plus scheduling slack on a busy machine
const RECOVERY_MS = 5_000;
const CLIENT_TIMEOUT_MS = 8_000;

interface Sample {
  shipmentRef: string;
  sentAt: number;
  ms: number;
  status: number; // 0: no answer within CLIENT_TIMEOUT_MS
  code?: unknown;
  state?: string;
  trackingReference?: string;
}

describeOnPostgres("PostgreSQL outage under steady load", (open) => {
  let direct: PostgresDemoStore;
  let proxy: TcpProxy;
  let proxied: Store;
  let server: ObservedServer;
  const ref = referenceMaker();
  const shipments = Array.from({ length: 500 }, (_, i) => ref(i));

  beforeAll(async () => {
    direct = await open();
    await importShipments(direct, shipments);
    const proxiedDatabase = await proxyDatabase(direct.databaseUrl);
    proxy = proxiedDatabase.proxy;
    proxied = openPostgresStore(proxiedDatabase.url, { poolSize: 5 });
    server = await startObservedServer(proxied);
  });
  afterAll(async () => {
    await server?.stop();
    await proxied?.close();
    await proxy?.close();
    await direct?.dropDatabase();
  });

  it("fails fast with 503 SERVICE_UNAVAILABLE, turns /ready 503, recovers within 5 s, and leaves no partial allocation", async () => {
    // Arrange: a request every 50 ms for the whole test
    const samples: Promise<Sample>[] = [];
    let next = 0;
    const load = setInterval(() => samples.push(allocate(server, shipments[next++])), LOAD_INTERVAL_MS);
    try {
      await sleep(1_000);

      // Act: cut PostgreSQL off for 10 s
      const cutAt = Date.now();
      proxy.cut();
      await sleep(1_000);
      const readyDuringOutage = await server.get("/ready");
      const healthDuringOutage = await server.get("/health");
      await sleep(OUTAGE_MS - 1_000);
      const restoredAt = Date.now();
      proxy.restore();
      const recoveredAt = await firstReadyAt(server, restoredAt + RECOVERY_MS + 1_000);
      await sleep(1_500);
      clearInterval(load);
      const all = await Promise.all(samples);

      // Assert: the process stayed up and said it was not ready
      expect(healthDuringOutage.status).toBe(200);
      expect(readyDuringOutage.status).toBe(503);
      expect(all.every((s) => s.status !== 0)).toBe(true);
      // before the cut everything was allocated
      const before = all.filter((s) => s.sentAt + s.ms < cutAt);
      expect(before.length).toBeGreaterThan(5);
      expect(before.every((s) => s.status === 200 && s.state === "ALLOCATED")).toBe(true);
      // during the outage: a clear 503, fast, never a hang
      const during = all.filter((s) => s.sentAt >= cutAt + 100 && s.sentAt < restoredAt - 100);
      expect(during.length).toBeGreaterThan(100);
      expect(during.filter((s) => s.status !== 503 || s.code !== "SERVICE_UNAVAILABLE")).toEqual([]);
      expect(Math.max(...during.map((s) => s.ms))).toBeLessThanOrEqual(FAIL_FAST_MS);
      // after: ready and allocating again within 5 s
      expect(recoveredAt - restoredAt).toBeLessThanOrEqual(RECOVERY_MS);
      const after = all.filter((s) => s.sentAt >= recoveredAt);
      expect(after.length).toBeGreaterThan(5);
      expect(after.filter((s) => s.status !== 200 || s.state !== "ALLOCATED")).toEqual([]);
      // no partial allocation: allocated ⇔ an allocation row, and every success is stored as answered
      expect(await inconsistentShipments(direct)).toBe(0);
      const stored = await trackingByShipment(direct, shipments);
      for (const s of all.filter((x) => x.state === "ALLOCATED")) expect(stored.get(s.shipmentRef)).toBe(s.trackingReference);
    } finally {
      clearInterval(load);
    }
  });
});

async function allocate(server: ObservedServer, shipmentRef: string): Promise<Sample> {
  const sentAt = Date.now();
  try {
    const response = await Promise.race([
      server.post(allocateMutation("carrierService"), { shipmentRef, ref: "DPD-00012" }),
      sleep(CLIENT_TIMEOUT_MS).then(() => null),
    ]);
    if (!response) return { shipmentRef, sentAt, ms: Date.now() - sentAt, status: 0 };
    const result = response.body.data?.result;
    return {
      shipmentRef,
      sentAt,
      ms: Date.now() - sentAt,
      status: response.status,
      code: response.body.errors?.[0]?.extensions?.code,
      state: result?.state,
      trackingReference: result?.trackingDetails?.shipment?.trackingReferences?.[0],
    };
  } catch {
    return { shipmentRef, sentAt, ms: Date.now() - sentAt, status: 0 };
  }
}

async function inconsistentShipments(store: Store): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM shipments s LEFT JOIN allocations a ON a.shipment_id = s.id
    WHERE (s.state = 'allocated') <> (a.shipment_id IS NOT NULL)`.execute(store.db);
  return Number(rows[0].n);
}

async function trackingByShipment(store: Store, references: string[]): Promise<Map<string, string>> {
  const rows = await store.db
    .selectFrom("allocations as a")
    .innerJoin("shipments as s", "s.id", "a.shipment_id")
    .select(["s.reference", "a.tracking_references"])
    .where("s.reference", "in", references)
    .execute();
  return new Map(rows.map((r) => [r.reference, r.tracking_references[0]]));
}

import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { allocateMutation, type AllocateKind } from "../api/api";
import { postGraphQL } from "../observability/harness";
import { importShipments, referenceMaker } from "../stress/shipments";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";
import { lockShipments, startWaitingOneByOne, waitForLockWaiters } from "../support/locks";
import { buildService, startService, type ServiceProcess } from "../support/service-process";

const IN_FLIGHT = 6;
const KINDS: [AllocateKind, string][] = [
  ["carrierService", "DPD-00012"],
  ["serviceGroup", "NEXT_DAY"],
  ["virtual", "UK_ECONOMY"],
];

describeOnPostgres("SIGTERM with in-flight mutations", (open) => {
  let build: Awaited<ReturnType<typeof buildService>>;
  let db: PostgresDemoStore;
  let service: ServiceProcess | undefined;
  let locker: pg.Client | undefined;
  const ref = referenceMaker();
  let batch = 0;

  beforeAll(async () => {
    build = await buildService("sigterm");
    db = await open();
  });
  afterEach(async () => {
    service?.child.kill("SIGKILL");
    await locker?.end().catch(() => undefined);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    build?.remove();
  });

  it("turns readiness off first, lets in-flight mutations commit, then exits within the grace period", async () => {
    // Arrange: six allocations held up by a row lock this test owns
    const shipments = await freshShipments();
    service = await startService(build.main, db.databaseUrl, { SHUTDOWN_DELAY_MS: "1000", SHUTDOWN_GRACE_MS: "8000" });
    locker = await lockShipments(db.databaseUrl, shipments);
    const responses = await startWaitingOneByOne(db.databaseUrl, shipments.map((s, i) => () => allocate(service!.origin, s, i)));

    // Act
    const signalledAt = Date.now();
    service.child.kill("SIGTERM");
    const readyAfterSignal = await getStatus(service.origin, "/ready");
    await sleep(1_500);
    const newConnectionAfterDelay = await getStatus(service.origin, "/health");
    await locker.query("COMMIT");
    const answers = await Promise.all(responses);
    const exit = await service.exited;

    // Assert
    expect(readyAfterSignal).toBe(503);
    expect(newConnectionAfterDelay).toBe("refused");
    expect(answers.map((a) => [a.status, a.state])).toEqual(shipments.map(() => [200, "ALLOCATED"]));
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(8_000);
    expect(await statesOf(db, shipments)).toEqual(shipments.map(() => ["allocated", true]));
  });

  it("exits when the grace period is over, and what was cut off is not committed at all", async () => {
    // Arrange: the lock outlives the grace period
    const shipments = await freshShipments();
    service = await startService(build.main, db.databaseUrl, { SHUTDOWN_DELAY_MS: "0", SHUTDOWN_GRACE_MS: "2000" });
    locker = await lockShipments(db.databaseUrl, shipments);
    const responses = await startWaitingOneByOne(db.databaseUrl, shipments.map((s, i) => () => allocate(service!.origin, s, i)));

    // Act
    const signalledAt = Date.now();
    service.child.kill("SIGTERM");
    const exit = await service.exited;
    const answers = await Promise.all(responses);
    await locker.query("COMMIT");
    await waitForLockWaiters(db.databaseUrl, 0);

    // Assert
    expect(exit.code).toBe(1);
    expect(exit.at - signalledAt).toBeLessThan(2_000 + 1_500);
    expect(answers.every((a) => a.status !== 200)).toBe(true);
    expect(await statesOf(db, shipments)).toEqual(shipments.map(() => ["unallocated", false]));
  });

  it("a process killed outright (SIGKILL) commits nothing either: the server drops its waiting statements within a second", async () => {
    // Arrange
    const shipments = await freshShipments();
    // statement_timeout far away: only the lost client can end the statements
    service = await startService(build.main, db.databaseUrl, { DATABASE_STATEMENT_TIMEOUT_MS: "60000" });
    locker = await lockShipments(db.databaseUrl, shipments);
    const responses = await startWaitingOneByOne(db.databaseUrl, shipments.map((s, i) => () => allocate(service!.origin, s, i)));

    // Act: no shutdown code runs; the lock is still held when the server notices the lost client
    service.child.kill("SIGKILL");
    await service.exited;
    await Promise.all(responses);
    await waitForLockWaiters(db.databaseUrl, 0);
    await locker.query("COMMIT");

    // Assert
    expect(await statesOf(db, shipments)).toEqual(shipments.map(() => ["unallocated", false]));
  });

  async function freshShipments(): Promise<string[]> {
    const shipments = Array.from({ length: IN_FLIGHT }, (_, i) => ref(batch * 100 + i));
    batch++;
    await importShipments(db, shipments);
    return shipments;
  }
});

async function allocate(origin: string, shipmentRef: string, i: number): Promise<{ status: number | "failed"; state?: string }> {
  const [kind, ref] = KINDS[i % KINDS.length];
  try {
    const response = await postGraphQL(`${origin}/graphql`, allocateMutation(kind), { shipmentRef, ref });
    return { status: response.status, state: response.body.data?.result?.state };
  } catch {
    return { status: "failed" };
  }
}

async function getStatus(origin: string, path: string): Promise<number | "refused"> {
  try {
    return (await fetch(origin + path)).status;
  } catch {
    return "refused";
  }
}

async function statesOf(db: PostgresDemoStore, shipments: string[]): Promise<[string, boolean][]> {
  const rows = await db.db
    .selectFrom("shipments as s")
    .leftJoin("allocations as a", "a.shipment_id", "s.id")
    .select(["s.reference", "s.state", "a.shipment_id"])
    .where("s.reference", "in", shipments)
    .execute();
  const byRef = new Map(rows.map((r) => [r.reference, [r.state, r.shipment_id !== null] as [string, boolean]]));
  return shipments.map((s) => byRef.get(s)!);
}

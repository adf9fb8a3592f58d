import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isStoreUnavailable } from "../../src/observability/unavailable";
import { openPostgresStore, type Store } from "../../src/store/store";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";
import { proxyDatabase, type TcpProxy } from "./tcp-proxy";

describeOnPostgres("a connection lost while a transaction holds it", (open) => {
  let direct: PostgresDemoStore;
  let proxy: TcpProxy;
  let proxied: Store;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    direct = await open();
    const proxiedDatabase = await proxyDatabase(direct.databaseUrl);
    proxy = proxiedDatabase.proxy;
    proxied = openPostgresStore(proxiedDatabase.url, { poolSize: 2 });
    process.on("uncaughtException", record);
  });
  afterAll(async () => {
    process.off("uncaughtException", record);
    await proxied?.close();
    await proxy?.close();
    await direct?.dropDatabase();
  });

  it("fails that transaction with a store-unavailable error (503 to clients), does not crash the process, and the pool recovers", async () => {
    // Arrange: a transaction that has run a statement and is between statements (checked out, idle)
    let between!: () => void;
    const reachedGap = new Promise<void>((resolve) => (between = resolve));
    let resume!: () => void;
    const gapOver = new Promise<void>((resolve) => (resume = resolve));
    const transaction = proxied.db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx);
      between();
      await gapOver;
      return sql`SELECT 2`.execute(trx);
    });
    await reachedGap;

    // Act: the connection goes away under it, and comes back
    proxy.cut();
    await sleep(300);
    resume();
    const outcome = await transaction.then(
      () => "committed",
      (error: unknown) => error,
    );
    proxy.restore();
    const afterwards = await sql<{ one: number }>`SELECT 1 AS one`.execute(proxied.db);

    // Assert
    expect(uncaught).toEqual([]);
    expect(outcome).not.toBe("committed");
    expect(isStoreUnavailable(outcome)).toBe(true);
    expect(afterwards.rows).toEqual([{ one: 1 }]);
  });
});

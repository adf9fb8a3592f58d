// Pooled connections outlive a lull (DATABASE_IDLE_CONNECTION_MS): the first requests after it do not wait
// for new connections, nor for new backends to plan the allocation's functions again.
import { sql } from "kysely";
import pg from "pg";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config";
import { openConfiguredStore } from "../../src/store";
import type { Store } from "../../src/store/store";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";

describe("DATABASE_IDLE_CONNECTION_MS", () => {
  it("keeps an unused connection five minutes by default, for good at 0, and refuses a negative value", () => {
    expect(loadConfig({}).databaseIdleConnectionMs).toBe(300_000);
    expect(loadConfig({ DATABASE_IDLE_CONNECTION_MS: "0" }).databaseIdleConnectionMs).toBe(0);
    expect(() => loadConfig({ DATABASE_IDLE_CONNECTION_MS: "-1" })).toThrow(/DATABASE_IDLE_CONNECTION_MS/);
  });
});

describeOnPostgres("pooled connections across a lull", (open) => {
  let demo: PostgresDemoStore;
  let observer: pg.Client;

  beforeAll(async () => {
    demo = await open();
    observer = new pg.Client({ connectionString: demo.databaseUrl });
    await observer.connect();
  });
  afterAll(async () => {
    await observer?.end();
    await demo?.dropDatabase();
  });

  // this database's client sessions but the observer's own
  async function sessions(): Promise<number> {
    const { rows } = await observer.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    return rows[0].count;
  }

  /** Opens a store, has it hold two connections at once, lets it sit unused for `lullMs`, and counts its sessions left. */
  async function afterLull(idleConnectionMs: number, lullMs: number): Promise<{ opened: number; left: number }> {
    const before = await sessions();
    // as the service opens it, from its configuration (no cache: its listener would be one session more)
    const store: Store = await openConfiguredStore(
      { databaseUrl: demo.databaseUrl, dataDir: "", databasePoolSize: 2, databaseIdleConnectionMs: idleConnectionMs },
      { cache: false },
    );
    try {
      // both reserved at once, so the pool must open two (two queries at once could run on one connection
      // when opening the second takes longer than the first query), counted while they are held
      const opened = await store.db.connection().execute((first) =>
        store.db.connection().execute(async (second) => {
          await Promise.all([sql`SELECT 1`.execute(first), sql`SELECT 1`.execute(second)]);
          return (await sessions()) - before;
        }),
      );
      await sleep(lullMs);
      return { opened, left: (await sessions()) - before };
    } finally {
      await store.close();
      // a closed connection's backend leaves pg_stat_activity a moment later: the next test's count starts clean
      for (let i = 0; i < 100 && (await sessions()) > before; i++) await sleep(20);
    }
  }

  it("keeps them open through a lull shorter than the setting", async () => {
    // Arrange / Act: a lull of a second against a minute
    const { opened, left } = await afterLull(60_000, 1_000);

    // Assert
    expect(opened).toBe(2);
    expect(left).toBe(2);
  });

  it("closes them after a lull longer than the setting", async () => {
    // Arrange / Act: a lull of a second against a fifth of one
    const { opened, left } = await afterLull(200, 1_000);

    // Assert
    expect(opened).toBe(2);
    expect(left).toBe(0);
  });
});

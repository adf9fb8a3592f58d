// Rule numbers: docs/allocation-rules.md
// Store.pipelined on PostgreSQL (a batch without a key, rule 17): each statement commits on its own
// without waiting for the disk, and pipelined settles only once the disk holds every one of them.
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../src/store/database";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";

const lsn = (text: string) => {
  const [high, low] = text.split("/");
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};
const flushedUpTo = async (store: PostgresDemoStore) =>
  lsn((await sql<{ at: string }>`SELECT pg_current_wal_flush_lsn()::text AS at`.execute(store.db)).rows[0].at);
const setting = async (db: Kysely<Database>) => (await sql<{ value: string }>`SELECT current_setting('synchronous_commit') AS value`.execute(db)).rows[0].value;

// a write committed on its own, then where the WAL ends: after that write's commit record
async function commitAWrite(db: Kysely<Database>): Promise<bigint> {
  await sql`UPDATE shipments SET state = state WHERE id = (SELECT min(id) FROM shipments)`.execute(db);
  return lsn((await sql<{ at: string }>`SELECT pg_current_wal_insert_lsn()::text AS at`.execute(db)).rows[0].at);
}

describeOnPostgres("Store.pipelined: commits that do not wait one by one, on disk before it settles", (open) => {
  let store: PostgresDemoStore;

  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.dropDatabase());

  it("its statements commit without waiting for the disk, and the disk holds them all when it resolves", async () => {
    // Arrange: the settings the statements inside see, and the WAL's end after their last commit
    let inside = "";
    let end = 0n;

    // Act
    await store.pipelined(async (db) => {
      inside = await setting(db);
      await commitAWrite(db);
      end = await commitAWrite(db);
    });

    // Assert
    expect(inside).toBe("off");
    expect(await flushedUpTo(store)).toBeGreaterThanOrEqual(end);
  });

  it("when the work fails, what it committed is on disk before the error reaches the caller", async () => {
    let end = 0n;

    const failed = store.pipelined(async (db) => {
      end = await commitAWrite(db);
      throw new Error("an item met a bug");
    });

    await expect(failed).rejects.toThrow("an item met a bug");
    expect(await flushedUpTo(store)).toBeGreaterThanOrEqual(end);
  });

  it("the pool's connections wait for the disk again afterwards, every one of them", async () => {
    await store.pipelined(async (db) => commitAWrite(db));
    await store.pipelined<void>(() => Promise.reject(new Error("failed"))).catch(() => undefined);

    // as many statements at once as the pool has connections: each runs on a different one
    const settings = await Promise.all(Array.from({ length: 10 }, () => sql<{ value: string; pause: string }>`SELECT current_setting('synchronous_commit') AS value, pg_sleep(0.05)::text AS pause`.execute(store.db)));

    expect(settings.map((result) => result.rows[0].value)).toEqual(Array(10).fill("on"));
  });
});

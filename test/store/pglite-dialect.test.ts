import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_STATEMENTS } from "../../src/store/pglite-dialect";
import type { PgliteStore } from "../../src/store/store";
import { openDemoPglite, type DemoStore } from "../support/stores";

type Store = DemoStore & PgliteStore;

async function preparedCount(store: Store, text?: string): Promise<number> {
  const { rows } = await store.pglite.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE $1::text IS NULL OR statement = $1",
    [text ?? null],
  );
  return rows[0].n;
}

// src/store/pglite-dialect.ts: Kysely's statements on the embedded store, each prepared once
describe("the embedded store prepares each statement once", () => {
  let store: Store;

  beforeAll(async () => {
    store = (await openDemoPglite()) as Store;
    await store.exec(`CREATE TABLE dialect_values (
      id serial PRIMARY KEY, label text UNIQUE, tags text[], doc jsonb, amount numeric, big int8, at timestamptz, flag boolean, note text)`);
  });
  afterAll(() => store.dropDatabase());

  it("runs a statement sent three times as one prepared statement, with each call's values", async () => {
    // Arrange
    const text = "SELECT $1::int * 2 AS doubled";

    // Act
    const answers = [];
    for (const n of [1, 2, 3]) answers.push((await store.db.executeQuery<{ doubled: number }>(CompiledQuery.raw(text, [n]))).rows);

    // Assert
    expect(answers).toEqual([[{ doubled: 2 }], [{ doubled: 4 }], [{ doubled: 6 }]]);
    expect(await preparedCount(store, text)).toBe(1);
  });

  it("writes and reads values as PGlite's own query() does", async () => {
    // Arrange: one value of each kind the store sends, written once through each path
    const values = [["a", "b,c", 'd"e'], { nested: { n: 1 }, list: [1, 2] }, "12.50", "9007199254740993", new Date("2026-12-02T03:04:05.678Z"), true, null];
    const insert = "INSERT INTO dialect_values (label, tags, doc, amount, big, at, flag, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    // Act
    const inserted = await store.db.executeQuery(CompiledQuery.raw(insert, ["dialect", ...values]));
    await store.pglite.query(insert, ["query", ...values]);
    const read = "SELECT tags, doc, amount, big, at, flag, note FROM dialect_values WHERE label = $1";
    const viaDialect = (await store.db.executeQuery(CompiledQuery.raw(read, ["dialect"]))).rows;
    const viaQuery = (await store.pglite.query(read, ["query"])).rows;

    // Assert: the same row both ways, and the values as sent
    expect(inserted.numAffectedRows).toBe(1n);
    expect(viaDialect).toEqual(viaQuery);
    expect(viaDialect).toEqual([
      { tags: values[0], doc: values[1], amount: "12.50", big: "9007199254740993", at: values[4], flag: true, note: null },
    ]);
  });

  it("reports a statement's error with PostgreSQL's code and runs the statement again afterwards", async () => {
    // Arrange
    const insert = "INSERT INTO dialect_values (label) VALUES ($1)";
    await store.db.executeQuery(CompiledQuery.raw(insert, ["taken"]));

    // Act
    const duplicate = store.db.executeQuery(CompiledQuery.raw(insert, ["taken"]));

    // Assert
    await expect(duplicate).rejects.toMatchObject({ code: "23505" });
    await expect(store.db.executeQuery(CompiledQuery.raw(insert, ["free"]))).resolves.toMatchObject({ numAffectedRows: 1n });
  });

  it("keeps no statement that does not parse, and fails it the same way each time", async () => {
    // Arrange
    const text = "SELEC $1::int";

    // Act
    const first = store.db.executeQuery(CompiledQuery.raw(text, [1]));
    await expect(first).rejects.toMatchObject({ code: "42601" });
    const second = store.db.executeQuery(CompiledQuery.raw(text, [1]));

    // Assert
    await expect(second).rejects.toMatchObject({ code: "42601" });
    expect(await preparedCount(store, text)).toBe(0);
  });

  it(`keeps at most ${MAX_STATEMENTS} statements prepared, closing the least recently used`, async () => {
    // Arrange: more distinct statements than the bound
    const texts = Array.from({ length: MAX_STATEMENTS + 40 }, (_, i) => `SELECT $1::int + ${i} AS n`);

    // Act
    for (const [i, text] of texts.entries()) await store.db.executeQuery(CompiledQuery.raw(text, [i]));
    await store.db.executeQuery(CompiledQuery.raw(texts.at(-1)!, [0]));

    // Assert: the first ones closed, the last one still prepared
    expect(await preparedCount(store)).toBeLessThanOrEqual(MAX_STATEMENTS);
    expect(await preparedCount(store, texts[0])).toBe(0);
    expect(await preparedCount(store, texts.at(-1))).toBe(1);
  });

  it("rolls a failed transaction back and serves the next statement", async () => {
    // Arrange
    const failing = store.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO dialect_values (label) VALUES ('in-transaction')`.execute(trx);
      await sql`INSERT INTO dialect_values (label) VALUES ('taken')`.execute(trx);
    });

    // Act
    await expect(failing).rejects.toMatchObject({ code: "23505" });
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dialect_values WHERE label = 'in-transaction'`.execute(store.db);

    // Assert
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("never runs a statement between the steps of another caller's query()", async () => {
    // Arrange: PGlite's query() takes six steps on the unnamed statement and portal
    const calls = Array.from({ length: 200 }, (_, i) =>
      i % 2
        ? store.pglite.query<{ n: number }>("SELECT $1::int AS n", [i]).then((r) => r.rows[0].n)
        : store.db.executeQuery<{ n: number }>(CompiledQuery.raw("SELECT $1::int + 0 AS n", [i])).then((r) => r.rows[0].n),
    );

    // Act
    const answers = await Promise.all(calls);

    // Assert: every caller got its own answer
    expect(answers).toEqual(calls.map((_, i) => i));
  });
});

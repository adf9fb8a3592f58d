// What a test compares to tell whether an import wrote anything: every row and every tracking counter.
import { sql } from "kysely";
import type { Store } from "../../src/store/store";

const TABLES = [
  "accounts",
  "api_keys",
  "carriers",
  "carrier_services",
  "service_groups",
  "service_group_members",
  "shipments",
  "allocations",
] as const;

export type TableName = (typeof TABLES)[number];

export async function rowCounts(store: Store): Promise<Record<TableName, number>> {
  const counts = await Promise.all(
    TABLES.map(async (table) => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(store.db);
      return [table, rows[0].n] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<TableName, number>;
}

export async function tableDump(store: Store): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    dump[table] = (await sql`SELECT * FROM ${sql.table(table)} ORDER BY 1, 2`.execute(store.db)).rows;
  }
  const carriers = await store.db.selectFrom("carriers").select("tracking_sequence").orderBy("id").execute();
  for (const { tracking_sequence } of carriers) {
    dump[tracking_sequence] = (await sql`SELECT last_value, is_called FROM ${sql.id(tracking_sequence)}`.execute(store.db)).rows;
  }
  return dump;
}

/** The next number the carrier's sequence hands out, without using it up. */
export async function nextTrackingNumber(store: Store, sequence: string): Promise<bigint> {
  const { rows } = await sql<{ last_value: string; is_called: boolean }>`
    SELECT last_value, is_called FROM ${sql.id(sequence)}`.execute(store.db);
  return BigInt(rows[0].last_value) + (rows[0].is_called ? 1n : 0n);
}

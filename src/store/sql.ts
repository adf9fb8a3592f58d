import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./database";

// `= ANY($1)`: one array parameter whatever the batch size, so every batch is one statement of one shape
export function anyOf<T>(values: readonly T[]) {
  return sql<T>`any(${[...values]})`;
}

// an idempotent mutation runs inside the transaction that holds its key: join it
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute((trx: Transaction<Database>) => work(trx));
}

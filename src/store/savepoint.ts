import { sql, type Kysely } from "kysely";
import type { Database } from "./database";

/** Runs work inside a transaction so that its failure undoes only its own writes. */
export async function inSavepoint<T>(trx: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  await sql`savepoint batch_item`.execute(trx);
  try {
    const result = await work();
    await sql`release savepoint batch_item`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint batch_item`.execute(trx);
    throw error;
  }
}

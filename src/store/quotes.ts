import type { Kysely } from "kysely";
import type { Database } from "./database";

/** The database's quote signing key (migration 0003 makes it once). */
export async function findQuoteSigningKey(db: Kysely<Database>): Promise<Buffer> {
  const row = await db.selectFrom("quote_signing_key").select("secret").executeTakeFirstOrThrow();
  return Buffer.from(row.secret);
}

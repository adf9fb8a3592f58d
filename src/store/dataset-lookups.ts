import type { Kysely } from "kysely";
import type { Database } from "./database";
import { anyOf } from "./sql";

// What an import asks the store before it writes (src/import): references the file names but does not define.

/** The account references of these that the store has. */
export async function storedAccountRefs(db: Kysely<Database>, references: readonly string[]): Promise<string[]> {
  const rows = await db.selectFrom("accounts").select("reference").where("reference", "=", anyOf(references)).execute();
  return rows.map((row) => row.reference);
}

/** The carrier references of these that the store has. */
export async function storedCarrierRefs(db: Kysely<Database>, references: readonly string[]): Promise<string[]> {
  const rows = await db.selectFrom("carriers").select("reference").where("reference", "=", anyOf(references)).execute();
  return rows.map((row) => row.reference);
}

/** The stored carrier services of these accounts with these references. */
export async function storedServiceRefs(
  db: Kysely<Database>,
  accounts: readonly string[],
  references: readonly string[],
): Promise<{ account: string; reference: string }[]> {
  return db
    .selectFrom("carrier_services as s")
    .innerJoin("accounts as a", "a.id", "s.account_id")
    .select(["a.reference as account", "s.reference"])
    .where("a.reference", "=", anyOf(accounts))
    .where("s.reference", "=", anyOf(references))
    .execute();
}

/** Which account holds each of these API key hashes now. */
export async function apiKeyHolders(db: Kysely<Database>, keyHashes: readonly string[]): Promise<{ keyHash: string; account: string }[]> {
  const rows = await db
    .selectFrom("api_keys as k")
    .innerJoin("accounts as a", "a.id", "k.account_id")
    .select(["k.key_hash", "a.reference"])
    .where("k.key_hash", "=", anyOf(keyHashes))
    .execute();
  return rows.map((row) => ({ keyHash: row.key_hash, account: row.reference }));
}

/** True once any account is stored (the demo data is loaded into an empty store only). */
export async function hasAnyAccount(db: Kysely<Database>): Promise<boolean> {
  return !!(await db.selectFrom("accounts").select("id").limit(1).executeTakeFirst());
}

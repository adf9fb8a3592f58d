import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "./database";

export interface AccountRecord {
  id: number;
  reference: string;
  name: string;
}

export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey, "utf8").digest("hex");
}

export function findAccountByApiKey(db: Kysely<Database>, apiKey: string): Promise<AccountRecord | null> {
  return findAccountByKeyHash(db, hashApiKey(apiKey));
}

export async function findAccountByKeyHash(db: Kysely<Database>, keyHash: string): Promise<AccountRecord | null> {
  const row = await db
    .selectFrom("api_keys as k")
    .innerJoin("accounts as a", "a.id", "k.account_id")
    .select(["a.id", "a.reference", "a.name"])
    .where("k.key_hash", "=", keyHash)
    .executeTakeFirst();
  return row ?? null;
}

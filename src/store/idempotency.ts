import { sql, type Kysely } from "kysely";
import type { Database } from "./database";

export interface IdempotencyKeyRef {
  accountId: number;
  key: string;
}

export interface StoredIdempotencyKey {
  requestHash: string;
  /** Null only while the transaction that claimed the key has not committed. */
  result: unknown;
}

// how many other expired keys one request purges: the work per request stays bounded
const PURGE_BATCH = 100;

function expiredBefore(ttlHours: number) {
  return sql<Date>`now() - make_interval(hours => ${ttlHours})`;
}

/**
 * Lazy expiry: deletes this key when it is older than the TTL (so it can be claimed again), and a
 * batch of the account's other expired keys, skipping rows another transaction holds.
 */
export async function purgeExpiredKeys(trx: Kysely<Database>, ref: IdempotencyKeyRef, ttlHours: number): Promise<void> {
  await trx
    .deleteFrom("idempotency_keys")
    .where("account_id", "=", ref.accountId)
    .where("key", "=", ref.key)
    .where("created_at", "<", expiredBefore(ttlHours))
    .execute();
  await trx
    .deleteFrom("idempotency_keys")
    .where("account_id", "=", ref.accountId)
    .where("key", "in", (eb) =>
      eb
        .selectFrom("idempotency_keys")
        .select("key")
        .where("account_id", "=", ref.accountId)
        .where("created_at", "<", expiredBefore(ttlHours))
        .limit(PURGE_BATCH)
        .forUpdate()
        .skipLocked(),
    )
    .execute();
}

/**
 * Inserts the key for this transaction. When another transaction inserted it and has not committed,
 * PostgreSQL makes this statement wait for it; false when the key exists (committed) already.
 */
export async function claimIdempotencyKey(trx: Kysely<Database>, ref: IdempotencyKeyRef, requestHash: string): Promise<boolean> {
  const row = await trx
    .insertInto("idempotency_keys")
    .values({ account_id: ref.accountId, key: ref.key, request_hash: requestHash })
    .onConflict((conflict) => conflict.doNothing())
    .returning("key")
    .executeTakeFirst();
  return !!row;
}

export async function findIdempotencyKey(trx: Kysely<Database>, ref: IdempotencyKeyRef): Promise<StoredIdempotencyKey | undefined> {
  const row = await trx
    .selectFrom("idempotency_keys")
    .select(["request_hash", "result"])
    .where("account_id", "=", ref.accountId)
    .where("key", "=", ref.key)
    .executeTakeFirst();
  return row && { requestHash: row.request_hash, result: row.result };
}

export async function saveIdempotentResult(trx: Kysely<Database>, ref: IdempotencyKeyRef, result: unknown): Promise<void> {
  await trx
    .updateTable("idempotency_keys")
    .set({ result: JSON.stringify(result) })
    .where("account_id", "=", ref.accountId)
    .where("key", "=", ref.key)
    .execute();
}

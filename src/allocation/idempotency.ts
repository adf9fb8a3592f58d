import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import type { Kysely } from "kysely";
import type { Context } from "../graphql/context";
import { createLoaders } from "../graphql/loaders";
import type { Database } from "../store/database";
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  purgeExpiredKeys,
  saveIdempotentResult,
  type IdempotencyKeyRef,
} from "../store/idempotency";
import { AllocateResult } from "./allocate-result.type";
import { allocateShipment, type AllocationRequest, type AllocationScope, type TargetKind } from "./allocation.service";
import type { AllocationAnswer } from "./allocation.unions";
import { AmbiguousReferenceError, QuoteExpiredError, ReferenceNotFoundError } from "./api-error.type";
import { DeallocateResult } from "./deallocation.type";

/** What a key is bound to: the mutation and its arguments (reference: the one besides shipmentRef). */
interface IdempotentRequest {
  kind: TargetKind | "quote" | "deallocate";
  shipmentRef: string;
  reference: string | null;
}

const MAX_KEY_LENGTH = 255;

// a stored answer is rebuilt as an instance of its union member: members resolve by instanceof
const MEMBERS = { AllocateResult, AmbiguousReferenceError, ReferenceNotFoundError, QuoteExpiredError, DeallocateResult } as const;
type Member = InstanceType<(typeof MEMBERS)[keyof typeof MEMBERS]>;
type MemberName = keyof typeof MEMBERS;
type StoredAnswer = { __typename: MemberName } & Record<string, unknown>;

/** A keyed request: its fingerprint, its work, and how its result is stored and replayed. */
export interface Replayable<T> {
  /** Hex SHA-256 of the mutation and its arguments: another request under the same key is refused. */
  hash: string;
  run(scope: AllocationScope): Promise<T>;
  toStored(result: T): unknown;
  fromStored(stored: unknown, correlationId: string): T;
}

/**
 * Allocates once per (account, idempotency key): the key is claimed in the allocation's own
 * transaction, so a retry replays the committed answer and a concurrent retry waits for it.
 */
export async function allocateIdempotently(
  ctx: Context,
  request: AllocationRequest,
  idempotencyKey: string | null | undefined,
): Promise<AllocationAnswer> {
  return runMutation(ctx, request, idempotencyKey, (scope) => allocateShipment(scope, request));
}

/** Runs a mutation that answers one union member, once per (account, idempotency key) when a key is given. */
export function runMutation<T extends Member>(
  ctx: Context,
  request: IdempotentRequest,
  idempotencyKey: string | null | undefined,
  run: (scope: AllocationScope) => Promise<T>,
): Promise<T> {
  if (idempotencyKey == null) return run(requestScope(ctx));
  return runIdempotently<T>(ctx, idempotencyKey, {
    hash: hashRequest(request),
    run,
    toStored,
    fromStored: (stored, correlationId) => fromStored(stored, correlationId) as T,
  });
}

/** Runs the request once per (account, key), in one transaction with the key's claim. */
export async function runIdempotently<T>(ctx: Context, idempotencyKey: string, request: Replayable<T>): Promise<T> {
  const ref: IdempotencyKeyRef = { accountId: ctx.accountId, key: checkedKey(idempotencyKey) };
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    await purgeExpiredKeys(trx, ref, ctx.config.idempotencyTtlHours);
    if (!(await claimIdempotencyKey(trx, ref, request.hash))) {
      return request.fromStored(await replay(trx, ref, request.hash), ctx.correlationId);
    }
    const first = await request.run(scopeOn(ctx, trx));
    await saveIdempotentResult(trx, ref, request.toStored(first));
    return first;
  });
  // the transaction read and wrote through its own loaders: the request's may hold what preceded the writes
  ctx.loaders.shipmentByRef.clearAll();
  ctx.loaders.allocationByShipment.clearAll();
  ctx.loaders.allocationHistoryByShipment.clearAll();
  return result;
}

async function replay(trx: Kysely<Database>, ref: IdempotencyKeyRef, requestHash: string): Promise<unknown> {
  const stored = await findIdempotencyKey(trx, ref);
  if (stored && stored.requestHash !== requestHash) {
    throw new GraphQLError("This idempotencyKey was already used with another mutation or other arguments", {
      extensions: { code: "IDEMPOTENCY_KEY_REUSED", http: { status: 422 } },
    });
  }
  // the claim waited for the first transaction to commit, so its result is there; never run twice
  if (!stored?.result) {
    throw new GraphQLError("A request with this idempotencyKey is still running; retry later", {
      extensions: { code: "IDEMPOTENCY_KEY_IN_PROGRESS", http: { status: 409 } },
    });
  }
  return stored.result;
}

// jsonb holds no NUL and no lone surrogate, which a not-found answer echoes from the request: such an
// answer is kept as its JSON text (a jsonb string), where they are plain escapes
const UNSTORABLE_IN_JSONB = /\\u0000|\\ud[89a-f]/i;

/** Rebuilds a stored answer as an instance of its union member. */
export function fromStored(stored: unknown, correlationId: string): Member {
  const { __typename, ...fields } = (typeof stored === "string" ? JSON.parse(stored) : stored) as StoredAnswer;
  // the correlation id is the one of the request that asked, as in every answer
  return Object.assign(new MEMBERS[__typename](), fields, { correlationId });
}

export function toStored(answer: Member): StoredAnswer | string {
  const name = (Object.keys(MEMBERS) as MemberName[]).find((member) => answer instanceof MEMBERS[member]);
  if (!name) throw new Error("An allocation answer is not a member of the result unions");
  const stored = { __typename: name, ...answer };
  const text = JSON.stringify(stored);
  return UNSTORABLE_IN_JSONB.test(text) ? text : stored;
}

/** The request's own store and loaders, and what its answers carry. */
export function requestScope(ctx: Context): AllocationScope {
  return {
    db: ctx.store.db,
    loaders: ctx.loaders,
    accountId: ctx.accountId,
    store: ctx.store,
    config: ctx.config,
    correlationId: ctx.correlationId,
    publicBaseUrl: ctx.config.publicBaseUrl,
  };
}

/**
 * Every read and write goes through db, a transaction or a connection the work holds: nothing inside
 * waits for a second connection of the pool (PGlite has one; on PostgreSQL, holders waiting for the
 * pool they hold would starve it).
 */
export function scopeOn(ctx: Context, db: Kysely<Database>): AllocationScope {
  return { ...requestScope(ctx), db, loaders: createLoaders(db, ctx.store.caches, ctx.accountId) };
}

function hashRequest(request: IdempotentRequest): string {
  return createHash("sha256").update(JSON.stringify([request.kind, request.shipmentRef, request.reference])).digest("hex");
}

// PostgreSQL refuses NUL, and turns each lone surrogate into U+FFFD (distinct keys would collide):
// a key is visible text: no control or format characters, line separators or non-characters, well-formed UTF-16
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}]/u;

function checkedKey(key: string): string {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || NOT_PRINTABLE.test(key)) {
    throw new GraphQLError(`idempotencyKey must be 1 to ${MAX_KEY_LENGTH} printable characters (no control characters, well-formed Unicode)`, {
      extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
    });
  }
  return key;
}

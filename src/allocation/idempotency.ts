import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import type { Kysely } from "kysely";
import type { Context } from "../context";
import { createLoaders } from "../loaders";
import type { Database } from "../store/database";
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  purgeExpiredKeys,
  saveIdempotentResult,
  type IdempotencyKeyRef,
} from "../store/idempotency";
import { AllocateResult } from "./allocate-result.type";
import type { AllocationOutcome } from "./allocate-result.union";
import { allocateShipment, type TargetKind } from "./allocation.service";
import { AmbiguousReferenceError, ReferenceNotFoundError } from "./api-error.type";

export interface AllocationRequest {
  kind: TargetKind;
  shipmentRef: string;
  reference: string;
}

const MAX_KEY_LENGTH = 255;

// a stored outcome is rebuilt as an instance of its union member: members resolve by instanceof
const MEMBERS = { AllocateResult, AmbiguousReferenceError, ReferenceNotFoundError } as const;
type MemberName = keyof typeof MEMBERS;
type StoredOutcome = { __typename: MemberName } & Record<string, unknown>;

/**
 * Allocates once per (account, idempotency key): the key is claimed in the allocation's own
 * transaction, so a retry replays the committed outcome and a concurrent retry waits for it.
 */
export async function allocateIdempotently(
  ctx: Context,
  request: AllocationRequest,
  idempotencyKey: string | null | undefined,
): Promise<AllocationOutcome> {
  if (idempotencyKey == null) return allocateShipment(ctx, request.shipmentRef, request.kind, request.reference);
  const ref: IdempotencyKeyRef = { accountId: ctx.accountId, key: checkedKey(idempotencyKey) };
  const requestHash = hashRequest(request);

  const outcome = await ctx.store.db.transaction().execute(async (trx) => {
    await purgeExpiredKeys(trx, ref, ctx.config.idempotencyTtlHours);
    if (!(await claimIdempotencyKey(trx, ref, requestHash))) return replay(ctx, trx, ref, requestHash);
    const first = await allocateShipment(inTransaction(ctx, trx), request.shipmentRef, request.kind, request.reference);
    await saveIdempotentResult(trx, ref, toStored(first));
    return first;
  });
  // the transaction's loaders saw the writes; the request's own may hold what preceded them
  ctx.loaders = createLoaders(ctx.store.db, ctx.accountId);
  return outcome;
}

async function replay(ctx: Context, trx: Kysely<Database>, ref: IdempotencyKeyRef, requestHash: string): Promise<AllocationOutcome> {
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
  const { __typename, ...fields } = fromStored(stored.result);
  // the correlation id is the one of the request that asked, as in every answer
  return Object.assign(new MEMBERS[__typename](), fields, { correlationId: ctx.correlationId });
}

// jsonb holds no NUL and no lone surrogate, which a not-found answer echoes from the request: such an
// outcome is kept as its JSON text (a jsonb string), where they are plain escapes
const UNSTORABLE_IN_JSONB = /\\u0000|\\ud[89a-f]/i;

function toStored(outcome: AllocationOutcome): StoredOutcome | string {
  const name = (Object.keys(MEMBERS) as MemberName[]).find((member) => outcome instanceof MEMBERS[member]);
  if (!name) throw new Error("An allocation outcome is not a member of the result unions");
  const stored = { __typename: name, ...outcome };
  const text = JSON.stringify(stored);
  return UNSTORABLE_IN_JSONB.test(text) ? text : stored;
}

function fromStored(result: unknown): StoredOutcome {
  return (typeof result === "string" ? JSON.parse(result) : result) as StoredOutcome;
}

// every read and write of the allocation goes through the transaction (PGlite has one connection)
function inTransaction(ctx: Context, trx: Kysely<Database>): Context {
  return { ...ctx, store: { ...ctx.store, db: trx }, loaders: createLoaders(trx, ctx.accountId) };
}

function hashRequest(request: AllocationRequest): string {
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

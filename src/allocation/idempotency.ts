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
import { AmbiguousReferenceError, QuoteExpiredError, ReferenceNotFoundError } from "./api-error.type";
import { DeallocateResult } from "./deallocation.type";

export interface AllocationRequest {
  kind: TargetKind;
  shipmentRef: string;
  reference: string;
}

/** What a key is bound to: the mutation and its arguments (reference: the one besides shipmentRef). */
interface IdempotentRequest {
  kind: TargetKind | "quote" | "deallocate";
  shipmentRef: string;
  reference: string | null;
}

const MAX_KEY_LENGTH = 255;

// a stored outcome is rebuilt as an instance of its union member: members resolve by instanceof
const MEMBERS = { AllocateResult, AmbiguousReferenceError, ReferenceNotFoundError, QuoteExpiredError, DeallocateResult } as const;
type Member = InstanceType<(typeof MEMBERS)[keyof typeof MEMBERS]>;
type MemberName = keyof typeof MEMBERS;
type StoredOutcome = { __typename: MemberName } & Record<string, unknown>;

/**
 * Allocates once per (account, idempotency key): the key is claimed in the allocation's own
 * transaction, so a retry replays the committed outcome and a concurrent retry waits for it.
 */
export function allocateIdempotently(
  ctx: Context,
  request: AllocationRequest,
  idempotencyKey: string | null | undefined,
): Promise<AllocationOutcome> {
  return runIdempotently(ctx, request, idempotencyKey, (inTrx) => allocateShipment(inTrx, request.shipmentRef, request.kind, request.reference));
}

/** Runs a mutation once per (account, idempotency key), as allocateIdempotently does. */
export async function runIdempotently<T extends Member>(
  ctx: Context,
  request: IdempotentRequest,
  idempotencyKey: string | null | undefined,
  run: (ctx: Context) => Promise<T>,
): Promise<T> {
  if (idempotencyKey == null) return run(ctx);
  const ref: IdempotencyKeyRef = { accountId: ctx.accountId, key: checkedKey(idempotencyKey) };
  const requestHash = hashRequest(request);

  const outcome = await ctx.store.db.transaction().execute(async (trx) => {
    await purgeExpiredKeys(trx, ref, ctx.config.idempotencyTtlHours);
    if (!(await claimIdempotencyKey(trx, ref, requestHash))) return replay(ctx, trx, ref, requestHash) as Promise<T>;
    const first = await run(inTransaction(ctx, trx));
    await saveIdempotentResult(trx, ref, toStored(first));
    return first;
  });
  // the transaction's loaders saw the writes; the request's own may hold what preceded them
  ctx.loaders = createLoaders(ctx.store.db, ctx.accountId);
  return outcome;
}

async function replay(ctx: Context, trx: Kysely<Database>, ref: IdempotencyKeyRef, requestHash: string): Promise<Member> {
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
  const { __typename, ...fields } = stored.result as StoredOutcome;
  // the correlation id is the one of the request that asked, as in every answer
  return Object.assign(new MEMBERS[__typename](), fields, { correlationId: ctx.correlationId });
}

function toStored(outcome: Member): StoredOutcome {
  const name = (Object.keys(MEMBERS) as MemberName[]).find((member) => outcome instanceof MEMBERS[member]);
  if (!name) throw new Error("An allocation outcome is not a member of the result unions");
  return { __typename: name, ...outcome };
}

// every read and write of the allocation goes through the transaction (PGlite has one connection)
function inTransaction(ctx: Context, trx: Kysely<Database>): Context {
  return { ...ctx, store: { ...ctx.store, db: trx }, loaders: createLoaders(trx, ctx.accountId) };
}

function hashRequest(request: IdempotentRequest): string {
  return createHash("sha256").update(JSON.stringify([request.kind, request.shipmentRef, request.reference])).digest("hex");
}

function checkedKey(key: string): string {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new GraphQLError(`idempotencyKey must be 1 to ${MAX_KEY_LENGTH} characters long`, {
      extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
    });
  }
  return key;
}

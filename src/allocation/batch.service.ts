// Rule numbers: docs/allocation-rules.md
import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import type { Context } from "../graphql/context";
import { rethrowUnavailable } from "../observability/unavailable";
import { inSavepoint } from "../store/savepoint";
import { allocateShipment, type AllocationScope } from "./allocation.service";
import type { AllocationAnswer } from "./allocation.unions";
import type { AllocateShipmentInput } from "./batch.args";
import { fromStored, runIdempotently, scopeOn, toStored } from "./idempotency";

export const MAX_BATCH_ITEMS = 100;

/** An item's outcome, or the unexpected error it met (GraphQL answers null at its index, with its path). */
export type BatchItemResult = AllocationAnswer | Error;

type Isolate = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Rule 17: every item as allocateShipmentWithVirtualService would handle it, in order, each on its
 * own; the lookups of all items are batched before the first one runs.
 */
export async function allocateShipments(
  ctx: Context,
  items: AllocateShipmentInput[],
  idempotencyKey: string | null | undefined,
): Promise<BatchItemResult[]> {
  checkSize(items);
  // without a key each item's allocation is its own statement, its own transaction: items on different
  // shipments run together, their statements pipelined on one connection
  if (idempotencyKey == null) {
    return ctx.store.pipelined((db) => allocateEach(scopeOn(ctx, db), items, (work) => work(), (item) => item.shipmentRef));
  }
  return runIdempotently(ctx, idempotencyKey, {
    hash: hashItems(items),
    // one transaction holds the key and every item; a savepoint per item keeps the items independent,
    // and savepoints of one transaction follow each other: one item at a time
    run: (scope) => allocateEach(scope, items, (work) => inSavepoint(scope.db, work), () => "all"),
    toStored: (results) => results.map((result) => (result instanceof Error ? null : toStored(result))),
    fromStored: (stored, correlationId) =>
      (stored as unknown[]).map((item) => (item === null ? new Error(FAILED_BEFORE) : (fromStored(item, correlationId) as AllocationAnswer))),
  });
}

const FAILED_BEFORE = "This item met an unexpected error when this idempotencyKey was first used; it was not allocated";

/** Items of one queue run one after another, in their order; queues run together. */
type QueueOf = (item: AllocateShipmentInput) => string;

async function allocateEach(scope: AllocationScope, items: AllocateShipmentInput[], isolate: Isolate, queueOf: QueueOf): Promise<BatchItemResult[]> {
  await preload(scope, items);
  const allocateItem = (item: AllocateShipmentInput) =>
    isolate(() => allocateShipment(scope, { kind: "virtual", shipmentRef: item.shipmentRef, reference: item.virtualServiceRef })).catch((error: unknown) => {
      // what the failed item left in the loaders is unknown: a later item on that shipment reads it again
      scope.loaders.shipmentByRef.clear(item.shipmentRef);
      return error instanceof Error ? error : new Error(String(error));
    });
  const results: BatchItemResult[] = new Array<BatchItemResult>(items.length);
  // items naming the same shipment share a queue: each sees the earlier ones' outcome
  const queues = new Map<string, Promise<void>>();
  items.forEach((item, i) => {
    const queue = queueOf(item);
    queues.set(
      queue,
      (queues.get(queue) ?? Promise.resolve()).then(async () => {
        results[i] = await allocateItem(item);
      }),
    );
  });
  await Promise.all(queues.values());
  return results;
}

// one statement per loader whatever the number of items; each item then finds its records cached
async function preload({ loaders }: AllocationScope, items: AllocateShipmentInput[]): Promise<void> {
  const references = [...new Set(items.map((item) => item.virtualServiceRef))];
  const [, , groups] = await Promise.all([
    Promise.all(items.map((item) => loaders.shipmentByRef.load(item.shipmentRef))),
    Promise.all(references.map((reference) => loaders.carrierServiceByRef.load(reference))),
    Promise.all(references.map((reference) => loaders.serviceGroupByRef.load(reference))),
  ]).catch(rethrowUnavailable);
  const groupIds = groups.flatMap((group) => (group ? [group.id] : []));
  await Promise.all(groupIds.map((id) => loaders.groupMembers.load(id))).catch(rethrowUnavailable);
}

function checkSize(items: AllocateShipmentInput[]): void {
  if (items.length >= 1 && items.length <= MAX_BATCH_ITEMS) return;
  throw new GraphQLError(`items must hold 1 to ${MAX_BATCH_ITEMS} shipments; it holds ${items.length}`, {
    extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
  });
}

function hashItems(items: AllocateShipmentInput[]): string {
  const pairs = items.map((item) => [item.shipmentRef, item.virtualServiceRef]);
  return createHash("sha256").update(JSON.stringify(["batch", pairs])).digest("hex");
}

// Rule numbers: docs/allocation-rules.md
import { GraphQLError } from "graphql";
import type { AllocationScope } from "./allocation.service";
import { commitDeallocation } from "../store/allocations";
import type { ShipmentRecord } from "./engine/records";
import { notFound } from "./allocation.answers";
import { deallocatedResult, notDeallocatedResult } from "./deallocation.results";
import type { DeallocationOutcome } from "./deallocation.type";

const MAX_REASON = 500;

/** Rule 18's reason: at most 500 code points; "" is no reason. Checked before any lookup. */
export function checkedReason(reason: string | null | undefined): string | null {
  if (!reason) return null;
  if ([...reason].length > MAX_REASON) throw badReason(`reason must be at most ${MAX_REASON} characters long`);
  // PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database
  if (reason.includes("\u0000")) throw badReason("reason must not contain NUL characters");
  return reason;
}

function badReason(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
}

/** Rule 18: an allocated shipment back to unallocated, its allocation voided but kept in the history. */
export async function deallocateShipment(ctx: AllocationScope, shipmentRef: string, reason: string | null): Promise<DeallocationOutcome> {
  const shipment = await ctx.loaders.shipmentByRef.load(shipmentRef);
  if (!shipment) return notFound(ctx, "shipment_not_found", shipmentRef);
  if (shipment.state !== "allocated") return notDeallocatedResult(ctx, shipment);
  if (!(await commitDeallocation(ctx.db, shipment, reason))) {
    // another request moved the shipment first: answer with the state it now has
    const current = await ctx.loaders.shipmentByRef.clear(shipmentRef).load(shipmentRef);
    return notDeallocatedResult(ctx, current ?? shipment);
  }
  const unallocated: ShipmentRecord = { ...shipment, state: "unallocated" };
  // later fields of this response (shipment.allocation, allocationHistory) must see what was just written
  ctx.loaders.shipmentByRef.clear(shipmentRef).prime(shipmentRef, unallocated);
  ctx.loaders.allocationByShipment.clear(shipment.id).prime(shipment.id, null);
  ctx.loaders.allocationHistoryByShipment.clear(shipment.id);
  return deallocatedResult(ctx, unallocated);
}

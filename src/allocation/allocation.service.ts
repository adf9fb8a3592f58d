import type { Context } from "../context";
import type { CarrierServiceRecord, ServiceGroupRecord, ShipmentRecord } from "../store/records";
import { commitAllocation, markAllocationFailed } from "../store/shipments";
import type { AllocateResult } from "./allocate-result.type";
import type { AllocationOutcome } from "./allocate-result.union";
import {
  ambiguous,
  failedResult,
  invalidStateResult,
  notFound,
  successResult,
  type NotFoundCode,
} from "./allocation.results";
import type { AmbiguousReferenceError, ReferenceNotFoundError } from "./api-error.type";
import { decideForCarrierService, decideForGroup, isAllocatable, type AllocationDecision } from "./engine";

export type TargetKind = "virtual" | "carrierService" | "serviceGroup";

const NOT_FOUND: Record<TargetKind, NotFoundCode> = {
  virtual: "virtual_service_not_found",
  carrierService: "carrier_service_not_found",
  serviceGroup: "service_group_not_found",
};

type Target = { service: CarrierServiceRecord } | { group: ServiceGroupRecord };

/**
 * What rules 1-11 decide about allocating now, without writing anything: the allocation stores it,
 * the preview shows it, so the two cannot disagree. decision null: the state forbids allocation.
 */
type AllocationPlan =
  | { refused: AmbiguousReferenceError | ReferenceNotFoundError }
  | { shipment: ShipmentRecord; decision: AllocationDecision | null };

/** Find the shipment, resolve the reference, check the state, decide with the pure engine. */
export async function planAllocation(ctx: Context, shipmentRef: string, kind: TargetKind, reference: string): Promise<AllocationPlan> {
  const shipment = await ctx.loaders.shipmentByRef.load(shipmentRef);
  if (!shipment) return { refused: notFound(ctx, "shipment_not_found", shipmentRef) };

  const [service, group] = await Promise.all([
    kind === "serviceGroup" ? null : ctx.loaders.carrierServiceByRef.load(reference),
    kind === "carrierService" ? null : ctx.loaders.serviceGroupByRef.load(reference),
  ]);
  if (service && group) return { refused: ambiguous(ctx, reference, service, group) };
  const target: Target | null = service ? { service } : group ? { group } : null;
  if (!target) return { refused: notFound(ctx, NOT_FOUND[kind], reference) };

  if (!isAllocatable(shipment.state)) return { shipment, decision: null };
  const decision =
    "service" in target
      ? decideForCarrierService(shipment, target.service)
      : decideForGroup(shipment, await ctx.loaders.groupMembers.load(target.group.id));
  return { shipment, decision };
}

/** Rules 1-13: the plan, stored with a guarded state transition. */
export async function allocateShipment(
  ctx: Context,
  shipmentRef: string,
  kind: TargetKind,
  reference: string,
): Promise<AllocationOutcome> {
  const plan = await planAllocation(ctx, shipmentRef, kind, reference);
  if ("refused" in plan) return plan.refused;
  if (!plan.decision) return invalidStateResult(ctx, plan.shipment);
  return commitDecision(ctx, plan.shipment, plan.decision);
}

/** Stores a decision: the allocation (rules 12-13) or the failed attempt (rule 11); rule 6's result when another request moved the shipment first. */
export async function commitDecision(ctx: Context, shipment: ShipmentRecord, decision: AllocationDecision): Promise<AllocateResult> {
  const db = ctx.store.db;
  if (decision.outcome === "fail") {
    if (!(await markAllocationFailed(db, shipment))) return lostRace(ctx, shipment);
    ctx.loaders.shipmentByRef.clear(shipment.reference).prime(shipment.reference, { ...shipment, state: "allocation_failed" });
    return failedResult(ctx, shipment, decision.details, decision.excluded);
  }
  const { service, price } = decision;
  const allocation = await commitAllocation(db, {
    shipment,
    serviceId: service.id,
    serviceReference: service.reference,
    serviceName: service.name,
    carrierId: service.carrier.id,
    carrierReference: service.carrier.reference,
    carrierName: service.carrier.name,
    price,
  });
  if (!allocation) return lostRace(ctx, shipment);
  const allocated: ShipmentRecord = { ...shipment, state: "allocated" };
  // later fields of this response (shipment.allocation) must see what was just written
  ctx.loaders.shipmentByRef.clear(shipment.reference).prime(shipment.reference, allocated);
  ctx.loaders.allocationByShipment.clear(shipment.id).prime(shipment.id, allocation);
  ctx.loaders.allocationHistoryByShipment.clear(shipment.id);
  return successResult(ctx, allocated, service, allocation, decision.excluded);
}

// another request moved the shipment first (rule 7): answer as rule 6, with the state it now has
async function lostRace(ctx: Context, shipment: ShipmentRecord): Promise<AllocateResult> {
  const current = await ctx.loaders.shipmentByRef.clear(shipment.reference).load(shipment.reference);
  return invalidStateResult(ctx, current ?? shipment);
}

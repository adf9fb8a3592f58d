import type { Context } from "../context";
import type { CarrierServiceRecord, ServiceGroupRecord, ShipmentRecord } from "../store/records";
import { commitAllocation, markAllocationFailed } from "../store/shipments";
import type { AllocationOutcome } from "./allocate-result.union";
import {
  ambiguous,
  failedResult,
  invalidStateResult,
  notFound,
  successResult,
  type NotFoundCode,
} from "./allocation.results";
import { decideForCarrierService, decideForGroup, isAllocatable, type AllocationDecision } from "./engine";

export type TargetKind = "virtual" | "carrierService" | "serviceGroup";

const NOT_FOUND: Record<TargetKind, NotFoundCode> = {
  virtual: "virtual_service_not_found",
  carrierService: "carrier_service_not_found",
  serviceGroup: "service_group_not_found",
};

type Target = { service: CarrierServiceRecord } | { group: ServiceGroupRecord };

// Rule numbers: docs/allocation-rules.md
/**
 * Rules 1-13: find the shipment, resolve the reference, check the state, decide with the pure
 * engine, then store the outcome with a guarded state transition.
 */
export async function allocateShipment(
  ctx: Context,
  shipmentRef: string,
  kind: TargetKind,
  reference: string,
): Promise<AllocationOutcome> {
  const shipment = await ctx.loaders.shipmentByRef.load(shipmentRef);
  if (!shipment) return notFound(ctx, "shipment_not_found", shipmentRef);

  const [service, group] = await Promise.all([
    kind === "serviceGroup" ? null : ctx.loaders.carrierServiceByRef.load(reference),
    kind === "carrierService" ? null : ctx.loaders.serviceGroupByRef.load(reference),
  ]);
  if (service && group) return ambiguous(ctx, reference, service, group);
  const target: Target | null = service ? { service } : group ? { group } : null;
  if (!target) return notFound(ctx, NOT_FOUND[kind], reference);

  if (!isAllocatable(shipment.state)) return invalidStateResult(ctx, shipment);
  const decision =
    "service" in target
      ? decideForCarrierService(shipment, target.service)
      : decideForGroup(shipment, await ctx.loaders.groupMembers.load(target.group.id));
  return store(ctx, shipment, decision);
}

async function store(ctx: Context, shipment: ShipmentRecord, decision: AllocationDecision): Promise<AllocationOutcome> {
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
  return successResult(ctx, allocated, service, allocation, decision.excluded);
}

// another request moved the shipment first (rule 7): answer as rule 6, with the state it now has
async function lostRace(ctx: Context, shipment: ShipmentRecord): Promise<AllocationOutcome> {
  const current = await ctx.loaders.shipmentByRef.clear(shipment.reference).load(shipment.reference);
  return invalidStateResult(ctx, current ?? shipment);
}

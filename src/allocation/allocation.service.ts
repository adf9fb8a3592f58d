import type { Kysely } from "kysely";
import type { Config } from "../config/config";
import type { Loaders } from "../graphql/loaders";
import type { Store } from "../store";
import type { Database } from "../store/database";
import { commitAllocation, markAllocationFailed } from "../store/shipments";
import type { AllocateResult } from "./allocate-result.type";
import { allocated, ambiguous, failed, invalidState, notFound, type AnswerContext, type NotFoundCode } from "./allocation.answers";
import type { AllocationAnswer } from "./allocation.unions";
import type { AmbiguousReferenceError, ReferenceNotFoundError } from "./api-error.type";
import { inSpan } from "../observability/tracing";
import { decideForCarrierService, decideForGroup, isAllocatable, type AllocationDecision } from "./engine";
import type { CarrierServiceRecord, ServiceGroupRecord, ShipmentRecord } from "./engine/records";

// Rule numbers: docs/allocation-rules.md

export type TargetKind = "virtual" | "carrierService" | "serviceGroup";

export interface AllocationRequest {
  kind: TargetKind;
  shipmentRef: string;
  reference: string;
}

/** Where an allocation reads and writes (the request's store and loaders, or a transaction's), for whom, and what its answers carry. */
export interface AllocationScope extends AnswerContext {
  db: Kysely<Database>;
  loaders: Loaders;
  accountId: number;
  /** The process's store, for what outlives a transaction (the quote signing key). */
  store: Store;
  config: Config;
}

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
export async function planAllocation(scope: AllocationScope, request: AllocationRequest): Promise<AllocationPlan> {
  const { loaders } = scope;
  const { kind, shipmentRef, reference } = request;
  const shipment = await loaders.shipmentByRef.load(shipmentRef);
  if (!shipment) return { refused: notFound(scope, "shipment_not_found", shipmentRef) };

  const [service, group] = await Promise.all([
    kind === "serviceGroup" ? null : loaders.carrierServiceByRef.load(reference),
    kind === "carrierService" ? null : loaders.serviceGroupByRef.load(reference),
  ]);
  if (service && group) return { refused: ambiguous(scope, reference, service, group) };
  const target: Target | null = service ? { service } : group ? { group } : null;
  if (!target) return { refused: notFound(scope, NOT_FOUND[kind], reference) };

  if (!isAllocatable(shipment.state)) return { shipment, decision: null };
  const decision =
    "service" in target
      ? decideForCarrierService(shipment, target.service)
      : decideForGroup(shipment, await loaders.groupMembers.load(target.group.id));
  return { shipment, decision };
}

/** Rules 1-13: the plan, stored with a guarded state transition. */
export async function allocateShipment(scope: AllocationScope, request: AllocationRequest): Promise<AllocationAnswer> {
  const plan = await planAllocation(scope, request);
  if ("refused" in plan) return plan.refused;
  if (!plan.decision) return invalidState(scope, plan.shipment);
  return commitDecision(scope, plan.shipment, plan.decision);
}

/**
 * Stores a decision: the allocation (rules 12-13) or the failed attempt (rule 11); rule 6's answer
 * when another request moved the shipment first. In a traced request, in an "allocation" span.
 */
export function commitDecision(scope: AllocationScope, shipment: ShipmentRecord, decision: AllocationDecision): Promise<AllocateResult> {
  return inSpan("allocation", {}, async (span) => {
    span?.setAttributes({ "allocation.decision": decision.kind, ...(decision.kind === "fail" ? {} : { "allocation.carrier_service": decision.service.reference }) });
    const result = await storeDecision(scope, shipment, decision);
    span?.setAttribute("allocation.state", result.state);
    return result;
  });
}

async function storeDecision(scope: AllocationScope, shipment: ShipmentRecord, decision: AllocationDecision): Promise<AllocateResult> {
  const { db, loaders } = scope;
  if (decision.kind === "fail") {
    if (!(await markAllocationFailed(db, shipment))) return lostRace(scope, shipment);
    loaders.shipmentByRef.clear(shipment.reference).prime(shipment.reference, { ...shipment, state: "allocation_failed" });
    return failed(scope, shipment, decision.details, decision.excluded);
  }
  const { service, price } = decision;
  const allocation = await commitAllocation(db, {
    shipment,
    serviceId: service.id,
    serviceReference: service.reference,
    serviceName: service.name,
    carrierId: service.carrier.id,
    price,
  });
  if (!allocation) return lostRace(scope, shipment);
  const allocatedShipment: ShipmentRecord = { ...shipment, state: "allocated" };
  // later fields of this response (shipment.allocation, allocationHistory) must see what was just written
  loaders.shipmentByRef.clear(shipment.reference).prime(shipment.reference, allocatedShipment);
  loaders.allocationByShipment.clear(shipment.id).prime(shipment.id, allocation);
  loaders.allocationHistoryByShipment.clear(shipment.id);
  return allocated(scope, allocatedShipment, service, allocation, decision.excluded);
}

// another request moved the shipment first (rule 7): answer as rule 6, with the state it now has
async function lostRace(scope: AllocationScope, shipment: ShipmentRecord): Promise<AllocateResult> {
  const current = await scope.loaders.shipmentByRef.clear(shipment.reference).load(shipment.reference);
  return invalidState(scope, current ?? shipment);
}

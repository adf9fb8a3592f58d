// Rule numbers: docs/allocation-rules.md
import type { AllocationScope } from "./allocation.service";
import { Shipment } from "../shipment/shipment.type";
import type { ShipmentRecord } from "./engine/records";
import { DeallocateResult } from "./deallocation.type";
import { ErrorDetail } from "./error-detail.type";

function result(ctx: AllocationScope, shipment: ShipmentRecord, message: string, details: ErrorDetail[]): DeallocateResult {
  return Object.assign(new DeallocateResult(), {
    shipmentReference: shipment.reference,
    state: Shipment.from(shipment).state,
    message,
    details,
    correlationId: ctx.correlationId,
    shipment: Shipment.from(shipment),
  });
}

/** Rule 18: the shipment is unallocated now. */
export function deallocatedResult(ctx: AllocationScope, shipment: ShipmentRecord): DeallocateResult {
  return result(ctx, shipment, `Shipment ${shipment.reference} has been deallocated`, []);
}

/** Rule 18: only an allocated shipment can be deallocated; nothing changed. */
export function notDeallocatedResult(ctx: AllocationScope, shipment: ShipmentRecord): DeallocateResult {
  const detail = Object.assign(new ErrorDetail(), {
    code: "shipment_invalid_state",
    message: `Shipment ${shipment.reference} is ${shipment.state} and cannot be deallocated`,
    property: "state",
  });
  return result(ctx, shipment, `Shipment ${shipment.reference} could not be deallocated`, [detail]);
}

import { CarrierService } from "../carrier-service/carrier-service.type";
import type { Context } from "../context";
import { ServiceGroup } from "../service-group/service-group.type";
import { Shipment } from "../shipment/shipment.type";
import type { AllocationRecord, CarrierServiceRecord, ServiceGroupRecord, ShipmentRecord } from "../store/records";
import { AllocateResult } from "./allocate-result.type";
import { AmbiguousReferenceError, ReferenceNotFoundError } from "./api-error.type";
import { CarrierDetails } from "./carrier-details.type";
import {
  buildLinks,
  failureMessage,
  invalidStateDetails,
  successMessage,
  type DetailRecord,
  type ExcludedServiceRecord,
  type Exclusion as ExclusionRecord,
} from "./engine";
import { ErrorDetail, Exclusion } from "./error-detail.type";
import { ExcludedService } from "./excluded-service.type";
import { Link } from "./link.type";
import { Price } from "./price.type";
import { TrackingDetails } from "./tracking.type";

export type NotFoundCode =
  | "shipment_not_found"
  | "virtual_service_not_found"
  | "carrier_service_not_found"
  | "service_group_not_found"
  | "quote_not_found";

const NOT_FOUND_SUBJECT: Record<NotFoundCode, string> = {
  shipment_not_found: "Shipment",
  virtual_service_not_found: "Carrier service or service group",
  carrier_service_not_found: "Carrier service",
  service_group_not_found: "Service group",
  quote_not_found: "Quote",
};

export function notFound(ctx: Context, code: NotFoundCode, reference: string): ReferenceNotFoundError {
  return Object.assign(new ReferenceNotFoundError(), {
    code,
    message: `${NOT_FOUND_SUBJECT[code]} ${JSON.stringify(reference)} was not found`,
    correlationId: ctx.correlationId,
    reference,
  });
}

export function ambiguous(
  ctx: Context,
  reference: string,
  service: CarrierServiceRecord,
  group: ServiceGroupRecord,
): AmbiguousReferenceError {
  return Object.assign(new AmbiguousReferenceError(), {
    code: "non_unique_reference",
    message:
      `Reference ${reference} names both a carrier service and a service group: ` +
      "use allocateShipmentWithCarrierService or allocateShipmentWithServiceGroup",
    correlationId: ctx.correlationId,
    reference,
    carrierService: CarrierService.from(service),
    serviceGroup: ServiceGroup.from(group),
  });
}

export function links(ctx: Context, reference: string, withLabels: boolean): Link[] {
  return buildLinks(ctx.config.publicBaseUrl, reference, withLabels).map((link) => Object.assign(new Link(), link));
}

export function carrierDetailsOf(service: CarrierServiceRecord): CarrierDetails {
  return CarrierDetails.from({
    reference: service.carrier.reference,
    name: service.carrier.name,
    serviceReference: service.reference,
    serviceName: service.name,
  });
}

export function toExclusion(exclusion: ExclusionRecord): Exclusion {
  return Object.assign(new Exclusion(), { code: exclusion.code, reason: exclusion.reason });
}

function excludedServices(excluded: ExcludedServiceRecord[]): ExcludedService[] {
  return excluded.map(({ service, exclusion }) =>
    Object.assign(new ExcludedService(), { carrier: carrierDetailsOf(service), exclusion: toExclusion(exclusion) }),
  );
}

function unallocatedResult(
  ctx: Context,
  shipment: ShipmentRecord,
  details: DetailRecord[],
  excluded: ExcludedServiceRecord[],
): AllocateResult {
  return Object.assign(new AllocateResult(), {
    shipmentReference: shipment.reference,
    state: Shipment.from(shipment).state,
    price: null,
    message: failureMessage(shipment.reference),
    carrier: null,
    trackingDetails: null,
    links: links(ctx, shipment.reference, false),
    correlationId: ctx.correlationId,
    details: details.map((detail) => Object.assign(new ErrorDetail(), detail)),
    excludedServices: excludedServices(excluded),
    shipment: Shipment.from(shipment),
    carrierService: null,
  });
}

/** Rule 6: the shipment is not in a state that can be allocated; nothing changed. */
export function invalidStateResult(ctx: Context, shipment: ShipmentRecord): AllocateResult {
  return unallocatedResult(ctx, shipment, invalidStateDetails(shipment.reference, shipment.state), []);
}

/** Rule 11: no eligible service; the shipment is now allocation_failed. */
export function failedResult(
  ctx: Context,
  shipment: ShipmentRecord,
  details: DetailRecord[],
  excluded: ExcludedServiceRecord[],
): AllocateResult {
  return unallocatedResult(ctx, { ...shipment, state: "allocation_failed" }, details, excluded);
}

/** Rule 12. */
export function successResult(
  ctx: Context,
  shipment: ShipmentRecord,
  service: CarrierServiceRecord,
  allocation: AllocationRecord,
  excluded: ExcludedServiceRecord[],
): AllocateResult {
  return Object.assign(new AllocateResult(), {
    shipmentReference: shipment.reference,
    state: Shipment.from(shipment).state,
    price: Price.from(allocation.price),
    message: successMessage(shipment.reference),
    carrier: CarrierDetails.from(allocation.carrier),
    trackingDetails: TrackingDetails.forShipment(shipment.reference, allocation.trackingReferences),
    links: links(ctx, shipment.reference, true),
    correlationId: ctx.correlationId,
    details: [],
    excludedServices: excludedServices(excluded),
    shipment: Shipment.from(shipment),
    carrierService: CarrierService.from(service),
  });
}

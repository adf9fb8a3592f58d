import { CarrierService } from "../carrier-service/carrier-service.type";
import { build } from "../graphql/build";
import { ServiceGroup } from "../service-group/service-group.type";
import { Shipment } from "../shipment/shipment.type";
import {
  buildLinks,
  failureMessage,
  invalidStateDetails,
  successMessage,
  type DetailRecord,
  type ExcludedServiceRecord,
  type Exclusion as ExclusionRecord,
} from "./engine";
import type { AllocationRecord, CarrierServiceRecord, ServiceGroupRecord, ShipmentRecord } from "./engine/records";
import { AllocateResult } from "./allocate-result.type";
import { AmbiguousReferenceError, ReferenceNotFoundError } from "./api-error.type";
import { CarrierDetails } from "./carrier-details.type";
import { ErrorDetail, Exclusion } from "./error-detail.type";
import { ExcludedService } from "./excluded-service.type";
import { Link } from "./link.type";
import { Price } from "./price.type";
import { TrackingDetails } from "./tracking.type";

// Rule numbers: docs/allocation-rules.md

/** What every answer carries besides the decision: the request's correlation id and the base of its links. */
export interface AnswerContext {
  correlationId: string;
  publicBaseUrl: string;
}

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

/** Rule 1: a reference names nothing the caller's account can see. */
export function notFound(answer: AnswerContext, code: NotFoundCode, reference: string): ReferenceNotFoundError {
  return build(ReferenceNotFoundError, {
    code,
    message: `${NOT_FOUND_SUBJECT[code]} ${JSON.stringify(reference)} was not found`,
    correlationId: answer.correlationId,
    reference,
  });
}

/** Rule 1: a virtual reference names both a carrier service and a service group. */
export function ambiguous(
  answer: AnswerContext,
  reference: string,
  service: CarrierServiceRecord,
  group: ServiceGroupRecord,
): AmbiguousReferenceError {
  return build(AmbiguousReferenceError, {
    code: "non_unique_reference",
    message:
      `Reference ${reference} names both a carrier service and a service group: ` +
      "use allocateShipmentWithCarrierService or allocateShipmentWithServiceGroup",
    correlationId: answer.correlationId,
    reference,
    carrierService: CarrierService.from(service),
    serviceGroup: ServiceGroup.from(group),
  });
}

export function links(publicBaseUrl: string, reference: string, withLabels: boolean): Link[] {
  return buildLinks(publicBaseUrl, reference, withLabels).map((link) => build(Link, link));
}

export function carrierDetailsOf(service: CarrierServiceRecord): CarrierDetails {
  return build(CarrierDetails, {
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
    build(ExcludedService, { carrier: carrierDetailsOf(service), exclusion: toExclusion(exclusion) }),
  );
}

function unallocated(
  answer: AnswerContext,
  shipment: ShipmentRecord,
  details: DetailRecord[],
  excluded: ExcludedServiceRecord[],
): AllocateResult {
  return build(AllocateResult, {
    shipmentReference: shipment.reference,
    state: Shipment.from(shipment).state,
    price: null,
    message: failureMessage(shipment.reference),
    carrier: null,
    trackingDetails: null,
    links: links(answer.publicBaseUrl, shipment.reference, false),
    correlationId: answer.correlationId,
    details: details.map((detail) => build(ErrorDetail, detail)),
    excludedServices: excludedServices(excluded),
    shipment: Shipment.from(shipment),
    carrierService: null,
  });
}

/** Rule 6: the shipment is not in a state that can be allocated; nothing changed. */
export function invalidState(answer: AnswerContext, shipment: ShipmentRecord): AllocateResult {
  return unallocated(answer, shipment, invalidStateDetails(shipment.reference, shipment.state), []);
}

/** Rule 11: no eligible service; the shipment is now allocation_failed. */
export function failed(
  answer: AnswerContext,
  shipment: ShipmentRecord,
  details: DetailRecord[],
  excluded: ExcludedServiceRecord[],
): AllocateResult {
  return unallocated(answer, { ...shipment, state: "allocation_failed" }, details, excluded);
}

/** Rule 12. */
export function allocated(
  answer: AnswerContext,
  shipment: ShipmentRecord,
  service: CarrierServiceRecord,
  allocation: AllocationRecord,
  excluded: ExcludedServiceRecord[],
): AllocateResult {
  return build(AllocateResult, {
    shipmentReference: shipment.reference,
    state: Shipment.from(shipment).state,
    price: Price.from(allocation.price),
    message: successMessage(shipment.reference),
    carrier: CarrierDetails.from(allocation.carrier),
    trackingDetails: TrackingDetails.forShipment(shipment.reference, allocation.trackingReferences),
    links: links(answer.publicBaseUrl, shipment.reference, true),
    correlationId: answer.correlationId,
    details: [],
    excludedServices: excludedServices(excluded),
    shipment: Shipment.from(shipment),
    carrierService: CarrierService.from(service),
  });
}

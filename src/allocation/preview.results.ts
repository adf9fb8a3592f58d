// Rule numbers: docs/allocation-rules.md
import { CarrierService } from "../carrier-service/carrier-service.type";
import type { AllocationScope } from "./allocation.service";
import { Shipment } from "../shipment/shipment.type";
import type { CarrierServiceRecord, ShipmentRecord } from "./engine/records";
import { carrierDetailsOf, toExclusion } from "./allocation.answers";
import type { CandidateRecord, DetailRecord } from "./engine";
import { ErrorDetail } from "./error-detail.type";
import { Price } from "./price.type";
import { AllocationPreview, Candidate } from "./preview.type";
import { Quote } from "./quote.type";
import type { QuoteTerms } from "./quote";

function candidates(records: CandidateRecord[]): Candidate[] {
  return records.map(({ service, price, exclusion }) =>
    Object.assign(new Candidate(), {
      carrier: carrierDetailsOf(service),
      carrierService: CarrierService.from(service),
      price: price && Price.from(price),
      exclusion: exclusion && toExclusion(exclusion),
    }),
  );
}

function preview(
  ctx: AllocationScope,
  shipment: ShipmentRecord,
  fields: Pick<AllocationPreview, "allocatable" | "message" | "quote" | "candidates" | "details">,
): AllocationPreview {
  return Object.assign(new AllocationPreview(), {
    shipmentReference: shipment.reference,
    state: Shipment.from(shipment).state,
    correlationId: ctx.correlationId,
    shipment: Shipment.from(shipment),
    ...fields,
  });
}

/** Rule 14: the state forbids allocation, or nothing is eligible; no quote. */
export function blockedPreview(
  ctx: AllocationScope,
  shipment: ShipmentRecord,
  details: DetailRecord[],
  considered: CandidateRecord[],
): AllocationPreview {
  return preview(ctx, shipment, {
    allocatable: false,
    message: `Shipment ${shipment.reference} cannot be allocated now`,
    quote: null,
    candidates: candidates(considered),
    details: details.map((detail) => Object.assign(new ErrorDetail(), detail)),
  });
}

/** Rule 14: what the allocation would choose, held by a quote. */
export function allocatablePreview(
  ctx: AllocationScope,
  shipment: ShipmentRecord,
  chosen: CarrierServiceRecord,
  considered: CandidateRecord[],
  quote: { reference: string; terms: QuoteTerms },
): AllocationPreview {
  const price = Price.from(quote.terms.price);
  return preview(ctx, shipment, {
    allocatable: true,
    message: `Shipment ${shipment.reference} can be allocated to ${chosen.reference} for ${price.gross} ${price.currency}`,
    quote: Object.assign(new Quote(), {
      reference: quote.reference,
      carrier: carrierDetailsOf(chosen),
      carrierService: CarrierService.from(chosen),
      price,
      expiresAt: new Date(quote.terms.expiresAt).toISOString(),
    }),
    candidates: candidates(considered),
    details: [],
  });
}

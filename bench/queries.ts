// The operations the bench sends, and the checks that a 200 answer really did what was asked.
import { SERVICE_REF } from "./dataset";

/** The README's documented example selection of an allocate result. */
export const DOCUMENTED_RESULT = `
    __typename
    ... on AllocateResult {
      shipmentReference state message correlationId
      price { net gross taxes { rate { reference countryIsoCode type value } amount } currency }
      carrier { reference name serviceReference serviceName }
      trackingDetails { shipment { reference trackingReferences } contents { reference trackingReferences } }
      links { href rel reference type }
      details { code message property }
      excludedServices { carrier { reference serviceReference } exclusion { code reason } }
    }
    ... on ApiError { code message }`;

export const ALLOCATE = `mutation Allocate($shipmentRef: ID!, $virtualServiceRef: ID!) {
  allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $virtualServiceRef) { ${DOCUMENTED_RESULT} }
}`;

export const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Shipment {
      reference state
      allocation {
        allocationDate
        carrier { reference name serviceReference serviceName }
        price { net gross currency }
        trackingDetails { shipment { reference trackingReferences } }
        carrierService { reference name active carrier { reference name } }
      }
    }
  }
}`;

export const CARRIER_SERVICE = `query CarrierService($reference: ID!) {
  carrierService(reference: $reference) { reference name active carrier { reference name } serviceGroups { reference name } }
}`;

export function body(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}

/** One shipment through the virtual-service mutation, the README's documented selection. */
export const allocateBody = (shipmentRef: string) => body(ALLOCATE, { shipmentRef, virtualServiceRef: SERVICE_REF });

/** A 200 with GraphQL errors, or without the expected content, makes the run invalid. */
export type Check = (body: string) => boolean;

export const allocated: Check = (b) =>
  !b.includes('"errors"') && b.includes('"state":"ALLOCATED"') && b.includes('"details":[]');
export const noErrors = (needle: string): Check => (b) => !b.includes('"errors"') && b.includes(needle);

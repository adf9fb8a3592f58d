// GraphQL documents for the preview / quote / deallocation rules (14-16, 18, 19), every field selected.
import { DEMO_KEY } from "../support/server";
import type { OpenDemoStore } from "../support/stores";
import { useDemoApi, type DemoApi } from "./api";

const PRICE = "price { net gross currency taxes { amount rate { reference countryIsoCode type value } } }";
const CARRIER = "carrier { reference name serviceReference serviceName }";
const TRACKING = "trackingDetails { shipment { reference trackingReferences } contents { reference trackingReferences } }";
const ERRORS = "... on ApiError { code message correlationId } ... on ReferenceNotFoundError { reference }";

export const PREVIEW = `query ($shipmentRef: ID!, $ref: ID!) {
  result: previewAllocationWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $ref) {
    __typename
    ... on AllocationPreview {
      shipmentReference state allocatable message correlationId
      quote { reference ${CARRIER} carrierService { reference } ${PRICE} expiresAt }
      candidates { ${CARRIER} carrierService { reference } ${PRICE} exclusion { code reason } }
      details { code message property }
      shipment { reference state }
    }
    ... on AmbiguousReferenceError { reference carrierService { reference } serviceGroup { reference } }
    ${ERRORS}
  }
}`;

export const ALLOCATE_WITH_QUOTE = `mutation ($shipmentRef: ID!, $quoteRef: ID!, $key: String) {
  result: allocateShipmentWithQuote(shipmentRef: $shipmentRef, quoteRef: $quoteRef, idempotencyKey: $key) {
    __typename
    ... on AllocateResult {
      shipmentReference state message correlationId ${PRICE} ${CARRIER} ${TRACKING}
      links { href rel reference type }
      details { code message property }
      excludedServices { carrier { reference serviceReference } exclusion { code reason } }
      carrierService { reference }
      shipment { reference state }
    }
    ... on QuoteExpiredError { reference expiredAt }
    ${ERRORS}
  }
}`;

export const DEALLOCATE = `mutation ($shipmentRef: ID!, $reason: String, $key: String) {
  result: deallocateShipment(shipmentRef: $shipmentRef, reason: $reason, idempotencyKey: $key) {
    __typename
    ... on DeallocateResult {
      shipmentReference state message correlationId
      details { code message property }
      shipment { reference state allocation { allocationDate } allocationHistory { allocationDate deallocatedAt } }
    }
    ${ERRORS}
  }
}`;

const HISTORY = `query ($ref: ID!) {
  shipment(reference: $ref) {
    reference state
    allocation { carrierService { reference } ${TRACKING} deallocatedAt }
    allocationHistory {
      ${CARRIER} carrierService { reference } allocationDate ${PRICE} ${TRACKING}
      links { href rel reference type }
      deallocatedAt deallocationReason
    }
  }
}`;

interface LifecycleApi extends DemoApi {
  preview(shipmentRef: string, ref: string, apiKey?: string): Promise<any>;
  allocateWithQuote(shipmentRef: string, quoteRef: string, options?: { apiKey?: string; idempotencyKey?: string }): Promise<any>;
  deallocate(shipmentRef: string, reason?: string | null, options?: { apiKey?: string; idempotencyKey?: string }): Promise<any>;
  /** The shipment with its allocation in force and its history (null when the caller cannot see it). */
  history(ref: string, apiKey?: string): Promise<any>;
}

/** useDemoApi plus the preview, quote and deallocation operations; each throws on a GraphQL error. */
export function useLifecycleApi(open?: OpenDemoStore): LifecycleApi {
  const api = useDemoApi(open) as LifecycleApi;
  const result = async (query: string, variables: Record<string, unknown>, apiKey = DEMO_KEY, field = "result") => {
    const response = await api.runner.run(query, variables, apiKey);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data![field];
  };
  api.preview = (shipmentRef, ref, apiKey) => result(PREVIEW, { shipmentRef, ref }, apiKey);
  api.allocateWithQuote = (shipmentRef, quoteRef, options = {}) =>
    result(ALLOCATE_WITH_QUOTE, { shipmentRef, quoteRef, key: options.idempotencyKey }, options.apiKey);
  api.deallocate = (shipmentRef, reason = null, options = {}) =>
    result(DEALLOCATE, { shipmentRef, reason, key: options.idempotencyKey }, options.apiKey);
  api.history = (ref, apiKey) => result(HISTORY, { ref }, apiKey, "shipment");
  return api;
}

// The Playground's tabs for the preview → quote → allocate → deallocate → reallocate flow on the
// demo data (shipment 913 and the UK_ECONOMY group: one member cheaper, two dearer, one inactive).
const SHIPMENT = "sp_00802615769404976542730318118913";

const PRICE = "price { net gross currency taxes { amount rate { reference type value } } }";
const CARRIER = "carrier { reference name serviceReference serviceName }";
const ERRORS = "... on ApiError { code message correlationId }";

export interface FlowTab {
  name: string;
  query: string;
  variables: Record<string, string>;
}

export const LIFECYCLE_TABS: FlowTab[] = [
  {
    name: "1 · Preview (quote)",
    query: `# What allocating would do now, and a quote that holds that choice for 30 minutes. Writes nothing.
# Copy quote.reference into the next tab's variables.
query Preview($shipmentRef: ID!, $virtualServiceRef: ID!) {
  previewAllocationWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $virtualServiceRef) {
    __typename
    ... on AllocationPreview {
      state
      allocatable
      message
      quote { reference expiresAt ${CARRIER} ${PRICE} }
      candidates { ${CARRIER} price { gross currency } exclusion { code reason } }
      details { code message }
    }
    ${ERRORS}
  }
}
`,
    variables: { shipmentRef: SHIPMENT, virtualServiceRef: "UK_ECONOMY" },
  },
  {
    name: "2 · Allocate with the quote",
    query: `# The quoted service at the quoted price. After tab 3, run it again: the quote is still valid,
# and the shipment is allocated again with a new tracking reference.
mutation AllocateWithQuote($shipmentRef: ID!, $quoteRef: ID!) {
  allocateShipmentWithQuote(shipmentRef: $shipmentRef, quoteRef: $quoteRef) {
    __typename
    ... on AllocateResult {
      state
      message
      ${CARRIER}
      ${PRICE}
      trackingDetails { shipment { trackingReferences } }
      details { code message }
    }
    ... on QuoteExpiredError { expiredAt }
    ${ERRORS}
  }
}
`,
    variables: { shipmentRef: SHIPMENT, quoteRef: "paste quote.reference from tab 1" },
  },
  {
    name: "3 · Deallocate",
    query: `# Back to unallocated; the voided allocation stays in the history with when and why.
mutation Deallocate($shipmentRef: ID!, $reason: String) {
  deallocateShipment(shipmentRef: $shipmentRef, reason: $reason) {
    __typename
    ... on DeallocateResult { state message details { code message } }
    ${ERRORS}
  }
}
`,
    variables: { shipmentRef: SHIPMENT, reason: "Demo: allocated by mistake" },
  },
  {
    name: "4 · Allocation history",
    query: `# Every allocation of the shipment, newest first, voided ones included.
query History($reference: ID!) {
  shipment(reference: $reference) {
    state
    allocation { trackingDetails { shipment { trackingReferences } } }
    allocationHistory {
      allocationDate
      deallocatedAt
      deallocationReason
      ${CARRIER}
      price { gross currency }
      trackingDetails { shipment { trackingReferences } }
    }
  }
}
`,
    variables: { reference: SHIPMENT },
  },
];

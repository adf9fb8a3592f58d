// The Playground's tabs for the preview → quote → allocate → deallocate → reallocate flow on the
// demo data (shipment 913 and the UK_ECONOMY group: one member cheaper, two dearer, one inactive).
import { parse, print } from "graphql";

const SHIPMENT = "sp_00802615769404976542730318118913";

const PRICE = "price { net gross currency taxes { amount rate { reference type value } } }";
const CARRIER = "carrier { reference name serviceReference serviceName }";
const ERRORS = "... on ApiError { code message correlationId }";

interface FlowTab {
  name: string;
  query: string;
  variables: Record<string, string>;
}

// the operation laid out as Playground's "prettify" would, under its comment
function tab(name: string, comment: string, operation: string, variables: Record<string, string>): FlowTab {
  const comments = comment.split("\n").map((line) => `# ${line}`);
  return { name, query: `${comments.join("\n")}\n${print(parse(operation))}\n`, variables };
}

export const LIFECYCLE_TABS: FlowTab[] = [
  tab(
    "1 · Preview (quote)",
    "What allocating would do now, and a quote that holds that choice (QUOTE_TTL_SECONDS, 30 minutes by default).\nWrites nothing. Copy quote.reference into the next tab's variables.",
    `query Preview($shipmentRef: ID!, $virtualServiceRef: ID!) {
      previewAllocationWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $virtualServiceRef) {
        __typename
        ... on AllocationPreview {
          state allocatable message
          quote { reference expiresAt ${CARRIER} ${PRICE} }
          candidates { ${CARRIER} price { gross currency } exclusion { code reason } }
          details { code message }
        }
        ${ERRORS}
      }
    }`,
    { shipmentRef: SHIPMENT, virtualServiceRef: "UK_ECONOMY" },
  ),
  tab(
    "2 · Allocate with the quote",
    "The quoted service at the quoted price. After tab 3, run it again: the quote is still valid,\nand the shipment is allocated again with a new tracking reference.",
    `mutation AllocateWithQuote($shipmentRef: ID!, $quoteRef: ID!) {
      allocateShipmentWithQuote(shipmentRef: $shipmentRef, quoteRef: $quoteRef) {
        __typename
        ... on AllocateResult {
          state message ${CARRIER} ${PRICE}
          trackingDetails { shipment { trackingReferences } }
          details { code message }
        }
        ... on QuoteExpiredError { expiredAt }
        ${ERRORS}
      }
    }`,
    { shipmentRef: SHIPMENT, quoteRef: "paste quote.reference from tab 1" },
  ),
  tab(
    "3 · Deallocate",
    "Back to unallocated; the voided allocation stays in the history with when and why.",
    `mutation Deallocate($shipmentRef: ID!, $reason: String) {
      deallocateShipment(shipmentRef: $shipmentRef, reason: $reason) {
        __typename
        ... on DeallocateResult { state message details { code message } }
        ${ERRORS}
      }
    }`,
    { shipmentRef: SHIPMENT, reason: "Demo: allocated by mistake" },
  ),
  tab(
    "4 · Allocation history",
    "Every allocation of the shipment, newest first, voided ones included.",
    `query History($reference: ID!) {
      shipment(reference: $reference) {
        state
        allocation { trackingDetails { shipment { trackingReferences } } }
        allocationHistory {
          allocationDate deallocatedAt deallocationReason ${CARRIER}
          price { gross currency }
          trackingDetails { shipment { trackingReferences } }
        }
      }
    }`,
    { reference: SHIPMENT },
  ),
];


      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AllocateShipmentWithCarrierServiceResult": [
      "AllocateResult",
      "ReferenceNotFoundError"
    ],
    "AllocateShipmentWithQuoteResult": [
      "AllocateResult",
      "QuoteExpiredError",
      "ReferenceNotFoundError"
    ],
    "AllocateShipmentWithServiceGroupResult": [
      "AllocateResult",
      "ReferenceNotFoundError"
    ],
    "AllocateShipmentWithVirtualServiceResult": [
      "AllocateResult",
      "AmbiguousReferenceError",
      "ReferenceNotFoundError"
    ],
    "ApiError": [
      "AmbiguousReferenceError",
      "QuoteExpiredError",
      "ReferenceNotFoundError"
    ],
    "DeallocateShipmentResult": [
      "DeallocateResult",
      "ReferenceNotFoundError"
    ],
    "PreviewAllocationResult": [
      "AllocationPreview",
      "AmbiguousReferenceError",
      "ReferenceNotFoundError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AllocateShipmentWithCarrierServiceResult": [
      "AllocateResult",
      "ReferenceNotFoundError"
    ],
    "AllocateShipmentWithQuoteResult": [
      "AllocateResult",
      "QuoteExpiredError",
      "ReferenceNotFoundError"
    ],
    "AllocateShipmentWithServiceGroupResult": [
      "AllocateResult",
      "ReferenceNotFoundError"
    ],
    "AllocateShipmentWithVirtualServiceResult": [
      "AllocateResult",
      "AmbiguousReferenceError",
      "ReferenceNotFoundError"
    ],
    "ApiError": [
      "AmbiguousReferenceError",
      "QuoteExpiredError",
      "ReferenceNotFoundError"
    ],
    "DeallocateShipmentResult": [
      "DeallocateResult",
      "ReferenceNotFoundError"
    ],
    "PreviewAllocationResult": [
      "AllocationPreview",
      "AmbiguousReferenceError",
      "ReferenceNotFoundError"
    ]
  }
};
      export default result;
    
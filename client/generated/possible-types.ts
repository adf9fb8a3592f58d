
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AllocateShipmentWithCarrierServiceResult": [
      "AllocateResult",
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
      "ReferenceNotFoundError"
    ]
  }
};
      export default result;
    
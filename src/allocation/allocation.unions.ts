import { createUnionType } from "type-graphql";
import { AllocateResult } from "./allocate-result.type";
import { AmbiguousReferenceError, ReferenceNotFoundError } from "./api-error.type";

// members resolve by instanceof, so the service returns class instances
export const AllocateShipmentWithVirtualServiceResult = createUnionType({
  name: "AllocateShipmentWithVirtualServiceResult",
  types: () => [AllocateResult, AmbiguousReferenceError, ReferenceNotFoundError] as const,
});

export const AllocateShipmentWithCarrierServiceResult = createUnionType({
  name: "AllocateShipmentWithCarrierServiceResult",
  types: () => [AllocateResult, ReferenceNotFoundError] as const,
});

export const AllocateShipmentWithServiceGroupResult = createUnionType({
  name: "AllocateShipmentWithServiceGroupResult",
  types: () => [AllocateResult, ReferenceNotFoundError] as const,
});

/** What an allocate mutation answers: one member of its union. */
export type AllocationAnswer = AllocateResult | AmbiguousReferenceError | ReferenceNotFoundError;

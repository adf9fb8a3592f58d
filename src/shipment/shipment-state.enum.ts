import { registerEnumType } from "type-graphql";

// values are the stored states, so records map to the enum without translation
export enum ShipmentState {
  UNALLOCATED = "unallocated",
  ALLOCATING = "allocating",
  ALLOCATED = "allocated",
  ALLOCATION_FAILED = "allocation_failed",
  MANIFESTED = "manifested",
  CANCELLED = "cancelled",
}

registerEnumType(ShipmentState, { name: "ShipmentState", description: "Where a shipment is in its life." });

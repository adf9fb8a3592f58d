import { createUnionType, Field, ID, ObjectType } from "type-graphql";
import { Shipment } from "../shipment/shipment.type";
import { ShipmentState } from "../shipment/shipment-state.enum";
import { ReferenceNotFoundError } from "./api-error.type";
import { ErrorDetail } from "./error-detail.type";
import { ListSize } from "../graphql/limits/cost.directives";

@ObjectType({
  description: "The outcome of a deallocation: state UNALLOCATED and details empty, or the state unchanged and details set.",
})
export class DeallocateResult {
  @Field(() => ID)
  shipmentReference!: string;

  @Field(() => ShipmentState)
  state!: ShipmentState;

  @Field(() => String)
  message!: string;

  @ListSize(2)
  @Field(() => [ErrorDetail])
  details!: ErrorDetail[];

  @Field(() => String)
  correlationId!: string;

  @Field(() => Shipment)
  shipment!: Shipment;
}

// members resolve by instanceof, so the service returns class instances
export const DeallocateShipmentResult = createUnionType({
  name: "DeallocateShipmentResult",
  types: () => [DeallocateResult, ReferenceNotFoundError] as const,
});

export type DeallocationOutcome = DeallocateResult | ReferenceNotFoundError;

import { createUnionType, Field, ID, ObjectType } from "type-graphql";
import { CarrierService } from "../carrier-service/carrier-service.type";
import { Shipment } from "../shipment/shipment.type";
import { ShipmentState } from "../shipment/shipment-state.enum";
import { AmbiguousReferenceError, ReferenceNotFoundError } from "./api-error.type";
import { CarrierDetails } from "./carrier-details.type";
import { ErrorDetail, Exclusion } from "./error-detail.type";
import { Price } from "./price.type";
import { Quote } from "./quote.type";
import { ListSize } from "../graphql/limits/cost.directives";

@ObjectType({ description: "A service the allocation would consider, and whether it would be chosen." })
export class Candidate {
  @Field(() => CarrierDetails)
  carrier!: CarrierDetails;

  @Field(() => CarrierService)
  carrierService!: CarrierService;

  @Field(() => Price, { nullable: true, description: "What the service would charge; null when it is ineligible." })
  price!: Price | null;

  @Field(() => Exclusion, {
    nullable: true,
    description: "Why it would not be chosen (as ExcludedService.exclusion); null for the chosen service.",
  })
  exclusion!: Exclusion | null;
}

@ObjectType({
  description:
    "What allocating now would do, computed exactly as an allocation would, without allocating.\n" +
    "allocatable true: quote is set, details empty. false: quote null, details as AllocateResult's on failure.",
})
export class AllocationPreview {
  @Field(() => ID)
  shipmentReference!: string;

  @Field(() => ShipmentState, { description: "The shipment's state now: a preview never changes it." })
  state!: ShipmentState;

  @Field(() => Boolean)
  allocatable!: boolean;

  @Field(() => String)
  message!: string;

  @Field(() => Quote, { nullable: true })
  quote!: Quote | null;

  // a group's members, as ServiceGroup.services
  @ListSize(20)
  @Field(() => [Candidate], {
    description: "Every candidate in group order (one entry for a carrier service); empty when the state forbids allocation.",
  })
  candidates!: Candidate[];

  @ListSize(2)
  @Field(() => [ErrorDetail])
  details!: ErrorDetail[];

  @Field(() => String)
  correlationId!: string;

  @Field(() => Shipment)
  shipment!: Shipment;
}

// members resolve by instanceof, so the service returns class instances
export const PreviewAllocationResult = createUnionType({
  name: "PreviewAllocationResult",
  types: () => [AllocationPreview, AmbiguousReferenceError, ReferenceNotFoundError] as const,
});

export type PreviewOutcome = AllocationPreview | AmbiguousReferenceError | ReferenceNotFoundError;

import { Field, ID, ObjectType } from "type-graphql";
import { CarrierService } from "../carrier-service/carrier-service.type";
import { Shipment } from "../shipment/shipment.type";
import { ShipmentState } from "../shipment/shipment-state.enum";
import { CarrierDetails } from "./carrier-details.type";
import { ErrorDetail } from "./error-detail.type";
import { ExcludedService } from "./excluded-service.type";
import { Link } from "./link.type";
import { Price } from "./price.type";
import { TrackingDetails } from "./tracking.type";
import { ListSize } from "../graphql/limits/cost.directives";

@ObjectType({
  description:
    "The outcome of an allocation attempt, successful or not (as PRO's Allocate Result).\n" +
    "Success: state ALLOCATED, carrier and price set, details empty.\n" +
    "Failure: carrier and price null, details non-empty, state the shipment's state after the attempt.",
})
export class AllocateResult {
  @Field(() => ID)
  shipmentReference!: string;

  @Field(() => ShipmentState)
  state!: ShipmentState;

  @Field(() => Price, { nullable: true })
  price!: Price | null;

  @Field(() => String)
  message!: string;

  @Field(() => CarrierDetails, { nullable: true })
  carrier!: CarrierDetails | null;

  @Field(() => TrackingDetails, { nullable: true })
  trackingDetails!: TrackingDetails | null;

  @ListSize(3)
  @Field(() => [Link])
  links!: Link[];

  @Field(() => String)
  correlationId!: string;

  @ListSize(2)
  @Field(() => [ErrorDetail])
  details!: ErrorDetail[];

  // a group's members but the chosen one, as ServiceGroup.services
  @ListSize(20)
  @Field(() => [ExcludedService])
  excludedServices!: ExcludedService[];

  @Field(() => Shipment)
  shipment!: Shipment;

  @Field(() => CarrierService, { nullable: true })
  carrierService!: CarrierService | null;
}

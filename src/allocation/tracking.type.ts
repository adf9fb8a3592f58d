import { Field, ID, ObjectType } from "type-graphql";
import { build } from "../graphql/build";
import { ListSize } from "../graphql/limits/cost.directives";

// the contract has two types of this shape: one definition, two names (the base is in no field, so not in the schema)
@ObjectType()
abstract class TrackingReferences {
  @Field(() => ID)
  reference!: string;

  @ListSize(1)
  @Field(() => [String])
  trackingReferences!: string[];
}

@ObjectType()
export class ShipmentTracking extends TrackingReferences {}

@ObjectType({ description: "Tracking of a shipment's contents (none yet: parcels are tracked as a whole)." })
export class ContentsTracking extends TrackingReferences {}

@ObjectType()
export class TrackingDetails {
  @Field(() => ShipmentTracking)
  shipment!: ShipmentTracking;

  @ListSize(1)
  @Field(() => [ContentsTracking])
  contents!: ContentsTracking[];

  static forShipment(reference: string, trackingReferences: string[]): TrackingDetails {
    return build(TrackingDetails, { shipment: build(ShipmentTracking, { reference, trackingReferences }), contents: [] });
  }
}

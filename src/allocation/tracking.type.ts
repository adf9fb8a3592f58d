import { Field, ID, ObjectType } from "type-graphql";

@ObjectType()
export class ShipmentTracking {
  @Field(() => ID)
  reference!: string;

  @Field(() => [String])
  trackingReferences!: string[];
}

@ObjectType({ description: "Tracking of a shipment's contents (none yet: parcels are tracked as a whole)." })
export class ContentsTracking {
  @Field(() => ID)
  reference!: string;

  @Field(() => [String])
  trackingReferences!: string[];
}

@ObjectType()
export class TrackingDetails {
  @Field(() => ShipmentTracking)
  shipment!: ShipmentTracking;

  @Field(() => [ContentsTracking])
  contents!: ContentsTracking[];

  static forShipment(reference: string, trackingReferences: string[]): TrackingDetails {
    return Object.assign(new TrackingDetails(), {
      shipment: Object.assign(new ShipmentTracking(), { reference, trackingReferences }),
      contents: [],
    });
  }
}

import { Field, ObjectType } from "type-graphql";
import type { AllocationRecord } from "./engine/records";
import { CarrierDetails } from "./carrier-details.type";
import { Link } from "./link.type";
import { Price } from "./price.type";
import { TrackingDetails } from "./tracking.type";
import { build } from "../graphql/build";
import { ListSize } from "../graphql/limits/cost.directives";

@ObjectType({ description: "How a shipment was allocated; a deallocated (voided) one says when and why." })
export class Allocation {
  @Field(() => CarrierDetails)
  carrier!: CarrierDetails;

  @Field(() => String, { description: "ISO 8601 date-time." })
  allocationDate!: string;

  @Field(() => Price)
  price!: Price;

  @Field(() => TrackingDetails)
  trackingDetails!: TrackingDetails;

  @ListSize(3)
  @Field(() => [Link])
  links!: Link[];

  @Field(() => String, { nullable: true, description: "ISO 8601 date-time; null while the allocation is in force." })
  deallocatedAt!: string | null;

  @Field(() => String, { nullable: true, description: "Why it was deallocated, as the operator gave it; null when no reason was given." })
  deallocationReason!: string | null;

  // not exposed: the key of the carrierService loader
  carrierServiceReference!: string;

  static from(record: AllocationRecord, shipmentReference: string, links: Link[]): Allocation {
    return build(Allocation, {
      carrier: CarrierDetails.from(record.carrier),
      allocationDate: record.allocationDate.toISOString(),
      price: Price.from(record.price),
      trackingDetails: TrackingDetails.forShipment(shipmentReference, record.trackingReferences),
      links,
      deallocatedAt: record.deallocatedAt?.toISOString() ?? null,
      deallocationReason: record.deallocationReason,
      carrierServiceReference: record.carrierServiceReference,
    });
  }
}

import { Field, ObjectType } from "type-graphql";
import { CarrierDetails } from "./carrier-details.type";
import { Exclusion } from "./error-detail.type";

@ObjectType({ description: "A candidate service that was not chosen, and why." })
export class ExcludedService {
  @Field(() => CarrierDetails)
  carrier!: CarrierDetails;

  @Field(() => Exclusion)
  exclusion!: Exclusion;
}

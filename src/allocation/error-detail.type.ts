import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "Why an allocation failed. code: allocation_failed | shipment_invalid_state | carrier_service_shipment_mismatch" })
export class ErrorDetail {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => String, { nullable: true })
  property!: string | null;
}

@ObjectType({ description: "code: ex_inactive | ex_rules | ex_availability | ex_tag | ex_weight | ex_dims | ex_rates" })
export class Exclusion {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  reason!: string;
}

import { Field, ObjectType } from "type-graphql";
import type { CarrierDetailsRecord } from "./engine/records";
import { build } from "../graphql/build";

@ObjectType({ description: "The carrier and service of an allocation, as PRO reports them." })
export class CarrierDetails {
  @Field(() => String, { nullable: true })
  reference!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  serviceReference!: string | null;

  @Field(() => String, { nullable: true })
  serviceName!: string | null;

  static from(record: CarrierDetailsRecord): CarrierDetails {
    return build(CarrierDetails, record);
  }
}

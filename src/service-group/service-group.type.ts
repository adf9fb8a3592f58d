import { Directive, Field, ID, ObjectType } from "type-graphql";
import type { ServiceGroupRecord } from "../allocation/engine/records";
import { build } from "../graphql/build";

@Directive(`@key(fields: "reference")`)
@ObjectType({ description: "Carrier services in priority order; allocation picks the cheapest eligible one." })
export class ServiceGroup {
  @Field(() => ID)
  reference!: string;

  @Field(() => String)
  name!: string;

  // not exposed: the key of the services loader
  id!: number;

  static from(record: ServiceGroupRecord): ServiceGroup {
    return build(ServiceGroup, { id: record.id, reference: record.reference, name: record.name });
  }
}

import { Directive, Field, ID, ObjectType } from "type-graphql";
import type { CarrierServiceRecord } from "../allocation/engine/records";
import { build } from "../graphql/build";

@ObjectType({ description: "A carrier: its services and tracking numbers are shared by every account." })
export class Carrier {
  @Field(() => ID)
  reference!: string;

  @Field(() => String)
  name!: string;
}

@Directive(`@key(fields: "reference")`)
@ObjectType({ description: "A service of a carrier that shipments can be allocated to." })
export class CarrierService {
  @Field(() => ID)
  reference!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Carrier)
  carrier!: Carrier;

  @Field(() => Boolean)
  active!: boolean;

  // not exposed: the key of the serviceGroups loader
  id!: number;

  static from(record: CarrierServiceRecord): CarrierService {
    return build(CarrierService, {
      id: record.id,
      reference: record.reference,
      name: record.name,
      carrier: build(Carrier, { reference: record.carrier.reference, name: record.carrier.name }),
      active: record.active,
    });
  }
}

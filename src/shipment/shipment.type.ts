import { Directive, Field, ID, ObjectType } from "type-graphql";
import type { ShipmentRecord } from "../allocation/engine/records";
import { ShipmentState } from "./shipment-state.enum";
import { build } from "../graphql/build";

@Directive(`@key(fields: "reference")`)
@ObjectType({ description: "The federated shipment; other subgraphs own its other fields." })
export class Shipment {
  @Field(() => ID)
  reference!: string;

  @Field(() => ShipmentState)
  state!: ShipmentState;

  // not exposed: the key of the allocation loader
  id!: number;

  static from(record: ShipmentRecord): Shipment {
    return build(Shipment, {
      id: record.id,
      reference: record.reference,
      state: record.state,
    });
  }
}

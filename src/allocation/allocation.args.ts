import { ArgsType, Field, ID } from "type-graphql";

// ArgsType classes fix the argument order clients see: shipmentRef first, as in the contract
@ArgsType()
export class AllocateWithVirtualServiceArgs {
  @Field(() => ID, { description: "The shipment to allocate." })
  shipmentRef!: string;

  @Field(() => ID, { description: "A carrier service reference or a service group reference." })
  virtualServiceRef!: string;
}

@ArgsType()
export class AllocateWithCarrierServiceArgs {
  @Field(() => ID)
  shipmentRef!: string;

  @Field(() => ID)
  carrierServiceRef!: string;
}

@ArgsType()
export class AllocateWithServiceGroupArgs {
  @Field(() => ID)
  shipmentRef!: string;

  @Field(() => ID)
  serviceGroupRef!: string;
}

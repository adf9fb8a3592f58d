import { ArgsType, Field, ID } from "type-graphql";

// last in every ArgsType: an optional argument after the contract's ones breaks no client
export const IDEMPOTENCY_KEY = {
  nullable: true,
  description:
    "Optional. A client-chosen key (1-255 characters) that makes retries safe: the same key with the same " +
    "arguments within 24 hours replays the first result instead of allocating again; with other " +
    "arguments it fails with IDEMPOTENCY_KEY_REUSED. Keys are per account.",
};

// ArgsType classes fix the argument order clients see: shipmentRef first, as in the contract
@ArgsType()
export class AllocateWithVirtualServiceArgs {
  @Field(() => ID, { description: "The shipment to allocate." })
  shipmentRef!: string;

  @Field(() => ID, { description: "A carrier service reference or a service group reference." })
  virtualServiceRef!: string;

  @Field(() => String, IDEMPOTENCY_KEY)
  idempotencyKey?: string | null;
}

@ArgsType()
export class AllocateWithCarrierServiceArgs {
  @Field(() => ID)
  shipmentRef!: string;

  @Field(() => ID)
  carrierServiceRef!: string;

  @Field(() => String, IDEMPOTENCY_KEY)
  idempotencyKey?: string | null;
}

@ArgsType()
export class AllocateWithServiceGroupArgs {
  @Field(() => ID)
  shipmentRef!: string;

  @Field(() => ID)
  serviceGroupRef!: string;

  @Field(() => String, IDEMPOTENCY_KEY)
  idempotencyKey?: string | null;
}

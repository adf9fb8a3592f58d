import { ArgsType, Field, ID } from "type-graphql";
import { IDEMPOTENCY_KEY } from "./allocation.args";

@ArgsType()
export class PreviewAllocationArgs {
  @Field(() => ID, { description: "The shipment to preview an allocation of." })
  shipmentRef!: string;

  @Field(() => ID, { description: "A carrier service reference or a service group reference." })
  virtualServiceRef!: string;
}

@ArgsType()
export class AllocateWithQuoteArgs {
  @Field(() => ID)
  shipmentRef!: string;

  @Field(() => ID, { description: "Quote.reference from previewAllocationWithVirtualService, exactly as received." })
  quoteRef!: string;

  @Field(() => String, IDEMPOTENCY_KEY)
  idempotencyKey?: string | null;
}

@ArgsType()
export class DeallocateArgs {
  @Field(() => ID)
  shipmentRef!: string;

  @Field(() => String, { nullable: true, description: "Why, for the allocation history: at most 500 characters; \"\" is no reason." })
  reason?: string | null;

  @Field(() => String, {
    ...IDEMPOTENCY_KEY,
    description:
      "Optional. As on the allocate mutations: the same key with the same arguments within 24 hours replays the " +
      "first result instead of deallocating again; with other arguments it fails with IDEMPOTENCY_KEY_REUSED.",
  })
  idempotencyKey?: string | null;
}

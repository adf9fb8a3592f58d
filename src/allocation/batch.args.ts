import { ArgsType, Field, ID, InputType } from "type-graphql";
import { IDEMPOTENCY_KEY } from "./allocation.args";

@InputType({ description: "One shipment of a batch and the carrier service or service group reference to allocate it with." })
export class AllocateShipmentInput {
  @Field(() => ID)
  shipmentRef!: string;

  @Field(() => ID, { description: "A carrier service reference or a service group reference." })
  virtualServiceRef!: string;
}

@ArgsType()
export class AllocateShipmentsArgs {
  @Field(() => [AllocateShipmentInput], { description: "1 to 100 items, sent as a variable; result i answers item i." })
  items!: AllocateShipmentInput[];

  @Field(() => String, {
    ...IDEMPOTENCY_KEY,
    description:
      "Optional. Covers the whole list: the same key with the same items within 24 hours replays the first " +
      "results; with other items it fails with IDEMPOTENCY_KEY_REUSED. Keys are per account.",
  })
  idempotencyKey?: string | null;
}

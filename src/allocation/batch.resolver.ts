import { Args, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../graphql/context";
import { AllocateShipmentWithVirtualServiceResult } from "./allocation.unions";
import { AllocateShipmentsArgs } from "./batch.args";
import { allocateShipments, type BatchItemResult } from "./batch.service";

@Resolver()
export class AllocateShipmentsResolver {
  @Mutation(() => [AllocateShipmentWithVirtualServiceResult], {
    nullable: "items",
    description:
      "Allocates 1 to 100 shipments, each as allocateShipmentWithVirtualService would, in order and each on its own; " +
      "result i answers item i (null only where that item met an unexpected error, with an error at its index).",
  })
  allocateShipments(@Args(() => AllocateShipmentsArgs) args: AllocateShipmentsArgs, @Ctx() ctx: Context): Promise<BatchItemResult[]> {
    return allocateShipments(ctx, args.items, args.idempotencyKey);
  }
}

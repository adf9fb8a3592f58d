import { Args, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import type { Context } from "../graphql/context";
import { ALLOCATION_WEIGHT, Cost, ListSize } from "../graphql/limits/cost.directives";
import { AllocateShipmentWithVirtualServiceResult } from "./allocation.unions";
import { AllocateShipmentsArgs } from "./batch.args";
import { allocateShipments, MAX_BATCH_ITEMS, type BatchItemResult } from "./batch.service";
import { recordOutcome } from "../observability/outcome.middleware";

@Resolver()
export class AllocateShipmentsResolver {
  // per item, an allocation; a router assumes a full batch (the subgraph counts the items sent)
  @Cost(ALLOCATION_WEIGHT)
  @ListSize(MAX_BATCH_ITEMS)
  @UseMiddleware(recordOutcome)
  @Mutation(() => [AllocateShipmentWithVirtualServiceResult], {
    nullable: "items",
    description:
      "Allocates 1 to 100 shipments, each as allocateShipmentWithVirtualService would and each on its own (items naming the same shipment in list order); " +
      "result i answers item i (null only where that item met an unexpected error, with an error at its index).",
  })
  allocateShipments(@Args(() => AllocateShipmentsArgs) args: AllocateShipmentsArgs, @Ctx() ctx: Context): Promise<BatchItemResult[]> {
    return allocateShipments(ctx, args.items, args.idempotencyKey);
  }
}

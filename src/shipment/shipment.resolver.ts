import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { links } from "../allocation/allocation.answers";
import { Allocation } from "../allocation/allocation.type";
import type { Context } from "../graphql/context";
import { resolveShipmentReference } from "./shipment.reference";
import { Shipment } from "./shipment.type";
import { ListSize } from "../graphql/limits/cost.directives";

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Query(() => Shipment, { nullable: true, description: "A shipment of the caller's account." })
  shipment(@Arg("reference", () => ID) reference: string, @Ctx() ctx: Context): Promise<Shipment | null> {
    return resolveShipmentReference({ reference }, ctx);
  }

  @FieldResolver(() => Allocation, {
    nullable: true,
    description: "The allocation in force; null when there is none (never allocated, failed, or deallocated).",
  })
  async allocation(@Root() shipment: Shipment, @Ctx() ctx: Context): Promise<Allocation | null> {
    const record = await ctx.loaders.allocationByShipment.load(shipment.id);
    return record && Allocation.from(record, shipment.reference, links(ctx.config.publicBaseUrl, shipment.reference, true));
  }

  // allocations and deallocations of one shipment over its life
  @ListSize(10)
  @FieldResolver(() => [Allocation], { description: "Every allocation the shipment has had, newest first, deallocated ones included." })
  async allocationHistory(@Root() shipment: Shipment, @Ctx() ctx: Context): Promise<Allocation[]> {
    const records = await ctx.loaders.allocationHistoryByShipment.load(shipment.id);
    // a voided allocation keeps the links it had
    const shipmentLinks = links(ctx.config.publicBaseUrl, shipment.reference, true);
    return records.map((record) => Allocation.from(record, shipment.reference, shipmentLinks));
  }
}

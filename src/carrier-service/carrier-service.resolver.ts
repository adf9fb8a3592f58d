import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../graphql/context";
import { ServiceGroup } from "../service-group/service-group.type";
import { cachedCatalogue } from "../store/cache/cached-reads";
import { resolveCarrierServiceReference } from "./carrier-service.reference";
import { CarrierService } from "./carrier-service.type";
import { ListSize } from "../graphql/limits/cost.directives";

@Resolver(() => CarrierService)
export class CarrierServiceResolver {
  @Query(() => CarrierService, { nullable: true, description: "A carrier service of the caller's account." })
  carrierService(@Arg("reference", () => ID) reference: string, @Ctx() ctx: Context): Promise<CarrierService | null> {
    return resolveCarrierServiceReference({ reference }, ctx);
  }

  @ListSize(100)
  @Query(() => [CarrierService], { description: "The caller's carrier services, by reference." })
  async carrierServices(@Ctx() ctx: Context): Promise<CarrierService[]> {
    return (await cachedCatalogue(ctx.store.db, ctx.store.caches, ctx.accountId).carrierServices()).map((record) => CarrierService.from(record));
  }

  @ListSize(5)
  @FieldResolver(() => [ServiceGroup], { description: "The groups this service belongs to." })
  async serviceGroups(@Root() service: CarrierService, @Ctx() ctx: Context): Promise<ServiceGroup[]> {
    return (await ctx.loaders.groupsOfService.load(service.id)).map((record) => ServiceGroup.from(record));
  }
}

import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { CarrierService } from "../carrier-service/carrier-service.type";
import type { Context } from "../graphql/context";
import { cachedCatalogue } from "../store/cache/cached-reads";
import { resolveServiceGroupReference } from "./service-group.reference";
import { ServiceGroup } from "./service-group.type";
import { ListSize } from "../graphql/limits/cost.directives";

@Resolver(() => ServiceGroup)
export class ServiceGroupResolver {
  @Query(() => ServiceGroup, { nullable: true, description: "A service group of the caller's account." })
  serviceGroup(@Arg("reference", () => ID) reference: string, @Ctx() ctx: Context): Promise<ServiceGroup | null> {
    return resolveServiceGroupReference({ reference }, ctx);
  }

  @ListSize(50)
  @Query(() => [ServiceGroup], { description: "The caller's service groups, by reference." })
  async serviceGroups(@Ctx() ctx: Context): Promise<ServiceGroup[]> {
    return (await cachedCatalogue(ctx.store.db, ctx.store.caches, ctx.accountId).serviceGroups()).map((record) => ServiceGroup.from(record));
  }

  @ListSize(20)
  @FieldResolver(() => [CarrierService], { description: "In priority order: the first wins a price tie." })
  async services(@Root() group: ServiceGroup, @Ctx() ctx: Context): Promise<CarrierService[]> {
    return (await ctx.loaders.groupMembers.load(group.id)).map((record) => CarrierService.from(record));
  }
}

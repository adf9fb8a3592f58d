import { Args, Ctx, FieldResolver, Mutation, Resolver, Root, UseMiddleware } from "type-graphql";
import { CarrierService } from "../carrier-service/carrier-service.type";
import type { Context } from "../graphql/context";
import {
  AllocateShipmentWithCarrierServiceResult,
  AllocateShipmentWithServiceGroupResult,
  AllocateShipmentWithVirtualServiceResult,
  type AllocationAnswer,
} from "./allocation.unions";
import {
  AllocateWithCarrierServiceArgs,
  AllocateWithServiceGroupArgs,
  AllocateWithVirtualServiceArgs,
} from "./allocation.args";
import { allocateIdempotently } from "./idempotency";
import { Allocation } from "./allocation.type";
import { ALLOCATION_WEIGHT, Cost } from "../graphql/limits/cost.directives";
import { recordOutcome } from "../observability/outcome.middleware";

@Resolver()
export class AllocateResolver {
  // a write, and the reads of the shipment, the reference and the group behind it
  @Cost(ALLOCATION_WEIGHT)
  @UseMiddleware(recordOutcome)
  @Mutation(() => AllocateShipmentWithVirtualServiceResult, {
    description: "Allocates to the carrier service or the service group that the reference names.",
  })
  allocateShipmentWithVirtualService(
    @Args(() => AllocateWithVirtualServiceArgs) args: AllocateWithVirtualServiceArgs,
    @Ctx() ctx: Context,
  ): Promise<AllocationAnswer> {
    const request = { kind: "virtual", shipmentRef: args.shipmentRef, reference: args.virtualServiceRef } as const;
    return allocateIdempotently(ctx, request, args.idempotencyKey);
  }

  @Cost(ALLOCATION_WEIGHT)
  @UseMiddleware(recordOutcome)
  @Mutation(() => AllocateShipmentWithCarrierServiceResult, {
    description: "Allocates to one carrier service.",
  })
  allocateShipmentWithCarrierService(
    @Args(() => AllocateWithCarrierServiceArgs) args: AllocateWithCarrierServiceArgs,
    @Ctx() ctx: Context,
  ): Promise<AllocationAnswer> {
    const request = { kind: "carrierService", shipmentRef: args.shipmentRef, reference: args.carrierServiceRef } as const;
    return allocateIdempotently(ctx, request, args.idempotencyKey);
  }

  @Cost(ALLOCATION_WEIGHT)
  @UseMiddleware(recordOutcome)
  @Mutation(() => AllocateShipmentWithServiceGroupResult, {
    description: "Allocates to the cheapest eligible carrier service of a service group.",
  })
  allocateShipmentWithServiceGroup(
    @Args(() => AllocateWithServiceGroupArgs) args: AllocateWithServiceGroupArgs,
    @Ctx() ctx: Context,
  ): Promise<AllocationAnswer> {
    const request = { kind: "serviceGroup", shipmentRef: args.shipmentRef, reference: args.serviceGroupRef } as const;
    return allocateIdempotently(ctx, request, args.idempotencyKey);
  }
}

@Resolver(() => Allocation)
export class AllocationResolver {
  @FieldResolver(() => CarrierService)
  async carrierService(@Root() allocation: Allocation, @Ctx() ctx: Context): Promise<CarrierService> {
    const service = await ctx.loaders.carrierServiceByRef.load(allocation.carrierServiceReference);
    // an allocation keeps its service: the foreign key forbids deleting it
    if (!service) throw new Error(`Carrier service ${allocation.carrierServiceReference} of an allocation is missing`);
    return CarrierService.from(service);
  }
}

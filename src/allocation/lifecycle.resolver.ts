import { Args, Ctx, Mutation, Query, Resolver, UseMiddleware } from "type-graphql";
import type { Context } from "../graphql/context";
import { ALLOCATION_WEIGHT, Cost } from "../graphql/limits/cost.directives";
import { checkedReason, deallocateShipment } from "./deallocation.service";
import { DeallocateShipmentResult, type DeallocationOutcome } from "./deallocation.type";
import { requestScope, runMutation } from "./idempotency";
import { AllocateWithQuoteArgs, DeallocateArgs, PreviewAllocationArgs } from "./lifecycle.args";
import { previewAllocation } from "./preview.service";
import { PreviewAllocationResult, type PreviewOutcome } from "./preview.type";
import { allocateWithQuote } from "./quote-allocation.service";
import { AllocateShipmentWithQuoteResult, type QuoteAllocationOutcome } from "./quote.type";
import { recordOutcome } from "../observability/outcome.middleware";

/** Before and after an allocation: preview with a quote, allocate that quote, deallocate. */
@Resolver()
export class LifecycleResolver {
  // the reads and the engine run of an allocation, without its write
  @Cost(ALLOCATION_WEIGHT)
  @UseMiddleware(recordOutcome)
  @Query(() => PreviewAllocationResult, {
    description: "What allocating with this reference would do now, and a quote that holds that choice. Allocates nothing.",
  })
  previewAllocationWithVirtualService(@Args(() => PreviewAllocationArgs) args: PreviewAllocationArgs, @Ctx() ctx: Context): Promise<PreviewOutcome> {
    return previewAllocation(requestScope(ctx), args.shipmentRef, args.virtualServiceRef);
  }

  @Cost(ALLOCATION_WEIGHT)
  @UseMiddleware(recordOutcome)
  @Mutation(() => AllocateShipmentWithQuoteResult, { description: "Allocates to the service a preview quoted, at the quoted price." })
  allocateShipmentWithQuote(@Args(() => AllocateWithQuoteArgs) args: AllocateWithQuoteArgs, @Ctx() ctx: Context): Promise<QuoteAllocationOutcome> {
    const request = { kind: "quote", shipmentRef: args.shipmentRef, reference: args.quoteRef } as const;
    return runMutation(ctx, request, args.idempotencyKey, (scope) => allocateWithQuote(scope, args.shipmentRef, args.quoteRef));
  }

  // a write transaction, as an allocation's
  @Cost(ALLOCATION_WEIGHT)
  @UseMiddleware(recordOutcome)
  @Mutation(() => DeallocateShipmentResult, {
    description: "Undoes an allocation in force: the shipment becomes unallocated and can be allocated again.",
  })
  deallocateShipment(@Args(() => DeallocateArgs) args: DeallocateArgs, @Ctx() ctx: Context): Promise<DeallocationOutcome> {
    const reason = checkedReason(args.reason);
    const request = { kind: "deallocate", shipmentRef: args.shipmentRef, reference: reason } as const;
    return runMutation(ctx, request, args.idempotencyKey, (scope) => deallocateShipment(scope, args.shipmentRef, reason));
  }
}

// Rule numbers: docs/allocation-rules.md
import type { AllocationScope } from "./allocation.service";
import { commitDecision } from "./allocation.service";
import { invalidState, notFound } from "./allocation.answers";
import { QuoteExpiredError } from "./api-error.type";
import { decideForQuote, isAllocatable } from "./engine";
import { checkQuote } from "./quote";
import type { QuoteAllocationOutcome } from "./quote.type";

/**
 * Rule 16: shipment, then the quote (unknown, then expired), then the state, then whether the
 * quoted service can still carry the shipment; stored as any allocation, at the quoted price.
 */
export async function allocateWithQuote(ctx: AllocationScope, shipmentRef: string, quoteRef: string): Promise<QuoteAllocationOutcome> {
  const shipment = await ctx.loaders.shipmentByRef.load(shipmentRef);
  if (!shipment) return notFound(ctx, "shipment_not_found", shipmentRef);
  const check = await checkQuote(ctx, quoteRef, shipment);
  if ("unknown" in check) return notFound(ctx, "quote_not_found", quoteRef);
  if ("expired" in check) return quoteExpired(ctx, quoteRef, new Date(check.expired.expiresAt));
  const service = await ctx.loaders.carrierServiceByRef.load(check.valid.serviceReference);
  // imports never delete a service; should one be gone, the quote names nothing the account has
  if (!service) return notFound(ctx, "quote_not_found", quoteRef);
  if (!isAllocatable(shipment.state)) return invalidState(ctx, shipment);
  return commitDecision(ctx, shipment, decideForQuote(shipment, service, check.valid.price));
}

function quoteExpired(ctx: AllocationScope, reference: string, expiredAt: Date): QuoteExpiredError {
  return Object.assign(new QuoteExpiredError(), {
    code: "quote_expired",
    message: `The quote expired at ${expiredAt.toISOString()}: preview again for a new quote`,
    correlationId: ctx.correlationId,
    reference,
    expiredAt: expiredAt.toISOString(),
  });
}

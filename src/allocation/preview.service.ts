// Rule numbers: docs/allocation-rules.md
import type { AllocationScope } from "./allocation.service";
import { planAllocation } from "./allocation.service";
import { invalidStateDetails } from "./engine";
import { allocatablePreview, blockedPreview } from "./preview.results";
import type { PreviewOutcome } from "./preview.type";
import { issueQuote } from "./quote";

/**
 * Rule 14: the allocation's own plan (same lookups, same order, same engine), shown instead of
 * stored. Nothing is written: the quote is a signed reference, not a row.
 */
export async function previewAllocation(ctx: AllocationScope, shipmentRef: string, virtualServiceRef: string): Promise<PreviewOutcome> {
  const plan = await planAllocation(ctx, { kind: "virtual", shipmentRef, reference: virtualServiceRef });
  if ("refused" in plan) return plan.refused;
  const { shipment, decision } = plan;
  if (!decision) return blockedPreview(ctx, shipment, invalidStateDetails(shipment.reference, shipment.state), []);
  if (decision.kind === "fail") return blockedPreview(ctx, shipment, decision.details, decision.candidates);
  const quote = await issueQuote(ctx, shipment, decision.service.reference, decision.price);
  return allocatablePreview(ctx, shipment, decision.service, decision.candidates, quote);
}

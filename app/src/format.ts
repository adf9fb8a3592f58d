// Plain words for the codes and values the API returns.
import type { AllocationPriceFragment, ShipmentState } from "../../client/generated/graphql";

export const STATE_WORDS: Record<ShipmentState, string> = {
  UNALLOCATED: "Not allocated yet",
  ALLOCATING: "Being allocated",
  ALLOCATED: "Allocated",
  ALLOCATION_FAILED: "Allocation failed",
  MANIFESTED: "Manifested (handed to the carrier)",
  CANCELLED: "Cancelled",
};

/** The states in which a shipment can be allocated (docs/allocation-rules.md, rule 6). */
export const ALLOCATABLE: readonly ShipmentState[] = ["UNALLOCATED", "ALLOCATION_FAILED"];

const EXCLUSION_WORDS: Record<string, string> = {
  ex_inactive: "Switched off",
  ex_rules: "Does not take this shipment",
  ex_availability: "Does not deliver there",
  ex_tag: "Lacks a required feature",
  ex_weight: "Too heavy",
  ex_dims: "Too big",
  ex_rates: "Not chosen on price",
};

export function exclusionWords(code: string): string {
  return EXCLUSION_WORDS[code] ?? "Not chosen";
}

const NOT_FOUND_WORDS: Record<string, (reference: string) => string> = {
  shipment_not_found: (r) => `Shipment ${r} is not in your account.`,
  virtual_service_not_found: (r) => `No carrier service or service group is called ${r}. Check the reference.`,
  carrier_service_not_found: (r) => `No carrier service is called ${r}.`,
  service_group_not_found: (r) => `No service group is called ${r}.`,
  quote_not_found: () => "That quote is not known (any more). Preview again.",
};

/** A ReferenceNotFoundError in plain words. */
export function notFoundWords(error: { code: string; reference: string; message: string }): string {
  return NOT_FOUND_WORDS[error.code]?.(error.reference) ?? error.message;
}

/** Money exactly as the API sends it (a decimal string), never through a float. */
export function money(price: Pick<AllocationPriceFragment, "gross" | "currency">): string {
  return `${price.currency} ${price.gross}`;
}

/** An ISO date-time as the phone's locale writes it. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

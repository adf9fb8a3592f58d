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

/** Money exactly as the API sends it (a decimal string), never through a float. */
export function money(price: Pick<AllocationPriceFragment, "gross" | "currency">): string {
  return `${price.currency} ${price.gross}`;
}

/** An ISO date-time as the phone's locale writes it. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

import type { CarrierServiceRecord, PriceRecord } from "./records";

export type ExclusionCode = "ex_inactive" | "ex_rules" | "ex_availability" | "ex_tag" | "ex_weight" | "ex_dims" | "ex_rates";

// Which check produced an exclusion, so callers can react to one (e.g. the shipment-type mismatch detail).
export type EligibilityCheck =
  | "active"
  | "shipment_type"
  | "country"
  | "postcode"
  | "tags"
  | "weight"
  | "dimensions"
  | "value"
  | "rate"
  | "currency"
  | "cheaper";

export interface Exclusion {
  code: ExclusionCode;
  reason: string;
  check: EligibilityCheck;
}

export interface ExcludedServiceRecord {
  service: CarrierServiceRecord;
  exclusion: Exclusion;
}

export interface DetailRecord {
  code: string;
  message: string;
  property: string | null;
}

export type AllocationDecision =
  | { kind: "allocate"; service: CarrierServiceRecord; price: PriceRecord; excluded: ExcludedServiceRecord[] }
  | { kind: "fail"; details: DetailRecord[]; excluded: ExcludedServiceRecord[] };

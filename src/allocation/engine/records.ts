// Plain records shared by the store, the allocation engine and the GraphQL types.
// Decimals are strings end to end: money never passes through a float.

export const SHIPMENT_STATES = [
  "unallocated",
  "allocating",
  "allocated",
  "allocation_failed",
  "manifested",
  "cancelled",
] as const;
export type ShipmentStateValue = (typeof SHIPMENT_STATES)[number];

export const ALLOCATABLE_STATES: readonly ShipmentStateValue[] = ["unallocated", "allocation_failed"];

export type ShipmentType = "scheduled" | "on_demand";

export interface Dimensions {
  length: string;
  width: string;
  height: string;
}

export interface Money {
  amount: string;
  currency: string;
}

export interface Address {
  countryIsoCode: string;
  postalCode?: string | null;
  name?: string | null;
  company?: string | null;
  /** At most 3. */
  lines?: string[] | null;
  city?: string | null;
  region?: string | null;
}

export interface ContentItem {
  weightKg: string;
  dimensionsCm?: Dimensions | null;
  value: Money;
  quantity: number;
}

export interface ShipmentRecord {
  id: number;
  accountId: number;
  reference: string;
  state: ShipmentStateValue;
  shipmentType: ShipmentType;
  origin: Address;
  destination: Address;
  tags: string[];
  contents: ContentItem[];
}

export interface CarrierRecord {
  id: number;
  reference: string;
  name: string;
}

export interface RateBand {
  maxWeightKg: string;
  net: string;
}

export interface TaxConfig {
  countryIsoCode: string;
  type: string;
  value: string;
}

export interface CarrierServiceRecord {
  id: number;
  accountId: number;
  reference: string;
  name: string;
  carrier: CarrierRecord;
  active: boolean;
  shipmentTypes: ShipmentType[];
  destinationCountries: string[];
  excludedPostcodeAreas: string[];
  tags: string[];
  maxWeightKg: string | null;
  maxDimensionsCm: Dimensions | null;
  maxValue: Money | null;
  rates: RateBand[];
  currency: string;
  tax: TaxConfig;
}

export interface ServiceGroupRecord {
  id: number;
  accountId: number;
  reference: string;
  name: string;
}

export interface TaxLine {
  rate: { reference: string; countryIsoCode: string; type: string; value: string };
  amount: string;
}

export interface PriceRecord {
  net: string;
  gross: string;
  taxes: TaxLine[];
  currency: string;
}

export interface CarrierDetailsRecord {
  reference: string;
  name: string;
  serviceReference: string;
  serviceName: string;
}

export interface AllocationRecord {
  shipmentId: number;
  carrierServiceId: number;
  carrierServiceReference: string;
  carrier: CarrierDetailsRecord;
  allocationDate: Date;
  price: PriceRecord;
  trackingReferences: string[];
  /** Set when the allocation was voided (deallocated); null while it is in force. */
  deallocatedAt: Date | null;
  deallocationReason: string | null;
}

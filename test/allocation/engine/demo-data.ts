import type { CarrierServiceRecord, ShipmentRecord } from "../../../src/allocation/engine/records";
import dataset from "../../../data/demo-dataset.json";

// The shipped demo file, read as-is, so these tests catch a change to the documented example's data.
interface DemoService {
  reference: string;
  name: string;
  carrier: string;
  active?: boolean;
  shipmentTypes?: string[];
  destinationCountries: string[];
  excludedPostcodeAreas?: string[];
  tags?: string[];
  maxWeightKg: string;
  maxDimensionsCm?: { length: string; width: string; height: string };
  maxValue?: { amount: string; currency: string };
  rates: { maxWeightKg: string; net: string }[];
  currency: string;
  tax: { countryIsoCode: string; type: string; value: string };
}

interface DemoShipment {
  reference: string;
  state?: string;
  shipmentType: string;
  origin: { countryIsoCode: string; postalCode?: string };
  destination: { countryIsoCode: string; postalCode?: string };
  tags?: string[];
  contents: {
    weightKg: string;
    dimensionsCm?: { length: string; width: string; height: string };
    value: { amount: string; currency: string };
    quantity?: number;
  }[];
}

// References are unique per account only; these tests use the "demo" account.
// The id is the record's position in the file, as a stand-in for a store id.
function find<T extends { reference: string; account?: string }>(items: T[], reference: string): T & { id: number } {
  const index = items.findIndex((item) => item.reference === reference && (item.account ?? "demo") === "demo");
  if (index < 0) throw new Error(`${reference} is not in the demo data set`);
  return { ...items[index], id: index + 1 };
}

// Applies the defaults of data/dataset.schema.json.
export function demoService(reference: string): CarrierServiceRecord {
  const s = find(dataset.carrierServices as DemoService[], reference);
  const carrier = find(dataset.carriers, s.carrier);
  return {
    id: s.id,
    accountId: 1,
    reference: s.reference,
    name: s.name,
    carrier: { id: carrier.id, reference: carrier.reference, name: carrier.name },
    active: s.active ?? true,
    shipmentTypes: (s.shipmentTypes ?? ["scheduled", "on_demand"]) as CarrierServiceRecord["shipmentTypes"],
    destinationCountries: s.destinationCountries,
    excludedPostcodeAreas: s.excludedPostcodeAreas ?? [],
    tags: s.tags ?? [],
    maxWeightKg: s.maxWeightKg,
    maxDimensionsCm: s.maxDimensionsCm ?? null,
    maxValue: s.maxValue ?? null,
    rates: s.rates,
    currency: s.currency,
    tax: s.tax,
  };
}

export function demoShipment(reference: string): ShipmentRecord {
  const s = find(dataset.shipments as DemoShipment[], reference);
  return {
    id: s.id,
    accountId: 1,
    reference: s.reference,
    state: (s.state ?? "unallocated") as ShipmentRecord["state"],
    shipmentType: s.shipmentType as ShipmentRecord["shipmentType"],
    origin: s.origin,
    destination: s.destination,
    tags: s.tags ?? [],
    contents: s.contents.map((item) => ({ ...item, dimensionsCm: item.dimensionsCm ?? null, quantity: item.quantity ?? 1 })),
  };
}

export function demoGroupMembers(groupReference: string): CarrierServiceRecord[] {
  return find(dataset.serviceGroups, groupReference).services.map(demoService);
}

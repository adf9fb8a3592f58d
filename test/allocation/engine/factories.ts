import type { CarrierServiceRecord, ContentItem, ShipmentRecord } from "../../../src/allocation/engine/records";

// One item that every service from aService() accepts: 1 kg, 30×20×10 cm, 10.00 GBP.
export function anItem(overrides: Partial<ContentItem> = {}): ContentItem {
  return {
    weightKg: "1",
    dimensionsCm: { length: "30", width: "20", height: "10" },
    value: { amount: "10.00", currency: "GBP" },
    quantity: 1,
    ...overrides,
  };
}

export function aShipment(overrides: Partial<ShipmentRecord> = {}): ShipmentRecord {
  return {
    id: 1,
    accountId: 1,
    reference: "sp_00000000000000000000000000000001",
    state: "unallocated",
    shipmentType: "scheduled",
    origin: { countryIsoCode: "GB", postalCode: "EC1A 1BB" },
    destination: { countryIsoCode: "GB", postalCode: "M1 1AE" },
    tags: [],
    contents: [anItem()],
    ...overrides,
  };
}

// Sets every maximum so each check is exercised, with room to spare for aShipment().
export function aService(overrides: Partial<CarrierServiceRecord> = {}): CarrierServiceRecord {
  return {
    id: 1,
    accountId: 1,
    reference: "TEST-00001",
    name: "Test - Standard",
    carrier: { id: 1, reference: "TEST", name: "Test Carrier" },
    active: true,
    shipmentTypes: ["scheduled", "on_demand"],
    destinationCountries: ["GB"],
    excludedPostcodeAreas: ["HS"],
    tags: [],
    maxWeightKg: "15",
    maxDimensionsCm: { length: "100", width: "50", height: "50" },
    maxValue: { amount: "2500.00", currency: "GBP" },
    rates: [
      { maxWeightKg: "5", net: "3.00" },
      { maxWeightKg: "15", net: "5.00" },
    ],
    currency: "GBP",
    tax: { countryIsoCode: "GB", type: "Standard", value: "0.2" },
    ...overrides,
  };
}

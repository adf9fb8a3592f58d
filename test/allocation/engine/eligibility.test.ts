import { describe, expect, it } from "vitest";
import { checkEligibility, postcodeArea, totalValue, totalWeightKg } from "../../../src/allocation/engine";
import { aService, aShipment, anItem } from "./factories";

describe("Eligibility table: one row per check, each with its exclusion code", () => {
  it("accepts a shipment that passes every check", () => {
    // Arrange
    const shipment = aShipment();
    const service = aService();
    // Act
    const exclusion = checkEligibility(shipment, service);
    // Assert
    expect(exclusion).toBeNull();
  });

  it("ex_inactive: service not active", () => {
    const service = aService({ active: false });

    const exclusion = checkEligibility(aShipment(), service);

    expect(exclusion).toEqual({ code: "ex_inactive", check: "active", reason: "Service is not active" });
  });

  it("ex_rules: shipment type not among the service's", () => {
    const shipment = aShipment({ shipmentType: "on_demand" });
    const service = aService({ shipmentTypes: ["scheduled"] });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_rules", check: "shipment_type", reason: "Service does not carry on_demand shipments" });
  });

  it("ex_availability: destination country not served", () => {
    const shipment = aShipment({ destination: { countryIsoCode: "JP", postalCode: "100-0001" } });

    const exclusion = checkEligibility(shipment, aService());

    expect(exclusion).toEqual({ code: "ex_availability", check: "country", reason: "Service does not deliver to JP" });
  });

  it("ex_rules: destination postcode area excluded", () => {
    const shipment = aShipment({ destination: { countryIsoCode: "GB", postalCode: "HS1 2AB" } });
    const service = aService({ excludedPostcodeAreas: ["HS", "ZE"] });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_rules", check: "postcode", reason: "Postcode area HS is excluded" });
  });

  it("ex_tag: shipment has a tag the service lacks", () => {
    const shipment = aShipment({ tags: ["fragile", "signature"] });
    const service = aService({ tags: ["fragile"] });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_tag", check: "tags", reason: "Service lacks tag signature" });
  });

  it("ex_weight: total weight over the maximum", () => {
    const shipment = aShipment({ contents: [anItem({ weightKg: "25" })] });
    const service = aService({ maxWeightKg: "15" });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_weight", check: "weight", reason: "Weight 25 kg exceeds 15 kg" });
  });

  it("ex_dims: an item's dimensions exceed the maximum, both sorted longest first", () => {
    // 120 is the item's longest side, compared with the longest maximum (100), wherever each was listed
    const shipment = aShipment({ contents: [anItem({ dimensionsCm: { length: "20", width: "120", height: "10" } })] });
    const service = aService({ maxDimensionsCm: { length: "50", width: "100", height: "50" } });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_dims", check: "dimensions", reason: "120 cm exceeds 100 cm" });
  });

  it("ex_dims: a shorter side can fail on its own after sorting", () => {
    // Sorted: 90 ≤ 100, 60 > 50
    const shipment = aShipment({ contents: [anItem({ dimensionsCm: { length: "60", width: "90", height: "10" } })] });
    const service = aService({ maxDimensionsCm: { length: "100", width: "50", height: "50" } });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_dims", check: "dimensions", reason: "60 cm exceeds 50 cm" });
  });

  it("ex_rules: total declared value over the maximum", () => {
    const shipment = aShipment({ contents: [anItem({ value: { amount: "3000", currency: "GBP" } })] });
    const service = aService({ maxValue: { amount: "2500", currency: "GBP" } });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_rules", check: "value", reason: "Value 3000.00 GBP exceeds 2500.00 GBP" });
  });

  it("ex_rates: no rate band covers the weight", () => {
    const shipment = aShipment({ contents: [anItem({ weightKg: "12" })] });
    const service = aService({ maxWeightKg: "20", rates: [{ maxWeightKg: "10", net: "4.00" }] });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toEqual({ code: "ex_rates", check: "rate", reason: "No configured rate for 12 kg" });
  });
});

describe("Eligibility order: the first failing check is the exclusion", () => {
  it("a service failing two checks reports the earlier one in the table", () => {
    // Fails both the country check and the weight check
    const shipment = aShipment({ destination: { countryIsoCode: "JP" }, contents: [anItem({ weightKg: "25" })] });

    const exclusion = checkEligibility(shipment, aService());

    expect(exclusion?.code).toBe("ex_availability");
  });

  it("fixing the failures one at a time reveals the checks in table order", () => {
    // Arrange: a shipment and service that fail every check
    const shipment = aShipment({
      shipmentType: "on_demand",
      destination: { countryIsoCode: "GB", postalCode: "HS1 2AB" },
      tags: ["signature"],
      contents: [anItem({ weightKg: "20", dimensionsCm: { length: "120", width: "10", height: "10" }, value: { amount: "3000", currency: "GBP" } })],
    });
    let service = aService({
      active: false,
      shipmentTypes: ["scheduled"],
      destinationCountries: ["FR"],
      excludedPostcodeAreas: ["HS"],
      maxWeightKg: "15",
      maxDimensionsCm: { length: "100", width: "50", height: "50" },
      rates: [{ maxWeightKg: "10", net: "1.00" }],
    });
    const fixes: (() => void)[] = [
      () => (service = { ...service, active: true }),
      () => (service = { ...service, shipmentTypes: ["on_demand"] }),
      () => (service = { ...service, destinationCountries: ["GB"] }),
      () => (service = { ...service, excludedPostcodeAreas: [] }),
      () => (service = { ...service, tags: ["signature"] }),
      () => (service = { ...service, maxWeightKg: null }),
      () => (service = { ...service, maxDimensionsCm: null }),
      () => (service = { ...service, maxValue: null }),
      () => (service = { ...service, rates: [{ maxWeightKg: "30", net: "1.00" }] }),
    ];
    // Act
    const seen: (string | undefined)[] = [];
    for (const fix of fixes) {
      seen.push(checkEligibility(shipment, service)?.check);
      fix();
    }
    seen.push(checkEligibility(shipment, service)?.check);
    // Assert
    expect(seen).toEqual(["active", "shipment_type", "country", "postcode", "tags", "weight", "dimensions", "value", "rate", undefined]);
  });
});

describe("Eligibility details (ours)", () => {
  it("a shipment exactly at every maximum passes (strictly greater fails)", () => {
    const shipment = aShipment({
      contents: [anItem({ weightKg: "15", dimensionsCm: { length: "100", width: "50", height: "50" }, value: { amount: "2500", currency: "GBP" } })],
    });

    const exclusion = checkEligibility(shipment, aService());

    expect(exclusion).toBeNull();
  });

  it("just over a maximum fails", () => {
    const shipment = aShipment({ contents: [anItem({ weightKg: "15.001" })] });

    const exclusion = checkEligibility(shipment, aService({ maxWeightKg: "15" }));

    expect(exclusion?.reason).toBe("Weight 15.001 kg exceeds 15 kg");
  });

  it("skips the weight, dimension and value checks when the service sets no maximum", () => {
    const shipment = aShipment({
      contents: [anItem({ weightKg: "25", dimensionsCm: { length: "500", width: "500", height: "500" }, value: { amount: "99999", currency: "EUR" } })],
    });
    const service = aService({ maxWeightKg: null, maxDimensionsCm: null, maxValue: null, rates: [{ maxWeightKg: "30", net: "9.00" }] });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toBeNull();
  });

  it("an item without dimensions passes the dimension check", () => {
    const shipment = aShipment({ contents: [anItem({ dimensionsCm: null }), anItem({ dimensionsCm: undefined })] });

    const exclusion = checkEligibility(shipment, aService({ maxDimensionsCm: { length: "1", width: "1", height: "1" } }));

    expect(exclusion).toBeNull();
  });

  it("quantity multiplies weight", () => {
    const shipment = aShipment({ contents: [anItem({ weightKg: "9", quantity: 2 })] });

    const exclusion = checkEligibility(shipment, aService({ maxWeightKg: "15" }));

    expect(exclusion).toEqual({ code: "ex_weight", check: "weight", reason: "Weight 18 kg exceeds 15 kg" });
  });

  it("quantity multiplies value (amount is per unit)", () => {
    const shipment = aShipment({ contents: [anItem({ value: { amount: "300.00", currency: "GBP" }, quantity: 2 })] });

    const exclusion = checkEligibility(shipment, aService({ maxValue: { amount: "500.00", currency: "GBP" } }));

    expect(exclusion).toEqual({ code: "ex_rules", check: "value", reason: "Value 600.00 GBP exceeds 500.00 GBP" });
  });

  it("quantity does not change dimensions", () => {
    const shipment = aShipment({ contents: [anItem({ dimensionsCm: { length: "60", width: "40", height: "40" }, quantity: 3 })] });

    const exclusion = checkEligibility(shipment, aService({ maxDimensionsCm: { length: "61", width: "46", height: "46" } }));

    expect(exclusion).toBeNull();
  });

  it("normalises the postcode (trim, upper case) before taking its area", () => {
    const shipment = aShipment({ destination: { countryIsoCode: "GB", postalCode: "  hs1 2ab " } });

    const exclusion = checkEligibility(shipment, aService({ excludedPostcodeAreas: ["HS"] }));

    expect(exclusion?.reason).toBe("Postcode area HS is excluded");
  });

  it("compares the whole area, not a prefix of it (H is not HS)", () => {
    const shipment = aShipment({ destination: { countryIsoCode: "GB", postalCode: "HS1 2AB" } });

    const exclusion = checkEligibility(shipment, aService({ excludedPostcodeAreas: ["H"] }));

    expect(exclusion).toBeNull();
  });

  it("skips the postcode check outside GB", () => {
    const shipment = aShipment({ destination: { countryIsoCode: "IE", postalCode: "HS1 2AB" } });

    const exclusion = checkEligibility(shipment, aService({ destinationCountries: ["GB", "IE"], excludedPostcodeAreas: ["HS"] }));

    expect(exclusion).toBeNull();
  });

  it("skips the postcode check when the destination has no postcode", () => {
    const service = aService({ excludedPostcodeAreas: ["HS"] });

    const withoutPostcode = [
      aShipment({ destination: { countryIsoCode: "GB" } }),
      aShipment({ destination: { countryIsoCode: "GB", postalCode: null } }),
      aShipment({ destination: { countryIsoCode: "GB", postalCode: "  " } }),
    ].map((shipment) => checkEligibility(shipment, service));

    expect(withoutPostcode).toEqual([null, null, null]);
  });

  it("matches tags case-sensitively", () => {
    const shipment = aShipment({ tags: ["Signature"] });

    const exclusion = checkEligibility(shipment, aService({ tags: ["signature"] }));

    expect(exclusion).toEqual({ code: "ex_tag", check: "tags", reason: "Service lacks tag Signature" });
  });

  it("a service's extra tags do not matter", () => {
    const shipment = aShipment({ tags: ["signature"] });

    const exclusion = checkEligibility(shipment, aService({ tags: ["fragile", "signature"] }));

    expect(exclusion).toBeNull();
  });

  it("an item valued in another currency than the maximum is ex_rules, even when small", () => {
    const shipment = aShipment({ contents: [anItem(), anItem({ value: { amount: "1.00", currency: "EUR" } })] });

    const exclusion = checkEligibility(shipment, aService({ maxValue: { amount: "500", currency: "GBP" } }));

    expect(exclusion).toEqual({
      code: "ex_rules",
      check: "value",
      reason: "Value in EUR cannot be compared with the 500.00 GBP maximum",
    });
  });

  it("sums weights exactly: 0.1 + 0.2 kg is not over a 0.3 kg maximum", () => {
    const shipment = aShipment({ contents: [anItem({ weightKg: "0.1" }), anItem({ weightKg: "0.2" })] });
    const service = aService({ maxWeightKg: "0.3", rates: [{ maxWeightKg: "0.3", net: "1.00" }] });

    const exclusion = checkEligibility(shipment, service);

    expect(exclusion).toBeNull();
  });
});

describe("Totals and postcode areas", () => {
  it("total weight is Σ weightKg × quantity, exactly", () => {
    const shipment = aShipment({ contents: [anItem({ weightKg: "0.1", quantity: 3 }), anItem({ weightKg: "0.2" })] });

    expect(totalWeightKg(shipment).toString()).toBe("0.5");
  });

  it("total value is Σ amount × quantity", () => {
    const shipment = aShipment({ contents: [anItem({ value: { amount: "19.99", currency: "GBP" }, quantity: 3 }), anItem()] });

    expect(totalValue(shipment).toFixed(2)).toBe("69.97");
  });

  it.each([
    ["m1 1ae", "M"],
    ["HS1 2AB", "HS"],
    [" sw1a 1aa ", "SW"],
    ["EC1A1BB", "EC"],
    ["75001", null],
    ["", null],
    [null, null],
    [undefined, null],
  ])("postcodeArea(%j) is %j", (postcode, area) => {
    expect(postcodeArea(postcode)).toBe(area);
  });
});

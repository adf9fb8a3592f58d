import { describe, expect, it } from "vitest";
import { decideForCarrierService, decideForGroup, decideForQuote } from "../../../src/allocation/engine";
import type { CarrierServiceRecord } from "../../../src/allocation/engine/records";
import { aService, aShipment } from "./factories";

// A service that charges `net` for the 1 kg shipment from aShipment(), with 20% tax.
const costing = (reference: string, net: string, overrides: Partial<CarrierServiceRecord> = {}) =>
  aService({ reference, rates: [{ maxWeightKg: "15", net }], ...overrides });

const excludedSummary = (decision: ReturnType<typeof decideForGroup>) =>
  decision.excluded.map(({ service, exclusion }) => [service.reference, exclusion.code, exclusion.check, exclusion.reason]);

describe("A single carrier service", () => {
  it("allocates an eligible shipment with its price and nothing excluded", () => {
    const service = costing("A", "3.10");

    const decision = decideForCarrierService(aShipment(), service);

    const price = {
      net: "3.10",
      gross: "3.72",
      taxes: [{ rate: { reference: "A", countryIsoCode: "GB", type: "Standard", value: "0.2" }, amount: "0.62" }],
      currency: "GBP",
    };
    expect(decision).toEqual({ kind: "allocate", service, price, excluded: [], candidates: [{ service, price, exclusion: null }] });
  });
});

// Rule numbers: docs/allocation-rules.md
describe("Rule 8: drop the ineligible services, then take the cheapest by gross price", () => {
  it("picks the cheapest eligible member wherever it is listed", () => {
    const members = [costing("A", "5.00"), costing("B", "4.00"), costing("C", "4.50")];

    const decision = decideForGroup(aShipment(), members);

    expect(decision.kind === "allocate" && decision.service.reference).toBe("B");
  });

  it("never picks an ineligible member, however cheap", () => {
    const members = [costing("CHEAP", "0.01", { active: false }), costing("DEAR", "9.00")];

    const decision = decideForGroup(aShipment(), members);

    expect(decision.kind === "allocate" && decision.service.reference).toBe("DEAR");
  });

  it("compares gross, not net: a lower net with a higher tax loses", () => {
    // A: 4.00 + 20% = 4.80; B: 4.50 + 0% = 4.50
    const members = [costing("A", "4.00"), costing("B", "4.50", { tax: { countryIsoCode: "GB", type: "Zero", value: "0" } })];

    const decision = decideForGroup(aShipment(), members);

    expect(decision.kind === "allocate" && decision.service.reference).toBe("B");
  });

  it("compares prices as decimals, not as strings (10.00 is dearer than 9.00)", () => {
    const members = [costing("TEN", "10.00"), costing("NINE", "9.00")];

    const decision = decideForGroup(aShipment(), members);

    expect(decision.kind === "allocate" && decision.service.reference).toBe("NINE");
  });

  it("returns the winner's price", () => {
    const decision = decideForGroup(aShipment(), [costing("A", "5.00"), costing("B", "2.79")]);

    expect(decision.kind === "allocate" && decision.price).toMatchObject({ net: "2.79", gross: "3.35" });
  });
});

describe("Rule 9: a price tie goes to the member listed first", () => {
  it("picks the first of two equally priced members", () => {
    const members = [costing("FIRST", "4.00"), costing("SECOND", "4.00")];

    const decision = decideForGroup(aShipment(), members);

    expect(decision.kind === "allocate" && decision.service.reference).toBe("FIRST");
  });

  it("compares the gross prices for the tie, so equal nets with different taxes are not a tie", () => {
    const members = [costing("FIRST", "4.00"), costing("SECOND", "4.00", { tax: { countryIsoCode: "GB", type: "Zero", value: "0" } })];

    const decision = decideForGroup(aShipment(), members);

    expect(decision.kind === "allocate" && decision.service.reference).toBe("SECOND");
  });
});

describe("Rule 10: every member not chosen is excluded, in group order", () => {
  it("lists ineligible members with their own code and losers with ex_rates", () => {
    // Arrange
    const members = [
      costing("DEAR", "6.00"),
      costing("OFF", "1.00", { active: false }),
      costing("WINNER", "3.00"),
      costing("TIED", "3.00"),
      costing("FRANCE", "1.00", { destinationCountries: ["FR"] }),
    ];
    // Act
    const decision = decideForGroup(aShipment(), members);
    // Assert
    expect(decision.kind === "allocate" && decision.service.reference).toBe("WINNER");
    expect(excludedSummary(decision)).toEqual([
      ["DEAR", "ex_rates", "cheaper", "A cheaper service was selected"],
      ["OFF", "ex_inactive", "active", "Service is not active"],
      ["TIED", "ex_rates", "cheaper", "An equally priced service listed earlier was selected"],
      ["FRANCE", "ex_availability", "country", "Service does not deliver to GB"],
    ]);
  });

  it("does not compare prices in another currency than the contents: that member is ex_rates", () => {
    const members = [costing("EURO", "1.00", { currency: "EUR" }), costing("POUND", "5.00")];

    const decision = decideForGroup(aShipment(), members);

    expect(decision.kind === "allocate" && decision.service.reference).toBe("POUND");
    expect(excludedSummary(decision)).toEqual([["EURO", "ex_rates", "currency", "Price in EUR is not compared with contents in GBP"]]);
  });

  it("an eligibility failure wins over the currency exclusion", () => {
    const members = [costing("EURO", "1.00", { currency: "EUR", active: false }), costing("POUND", "5.00")];

    const decision = decideForGroup(aShipment(), members);

    expect(excludedSummary(decision)).toEqual([["EURO", "ex_inactive", "active", "Service is not active"]]);
  });
});

describe("Rule 11: failure", () => {
  it("a single carrier service that fails eligibility fails with allocation_failed and the service excluded", () => {
    // Arrange
    const shipment = aShipment({ reference: "sp_1" });
    const service = costing("HEAVY", "3.00", { maxWeightKg: "0.5" });
    // Act
    const decision = decideForCarrierService(shipment, service);
    // Assert
    expect(decision).toEqual({
      kind: "fail",
      details: [{ code: "allocation_failed", message: "Shipment sp_1 could not be allocated to HEAVY: Weight 1 kg exceeds 0.5 kg", property: null }],
      excluded: [{ service, exclusion: { code: "ex_weight", check: "weight", reason: "Weight 1 kg exceeds 0.5 kg" } }],
      candidates: [{ service, price: null, exclusion: { code: "ex_weight", check: "weight", reason: "Weight 1 kg exceeds 0.5 kg" } }],
    });
  });

  it("a single carrier service that fails on the shipment type adds carrier_service_shipment_mismatch after allocation_failed", () => {
    const shipment = aShipment({ reference: "sp_1", shipmentType: "on_demand" });
    const service = costing("SCHED", "3.00", { shipmentTypes: ["scheduled"] });

    const decision = decideForCarrierService(shipment, service);

    expect(decision.kind === "fail" && decision.details).toEqual([
      {
        code: "allocation_failed",
        message: "Shipment sp_1 could not be allocated to SCHED: Service does not carry on_demand shipments",
        property: null,
      },
      { code: "carrier_service_shipment_mismatch", message: "Carrier service SCHED does not carry on_demand shipments", property: "shipmentType" },
    ]);
  });

  it("an ex_rules failure other than the shipment type gets no mismatch detail", () => {
    const shipment = aShipment({ destination: { countryIsoCode: "GB", postalCode: "HS1 2AB" } });

    const decision = decideForCarrierService(shipment, costing("A", "3.00", { excludedPostcodeAreas: ["HS"] }));

    expect(decision.kind === "fail" && decision.details.map((d) => d.code)).toEqual(["allocation_failed"]);
  });

  it("a group with no eligible member fails with every member excluded, in group order", () => {
    // Arrange
    const shipment = aShipment({ reference: "sp_1" });
    const members = [costing("OFF", "1.00", { active: false }), costing("EURO", "1.00", { currency: "EUR" }), costing("LIGHT", "1.00", { maxWeightKg: "0.5" })];
    // Act
    const decision = decideForGroup(shipment, members);
    // Assert
    expect(decision.kind === "fail" && decision.details).toEqual([
      { code: "allocation_failed", message: "Shipment sp_1 could not be allocated: no service in the group is eligible", property: null },
    ]);
    expect(excludedSummary(decision).map(([reference, code]) => [reference, code])).toEqual([
      ["OFF", "ex_inactive"],
      ["EURO", "ex_rates"],
      ["LIGHT", "ex_weight"],
    ]);
  });

  it("a group that fails on the shipment type gets no mismatch detail (that is for a single named service)", () => {
    const shipment = aShipment({ shipmentType: "on_demand" });

    const decision = decideForGroup(shipment, [costing("SCHED", "3.00", { shipmentTypes: ["scheduled"] })]);

    expect(decision.kind === "fail" && decision.details.map((d) => d.code)).toEqual(["allocation_failed"]);
  });
});

const candidateSummary = (decision: ReturnType<typeof decideForGroup>) =>
  decision.candidates.map(({ service, price, exclusion }) => [service.reference, price?.gross ?? null, exclusion?.code ?? null]);

describe("Rule 14: the candidates a preview lists", () => {
  it("are every member in group order: the chosen one priced without exclusion, losers priced and excluded, ineligible ones unpriced", () => {
    // Arrange
    const members = [
      costing("DEAR", "6.00"),
      costing("OFF", "1.00", { active: false }),
      costing("WINNER", "3.00"),
      costing("EURO", "1.00", { currency: "EUR" }),
    ];
    // Act
    const decision = decideForGroup(aShipment(), members);
    // Assert
    expect(candidateSummary(decision)).toEqual([
      ["DEAR", "7.20", "ex_rates"],
      ["OFF", null, "ex_inactive"],
      ["WINNER", "3.60", null],
      ["EURO", null, "ex_rates"],
    ]);
  });

  it("are the excluded services plus the chosen one: the allocation's excludedServices come from the same list", () => {
    const decision = decideForGroup(aShipment(), [costing("A", "6.00"), costing("B", "3.00"), costing("C", "1.00", { active: false })]);

    expect(decision.excluded).toEqual(
      decision.candidates.filter((c) => c.exclusion).map(({ service, exclusion }) => ({ service, exclusion })),
    );
  });

  it("of a group with no eligible member are all unpriced, with their exclusions", () => {
    const decision = decideForGroup(aShipment(), [costing("OFF", "1.00", { active: false }), costing("LIGHT", "1.00", { maxWeightKg: "0.5" })]);

    expect(candidateSummary(decision)).toEqual([
      ["OFF", null, "ex_inactive"],
      ["LIGHT", null, "ex_weight"],
    ]);
  });
});

describe("Rule 16: allocating the quoted service at the quoted price", () => {
  const quoted = {
    net: "2.00",
    gross: "2.40",
    taxes: [{ rate: { reference: "A", countryIsoCode: "GB", type: "Standard", value: "0.2" }, amount: "0.40" }],
    currency: "GBP",
  };

  it("charges the quoted price, not the service's current rate", () => {
    const service = costing("A", "9.00");

    const decision = decideForQuote(aShipment(), service, quoted);

    expect(decision).toMatchObject({ kind: "allocate", service, price: quoted, excluded: [] });
  });

  it("skips the rate check: a service whose bands no longer cover the weight still carries at the quoted price", () => {
    const service = aService({ reference: "A", rates: [{ maxWeightKg: "0.5", net: "1.00" }] });

    const decision = decideForQuote(aShipment(), service, quoted);

    expect(decision.kind).toBe("allocate");
  });

  it("re-checks every other eligibility rule: a deactivated service fails with it as the one excluded service", () => {
    const service = costing("A", "2.00", { active: false });

    const decision = decideForQuote(aShipment({ reference: "sp_1" }), service, quoted);

    expect(decision).toMatchObject({
      kind: "fail",
      details: [{ code: "allocation_failed", message: "Shipment sp_1 could not be allocated to A: Service is not active" }],
      excluded: [{ service, exclusion: { code: "ex_inactive" } }],
    });
  });
});

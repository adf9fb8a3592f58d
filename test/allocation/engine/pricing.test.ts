import { describe, expect, it } from "vitest";
import { Dec, priceFor, rateFor } from "../../../src/allocation/engine";
import { aService, aShipment, anItem } from "./factories";

const weighing = (weightKg: string) => aShipment({ contents: [anItem({ weightKg })] });

// Rule numbers: docs/allocation-rules.md
describe("Rule 12: the rate band is the first whose maxWeightKg ≥ the total weight", () => {
  const service = aService({
    rates: [
      { maxWeightKg: "1", net: "2.79" },
      { maxWeightKg: "15", net: "4.99" },
    ],
  });

  it("a weight inside the first band uses it", () => {
    expect(rateFor(service, new Dec("0.8"))?.net).toBe("2.79");
  });

  it("a weight exactly at a band's maximum uses that band, not the next", () => {
    expect(rateFor(service, new Dec("1"))?.net).toBe("2.79");
  });

  it("a weight just over a band's maximum uses the next band", () => {
    expect(rateFor(service, new Dec("1.01"))?.net).toBe("4.99");
  });

  it("a weight over every band has no rate", () => {
    expect(rateFor(service, new Dec("15.5"))).toBeNull();
    expect(priceFor(weighing("15.5"), service)).toBeNull();
  });
});

describe("Rule 12: price = band net, one tax line, gross = net + tax", () => {
  it("builds the price from the band, the service's tax and its currency", () => {
    // Arrange
    const service = aService({
      reference: "RM-00048",
      rates: [{ maxWeightKg: "2", net: "3.10" }],
      currency: "GBP",
      tax: { countryIsoCode: "GB", type: "Standard", value: "0.2" },
    });
    // Act
    const price = priceFor(weighing("0.8"), service);
    // Assert
    expect(price).toEqual({
      net: "3.10",
      gross: "3.72",
      taxes: [{ rate: { reference: "RM-00048", countryIsoCode: "GB", type: "Standard", value: "0.2" }, amount: "0.62" }],
      currency: "GBP",
    });
  });

  it("rounds the tax amount half-up to 2 places (0.05 × 0.5 = 0.025 → 0.03, where banker's rounding gives 0.02)", () => {
    const service = aService({ rates: [{ maxWeightKg: "5", net: "0.05" }], tax: { countryIsoCode: "GB", type: "Half", value: "0.5" } });

    const price = priceFor(weighing("1"), service);

    expect(price?.taxes[0]?.amount).toBe("0.03");
    expect(price?.gross).toBe("0.08");
  });

  it("adds the rounded tax to the net: 2.79 × 0.2 = 0.558 → 0.56, gross 3.35", () => {
    const service = aService({ rates: [{ maxWeightKg: "5", net: "2.79" }] });

    const price = priceFor(weighing("1"), service);

    expect(price?.taxes[0]?.amount).toBe("0.56");
    expect(price?.gross).toBe("3.35");
  });

  it("writes net, gross and tax amounts with exactly 2 decimals, and the tax rate value as configured", () => {
    const service = aService({ rates: [{ maxWeightKg: "5", net: "2" }], tax: { countryIsoCode: "GB", type: "Zero", value: "0" } });

    const price = priceFor(weighing("1"), service);

    expect(price).toMatchObject({ net: "2.00", gross: "2.00", taxes: [{ rate: { value: "0" }, amount: "0.00" }] });
  });

  it("uses exact decimals: net 0.10 at 0.2 tax, three times 0.1 kg against a 0.3 kg band", () => {
    const service = aService({ rates: [{ maxWeightKg: "0.3", net: "0.10" }, { maxWeightKg: "5", net: "9.99" }] });
    const shipment = aShipment({ contents: [anItem({ weightKg: "0.1", quantity: 3 })] });

    const price = priceFor(shipment, service);

    expect(price).toMatchObject({ net: "0.10", gross: "0.12", taxes: [{ amount: "0.02" }] });
  });

  it("prices in the service's currency", () => {
    const service = aService({ currency: "EUR" });

    expect(priceFor(weighing("1"), service)?.currency).toBe("EUR");
  });
});

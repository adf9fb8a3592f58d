// Rule numbers: docs/allocation-rules.md
// Rule 21: addresses may carry name, company, up to 3 lines, city and region; all optional.
import { describe, expect, it } from "vitest";
import { loadDemoDataset } from "../../src/import/demo";
import { validateDataset } from "../../src/import/validate";

function withDestination(destination: unknown) {
  return {
    version: 1,
    shipments: [
      {
        account: "demo",
        reference: `sp_${"7".repeat(32)}`,
        shipmentType: "scheduled",
        origin: { countryIsoCode: "GB" },
        destination,
        contents: [{ weightKg: "1", value: { amount: "1.00", currency: "GBP" } }],
      },
    ],
  };
}

const problemsOf = (input: unknown) => {
  const result = validateDataset(input);
  return result.ok ? [] : result.problems;
};

describe("rule 21: addresses in the data set", () => {
  it("accepts name, company, up to 3 lines, city and region, and keeps them", () => {
    const destination = {
      name: "Amélie Dupré",
      company: "Crème & Château Ltd",
      lines: ["Flat 2", "18 rue de Rivoli", "Bâtiment B"],
      city: "Paris",
      region: "Île-de-France",
      postalCode: "75001",
      countryIsoCode: "FR",
    };

    const result = validateDataset(withDestination(destination));

    expect(result.ok && result.dataset.shipments[0]?.destination).toEqual(destination);
  });

  it("still accepts an address of a country alone (files written before rule 21)", () => {
    expect(problemsOf(withDestination({ countryIsoCode: "GB" }))).toEqual([]);
  });

  it.each([
    ["4 lines", { countryIsoCode: "GB", lines: ["1", "2", "3", "4"] }, "$.shipments[0].destination.lines", "must NOT have more than 3 items"],
    ["a name of 101 characters", { countryIsoCode: "GB", name: "x".repeat(101) }, "$.shipments[0].destination.name", "must NOT have more than 100 characters"],
    ["a line of 101 characters", { countryIsoCode: "GB", lines: ["x".repeat(101)] }, "$.shipments[0].destination.lines[0]", "must NOT have more than 100 characters"],
    ["a city that is not a string", { countryIsoCode: "GB", city: 7 }, "$.shipments[0].destination.city", "must be string"],
    ["an unknown field", { countryIsoCode: "GB", street: "1 High Street" }, "$.shipments[0].destination.street", "is not allowed here"],
  ])("rejects %s, naming its path", (_, destination, path, message) => {
    expect(problemsOf(withDestination(destination))).toEqual([{ path, message }]);
  });

  it("gives every demo shipment a full address at both ends", async () => {
    for (const shipment of (await loadDemoDataset()).shipments) {
      for (const address of [shipment.origin, shipment.destination]) {
        expect(address).toMatchObject({ name: expect.any(String), lines: expect.any(Array), city: expect.any(String), postalCode: expect.any(String) });
      }
    }
  });
});

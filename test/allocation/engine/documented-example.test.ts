import { describe, expect, it } from "vitest";
import { decideForCarrierService, decideForGroup, priceFor } from "../../../src/allocation/engine";
import { demoGroupMembers, demoService, demoShipment } from "./demo-data";

describe("The documented example on the demo data set", () => {
  it("prices sp_…912 on FF_LINET-00001 at 2.00 net, 2.00 gross, zero tax", () => {
    // Arrange
    const shipment = demoShipment("sp_00802615769404976542730318118912");
    const service = demoService("FF_LINET-00001");
    // Act
    const decision = decideForCarrierService(shipment, service);
    // Assert
    expect(decision.kind).toBe("allocate");
    expect(decision.kind === "allocate" && decision.price).toEqual({
      net: "2.00",
      gross: "2.00",
      taxes: [{ rate: { reference: "FF_LINET-00001", countryIsoCode: "GB", type: "Zero", value: "0" }, amount: "0.00" }],
      currency: "GBP",
    });
    expect(decision.excluded).toEqual([]);
  });
});

// Rule numbers: docs/allocation-rules.md
describe("Rules 8-10 on the demo UK_ECONOMY group", () => {
  it("allocates sp_…913 (M1 1AE, 0.8 kg, 30×20×10) to EVRI-00048 and excludes the rest in group order", () => {
    // Arrange: RM-00048 3.10 → 3.72, EVRI-00048 2.79 → 3.35, DPD-00012 4.50 → 5.40, DPD-00099 inactive
    const shipment = demoShipment("sp_00802615769404976542730318118913");
    const members = demoGroupMembers("UK_ECONOMY");
    // Act
    const decision = decideForGroup(shipment, members);
    // Assert
    expect(members.map((m) => m.reference)).toEqual(["RM-00048", "EVRI-00048", "DPD-00012", "DPD-00099"]);
    expect(members.map((m) => priceFor(shipment, m)?.gross)).toEqual(["3.72", "3.35", "5.40", "11.94"]);
    expect(decision.kind === "allocate" && decision.service.reference).toBe("EVRI-00048");
    expect(decision.kind === "allocate" && decision.price).toEqual({
      net: "2.79",
      gross: "3.35",
      taxes: [{ rate: { reference: "EVRI-00048", countryIsoCode: "GB", type: "Standard", value: "0.2" }, amount: "0.56" }],
      currency: "GBP",
    });
    expect(decision.excluded.map(({ service, exclusion }) => [service.reference, exclusion.code, exclusion.reason])).toEqual([
      ["RM-00048", "ex_rates", "A cheaper service was selected"],
      ["DPD-00012", "ex_rates", "A cheaper service was selected"],
      ["DPD-00099", "ex_inactive", "Service is not active"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import {
  buildLinks,
  failureMessage,
  invalidStateDetails,
  isAllocatable,
  successMessage,
} from "../../../src/allocation/engine";
import { SHIPMENT_STATES } from "../../../src/allocation/engine/records";

// Rule numbers: docs/allocation-rules.md
describe("Rule 5: only unallocated and allocation_failed shipments can be allocated", () => {
  it.each([
    ["unallocated", true],
    ["allocation_failed", true],
    ["allocating", false],
    ["allocated", false],
    ["manifested", false],
    ["cancelled", false],
  ] as const)("%s → %s", (state, allocatable) => {
    expect(isAllocatable(state)).toBe(allocatable);
  });

  it("covers every shipment state", () => {
    expect(SHIPMENT_STATES.filter(isAllocatable)).toEqual(["unallocated", "allocation_failed"]);
  });
});

describe("Rule 6: any other state gets one shipment_invalid_state detail", () => {
  it("names the shipment and its state, on the state property", () => {
    const details = invalidStateDetails("sp_1", "cancelled");

    expect(details).toEqual([{ code: "shipment_invalid_state", message: "Shipment sp_1 is cancelled and cannot be allocated", property: "state" }]);
  });
});

describe("Rules 11 and 12: messages", () => {
  it("success", () => {
    expect(successMessage("sp_1")).toBe("Shipment sp_1 has been allocated successfully");
  });

  it("failure", () => {
    expect(failureMessage("sp_1")).toBe("Shipment sp_1 could not be allocated");
  });
});

describe("Rule 12: links", () => {
  it("on success: the shipment link, then the pdf and zpl labels, each naming the shipment", () => {
    const links = buildLinks("https://api.example.com", "sp_1", true);

    expect(links).toEqual([
      { href: "https://api.example.com/shipments/sp_1", rel: "shipment", reference: "sp_1", type: "shipment" },
      { href: "https://api.example.com/labels/sp_1/pdf", rel: "label", reference: "sp_1", type: "label" },
      { href: "https://api.example.com/labels/sp_1/zpl", rel: "label", reference: "sp_1", type: "label" },
    ]);
  });

  it("on failure (rule 11): the shipment link only", () => {
    const links = buildLinks("https://api.example.com", "sp_1", false);

    expect(links).toEqual([{ href: "https://api.example.com/shipments/sp_1", rel: "shipment", reference: "sp_1", type: "shipment" }]);
  });

  it("does not double a trailing slash of the base URL", () => {
    const [shipment] = buildLinks("http://localhost:4001/", "sp_1", false);

    expect(shipment?.href).toBe("http://localhost:4001/shipments/sp_1");
  });
});

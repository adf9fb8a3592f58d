import { printSubgraphSchema } from "@apollo/subgraph";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildAllocationSchema } from "../../src/graphql/schema";
import { printedCosts } from "../support/printed-costs";
import { contractProblems } from "./contract";

const root = path.resolve(__dirname, "../..");
const committed = () => readFileSync(path.join(root, "schema/subgraph.graphql"), "utf8");
const contract = readFileSync(path.join(root, "contract/allocation.graphql"), "utf8");

describe("the printed subgraph schema", () => {
  it("is what the code prints now (run `npm run schema` and commit after a change)", async () => {
    const printed = printSubgraphSchema(await buildAllocationSchema());
    expect(committed()).toBe(printed);
  });

  it("contains the whole public contract: names, argument order, nullability, union members, keys", () => {
    expect(contractProblems(contract, committed())).toEqual([]);
  });

  it("links federation v2.9 (the first with @cost and @listSize) exactly once, importing them", () => {
    const links = committed().match(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.9", import: \[.*"@cost", "@listSize"\]\)/g);
    expect(links).toHaveLength(1);
  });

  it("carries the demand-control weights: @listSize on the lists, @cost on the writes", () => {
    const costs = printedCosts(committed());

    expect(costs.get("Query.carrierServices")).toEqual({ assumedSize: 100 });
    expect(costs.get("Shipment.allocationHistory")).toEqual({ assumedSize: 10 });
    expect(costs.get("Mutation.allocateShipments")).toEqual({ weight: 10, assumedSize: 100 });
    expect(costs.get("Mutation.allocateShipmentWithVirtualService")).toEqual({ weight: 10 });
  });
});

describe("the contract check", () => {
  it("reports an argument order that differs from the contract", () => {
    const swapped = contract.replace(
      "allocateShipmentWithVirtualService(shipmentRef: ID!, virtualServiceRef: ID!)",
      "allocateShipmentWithVirtualService(virtualServiceRef: ID!, shipmentRef: ID!)",
    );
    expect(contractProblems(contract, swapped)).toEqual([
      expect.stringContaining("Mutation.allocateShipmentWithVirtualService arguments"),
    ]);
  });

  it("reports a field whose nullability changed and a union that lost a member", () => {
    const changed = contract
      .replace("  price: Price\n  message", "  price: Price!\n  message")
      .replace("AllocateResult | AmbiguousReferenceError | ReferenceNotFoundError", "AllocateResult | ReferenceNotFoundError");
    expect(contractProblems(contract, changed)).toEqual([
      "union AllocateShipmentWithVirtualServiceResult = AllocateResult | ReferenceNotFoundError, contract says AllocateResult | AmbiguousReferenceError | ReferenceNotFoundError",
      "AllocateResult.price has type Price!, contract says Price",
    ]);
  });

  it("accepts the contract itself", () => {
    expect(contractProblems(contract, contract)).toEqual([]);
  });
});

// Apps already in users' hands query the committed schema: schema:check (scripts/schema-check.ts)
// reports the changes that would break them, unless each is acknowledged with a reason.
import { printSubgraphSchema } from "@apollo/subgraph";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acknowledgementSchema, checkEvolution, type Acknowledgement } from "../../scripts/schema-evolution";
import { buildAllocationSchema } from "../../src/graphql/schema";

const ROOT = path.resolve(__dirname, "../..");

/** The committed subgraph schema with one edit; throws when the edit does not apply. */
async function committedWith(from: string, to: string): Promise<[string, string]> {
  const committed = await readFile(path.join(ROOT, "schema/subgraph.graphql"), "utf8");
  if (!committed.includes(from)) throw new Error(`Not in schema/subgraph.graphql: ${from}`);
  return [committed, committed.replace(from, to)];
}

const SHIPMENT_FIELDS = "  reference: ID!\n  state: ShipmentState!\n";
const CARRIER = "type Carrier {\n  reference: ID!\n  name: String!\n}";
const VIRTUAL_UNION = "= AllocateResult | AmbiguousReferenceError | ReferenceNotFoundError";

describe("schema evolution: breaking changes", () => {
  it("reports a removed field as breaking", async () => {
    const [before, after] = await committedWith(SHIPMENT_FIELDS, "  reference: ID!\n");

    const report = await checkEvolution(before, after);

    expect(report.unacknowledged.map((c) => c.path)).toEqual(["Shipment.state"]);
  });

  it("reports a retyped field as breaking", async () => {
    const [before, after] = await committedWith(CARRIER, CARRIER.replace("name: String!", "name: Int!"));

    const report = await checkEvolution(before, after);

    expect(report.unacknowledged.map((c) => c.path)).toEqual(["Carrier.name"]);
    expect(report.unacknowledged[0].message).toMatch(/String!.*Int!/);
  });

  it("reports a removed union member as breaking", async () => {
    const [before, after] = await committedWith(VIRTUAL_UNION, "= AllocateResult | ReferenceNotFoundError");

    const report = await checkEvolution(before, after);

    expect(report.unacknowledged).toHaveLength(1);
    expect(report.unacknowledged[0].message).toMatch(/AmbiguousReferenceError.*removed.*AllocateShipmentWithVirtualServiceResult/);
  });
});

describe("schema evolution: additions", () => {
  it("does not report an added optional argument as breaking", async () => {
    const [before, after] = await committedWith(
      "shipment(reference: ID!): Shipment",
      "shipment(reference: ID!, includeCancelled: Boolean): Shipment",
    );

    const report = await checkEvolution(before, after);

    expect(report.breaking).toEqual([]);
    expect(report.safe.map((c) => c.path)).toEqual(["Query.shipment.includeCancelled"]);
  });

  it("does not report an added nullable field as breaking", async () => {
    const [before, after] = await committedWith(SHIPMENT_FIELDS, `${SHIPMENT_FIELDS}  weightGrams: Int\n`);

    const report = await checkEvolution(before, after);

    expect(report.breaking).toEqual([]);
    expect(report.safe.map((c) => c.path)).toEqual(["Shipment.weightGrams"]);
  });
});

describe("schema evolution: acknowledged breaking changes", () => {
  it("passes a breaking change that is acknowledged by message and path", async () => {
    const [before, after] = await committedWith(SHIPMENT_FIELDS, "  reference: ID!\n");
    const [removal] = (await checkEvolution(before, after)).breaking;
    const acknowledged: Acknowledgement[] = [
      { message: removal.message, path: "Shipment.state", reason: "no released app selects Shipment.state" },
    ];

    const report = await checkEvolution(before, after, acknowledged);

    expect(report.breaking).toHaveLength(1);
    expect(report.unacknowledged).toEqual([]);
  });

  it("still fails a breaking change whose acknowledgement names another path", async () => {
    const [before, after] = await committedWith(SHIPMENT_FIELDS, "  reference: ID!\n");
    const [removal] = (await checkEvolution(before, after)).breaking;

    const report = await checkEvolution(before, after, [{ message: removal.message, path: "Carrier.name", reason: "wrong one" }]);

    expect(report.unacknowledged).toHaveLength(1);
  });

  it("requires a reason for every acknowledgement", () => {
    const parsed = acknowledgementSchema.safeParse([{ message: "Field 'state' was removed", path: "Shipment.state", reason: "" }]);

    expect(parsed.success).toBe(false);
  });
});

describe("schema evolution: the code against the committed schema (npm run schema:check)", () => {
  it("has no unacknowledged breaking change", async () => {
    const committed = await readFile(path.join(ROOT, "schema/subgraph.graphql"), "utf8");
    const acknowledged = acknowledgementSchema.parse(
      JSON.parse(await readFile(path.join(ROOT, "schema/acknowledged-breaking-changes.json"), "utf8")),
    );

    const report = await checkEvolution(committed, printSubgraphSchema(await buildAllocationSchema()), acknowledged);

    expect(report.unacknowledged.map((c) => c.message)).toEqual([]);
  });
});

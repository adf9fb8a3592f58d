import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dataset } from "../../src/import/dataset";
import { loadDemoDataset } from "../../src/import/demo";
import { checkReferences } from "../../src/import/references";
import { validateDataset } from "../../src/import/validate";
import { describeStores, type DemoStore } from "../support/stores";

const service = {
  account: "demo",
  reference: "NEW-1",
  name: "New service",
  carrier: "DPD",
  destinationCountries: ["GB"],
  maxWeightKg: "10",
  rates: [{ maxWeightKg: "10", net: "5.00" }],
  currency: "GBP",
  tax: { countryIsoCode: "GB", type: "Standard", value: "0.2" },
};

function problemsOf(input: unknown) {
  const result = validateDataset(input);
  return result.ok ? [] : result.problems;
}

function valid(input: unknown): Dataset {
  const result = validateDataset(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.dataset;
}

describe("validateDataset", () => {
  it("applies the schema's defaults without touching its input", () => {
    const input = {
      version: 1,
      carrierServices: [service],
      shipments: [
        {
          account: "demo",
          reference: `sp_${"1".repeat(32)}`,
          shipmentType: "scheduled",
          origin: { countryIsoCode: "GB" },
          destination: { countryIsoCode: "GB" },
          contents: [{ weightKg: "1", value: { amount: "1", currency: "GBP" } }],
        },
      ],
    };

    const dataset = valid(input);

    expect(dataset.accounts).toEqual([]);
    expect(dataset.carrierServices[0]).toMatchObject({ active: true, shipmentTypes: ["scheduled", "on_demand"], tags: [] });
    expect(dataset.shipments[0]).toMatchObject({ state: "unallocated", tags: [] });
    expect(dataset.shipments[0].contents[0].quantity).toBe(1);
    expect(input.shipments[0].contents[0]).not.toHaveProperty("quantity");
  });

  it("names the JSON path of a bad value", () => {
    const problems = problemsOf({ version: 1, carrierServices: [{ ...service, maxWeightKg: "10kg" }] });

    expect(problems).toEqual([
      { path: "$.carrierServices[0].maxWeightKg", message: 'must be a decimal string such as "12.50", with at most 10 digits before the point and 10 after' },
    ]);
  });

  it("bounds every decimal so that the prices computed from it fit the database", () => {
    const problems = problemsOf({
      version: 1,
      carrierServices: [
        {
          ...service,
          maxWeightKg: "0.12345678901",
          rates: [{ maxWeightKg: "10", net: "10000000000" }],
          tax: { ...service.tax, value: "10" },
        },
      ],
    });

    expect(problems).toEqual([
      { path: "$.carrierServices[0].maxWeightKg", message: 'must be a decimal string such as "12.50", with at most 10 digits before the point and 10 after' },
      { path: "$.carrierServices[0].rates[0].net", message: 'must be a decimal string such as "12.50", with at most 10 digits before the point and 10 after' },
      { path: "$.carrierServices[0].tax.value", message: 'must be a decimal string below 10 such as "0.2", with at most 10 digits after the point' },
    ]);
  });

  it("names strings the database cannot store, keys included", () => {
    const problems = problemsOf({ version: 1, accounts: [{ reference: "a", name: "A\u0000", apiKeys: ["k\udc00ey-0001"], "x\u0000": 1 }] });

    expect(problems).toEqual([
      { path: "$.accounts[0].name", message: "must not contain the NUL character (\\u0000)" },
      { path: "$.accounts[0].apiKeys[0]", message: "must not contain an unpaired surrogate (\\ud800-\\udfff): it is not Unicode text" },
      { path: '$.accounts[0]["x\\u0000"]', message: "its name must not contain the NUL character (\\u0000)" },
    ]);
  });

  it("rejects nesting deeper than 32 levels where it passes them, without recursing further", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);

    const problems = problemsOf({ version: 1, accounts: deep });

    expect(problems).toEqual([{ path: `$.accounts${"[0]".repeat(31)}`, message: "nests deeper than 32 levels" }]);
  });

  it("names the missing property of a required one", () => {
    const problems = problemsOf({ version: 1, carriers: [{ reference: "X" }] });

    expect(problems).toEqual([{ path: "$.carriers[0].name", message: "is required" }]);
  });

  it("names an unexpected property, quoting keys that are not identifiers", () => {
    const problems = problemsOf({ version: 1, accounts: [{ reference: "a", name: "A", apiKeys: [], "x/y": 1 }] });

    expect(problems).toEqual([{ path: '$.accounts[0]["x/y"]', message: "is not allowed here" }]);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ version: 2, carriers: [{ reference: "bad ref", name: "" }] });

    expect(problems.map((p) => p.path)).toEqual(["$.version", "$.carriers[0].reference", "$.carriers[0].name"]);
  });

  it("rejects what is not an object", () => {
    expect(problemsOf([])).toEqual([{ path: "$", message: "must be object" }]);
  });
});

describeStores("checkReferences", (open) => {
  let store: DemoStore;
  let demo: Dataset;

  beforeAll(async () => {
    store = await open();
    demo = await loadDemoDataset();
  });
  afterAll(() => store?.dropDatabase());

  it("accepts the demo data set", async () => {
    expect(await checkReferences(demo, store)).toEqual([]);
  });

  it("resolves accounts, carriers and group members in the store", async () => {
    const dataset = valid({
      version: 1,
      carrierServices: [service],
      serviceGroups: [{ account: "demo", reference: "G", name: "G", services: ["NEW-1", "DPD-00012"] }],
    });

    expect(await checkReferences(dataset, store)).toEqual([]);
  });

  it("names unknown accounts and carriers", async () => {
    const dataset = valid({ version: 1, carrierServices: [{ ...service, account: "nobody", carrier: "NOPE" }] });

    expect(await checkReferences(dataset, store)).toEqual([
      { path: "$.carrierServices[0].account", message: 'unknown account "nobody"' },
      { path: "$.carrierServices[0].carrier", message: 'unknown carrier "NOPE"' },
    ]);
  });

  it("rejects a group member of another account", async () => {
    const dataset = valid({
      version: 1,
      serviceGroups: [{ account: "northwind", reference: "G", name: "G", services: ["NW-00001", "DPD-00012"] }],
    });

    expect(await checkReferences(dataset, store)).toEqual([
      { path: "$.serviceGroups[0].services[1]", message: 'no carrier service "DPD-00012" in account "northwind"' },
    ]);
  });

  it("rejects duplicates in the file", async () => {
    const dataset = valid({
      version: 1,
      accounts: [
        { reference: "a", name: "A", apiKeys: ["key-00001"] },
        { reference: "a", name: "A again", apiKeys: ["key-00001"] },
      ],
      carrierServices: [service, { ...service, account: "northwind" }, service],
    });

    expect(await checkReferences(dataset, store)).toEqual([
      { path: "$.accounts[1].reference", message: "duplicates $.accounts[0].reference" },
      { path: "$.accounts[1].apiKeys[0]", message: "duplicates $.accounts[0].apiKeys[0]" },
      { path: "$.carrierServices[2].reference", message: "duplicates $.carrierServices[0].reference" },
    ]);
  });

  it("names an API key that another account holds", async () => {
    const dataset = valid({ version: 1, accounts: [{ reference: "demo", name: "Demo", apiKeys: ["demo-api-key", "northwind-api-key"] }] });

    expect(await checkReferences(dataset, store)).toEqual([
      { path: "$.accounts[0].apiKeys[1]", message: 'is an API key of account "northwind"; pass --move-api-keys to move it to "demo"' },
    ]);
    expect(await checkReferences(dataset, store, { moveApiKeys: true })).toEqual([]);
  });

  it("requires rate bands in ascending order", async () => {
    const rates = [
      { maxWeightKg: "5", net: "1" },
      { maxWeightKg: "5.0", net: "2" },
    ];
    const dataset = valid({ version: 1, carrierServices: [{ ...service, rates }] });

    expect(await checkReferences(dataset, store)).toEqual([
      { path: "$.carrierServices[0].rates", message: "must be ascending by maxWeightKg (band 1 is not above band 0)" },
    ]);
  });
});

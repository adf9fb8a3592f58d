// The estimated cost of an operation: each field 1 (or its declared weight) plus its selection, a
// list's times its declared size, `_entities`' times its representations; and the declarations.
import { getNullableType, isListType, isObjectType, parse, type GraphQLSchema } from "graphql";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FIELD_COSTS, operationCost } from "../../src/graphql/limits/cost";
import { LIMITS } from "../../src/graphql/limits/limits";
import { buildAllocationSchema } from "../../src/graphql/schema";

const OPERATIONS = path.resolve(__dirname, "../../schema/operations");
const operations = readdirSync(OPERATIONS).map((file) => readFileSync(path.join(OPERATIONS, file), "utf8")).join("\n");

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAllocationSchema();
});

const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  operationCost(schema, parse(query), operationName, variables).cost;
const representations = (count: number, __typename = "Shipment") => Array.from({ length: count }, (_, i) => ({ __typename, reference: `r${i}` }));

describe("the cost of an operation", () => {
  it("is one per field, plus its selection's", () => {
    expect(cost(`{ carrierService(reference: "x") { reference name carrier { reference name } } }`)).toBe(1 + 2 + 1 + 2);
  });

  it("multiplies a list's selection by its declared size", () => {
    const groups = FIELD_COSTS["CarrierService.serviceGroups"].assumedSize!;
    const services = FIELD_COSTS["Query.carrierServices"].assumedSize!;

    expect(cost(`{ carrierServices { reference serviceGroups { reference name } } }`)).toBe(services * (1 + 1 + groups * (1 + 2)));
  });

  it("multiplies _entities' selection by its number of representations, from the variables or the document", () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { reference state } } }`;

    expect(cost(query, { r: representations(1_000) })).toBe(1_000 * (1 + 2));
    expect(cost(`{ _entities(representations: [{ __typename: "Shipment", reference: "a" }, { __typename: "Shipment", reference: "b" }]) { __typename } }`)).toBe(2 * (1 + 1));
  });

  it("takes the costliest member of a union or of an entity's fragments", () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { reference } ... on ServiceGroup { reference services { reference } } } }`;

    expect(cost(query, { r: representations(10) })).toBe(10 * (1 + 1 + FIELD_COSTS["ServiceGroup.services"].assumedSize! * 2));
  });

  it("counts a mutation at its declared weight", () => {
    expect(cost(`mutation { allocateShipmentWithCarrierService(shipmentRef: "s", carrierServiceRef: "c") { __typename } }`)).toBe(10 + 1);
  });

  it("counts introspection per field, whatever its lists", () => {
    expect(cost(`{ __schema { types { name fields { name type { name } } } } }`)).toBe(7);
  });

  it("keeps every client operation (schema/operations) far inside the limit", () => {
    const names = [...operations.matchAll(/^(?:query|mutation) (\w+)/gm)].map((match) => match[1]);

    const costs = names.map((name) => cost(operations, { shipmentRef: "s", virtualServiceRef: "v", carrierServiceRef: "c", serviceGroupRef: "g", reference: "r", quoteRef: "q", format: "PDF", items: [{ shipmentRef: "s", virtualServiceRef: "v" }] }, name));

    // one operation per file (the persisted query manifest asks it), fragments apart
    expect(names).toHaveLength(readdirSync(OPERATIONS).filter((file) => !file.includes("fragments")).length);
    for (const each of costs) expect(each).toBeLessThan(LIMITS.maxCost / 10);
  });

  it("hands back the representations of every _entities field", () => {
    const query = `query ($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) { __typename } b: _entities(representations: $b) { __typename } }`;

    const estimate = operationCost(schema, parse(query), undefined, { a: representations(2), b: representations(3) });

    expect(estimate.representations.map((list) => list.length)).toEqual([2, 3]);
  });
});

describe("the declared field costs", () => {
  it("size every list of the schema (but _entities, sized by its representations), by an assumed size or an argument", () => {
    const lists = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith("__"))
      .flatMap((type) => Object.values(isObjectType(type) ? type.getFields() : {}).map((field) => ({ name: `${type.name}.${field.name}`, field })))
      .filter(({ name, field }) => isListType(getNullableType(field.type)) && name !== "Query._entities")
      .map(({ name }) => name);

    expect(lists.filter((name) => FIELD_COSTS[name]?.assumedSize === undefined && FIELD_COSTS[name]?.sizedBy === undefined)).toEqual([]);
  });

  it("name fields the schema has", () => {
    const missing = Object.keys(FIELD_COSTS).filter((name) => {
      const [type, field] = name.split(".");
      const named = schema.getType(type);
      return !isObjectType(named) || !named.getFields()[field];
    });

    expect(missing).toEqual([]);
  });
});

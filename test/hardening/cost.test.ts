// The estimated cost of an operation, as Apollo's demand control estimates it, from the weights of
// the printed schema (@cost, @listSize): the limit reads no other weights and misses none.
import { getNullableType, isListType, isObjectType, parse, type GraphQLField, type GraphQLSchema } from "graphql";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { declaredCosts, operationCost } from "../../src/graphql/limits/cost";
import { LIMITS } from "../../src/graphql/limits/limits";
import { buildAllocationSchema } from "../../src/graphql/schema";
import { assumedSize, printedCosts, printedSubgraphSdl } from "../support/printed-costs";

const OPERATIONS = path.resolve(__dirname, "../../schema/operations");
const operations = readdirSync(OPERATIONS).map((file) => readFileSync(path.join(OPERATIONS, file), "utf8")).join("\n");

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAllocationSchema();
});

const printed = printedCosts(printedSubgraphSdl());
const weight = (coordinate: string) => printed.get(coordinate)?.weight as number;
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  operationCost(schema, parse(query), operationName, variables).cost;
const representations = (count: number, __typename = "Shipment") => Array.from({ length: count }, (_, i) => ({ __typename, reference: `r${i}` }));
const MUTATION = 10;

describe("the cost of an operation", () => {
  it("is 1 for an object, 0 for a scalar or an enum, plus the object's selection", () => {
    expect(cost(`{ carrierService(reference: "x") { reference name active carrier { reference name } } }`)).toBe(1 + 1);
    expect(cost(`{ shipment(reference: "x") { __typename state } }`)).toBe(1);
  });

  it("multiplies a list's selection by its @listSize(assumedSize:)", () => {
    const services = assumedSize("Query.carrierServices");
    const groups = assumedSize("CarrierService.serviceGroups");

    expect(cost(`{ carrierServices { reference serviceGroups { reference name } } }`)).toBe(services * (1 + groups * 1));
  });

  it("multiplies _entities' selection by its number of representations, from the variables or the document", () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { reference state allocation { allocationDate } } } }`;

    expect(cost(query, { r: representations(1_000) })).toBe(1_000 * (1 + 1));
    expect(cost(`{ _entities(representations: [{ __typename: "Shipment", reference: "a" }, { __typename: "Shipment", reference: "b" }]) { __typename } }`)).toBe(2 * 1);
  });

  it("takes the costliest member of a union or of an entity's fragments", () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { reference } ... on ServiceGroup { reference services { reference } } } }`;

    expect(cost(query, { r: representations(10) })).toBe(10 * (1 + assumedSize("ServiceGroup.services") * 1));
  });

  it("counts a field at its @cost(weight:) instead of 1, and a mutation 10 more", () => {
    const query = `mutation { allocateShipmentWithCarrierService(shipmentRef: "s", carrierServiceRef: "c") { __typename ... on AllocateResult { price { net } } } }`;

    expect(cost(query)).toBe(weight("Mutation.allocateShipmentWithCarrierService") + 1 + MUTATION);
  });

  it("counts allocateShipments per item sent (a router assumes its @listSize), and 1 per item as an input object", () => {
    const query = `mutation ($items: [AllocateShipmentInput!]!) { allocateShipments(items: $items) { __typename } }`;
    const items = (count: number) => Array.from({ length: count }, (_, i) => ({ shipmentRef: `s${i}`, virtualServiceRef: "v" }));

    expect(cost(query, { items: items(3) })).toBe(3 * weight("Mutation.allocateShipments") + 3 + MUTATION);
    expect(cost(query, { items: items(assumedSize("Mutation.allocateShipments")) })).toBe(100 * weight("Mutation.allocateShipments") + 100 + MUTATION);
  });

  it("counts introspection per object, whatever its lists", () => {
    expect(cost(`{ __schema { types { name fields { name type { name } } } } }`)).toBe(4);
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

describe("the weights: the printed schema's @cost and @listSize, the ones a router reads", () => {
  it("are the ones the limit reads, every one of them", () => {
    expect(Object.fromEntries(declaredCosts(schema))).toEqual(Object.fromEntries(printed));
  });

  it("are what the limit counts for every root and entity field that has one", () => {
    // the fields a query reaches at once: the root types' and, through _entities, the entities'
    const reachable = [...printed.keys()].filter((coordinate) => /^(Query|Mutation|Shipment|CarrierService|ServiceGroup)\.\w+$/.test(coordinate));
    const probes = reachable.map((coordinate) => {
      const [type, name] = coordinate.split(".");
      const field = (schema.getType(type) as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name];
      const args = field.args.filter((arg) => arg.type.toString().endsWith("!")).map((arg) => `${arg.name}: ${arg.type.toString().startsWith("[") ? "[]" : '"x"'}`);
      const selection = `${name}${args.length ? `(${args.join(", ")})` : ""} { __typename }`;
      // each returns an object: 1 a value, or its @cost; a list, times its @listSize (the batch: its items, none here)
      const size = coordinate === "Mutation.allocateShipments" ? 0 : isListType(getNullableType(field.type)) ? assumedSize(coordinate) : 1;
      const each = (weight(coordinate) ?? 1) * size;
      if (type === "Query") return { coordinate, query: `{ ${selection} }`, expected: each };
      if (type === "Mutation") return { coordinate, query: `mutation { ${selection} }`, expected: each + MUTATION };
      return { coordinate, query: `{ _entities(representations: [{ __typename: "${type}", reference: "r" }]) { ... on ${type} { ${selection} } } }`, expected: 1 + each };
    });

    expect(reachable).toEqual(expect.arrayContaining(["Query.carrierServices", "Shipment.allocationHistory", "ServiceGroup.services", "CarrierService.serviceGroups", "Mutation.allocateShipments"]));
    expect(probes.map(({ coordinate, query }) => [coordinate, cost(query)])).toEqual(probes.map(({ coordinate, expected }) => [coordinate, expected]));
  });

  it("size every list of the schema (but _entities, sized by its representations)", () => {
    const lists = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith("__"))
      .flatMap((type) => Object.values(isObjectType(type) ? type.getFields() : {}).map((field) => ({ name: `${type.name}.${field.name}`, field })))
      .filter(({ name, field }) => isListType(getNullableType(field.type)) && name !== "Query._entities")
      .map(({ name }) => name);

    expect(lists.filter((name) => typeof printed.get(name)?.assumedSize !== "number")).toEqual([]);
  });
});

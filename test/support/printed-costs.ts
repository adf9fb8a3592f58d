// The @cost and @listSize of a printed schema, read from its text as a router reads them (not by
// src/graphql/limits/cost.ts): what the tests compare the cost limit and the supergraph with.
import { isTypeDefinitionNode, isTypeExtensionNode, parse, valueFromASTUntyped, type ConstDirectiveNode } from "graphql";
import { readFileSync } from "node:fs";
import path from "node:path";

export const printedSubgraphSdl = () => readFileSync(path.resolve(__dirname, "../../schema/subgraph.graphql"), "utf8");

const COST_DIRECTIVES = new Set(["cost", "listSize"]);

/**
 * Every schema coordinate ("Type", "Type.field", "Type.field(argument:)") with a @cost or a
 * @listSize, and the arguments they give it, e.g. "Query.carrierServices" → { assumedSize: 100 }.
 */
export function printedCosts(sdl: string): Map<string, Record<string, unknown>> {
  const costs = new Map<string, Record<string, unknown>>();
  const note = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const directive of directives ?? []) {
      if (!COST_DIRECTIVES.has(directive.name.value)) continue;
      const args = Object.fromEntries((directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]));
      costs.set(coordinate, { ...costs.get(coordinate), ...args });
    }
  };
  for (const definition of parse(sdl).definitions) {
    if (!isTypeDefinitionNode(definition) && !isTypeExtensionNode(definition)) continue;
    const type = definition.name.value;
    note(type, definition.directives);
    const fields = "fields" in definition ? (definition.fields ?? []) : [];
    for (const field of fields) {
      note(`${type}.${field.name.value}`, field.directives);
      for (const argument of "arguments" in field ? (field.arguments ?? []) : []) note(`${type}.${field.name.value}(${argument.name.value}:)`, argument.directives);
    }
  }
  return costs;
}

/** A list's @listSize(assumedSize:) in the printed subgraph schema. */
export function assumedSize(coordinate: string): number {
  const size = printedCosts(printedSubgraphSdl()).get(coordinate)?.assumedSize;
  if (typeof size !== "number") throw new Error(`${coordinate} has no @listSize(assumedSize:) in schema/subgraph.graphql`);
  return size;
}

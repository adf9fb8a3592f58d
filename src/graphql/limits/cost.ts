import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isInputObjectType,
  isListType,
  isObjectType,
  OperationTypeNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

/** A field's `@cost(weight:)` and `@listSize(assumedSize:)`, as the schema declares them. */
export interface DeclaredCost {
  weight?: number;
  assumedSize?: number;
}

// lists whose length the request states: the subgraph sizes them by that argument; a router, which
// can't (@listSize slicing arguments are integers), by @listSize or its default list size
const SIZED_BY_ARGUMENT: Readonly<Record<string, string>> = {
  "Query._entities": "representations",
  // result i answers item i
  "Mutation.allocateShipments": "items",
};

// for a list without @listSize: every list has one (test/hardening/cost.test.ts checks it)
const DEFAULT_LIST_SIZE = 10;
// Apollo's demand control counts a mutation operation 10 before its fields
const MUTATION_COST = 10;

const declaredBySchema = new WeakMap<GraphQLSchema, ReadonlyMap<string, DeclaredCost>>();

/**
 * The `@cost` and `@listSize` of every object field that has one, by "Type.field": read from the
 * schema, the same directives that the printed schema carries and a router reads from the supergraph.
 */
export function declaredCosts(schema: GraphQLSchema): ReadonlyMap<string, DeclaredCost> {
  let declared = declaredBySchema.get(schema);
  if (declared) return declared;
  const cost = schema.getDirective("cost");
  const listSize = schema.getDirective("listSize");
  const entries: [string, DeclaredCost][] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const node = field.astNode;
      const weight = node && cost ? getDirectiveValues(cost, node)?.weight : undefined;
      const assumedSize = node && listSize ? getDirectiveValues(listSize, node)?.assumedSize : undefined;
      if (weight === undefined && assumedSize === undefined) continue;
      entries.push([`${type.name}.${field.name}`, { weight, assumedSize } as DeclaredCost]);
    }
  }
  declared = new Map(entries);
  declaredBySchema.set(schema, declared);
  return declared;
}

export interface OperationCost {
  cost: number;
  /** The representations of every `_entities` field of the operation, one array per field. */
  representations: unknown[][];
}

/**
 * The operation's estimated cost, as Apollo's demand control estimates it (graphql-query-complexity
 * walking the document): a field returning an object costs 1, a scalar or an enum 0, unless its
 * `@cost(weight:)` says otherwise, plus its selection's cost; a list multiplies both by its
 * `@listSize(assumedSize:)`, `_entities` by its representations and `allocateShipments` by its
 * items; each input object in the arguments costs 1; a mutation 10 more. Fragments on different
 * members of a union count at the costliest member's (a router adds them up). Introspection is
 * counted per field, unmultiplied: its size is the schema's. Throws the GraphQLError of invalid variables.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): OperationCost {
  const declared = declaredCosts(schema);
  const representations: unknown[][] = [];
  const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    const coordinate = `${type.name}.${field.name}`;
    const each = (declared.get(coordinate)?.weight ?? (isCompositeType(getNamedType(field.type)) ? 1 : 0)) + childComplexity;
    if (type.name.startsWith("__") || field.name.startsWith("__")) return each;
    const argumentsCost = field.args.reduce((sum, arg) => sum + inputCost(arg.type, args[arg.name]), 0);
    if (!isListType(getNullableType(field.type))) return each + argumentsCost;
    const sizedBy = SIZED_BY_ARGUMENT[coordinate];
    const list = sizedBy === undefined ? undefined : (args[sizedBy] as unknown[]);
    if (coordinate === "Query._entities") representations.push(list!);
    return (list?.length ?? declared.get(coordinate)?.assumedSize ?? DEFAULT_LIST_SIZE) * each + argumentsCost;
  };
  const cost = getComplexity({ schema, query: document, operationName, variables, estimators: [estimator] });
  const mutation = getOperationAST(document, operationName)?.operation === OperationTypeNode.MUTATION;
  return { cost: cost + (mutation ? MUTATION_COST : 0), representations };
}

/** An argument's cost, as Apollo's: 1 per input object in it, lists added up, scalars free. */
function inputCost(type: GraphQLInputType, value: unknown): number {
  // scalars, such as _entities' representations, without a look at each item
  const named = getNamedType(type);
  if (!isInputObjectType(named) || value === null || value === undefined) return 0;
  const nullable = getNullableType(type);
  if (isListType(nullable)) return (value as unknown[]).reduce<number>((sum, item) => sum + inputCost(nullable.ofType, item), 0);
  const fields = value as Record<string, unknown>;
  return Object.values(named.getFields()).reduce((sum, field) => sum + inputCost(field.type, fields[field.name]), 1);
}

import { GraphQLError, isUnionType, type GraphQLSchema } from "graphql";

// every entity of this subgraph has @key(fields: "reference")
const KEY = "reference";

/**
 * Refuses, with a 400 BAD_USER_INPUT, more representations than `max` or one that is not an object
 * with an own `__typename` naming an entity of the schema and a string `reference`: anything else
 * would reach @apollo/subgraph's resolver, which answers it with an internal error.
 */
export function checkRepresentations(schema: GraphQLSchema, lists: unknown[][], max: number): void {
  const count = lists.reduce((sum, list) => sum + list.length, 0);
  if (count > max) throw badRepresentations(`Too many representations: ${count}, at most ${max} per request`);
  const entities = entityTypes(schema);
  for (const list of lists) {
    list.forEach((representation, index) => {
      const problem = problemOf(representation, entities);
      if (problem) throw badRepresentations(`Representation ${index} ${problem}`);
    });
  }
}

function problemOf(representation: unknown, entities: Set<string>): string | undefined {
  if (typeof representation !== "object" || representation === null || Array.isArray(representation)) return "is not an object";
  const typename = Object.hasOwn(representation, "__typename") ? (representation as { __typename: unknown }).__typename : undefined;
  if (typeof typename !== "string" || !entities.has(typename)) return `has no __typename naming an entity (${[...entities].join(", ")})`;
  if (!Object.hasOwn(representation, KEY) || typeof (representation as Record<string, unknown>)[KEY] !== "string") {
    return `has no ${KEY} (a string), the key of ${typename}`;
  }
  return undefined;
}

function entityTypes(schema: GraphQLSchema): Set<string> {
  const union = schema.getType("_Entity");
  return new Set(isUnionType(union) ? union.getTypes().map((type) => type.name) : []);
}

function badRepresentations(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
}

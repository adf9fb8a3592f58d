import { buildASTSchema, Kind, parse, printSchema, visit } from "graphql";

// directives that clients understand; the rest (@link, @key, @shareable, …) only concern the router
const CLIENT_DIRECTIVES = new Set(["deprecated", "specifiedBy", "oneOf"]);

/**
 * The schema clients see, from the printed subgraph SDL: no `extend schema @link`, no federation
 * directives, no `_service`/`_entities` (printSubgraphSchema already leaves those out).
 */
export function clientSchemaSdl(subgraphSdl: string): string {
  const document = visit(parse(subgraphSdl), {
    [Kind.SCHEMA_EXTENSION]: () => null,
    [Kind.DIRECTIVE]: (node) => (CLIENT_DIRECTIVES.has(node.name.value) ? undefined : null),
  });
  return `${printSchema(buildASTSchema(document))}\n`;
}

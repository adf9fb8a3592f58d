import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import { execute, GraphQLError, Kind, OperationTypeNode, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

type Gateway = ApolloServerOptionsWithGateway<object>["gateway"];
type Executor = NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>;

// what Apollo defines on a request's context when a plugin watches its fields (ftv1 traces)
const FIELD_HOOKS = "apolloServerExecutionDispatcherWillResolveField";

function watchesFields(context: object): boolean {
  return Object.getOwnPropertySymbols(context).some((symbol) => symbol.description === FIELD_HOOKS);
}

// graphql-jit's errors have a read-only message, which graphql-armor's plugin rewrites (no "Did you mean"): graphql-js' own
// errors instead, with the same message, path, extensions and original error (their locations are left out)
function withGraphqlErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map(
    (e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions, originalError: e.originalError ?? undefined }),
  );
  return { ...result, errors };
}

// the router's entity fetch: a query of `_entities` alone
function isEntitiesQuery(operation: OperationDefinitionNode): boolean {
  return operation.operation === OperationTypeNode.QUERY && selectsOnly(operation, "_entities");
}

// a batch of allocations: a mutation of `allocateShipments` alone
function isBatchMutation(operation: OperationDefinitionNode): boolean {
  return operation.operation === OperationTypeNode.MUTATION && selectsOnly(operation, "allocateShipments");
}

function selectsOnly(operation: OperationDefinitionNode, field: string): boolean {
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === field || s.name.value === "__typename"));
}

/** Compiles each document once per operation name, on a schema of its own; null for what graphql-jit cannot compile. */
function compiler(compiledSchema: GraphQLSchema): (document: DocumentNode, operationName: string | undefined) => CompiledQuery | null {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  return (document, operationName) => {
    const byName = compiled.get(document) ?? new Map<string, CompiledQuery | null>();
    compiled.set(document, byName);
    let query = byName.get(operationName ?? "");
    if (query === undefined) {
      const result = compileQuery(compiledSchema, document, operationName);
      // what cannot be compiled runs on graphql-js, which reports it as it always did
      query = isCompiledQuery(result) ? result : null;
      byName.set(operationName ?? "", query);
    }
    return query;
  };
}

/**
 * Apollo Server's gateway mode, used only to choose the executor. `_entities` queries and
 * `allocateShipments` mutations run as graphql-jit code compiled once per document, each kind on a
 * schema of its own (Apollo wraps every resolver of the schema it validates with once a plugin watches
 * fields, which would take away what compiling gains; one compiled schema for both kinds made
 * `_entities` slower); every other operation, and any request whose plugins watch fields, runs
 * graphql-js' `execute` on Apollo's schema as before. Why: docs/benchmarks-journal.md, "Issue 12:
 * `_entities` per extra entity" and "Session 18".
 */
export function jitExecutor(schema: GraphQLSchema, compiledSchemas: { entities: GraphQLSchema; batch: GraphQLSchema }): Gateway {
  const compiledEntities = compiler(compiledSchemas.entities);
  const compiledBatch = compiler(compiledSchemas.batch);
  const compiledFor = (operation: OperationDefinitionNode | undefined, document: DocumentNode, operationName: string | undefined) => {
    if (!operation) return null;
    if (isEntitiesQuery(operation)) return compiledEntities(document, operationName);
    return isBatchMutation(operation) ? compiledBatch(document, operationName) : null;
  };
  const executor: Executor = async ({ document, operation, request, context, schema: apolloSchema }) => {
    // the name the client sent (the request context's is the resolved operation's): an unknown one is graphql-js' error to give
    const { operationName, variables = {} } = request;
    const jit = watchesFields(context) ? null : compiledFor(operation, document, operationName);
    if (jit) return withGraphqlErrors(await jit.query(undefined, context, variables));
    return execute({ schema: apolloSchema, document, operationName, variableValues: variables, contextValue: context });
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}

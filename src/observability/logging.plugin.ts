import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import { context, trace } from "@opentelemetry/api";
import {
  getNamedType,
  isUnionType,
  Kind,
  OperationTypeNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { Logger } from "pino";
import type { Context } from "../graphql/context";
import type { Metrics } from "./metrics";

const MAX_LABEL_FIELDS = 3;

/**
 * One JSON log line per GraphQL request (correlation id, trace and span ids when traced, account, operation, outcome, duration)
 * and the request and allocation metrics. The outcome is the __typename of each allocate, deallocate
 * or preview result, "error" when the response carries errors, else "ok".
 */
export function loggingPlugin(logger: Logger, metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async contextCreationDidFail({ error }) {
      // no request context exists yet: the store could not be asked who the caller is
      metrics.requests.inc({ operation: "unknown", outcome: "error" });
      logger.warn({ outcome: "error", err: error }, "graphql request failed before execution");
    },
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      const typenames: string[] = [];
      return {
        async executionDidStart({ operation, schema }) {
          // a field hook makes Apollo wrap every resolver of the request: only operations with an outcome need one
          if (!operation || !selectsOutcome(operation, schema)) return;
          return {
            willResolveField({ info }) {
              if (!hasOutcome(info.parentType, info.fieldName, info.schema)) return;
              const fieldStarted = process.hrtime.bigint();
              return (error, result) => {
                // a batch answers a list: one outcome per item (an item's own error is an Error in it)
                const outcomes = error
                  ? ["error"]
                  : Array.isArray(result)
                    ? result.map((item) => (item instanceof Error ? "error" : typenameOf(item, contextValue, info)))
                    : [typenameOf(result, contextValue, info)];
                typenames.push(Array.isArray(result) ? countsOf(outcomes) : outcomes[0]);
                // the preview is a query: logged with its outcome, counted by graphql_requests_total
                if (info.operation.operation !== OperationTypeNode.MUTATION) return;
                for (const outcome of outcomes) metrics.allocations.inc({ mutation: info.fieldName, outcome });
                metrics.allocationSeconds.observe({ mutation: info.fieldName }, secondsSince(fieldStarted));
              };
            },
          };
        },
        async willSendResponse(requestContext) {
          const errors = requestContext.response.body.kind === "single" ? requestContext.response.body.singleResult.errors : undefined;
          const outcome = errors?.length ? "error" : typenames.length ? typenames.join(",") : "ok";
          const operation = operationLabel(requestContext);
          metrics.requests.inc({ operation, outcome: errors?.length ? "error" : "ok" });
          logger.info(
            {
              correlationId: contextValue.correlationId,
              ...traceIds(),
              account: contextValue.account?.reference ?? null,
              operationName: requestContext.operationName ?? null,
              operation,
              outcome,
              ...(errors?.length ? { errorCodes: errors.map((e) => e.extensions?.code ?? null) } : {}),
              durationMs: Math.round(secondsSince(started) * 10_000) / 10,
            },
            "graphql request",
          );
        },
      };
    },
  };
}

// root fields whose result is one member of a union (the mutations, the preview): their __typename is the outcome;
// not federation's _entities (a union of the entity types): a field hook on it would wrap every field of every entity
function hasOutcome(parentType: GraphQLObjectType, fieldName: string, schema: GraphQLSchema): boolean {
  const isRoot = parentType === schema.getMutationType() || parentType === schema.getQueryType();
  const field = isRoot && fieldName !== "_entities" ? parentType.getFields()[fieldName] : undefined;
  return !!field && isUnionType(getNamedType(field.type));
}

function selectsOutcome(operation: OperationDefinitionNode, schema: GraphQLSchema): boolean {
  const root = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
  return !!root && rootFields(operation).some((name) => hasOutcome(root, name, schema));
}

// the union's own resolveType is what decides the __typename the client would see
function typenameOf(result: unknown, context: Context, info: GraphQLResolveInfo): string {
  const type = getNamedType(info.returnType);
  const resolved = isUnionType(type) && result ? type.resolveType?.(result, context, info, type) : undefined;
  return typeof resolved === "string" ? resolved : "unknown";
}

// "AllocateResult×98,ReferenceNotFoundError×2": a batch's log line stays short whatever its size
function countsOf(outcomes: string[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, n]) => `${outcome}×${n}`).join(",");
}

// the root fields, not the client-chosen operation name: label values stay few whatever clients send
function operationLabel({ operation }: GraphQLRequestContext<Context>): string {
  if (!operation) return "invalid";
  const fields = [...new Set(rootFields(operation))].sort();
  if (fields.length === 0) return "other";
  return fields.length > MAX_LABEL_FIELDS ? "multiple" : fields.join(",");
}

function rootFields(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

// the GraphQL operation's span (src/http/tracing.ts): a trace viewer finds the request by traceId
function traceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

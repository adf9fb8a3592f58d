import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import { context, trace } from "@opentelemetry/api";
import { Kind, OperationTypeNode, type OperationDefinitionNode } from "graphql";
import type { Logger } from "pino";
import type { Context } from "../graphql/context";
import type { Metrics } from "./metrics";
import type { FieldOutcome } from "./outcome.middleware";

const MAX_LABEL_FIELDS = 3;

/**
 * One JSON log line per GraphQL request (correlation id, trace and span ids when traced, account, operation, outcome, duration)
 * and the request and allocation metrics. The outcome is the __typename of each allocate, deallocate
 * or preview result (recorded by their middleware, outcome.middleware.ts), "error" when the response carries errors, else "ok".
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
      // what the fields with an outcome answered (outcome.middleware.ts), in this request's own copy of the context
      const fields: FieldOutcome[] = (contextValue.outcomes = []);
      return {
        async willSendResponse(requestContext) {
          const errors = requestContext.response.body.kind === "single" ? requestContext.response.body.singleResult.errors : undefined;
          // the preview is a query: logged with its outcome, counted by graphql_requests_total
          if (requestContext.operation?.operation === OperationTypeNode.MUTATION) countAllocations(metrics, fields);
          const outcome = errors?.length ? "error" : fields.length ? fields.map(logged).join(",") : "ok";
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

function countAllocations(metrics: Metrics, fields: FieldOutcome[]): void {
  for (const { field, outcomes, seconds } of fields) {
    for (const outcome of outcomes) metrics.allocations.inc({ mutation: field, outcome });
    metrics.allocationSeconds.observe({ mutation: field }, seconds);
  }
}

// a batch answers a list: its items' outcomes, counted
function logged({ outcomes, list }: FieldOutcome): string {
  return list ? countsOf(outcomes) : outcomes[0];
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

import type { ApolloServerPlugin } from "@apollo/server";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Context } from "../graphql/context";

// OpenTelemetry's GraphQL semantic conventions (still "development": not in the stable export)
const ATTR_GRAPHQL_OPERATION_TYPE = "graphql.operation.type";
const ATTR_GRAPHQL_OPERATION_NAME = "graphql.operation.name";

/**
 * Names the GraphQL operation's span (started by the HTTP layer's traceOperation, active while
 * Apollo runs) after the operation, "mutation AllocateShipment", and marks it failed when the
 * response carries errors. The document itself is not recorded: it can hold literal values.
 */
export function tracingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const span = trace.getSpan(context.active());
      if (!span?.isRecording()) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const type = operation.operation;
          span.updateName(operationName ? `${type} ${operationName}` : type);
          span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
          if (operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
        },
        async willSendResponse({ errors }) {
          if (!errors?.length) return;
          span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0].message });
          for (const error of errors) span.recordException(error);
        },
      };
    },
  };
}

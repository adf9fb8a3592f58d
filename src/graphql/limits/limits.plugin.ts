import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from "@apollo/server";
import { GraphQLError, OperationTypeNode, type FormattedExecutionResult } from "graphql";
import type { Context } from "../context";
import { operationCost, type OperationCost } from "./cost";
import { Deadline, EXECUTION_TIMEOUT } from "./deadline";
import type { ExecutionLimits } from "./limits";
import { checkRepresentations } from "./representations";

export const RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";

/**
 * The limits that need the variables or the execution:
 * - before execution, from the document and its variables: the number and shape of `_entities`
 *   representations, then the estimated cost (400, no SQL: list it before the auth plugin);
 * - for a query: a deadline on execution, and a bound on the answer's size (400 and one error
 *   instead of the data). A mutation is never cut short or withheld: what it committed is reported.
 */
export function limitsPlugin(limits: ExecutionLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        // not async: a refusal thrown here stops the hooks of the plugins after it (the API-key lookup) from starting
        didResolveOperation(requestContext) {
          admit(requestContext, limits);
          return Promise.resolve();
        },
        async executionDidStart({ operation, contextValue }) {
          // undefined for an operationName the document lacks: graphql-js answers that
          if (operation?.operation === OperationTypeNode.QUERY) contextValue.deadline = new Deadline(limits.maxExecutionMs);
        },
        async willSendResponse({ response, contextValue }) {
          // no deadline: not a query, or never executed
          const deadline = contextValue.deadline;
          deadline?.stop();
          if (!deadline || response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const refusal =
            deadline.error && result.errors?.some((e) => e.extensions?.code === EXECUTION_TIMEOUT)
              ? deadline.error
              : oversized(result, limits.maxResponseBytes);
          if (!refusal) return;
          response.body.singleResult = { errors: [{ message: refusal.message, extensions: { code: refusal.extensions.code } }] };
          response.http.status = 400;
        },
      };
    },
  };
}

function admit({ schema, document, operation, operationName, request }: GraphQLRequestContextDidResolveOperation<Context>, limits: ExecutionLimits) {
  // no operation to run: Apollo answers that itself
  if (!operation) return;
  let estimate: OperationCost;
  try {
    estimate = operationCost(schema, document, operationName ?? undefined, request.variables);
  } catch (error) {
    // invalid variables (or a document too large to weigh): the 400 execution would give, without the API-key lookup first
    if (error instanceof GraphQLError) throw refusal(error.message, "BAD_USER_INPUT");
    throw error;
  }
  checkRepresentations(schema, estimate.representations, limits.maxRepresentations);
  if (estimate.cost > limits.maxCost) {
    throw refusal(
      `The query's estimated cost, ${estimate.cost}, is over the cost limit of ${limits.maxCost} ` +
        "(an object counts 1 or its @cost, a scalar 0; a list's selection times its @listSize, _entities' times its representations)",
      "GRAPHQL_VALIDATION_FAILED",
    );
  }
}

function oversized(result: FormattedExecutionResult, max: number): GraphQLError | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(result));
  if (bytes <= max) return undefined;
  return refusal(`The answer would be ${bytes} bytes, over the response limit of ${max}: ask for fewer entities or smaller lists`, RESPONSE_TOO_LARGE);
}

function refusal(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

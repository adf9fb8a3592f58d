import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from "@apollo/server";
import {
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type TypeNode,
} from "graphql";
import type { Context } from "../context";
import { answerText } from "./answer-text";
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
  const fixedCosts: FixedCosts = new WeakMap();
  return {
    async requestDidStart() {
      return {
        // not async: a refusal thrown here stops the hooks of the plugins after it (the API-key lookup) from starting
        didResolveOperation(requestContext) {
          admit(requestContext, limits, fixedCosts);
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

function admit(
  { schema, document, operation, operationName, request }: GraphQLRequestContextDidResolveOperation<Context>,
  limits: ExecutionLimits,
  fixedCosts: FixedCosts,
) {
  // no operation to run: Apollo answers that itself
  if (!operation) return;
  let estimate: OperationCost;
  try {
    estimate = weigh(schema, document, operation, operationName ?? undefined, request.variables, fixedCosts);
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

// by document, then operation name
type FixedCosts = WeakMap<DocumentNode, Map<string | undefined, OperationCost>>;

/**
 * The operation's cost, estimated once per document (Apollo hands every request with the same query
 * text the same parsed document) when no variable can change it, else per request. Only a Boolean
 * (@skip, @include), a number, an enum, a list or an input object can size anything: an operation
 * whose variables are all IDs and strings, as the allocate mutations', costs what its document does.
 * The variables are still checked on every request, before the API-key lookup.
 */
function weigh(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
  fixedCosts: FixedCosts,
): OperationCost {
  if (!(operation.variableDefinitions ?? []).every(({ type }) => IDS_AND_STRINGS.has(namedType(type)))) {
    return operationCost(schema, document, operationName, variables);
  }
  const known = fixedCosts.get(document)?.get(operationName);
  if (!known) {
    const estimate = operationCost(schema, document, operationName, variables);
    fixedCosts.set(document, (fixedCosts.get(document) ?? new Map<string | undefined, OperationCost>()).set(operationName, estimate));
    return estimate;
  }
  // what graphql-query-complexity throws for invalid variables: the last error
  const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (errors?.length) throw errors[errors.length - 1];
  return known;
}

const IDS_AND_STRINGS = new Set(["ID", "String"]);

// the type's name when it is a named type, non-null or not; "" for a list
function namedType(type: TypeNode): string {
  const nullable = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  return nullable.kind === Kind.NAMED_TYPE ? nullable.name.value : "";
}

function oversized(result: FormattedExecutionResult, max: number): GraphQLError | undefined {
  const bytes = Buffer.byteLength(answerText(result));
  if (bytes <= max) return undefined;
  return refusal(`The answer would be ${bytes} bytes, over the response limit of ${max}: ask for fewer entities or smaller lists`, RESPONSE_TOO_LARGE);
}

function refusal(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

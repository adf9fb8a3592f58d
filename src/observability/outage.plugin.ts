import type { ApolloServerPlugin } from "@apollo/server";
import { OperationTypeNode, type OperationDefinitionNode } from "graphql";
import type { Context } from "../graphql/context";
import { isStoreUnavailable, RETRY_AFTER_SECONDS, serviceUnavailableError } from "./unavailable";

/**
 * A resolver that lost the store mid-request answers like the context does during an outage:
 * SERVICE_UNAVAILABLE, not a driver message or a masked 500; and HTTP 503 with Retry-After, unless
 * a mutation already answered: what it committed is the client's, so that response is a 200 whose
 * later fields carry the errors.
 */
export function outagePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ errors, response, operation }) {
          const body = response.body;
          if (!errors?.length || body.kind !== "single" || !body.singleResult.errors) return;
          const unavailable = errors.map((e) => isStoreUnavailable(e.originalError));
          if (!unavailable.includes(true)) return;
          // formatted errors are in the order of the errors they were formatted from
          const replacement = serviceUnavailableError();
          body.singleResult.errors = body.singleResult.errors.map((formatted, i) =>
            unavailable[i] ? { message: replacement.message, path: formatted.path, extensions: { ...keptExtensions(formatted.extensions), code: replacement.extensions.code } } : formatted,
          );
          if (mutationAnswered(operation, body.singleResult.data)) return;
          response.http.status = 503;
          response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

// a mutation field with a result ran to its end: its transaction committed (or it had nothing to write)
function mutationAnswered(operation: OperationDefinitionNode | undefined, data: Record<string, unknown> | null | undefined): boolean {
  return operation?.operation === OperationTypeNode.MUTATION && Object.values(data ?? {}).some((value) => value !== null);
}

// a stack trace would only describe the driver's failure; anything else (a correlation id) stays
function keptExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const { stacktrace: _stacktrace, ...kept } = extensions ?? {};
  return kept;
}

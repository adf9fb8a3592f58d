import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import type { Context } from "./context";

export const INTERNAL_ERROR_MESSAGE = "Internal server error";
export const INTERNAL = "INTERNAL_SERVER_ERROR";

// Apollo gives every error without a code INTERNAL_SERVER_ERROR: those are ours, not the client's
function isInternal(code: unknown): boolean {
  return code === undefined || code === INTERNAL;
}

/** Apollo's formatError: in production an internal error tells the client nothing but its code. */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError =>
    production && isInternal(formatted.extensions?.code)
      ? { message: INTERNAL_ERROR_MESSAGE, path: formatted.path, extensions: { code: INTERNAL } }
      : formatted;
}

/**
 * Logs the detail (stack included) of internal errors with the correlation id, and gives every
 * error the client sees that correlation id, so a report can be matched with the log.
 */
export function errorsPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors.filter((e: GraphQLError) => isInternal(e.extensions?.code))) {
            logger.error({ correlationId: contextValue.correlationId, path: error.path, err: error.originalError ?? error }, "internal error");
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, correlationId: contextValue.correlationId },
          }));
        },
      };
    },
  };
}

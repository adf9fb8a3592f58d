import type { ApolloServerPlugin } from "@apollo/server";
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import type { Context } from "./context";
import { correlationIdOf } from "./correlation";

export const INTERNAL_ERROR_MESSAGE = "Internal server error";
const INTERNAL = "INTERNAL_SERVER_ERROR";

// Apollo gives every error without a code INTERNAL_SERVER_ERROR: those are ours, not the client's
function isInternal(code: unknown): boolean {
  return code === undefined || code === INTERNAL;
}

/**
 * The JSON error answer of everything refused outside GraphQL execution (router secret, CSRF, body
 * parsing, unknown paths, escaped errors): the shape Apollo's errors have, with the correlation id.
 */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code, correlationId: correlationIdOf(res) } }] });
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

// body-parser's errors (malformed JSON, too large, an unknown charset) are the client's: JSON answers, not 500 pages
const clientErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === "number" && error.status < 500 ? error.status : undefined;
  if (!status) return next(error);
  const message = error.type === "entity.parse.failed" ? "The request body is not valid JSON" : String(error.message);
  sendError(res, status, "BAD_REQUEST", message);
};

// a JSON 404, not express' HTML page
const notFound: RequestHandler = (_req, res) => sendError(res, 404, "NOT_FOUND", "Not found");

/** The last express handlers: unknown paths, client errors as 4xx, whatever else escaped logged and answered as JSON 500. */
export function expressErrorHandlers(logger: Logger): (RequestHandler | ErrorRequestHandler)[] {
  const internal: ErrorRequestHandler = (error, _req, res, _next) => {
    logger.error({ correlationId: correlationIdOf(res), err: error }, "unhandled error");
    sendError(res, 500, INTERNAL, INTERNAL_ERROR_MESSAGE);
  };
  return [notFound, clientErrors, internal];
}

import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { INTERNAL, INTERNAL_ERROR_MESSAGE } from "../graphql/errors";
import { correlationIdOf } from "./correlation";

/**
 * The JSON error answer of everything refused outside GraphQL execution (router secret, CSRF, body
 * parsing, unknown paths, escaped errors): the shape Apollo's errors have, with the correlation id.
 */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json(errorAnswer(code, message, correlationIdOf(res)));
}

export function errorAnswer(code: string, message: string, correlationId: string) {
  return { errors: [{ message, extensions: { code, correlationId } }] };
}

export const NOT_JSON_MESSAGE = "The request body is not valid JSON";

// body-parser's errors (malformed JSON, too large, an unknown charset) are the client's: JSON answers, not 500 pages
const clientErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const { status, type, message: detail } = (error ?? {}) as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof status !== "number" || status >= 500) return next(error);
  const message = type === "entity.parse.failed" ? NOT_JSON_MESSAGE : String(detail);
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

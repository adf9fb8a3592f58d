import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { GraphQLFormattedError } from "graphql";

const MAX_CORRELATION_ID = 200;

/** What correlate() keeps on res.locals before anything can fail. */
interface CorrelatedLocals {
  correlationId: string;
}

/** The x-correlation-id header when it is safe to echo (printable ASCII of a sane length), else a new UUID. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.length <= MAX_CORRELATION_ID && /^[\x21-\x7e]+$/.test(value) ? value : randomUUID();
}

/** The first middleware: one correlation id per HTTP request, for every answer and log line. */
export const correlate: RequestHandler = (req, res, next) => {
  (res.locals as CorrelatedLocals).correlationId = correlationIdFrom(req.headers["x-correlation-id"]);
  next();
};

export function correlationIdOf(res: Response): string {
  return (res.locals as CorrelatedLocals).correlationId;
}

/**
 * Before Apollo's handler: Apollo refuses some requests before any request context or plugin exists
 * (a batch, a body that is not a GraphQL request, a bad GET query string, an unacceptable Accept
 * header); their error answers get the request's correlation id as they are sent. (An
 * AsyncLocalStorage read by formatError would cost every request ~10% CPU on Node 20.)
 */
export const correlateApolloRefusals: RequestHandler = (_req, res, next) => {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) =>
    send(res.statusCode >= 400 && typeof body === "string" ? withCorrelationId(body, correlationIdOf(res)) : body)) as typeof res.send;
  next();
};

/** An error answer of Apollo's (before any request context) with the request's correlation id on every error. */
export function withCorrelationId(body: string, correlationId: string): string {
  let answer: { errors?: GraphQLFormattedError[] };
  try {
    answer = JSON.parse(body) as { errors?: GraphQLFormattedError[] };
  } catch {
    return body;
  }
  // errors from a request context have it already (errorsPlugin)
  if (!Array.isArray(answer?.errors) || answer.errors.every((error) => error.extensions?.correlationId)) return body;
  const errors = answer.errors.map((error) => ({ ...error, extensions: { ...error.extensions, correlationId } }));
  return `${JSON.stringify({ ...answer, errors })}\n`;
}

import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";

const MAX_CORRELATION_ID = 200;
const inApollo = new AsyncLocalStorage<string>();

declare global {
  namespace Express {
    interface Locals {
      /** The request's correlation id, set by correlate() before anything can fail. */
      correlationId: string;
    }
  }
}

/** The x-correlation-id header when it is safe to echo (printable ASCII of a sane length), else a new UUID. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.length <= MAX_CORRELATION_ID && /^[\x21-\x7e]+$/.test(value) ? value : randomUUID();
}

/** The first middleware: one correlation id per HTTP request, for every answer and log line. */
export const correlate: RequestHandler = (req, res, next) => {
  res.locals.correlationId = correlationIdFrom(req.headers["x-correlation-id"]);
  next();
};

export function correlationIdOf(res: Response): string {
  return res.locals.correlationId;
}

/**
 * Runs Apollo's handler with the request's correlation id at hand, so that formatError can add it to
 * errors Apollo answers before any request context exists (batching, a malformed body, a bad method).
 */
export function withCorrelationId(handler: RequestHandler): RequestHandler {
  return (req, res, next) => inApollo.run(correlationIdOf(res), () => handler(req, res, next));
}

/** The correlation id of the request Apollo is handling; undefined outside one (executeOperation). */
export function currentCorrelationId(): string | undefined {
  return inApollo.getStore();
}

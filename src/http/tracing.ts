import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from "@opentelemetry/semantic-conventions";
import type { RequestHandler } from "express";
import { tracedContext, tracerIn } from "../observability/tracing";

// the router sends W3C trace context (traceparent, tracestate), whatever propagator is registered globally
const propagator = new W3CTraceContextPropagator();

/** What traceRequests keeps on res.locals: the request's traced context, for handlers reached after a body was read. */
interface TracedLocals {
  traceContext?: Context;
}

/**
 * A server span per request, continuing the caller's traceparent (the router's), active for
 * everything the request runs; named and given its route and status when the response is done.
 */
export function traceRequests(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: req.path, [ATTR_URL_SCHEME]: req.protocol } },
      parent,
    );
    res.once("close", () => {
      // an Express route's pattern, or the mount path of /graphql's handlers; never the raw path (cardinality)
      const route = (req.route as { path?: string } | undefined)?.path ?? (req.baseUrl || undefined);
      if (route) span.updateName(`${req.method} ${route}`).setAttribute(ATTR_HTTP_ROUTE, route);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR }).setAttribute(ATTR_ERROR_TYPE, String(res.statusCode));
      span.end();
    });
    // a caller that did not sample this trace gets no child spans: the statements run as untraced
    const traced = span.isRecording() ? tracedContext(parent, span, tracer) : trace.setSpan(parent, span);
    (res.locals as TracedLocals).traceContext = traced;
    context.with(traced, next);
  };
}

/**
 * Before Apollo's handler: the GraphQL operation's span (named by tracingPlugin once the operation
 * is known), active while Apollo runs it. The context comes from res.locals: a body parser calls
 * next() from the socket's callbacks, outside the context the request started in.
 */
export const traceOperation: RequestHandler = (_req, res, next) => {
  const traced = (res.locals as TracedLocals).traceContext;
  const tracer = traced && tracerIn(traced);
  if (!traced || !tracer) return next();
  const span = tracer.startSpan("GraphQL Operation", { kind: SpanKind.INTERNAL }, traced);
  res.once("close", () => span.end());
  context.with(tracedContext(traced, span, tracer), next);
};

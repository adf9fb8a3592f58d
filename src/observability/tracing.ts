import { context, createContextKey, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";
import type { TracingConfig } from "../config/config";

const TRACER_NAME = "allocation-subgraph";

// the tracer of the request being served travels in its context: a child span needs no global
// lookup, and an untraced request (tracing off) costs one Map read where a span would start
const TRACER = createContextKey("allocation-subgraph.tracer");

export interface Tracing {
  /** What the server's request spans come from (ServerOptions.tracer). */
  tracer: Tracer;
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Exports spans over OTLP/HTTP when config.tracing is set; else undefined, and none of the SDK is
 * loaded. The provider is registered globally: its AsyncLocalStorage context manager is what
 * carries a request's span across its awaits (and @apollo/gateway's spans, in the same process).
 */
export async function startTracing(config: TracingConfig | undefined): Promise<Tracing | undefined> {
  if (!config) return undefined;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { detectResources, envDetector, resourceFromAttributes }, { ATTR_SERVICE_NAME }] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/semantic-conventions"),
    ]);
  const provider = new NodeTracerProvider({
    // OTEL_RESOURCE_ATTRIBUTES too (deployment.environment, service.version, ...)
    resource: detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName })),
    // the exporter reads OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT and _COMPRESSION itself
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
  provider.register();
  return { tracer: provider.getTracer(TRACER_NAME), shutdown: () => provider.shutdown() };
}

/** The context in which a traced request runs: its span active, and the tracer its child spans come from. */
export function tracedContext(parent: Context, span: Span, tracer: Tracer): Context {
  return trace.setSpan(parent, span).setValue(TRACER, tracer);
}

/** The tracer of the traced request whose context this is; undefined outside one. */
export function tracerIn(traced: Context): Tracer | undefined {
  return traced.getValue(TRACER) as Tracer | undefined;
}

/** The tracer of the traced request being served; undefined outside one. */
export function activeTracer(): Tracer | undefined {
  return tracerIn(context.active());
}

/**
 * Runs work in a child span of the traced request's active span (active itself for what work
 * runs); in an untraced request, work runs as it is and gets no span.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return work(undefined);
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed by this error (status, exception event and error.type). */
export function failed(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setAttribute("error.type", errorType(error));
  }
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

// a driver's SQLSTATE or a node code when there is one: low-cardinality, unlike messages
function errorType(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error.name;
}

import path from "node:path";
import { z } from "zod";
import { DEFAULT_IDLE_CONNECTION_MS, DEFAULT_POSTGRES_TIMEOUTS, type PostgresTimeouts } from "../store/store";

// admitted /graphql requests per pooled connection: enough to keep every connection busy, few enough that none waits long for one
const REQUESTS_PER_CONNECTION = 4;

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4001),
  // /metrics on a listener of its own, never on the public port; unset: not served
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  PUBLIC_BASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // 0: a connection once opened stays open
  DATABASE_IDLE_CONNECTION_MS: z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_IDLE_CONNECTION_MS),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(DEFAULT_POSTGRES_TIMEOUTS.statementMs),
  DATABASE_IDLE_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(DEFAULT_POSTGRES_TIMEOUTS.idleTransactionMs),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(DEFAULT_POSTGRES_TIMEOUTS.connectMs),
  // GraphQL requests in flight per process; beyond it a request is refused at once (503, Retry-After)
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(100_000).optional(),
  NODE_ENV: z.string().default("development"),
  PLAYGROUND: z.enum(["true", "false"]).optional(),
  // SIGTERM: /ready answers 503 for SHUTDOWN_DELAY_MS while requests are still served, then in-flight ones get the rest of the grace
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1).max(300_000).default(10_000),
  INTROSPECTION: z.enum(["true", "false"]).optional(),
  // per-field timings (ftv1) are for the router; unset: on only when ROUTER_SECRET keeps clients out
  FEDERATION_TRACES: z.enum(["true", "false"]).optional(),
  // comma-separated origins allowed to call from a browser; none by default, never "*"
  CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ error: "must be a list of origins such as https://app.example.com (never *)" })))
    .default([]),
  // retries within this window are replayed; 24 h is the promise made to clients
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(24).max(24 * 30).default(24),
  // how long a preview's quote holds its service and price; capped at a week, rates change
  QUOTE_TTL_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(1800),
  // a secret shared with the router: long enough not to be guessed
  ROUTER_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  // OpenTelemetry's own names: traces are exported over OTLP/HTTP only when an endpoint is set
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default("allocation-subgraph"),
  OTEL_SDK_DISABLED: z.enum(["true", "false"]).optional(),
  // the catalogue and API keys from memory, invalidated by imports; off: every lookup is a statement
  CATALOGUE_CACHE: z.enum(["on", "off"]).default("on"),
}).refine((e) => !e.METRICS_PORT || e.METRICS_PORT !== e.PORT, { path: ["METRICS_PORT"], message: "must differ from PORT" });

export interface Config {
  port: number;
  /** METRICS_PORT: where /metrics is served; undefined: nowhere. */
  metricsPort: number | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  publicBaseUrl: string;
  databasePoolSize: number;
  /** How long a pooled PostgreSQL connection may sit unused before it is closed; 0: never. */
  databaseIdleConnectionMs: number;
  /** PostgreSQL statement, idle-transaction and connection timeouts. */
  databaseTimeouts: PostgresTimeouts;
  /** /graphql requests in flight at once; the next is refused with 503 before any work. */
  maxConcurrentRequests: number;
  production: boolean;
  /** PLAYGROUND; unset: served in development, not in production. */
  playground: boolean;
  /** After SIGTERM, how long /ready answers 503 before the server stops accepting connections. */
  shutdownDelayMs: number;
  /** After SIGTERM, how long in-flight requests get before the process exits anyway. */
  shutdownGraceMs: number;
  /** INTROSPECTION; unset: on in development, off in production. */
  introspection: boolean | undefined;
  /** FEDERATION_TRACES; unset: ftv1 traces only when routerSecret is set. */
  federationTraces: boolean;
  /** Browser origins allowed by CORS; empty: no CORS headers at all. */
  corsOrigins: string[];
  /** How long an idempotency key is kept (at least 24 h). */
  idempotencyTtlHours: number;
  /** How long a quote from previewAllocationWithVirtualService can be allocated with. */
  quoteTtlSeconds: number;
  /** When set, /graphql answers only requests with the header router-authorization: <secret>. */
  routerSecret: string | undefined;
  /** CATALOGUE_CACHE: the catalogue and API keys served from memory (store/cache). */
  catalogueCache: boolean;
  /** Where traces are exported (OTEL_EXPORTER_OTLP_ENDPOINT); undefined: tracing is off and no SDK is loaded. */
  tracing: TracingConfig | undefined;
}

export interface TracingConfig {
  /** The OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  /** service.name of every span (OTEL_SERVICE_NAME). */
  serviceName: string;
}

/** Reads and validates the environment once; a bad value stops start-up with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseIdleConnectionMs: e.DATABASE_IDLE_CONNECTION_MS,
    databaseTimeouts: {
      statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleTransactionMs: e.DATABASE_IDLE_TRANSACTION_TIMEOUT_MS,
      connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    },
    maxConcurrentRequests: e.MAX_CONCURRENT_REQUESTS ?? REQUESTS_PER_CONNECTION * e.DATABASE_POOL_SIZE,
    production: e.NODE_ENV === "production",
    playground: e.PLAYGROUND === undefined ? e.NODE_ENV !== "production" : e.PLAYGROUND === "true",
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    routerSecret: e.ROUTER_SECRET,
    introspection: e.INTROSPECTION === undefined ? undefined : e.INTROSPECTION === "true",
    federationTraces: e.FEDERATION_TRACES === undefined ? e.ROUTER_SECRET !== undefined : e.FEDERATION_TRACES === "true",
    corsOrigins: e.CORS_ORIGINS,
    idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
    quoteTtlSeconds: e.QUOTE_TTL_SECONDS,
    tracing: tracingConfig(e),
    catalogueCache: e.CATALOGUE_CACHE === "on",
  };
}

// the OTLP specification's rule: the signal path is appended to the generic endpoint, never to the per-signal one
function tracingConfig(e: z.infer<typeof schema>): TracingConfig | undefined {
  if (e.OTEL_SDK_DISABLED === "true") return undefined;
  const tracesUrl = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT && `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`);
  return tracesUrl ? { tracesUrl, serviceName: e.OTEL_SERVICE_NAME } : undefined;
}

// an empty variable means "not set", as in most shells' `VAR= cmd`
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}

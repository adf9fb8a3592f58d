import { expressMiddleware } from "@as-integrations/express5";
import type { Tracer } from "@opentelemetry/api";
import cors from "cors";
import express from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config } from "../config/config";
import { createContext } from "../graphql/context";
import { correlate, correlateApolloRefusals, correlationIdOf } from "./correlation";
import { expressErrorHandlers } from "./errors";
import { csrfPrevention, getOrPostOnly } from "./guards";
import { startMetricsServer } from "../observability/metrics-server";
import { createApolloServer } from "../graphql/apollo";
import { LIMITS, type ExecutionLimits } from "../graphql/limits/limits";
import { logger as defaultLogger } from "../config/logger";
import { admission } from "../observability/admission";
import { LABEL_PATH, labelRoute } from "../labels/label.route";
import { createMetrics, type Metrics } from "../observability/metrics";
import { PLAYGROUND_ASSETS_PATH, playgroundAssets, playgroundPage } from "./playground";
import { createReadiness, type Readiness } from "../observability/readiness";
import { graphqlLane } from "./graphql-lane";
import { routerSecret, routerSecretCheck } from "./router-secret";
import { traceOperation, traceRequests } from "./tracing";
import type { Store } from "../store";

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  metrics: Metrics;
  /** Where /metrics is served (config.metricsPort); undefined when it is not. */
  metricsUrl: string | undefined;
  readiness: Readiness;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The metrics whose onQuery the store was opened with (else SQL statements go uncounted). */
  metrics?: Metrics;
  logger?: Logger;
  /** Lower execution limits than LIMITS' (tests). */
  limits?: Partial<ExecutionLimits>;
  /**
   * Spans for each request, its GraphQL operation, and (with a store opened with `tracing`) its SQL,
   * from a provider registered globally (startTracing, or a test's); undefined: no span, no cost.
   */
  tracer?: Tracer;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function startServer(
  store: Store,
  config: Config,
  port = config.port,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const metrics = options.metrics ?? createMetrics();
  metrics.watchPool(() => store.poolStats?.());
  const readiness = createReadiness(store);
  // no X-Powered-By: answers do not name the framework; no ETag: every answer is no-store, hashing it was wasted CPU
  const app = express().disable("x-powered-by").disable("etag");
  // POST /graphql in the GraphQL lane when it takes it, everything else (and what it leaves) in express
  let lane: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  const httpServer = http.createServer((req, res) => {
    if (!lane?.(req, res)) app(req, res);
  });
  const tracer = options.tracer;
  const logger = options.logger ?? defaultLogger;
  const apollo = await createApolloServer({ config, logger, metrics, httpServer, limits: options.limits, tracing: !!tracer });
  const admit = admission(config.maxConcurrentRequests, () => metrics.refusedRequests.inc());
  const context = async (req: http.IncomingMessage, correlationId: string) =>
    createContext(store, config, { apiKey: header(req.headers["x-api-key"]), correlationId });

  app.use(correlate);
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", store: store.kind });
  });
  app.get("/ready", readiness.handler);
  // after the probes: a span every few seconds per probe would drown the requests' traces
  if (tracer) app.use(traceRequests(tracer));
  // outside /graphql and its router secret: printers and clients fetch labels with their API key
  app.get(LABEL_PATH, labelRoute(store));
  // CORS only for an explicit allow-list: by default other origins' browsers get no access
  if (config.corsOrigins.length > 0) app.use("/graphql", cors({ origin: config.corsOrigins }));
  if (config.playground) app.use(PLAYGROUND_ASSETS_PATH, playgroundAssets());
  app.use(
    "/graphql",
    routerSecret(config.routerSecret),
    playgroundPage(config),
    getOrPostOnly,
    csrfPrevention,
    // what the disabled cache-control plugin answered for every response: account data is never cached
    (_req, res, next) => {
      res.setHeader("cache-control", "no-store");
      next();
    },
    express.json({ limit: LIMITS.maxBodyBytes }),
    admit.handler,
    correlateApolloRefusals,
    ...(tracer ? [traceOperation] : []),
    expressMiddleware(apollo, { context: ({ req, res }) => context(req, correlationIdOf(res)) }),
  );
  app.use(expressErrorHandlers(logger));
  // CORS and tracing are middlewares of the express chain: with either configured, every request goes there
  if (!tracer && config.corsOrigins.length === 0) {
    lane = graphqlLane({ apollo, admission: admit, maxBodyBytes: LIMITS.maxBodyBytes, routerSecretAccepts: routerSecretCheck(config.routerSecret), context, logger });
  }

  await new Promise<void>((resolve) => httpServer.listen(port, resolve));
  const actualPort = (httpServer.address() as AddressInfo).port;
  const metricsServer = config.metricsPort === undefined ? undefined : await startMetricsServer(metrics, config.metricsPort);
  return {
    url: `http://localhost:${actualPort}/graphql`,
    port: actualPort,
    httpServer,
    metrics,
    metricsUrl: metricsServer?.url,
    readiness,
    stop: async () => {
      await apollo.stop();
      await metricsServer?.close();
    },
  };
}

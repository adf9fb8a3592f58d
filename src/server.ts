import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginInlineTrace } from "@apollo/server/plugin/inlineTrace";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { authPlugin } from "./auth.plugin";
import type { Config } from "./config";
import { createContext, type Context } from "./context";
import { errorsPlugin, formatError, internalErrorHandler } from "./errors";
import { limitPlugins, LIMITS, parseOptions, validationRules } from "./limits";
import { logger as defaultLogger } from "./logger";
import { loggingPlugin } from "./observability/logging.plugin";
import { createMetrics, type Metrics } from "./observability/metrics";
import { startMetricsServer } from "./observability/metrics-server";
import { outagePlugin } from "./observability/outage.plugin";
import { PLAYGROUND_ASSETS_PATH, playgroundAssets, playgroundPage } from "./playground";
import { createReadiness, type Readiness } from "./observability/readiness";
import { routerSecret } from "./router-secret";
import { buildAllocationSchema } from "./schema";
import type { Store } from "./store";

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
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// body-parser's errors (malformed JSON, too large) are the client's: answer them as GraphQL errors, not 500 pages
const clientErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === "number" && error.status < 500 ? error.status : undefined;
  if (!status) return next(error);
  const message = error.type === "entity.parse.failed" ? "The request body is not valid JSON" : String(error.message);
  res.status(status).json({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
};

export async function startServer(
  store: Store,
  config: Config,
  port = config.port,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const metrics = options.metrics ?? createMetrics();
  metrics.watchPool(() => store.poolStats?.());
  const readiness = createReadiness(store);
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: await buildAllocationSchema(),
    plugins: [
      authPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      loggingPlugin(options.logger ?? defaultLogger, metrics),
      outagePlugin(),
      // GET /graphql's page is GraphQL Playground (src/playground.ts), not Apollo's CDN-hosted Sandbox
      ApolloServerPluginLandingPageDisabled(),
      // no type or field has a cache hint: the default plugin would only add work to every field
      ApolloServerPluginCacheControlDisabled(),
      // per-field timings (ftv1) only where the router alone can ask for them
      config.federationTraces ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(),
      errorsPlugin(options.logger ?? defaultLogger),
      ...limitPlugins,
    ],
    parseOptions,
    validationRules,
    // composition uses _service, which is a field, not introspection
    introspection: config.introspection ?? !config.production,
    formatError: formatError(config.production),
    // a wrong field name gets "Cannot query field", without guesses at the schema
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: !config.production,
    // main.ts owns SIGTERM: readiness goes off before anything stops accepting
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", store: store.kind });
  });
  app.get("/ready", readiness.handler);
  // CORS only for an explicit allow-list: by default other origins' browsers get no access
  if (config.corsOrigins.length > 0) app.use("/graphql", cors({ origin: config.corsOrigins }));
  if (config.playground) app.use(PLAYGROUND_ASSETS_PATH, playgroundAssets());
  app.use(
    "/graphql",
    routerSecret(config.routerSecret),
    playgroundPage(config),
    // what the disabled cache-control plugin answered for every response: account data is never cached
    (_req, res, next) => {
      res.setHeader("cache-control", "no-store");
      next();
    },
    express.json({ limit: LIMITS.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: ({ req }) =>
        createContext(store, config, {
          apiKey: header(req.headers["x-api-key"]),
          correlationId: header(req.headers["x-correlation-id"]),
        }),
    }),
  );
  app.use(clientErrors);
  app.use(internalErrorHandler(options.logger ?? defaultLogger));

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

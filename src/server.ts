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
import express from "express";
import { NoSchemaIntrospectionCustomRule } from "graphql";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { authPlugin } from "./auth.plugin";
import type { Config } from "./config";
import { createContext, type Context } from "./context";
import { correlate, correlateApolloRefusals, correlationIdOf } from "./correlation";
import { errorsPlugin, expressErrorHandlers, formatError } from "./errors";
import { csrfPrevention, getOrPostOnly } from "./http-guards";
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

export async function startServer(
  store: Store,
  config: Config,
  port = config.port,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const metrics = options.metrics ?? createMetrics();
  metrics.watchPool(() => store.poolStats?.());
  const readiness = createReadiness(store);
  // no X-Powered-By: answers do not name the framework
  const app = express().disable("x-powered-by");
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
    // introspection is refused by graphql-js' rule, whose message names no option (Apollo's names its
    // own, so Apollo's stays off); composition uses _service, which is a field, not introspection
    validationRules: (config.introspection ?? !config.production) ? validationRules : [...validationRules, NoSchemaIntrospectionCustomRule],
    introspection: true,
    formatError: formatError(config.production),
    // a wrong field name gets "Cannot query field", without guesses at the schema
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: !config.production,
    // main.ts owns SIGTERM: readiness goes off before anything stops accepting
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  app.use(correlate);
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
    getOrPostOnly,
    csrfPrevention,
    // what the disabled cache-control plugin answered for every response: account data is never cached
    (_req, res, next) => {
      res.setHeader("cache-control", "no-store");
      next();
    },
    express.json({ limit: LIMITS.maxBodyBytes }),
    correlateApolloRefusals,
    expressMiddleware(apollo, {
      context: ({ req, res }) =>
        createContext(store, config, { apiKey: header(req.headers["x-api-key"]), correlationId: correlationIdOf(res) }),
    }),
  );
  app.use(expressErrorHandlers(options.logger ?? defaultLogger));

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

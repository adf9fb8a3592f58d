import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config } from "../config/config";
import { createContext } from "../graphql/context";
import { createApolloServer } from "../graphql/apollo";
import { internalErrorHandler } from "../graphql/errors";
import { LIMITS, type ExecutionLimits } from "../graphql/limits/limits";
import { logger as defaultLogger } from "../config/logger";
import { admission } from "../observability/admission";
import { LABEL_PATH, labelRoute } from "../labels/label.route";
import { createMetrics, type Metrics } from "../observability/metrics";
import { PLAYGROUND_ASSETS_PATH, playgroundAssets, playgroundPage } from "./playground";
import { createReadiness, type Readiness } from "../observability/readiness";
import { routerSecret } from "./router-secret";
import type { Store } from "../store";

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  metrics: Metrics;
  readiness: Readiness;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The metrics whose onQuery the store was opened with (else SQL statements go uncounted). */
  metrics?: Metrics;
  logger?: Logger;
  /** Lower execution limits than LIMITS' (tests). */
  limits?: Partial<ExecutionLimits>;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// body-parser's errors (malformed JSON, too large) are the client's: answer them as GraphQL errors, not 500 pages
const clientErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const { status, type, message: detail } = (error ?? {}) as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof status !== "number" || status >= 500) return next(error);
  const message = type === "entity.parse.failed" ? "The request body is not valid JSON" : String(detail);
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
  const apollo = await createApolloServer({ config, logger: options.logger ?? defaultLogger, metrics, httpServer, limits: options.limits });

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", store: store.kind });
  });
  app.get("/ready", readiness.handler);
  // outside /graphql and its router secret: printers and clients fetch labels with their API key
  app.get(LABEL_PATH, labelRoute(store));
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
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
    admission(config.maxConcurrentRequests, () => metrics.refusedRequests.inc()),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
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
  return {
    url: `http://localhost:${actualPort}/graphql`,
    port: actualPort,
    httpServer,
    metrics,
    readiness,
    stop: () => apollo.stop(),
  };
}

import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler } from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { authPlugin } from "./auth.plugin";
import type { Config } from "./config";
import { createContext, type Context } from "./context";
import { buildAllocationSchema } from "./schema";
import type { Store } from "./store";

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

const MAX_BODY = "1mb";

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

export async function startServer(store: Store, config: Config, port = config.port): Promise<RunningServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: await buildAllocationSchema(),
    plugins: [authPlugin(), ApolloServerPluginDrainHttpServer({ httpServer })],
    // a wrong field name gets "Cannot query field", without guesses at the schema
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: !config.production,
  });
  await apollo.start();

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", store: store.kind });
  });
  app.use(
    "/graphql",
    express.json({ limit: MAX_BODY }),
    expressMiddleware(apollo, {
      context: ({ req }) =>
        createContext(store, config, {
          apiKey: header(req.headers["x-api-key"]),
          correlationId: header(req.headers["x-correlation-id"]),
        }),
    }),
  );
  app.use(clientErrors);

  await new Promise<void>((resolve) => httpServer.listen(port, resolve));
  const actualPort = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://localhost:${actualPort}/graphql`,
    port: actualPort,
    httpServer,
    stop: () => apollo.stop(),
  };
}

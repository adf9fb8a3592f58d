import type { DocumentNode } from "graphql";
import { loadConfig, type Config } from "../../src/config/config";
import { createApolloServer } from "../../src/graphql/apollo";
import { createContext } from "../../src/graphql/context";
import { logger } from "../../src/config/logger";
import { createMetrics } from "../../src/observability/metrics";
import { startServer, type RunningServer } from "../../src/http/server";
import type { Store } from "../../src/store";

export const DEMO_KEY = "demo-api-key";
export const NORTHWIND_KEY = "northwind-api-key";
export const BASE_URL = "https://api.test.example";

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), port: 0, publicBaseUrl: BASE_URL, ...overrides };
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export interface HttpTestServer extends RunningServer {
  /** POSTs one GraphQL operation over real HTTP. */
  post<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
}

/** The real server on an ephemeral port, over the given store. */
export async function startHttpServer(store: Store, overrides: Partial<Config> = {}): Promise<HttpTestServer> {
  const server = await startServer(store, testConfig(overrides), 0);
  return {
    ...server,
    async post<T>(query: string, variables?: Record<string, unknown>, headers = { "x-api-key": DEMO_KEY }) {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse<T>["body"] };
    },
  };
}

/** In-process execution (`executeOperation`) through the production Apollo setup, as a request with the given API key would run. */
export async function createOperationRunner(store: Store, overrides: Partial<Config> = {}) {
  const config = testConfig(overrides);
  // the server's own Apollo setup (limits, error masking, outage and auth plugins), without HTTP
  const server = await createApolloServer({ config, logger, metrics: createMetrics() });
  return {
    async run<T = Record<string, any>>(
      query: string | DocumentNode,
      variables: Record<string, unknown> = {},
      apiKey: string | undefined = DEMO_KEY,
      correlationId?: string,
    ) {
      const contextValue = createContext(store, config, { apiKey, correlationId });
      const response = await server.executeOperation<T>({ query, variables }, { contextValue });
      if (response.body.kind !== "single") throw new Error("Unexpected incremental response");
      return { http: response.http, ...response.body.singleResult };
    },
    stop: () => server.stop(),
  };
}

// A real server whose log lines and metrics a test can read, and plain HTTP helpers.
import pino from "pino";
import type { Config } from "../../src/config";
import type { Metrics } from "../../src/observability/metrics";
import { startServer, type RunningServer } from "../../src/server";
import type { Store } from "../../src/store";
import { DEMO_KEY, testConfig, type GraphQLResponse } from "../support/server";

export interface ObservedServer extends RunningServer {
  /** The JSON log lines the server wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The origin, e.g. http://localhost:1234 */
  origin: string;
  post<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  get(path: string): Promise<{ status: number; text: string }>;
  /** GET /metrics on the metrics port, as Prometheus scrapes it. */
  scrape(): Promise<{ status: number; text: string }>;
}

export async function startObservedServer(
  store: Store,
  options: { metrics?: Metrics; config?: Partial<Config> } = {},
): Promise<ObservedServer> {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  // metrics on a port of their own (METRICS_PORT), an ephemeral one here
  const server = await startServer(store, testConfig({ metricsPort: 0, ...options.config }), 0, { metrics: options.metrics, logger });
  const origin = `http://localhost:${server.port}`;
  return {
    ...server,
    logs,
    origin,
    post: (query, variables, headers) => postGraphQL(server.url, query, variables, headers),
    get: (path) => getText(origin + path),
    async scrape() {
      if (!server.metricsUrl) throw new Error("This server serves no metrics (config.metricsPort is unset)");
      return getText(server.metricsUrl);
    },
  };
}

export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = { "x-api-key": DEMO_KEY },
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T>["body"] };
}

async function getText(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

// A real server whose log lines and metrics a test can read, and plain HTTP helpers.
import type { Tracer } from "@opentelemetry/api";
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import type { Config } from "../../src/config/config";
import type { ExecutionLimits } from "../../src/graphql/limits/limits";
import type { Metrics } from "../../src/observability/metrics";
import { startServer, type RunningServer } from "../../src/http/server";
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
  ): Promise<GraphQLResponse<T> & { headers: Headers }>;
  get(path: string): Promise<{ status: number; text: string }>;
  /** GET /metrics on the metrics port, as Prometheus scrapes it. */
  scrape(): Promise<{ status: number; text: string }>;
}

export async function startObservedServer(
  store: Store,
  options: { metrics?: Metrics; config?: Partial<Config>; limits?: Partial<ExecutionLimits>; tracer?: Tracer } = {},
): Promise<ObservedServer> {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  // metrics on a port of their own (METRICS_PORT), an ephemeral one here
  const server = await startServer(store, testConfig({ metricsPort: 0, ...options.config }), 0, {
    metrics: options.metrics,
    logger,
    limits: options.limits,
    tracer: options.tracer,
  });
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
): Promise<GraphQLResponse<T> & { headers: Headers }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T>["body"] };
}

/** Polls /ready until it answers 200: the time it did, or Infinity at the deadline. */
export async function firstReadyAt(server: ObservedServer, deadline: number): Promise<number> {
  while (Date.now() < deadline) {
    if ((await server.get("/ready")).status === 200) return Date.now();
    await sleep(100);
  }
  return Infinity;
}

async function getText(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { PoolStats } from "../store/store";

/** The service's Prometheus metrics, on a registry of their own so several servers can share a process. */
export interface Metrics {
  readonly registry: Registry;
  /** GraphQL requests by operation (their root fields) and outcome ("ok" or "error"). */
  readonly requests: Counter<"operation" | "outcome">;
  /** GraphQL requests refused at once because MAX_CONCURRENT_REQUESTS were in flight. */
  readonly refusedRequests: Counter;
  /** Allocate and deallocate mutations by mutation and outcome (the result's __typename, or "error"). */
  readonly allocations: Counter<"mutation" | "outcome">;
  readonly allocationSeconds: Histogram<"mutation">;
  readonly sqlQueries: Counter;
  /** Pass as StoreOptions.onQuery. */
  onQuery: (sql: string) => void;
  /** Where the pool gauges read from (the store, once it is open). */
  watchPool(stats: () => PoolStats | undefined): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let poolStats: () => PoolStats | undefined = () => undefined;
  const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      // read at scrape time: the pool is the source of truth
      collect() {
        const stats = poolStats();
        if (stats) this.set(pick(stats));
      },
    });
  poolGauge("db_pool_connections", "PostgreSQL connections open in the pool", (s) => s.total);
  poolGauge("db_pool_idle_connections", "PostgreSQL connections idle in the pool", (s) => s.idle);
  poolGauge("db_pool_waiting_clients", "Queries waiting for a pool connection", (s) => s.waiting);

  const sqlQueries = new Counter({ name: "sql_queries_total", help: "SQL statements run by the query layer", registers: [registry] });
  return {
    registry,
    requests: new Counter({
      name: "graphql_requests_total",
      help: "GraphQL requests by operation (root fields) and outcome",
      labelNames: ["operation", "outcome"],
      registers: [registry],
    }),
    refusedRequests: new Counter({
      name: "graphql_requests_refused_total",
      help: "GraphQL requests refused with 503 because MAX_CONCURRENT_REQUESTS were in flight",
      registers: [registry],
    }),
    allocations: new Counter({
      name: "allocations_total",
      help: "Allocate and deallocate mutations by mutation and outcome (__typename of the result, or error)",
      labelNames: ["mutation", "outcome"],
      registers: [registry],
    }),
    allocationSeconds: new Histogram({
      name: "allocation_duration_seconds",
      help: "Time to resolve an allocate or deallocate mutation",
      labelNames: ["mutation"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    sqlQueries,
    onQuery: () => sqlQueries.inc(),
    watchPool(stats) {
      poolStats = stats;
    },
  };
}

import "reflect-metadata";
import { setTimeout as delay } from "node:timers/promises";
import { loadConfig } from "./config/config";
import { seedDemoDataIfEmpty } from "./import/demo";
import { logger } from "./config/logger";
import { createMetrics } from "./observability/metrics";
import { startTracing } from "./observability/tracing";
import { startServer } from "./http/server";
import { openConfiguredStore } from "./store";

// how long the exit waits for the server to take the cancels (a database out of reach cannot commit anything either)
const CANCEL_WAIT_MS = 1_000;

async function main() {
  const config = loadConfig();
  const metrics = createMetrics();
  const tracing = await startTracing(config.tracing);
  const store = await openConfiguredStore(config, { onQuery: metrics.onQuery, tracing: tracing !== undefined });
  // only the embedded store is seeded: a PostgreSQL database is never written to implicitly
  if (store.kind === "pglite" && (await seedDemoDataIfEmpty(store))) {
    logger.info({ dataDir: config.dataDir }, "Empty embedded store: loaded the demo data set");
  }
  const server = await startServer(store, config, config.port, { metrics, tracer: tracing?.tracer });
  logger.info({ store: store.kind, location: store.location }, `Store: ${store.kind} (${store.location})`);
  logger.info(`Allocation subgraph ready at ${server.url}`);
  if (server.metricsUrl) logger.info(`Prometheus metrics at ${server.metricsUrl}`);
  if (config.tracing) logger.info({ serviceName: config.tracing.serviceName }, `Traces exported to ${config.tracing.tracesUrl}`);
  if (config.playground) logger.info(`GraphQL Playground: open ${server.url} in a browser`);
  if (store.kind === "pglite") logger.info("Demo data: send the header  x-api-key: demo-api-key");
  // the log is written in batches: whoever waits for "ready at" sees it now
  logger.flush();

  // readiness off → (delay: the router notices) → stop accepting and drain → close the store → exit
  const shutdown = async (signal: string) => {
    // what still runs after the grace period is cut off: its statements are cancelled and roll back, nothing half-written
    setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, "Grace period over: exiting with requests in flight");
      void Promise.race([store.cancelStatements?.(), delay(CANCEL_WAIT_MS)])
        .catch(() => undefined)
        .finally(() => process.exit(1));
    }, config.shutdownGraceMs).unref();
    server.readiness.beginShutdown();
    logger.info({ signal, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs }, "Shutting down: readiness off");
    await delay(config.shutdownDelayMs);
    await server.stop();
    await store.close();
    // the last requests' spans are still in the batch: sent before exiting
    await tracing?.shutdown();
    logger.info("Stopped");
    process.exit(0);
  };
  const onSignal = (signal: string) =>
    void shutdown(signal).catch((error: unknown) => {
      logger.error({ err: error }, "Shutdown failed");
      process.exit(1);
    });
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : "Start-up failed");
  process.exit(1);
});

import "reflect-metadata";
import { loadConfig } from "./config";
import { seedDemoDataIfEmpty } from "./import/demo";
import { logger } from "./logger";
import { startServer } from "./server";
import { openConfiguredStore } from "./store";

async function main() {
  const config = loadConfig();
  const store = await openConfiguredStore(config);
  // only the embedded store is seeded: a PostgreSQL database is never written to implicitly
  if (store.kind === "pglite" && (await seedDemoDataIfEmpty(store))) {
    logger.info({ dataDir: config.dataDir }, "Empty embedded store: loaded the demo data set");
  }
  const server = await startServer(store, config);
  logger.info({ store: store.kind, location: store.location }, `Store: ${store.kind} (${store.location})`);
  logger.info(`Allocation subgraph ready at ${server.url}`);
  if (store.kind === "pglite") logger.info("Demo data: send the header  x-api-key: demo-api-key");

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "Shutting down");
    await server.stop();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : "Start-up failed");
  process.exit(1);
});

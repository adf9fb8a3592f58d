// `npm run app`: the reference app on the demo data, through a gateway, at http://localhost:4000
// (`npm run app -- --port 8080` for another port). The data lives in memory: each start is the demo data afresh.
import "reflect-metadata";
import path from "node:path";
import { parseArgs } from "node:util";
import { logger } from "../../src/config/logger";
import { seedDemoDataIfEmpty } from "../../src/import/demo";
import { migrate } from "../../src/store/migrate";
import { openPgliteStore } from "../../src/store/store";
import { startAppStack } from "./stack";

async function main() {
  const { values } = parseArgs({ options: { port: { type: "string", default: "4000" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port ${values.port}: not a port number`);

  const store = await openPgliteStore({});
  await migrate(store);
  await seedDemoDataIfEmpty(store);
  // this file runs from dist/app/server; the app's build is app/dist
  const stack = await startAppStack(store, { port, staticDir: path.resolve(__dirname, "../../../app/dist") });
  logger.info(`Reference app ready at ${stack.url} (through @apollo/gateway; GraphQL at ${stack.url}graphql)`);
  logger.info("Sign in with the demo API key: demo-api-key");

  const stop = async () => {
    await stack.stop();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : "Start-up failed");
  process.exit(1);
});

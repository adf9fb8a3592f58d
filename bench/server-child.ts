// One server under test, in its own process so that it can be pinned to a core:
//   node dist/bench/server-child.js subgraph|baseline|floor
// Store from DATABASE_URL, else a fresh PGlite in DATA_DIR loaded with BENCH_DATASET (a JSON file).
// Talks to the bench over IPC: "ready" {port}; on "stats" answers the statements run since the last one.
import "reflect-metadata";
import { readFile } from "node:fs/promises";
import { loadConfig } from "../src/config/config";
import { importDataset } from "../src/store/import-dataset";
import { validateDataset } from "../src/import/validate";
import { startServer } from "../src/http/server";
import { startTracing } from "../src/observability/tracing";
import { openConfiguredStore } from "../src/store";
import pg from "pg";
import { startBaseline } from "./baseline";
import { startHttpFloor } from "./http-floor";
import { StatementCounter } from "./sql-count";

async function main() {
  const kind = process.argv[2];
  const config = loadConfig({ ...process.env, PORT: "0" });
  const counter = new StatementCounter();
  // as main.ts: traced only when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const tracing = await startTracing(config.tracing);
  const store = await openConfiguredStore(config, { onQuery: counter.onQuery, tracing: tracing !== undefined });
  const datasetFile = process.env.BENCH_DATASET;
  if (store.kind === "pglite" && datasetFile) {
    const result = validateDataset(JSON.parse(await readFile(datasetFile, "utf8")));
    if (!result.ok) throw new Error("BENCH_DATASET is not a valid data set");
    await importDataset(store, result.dataset);
  }
  const port =
    kind === "baseline"
      ? (await startBaseline(store, config)).port
      : kind === "subgraph"
      ? (await startServer(store, config, 0, { tracer: tracing?.tracer })).port
      : kind === "floor"
      ? (await startHttpFloor(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: config.databasePoolSize, idleTimeoutMillis: config.databaseIdleConnectionMs }))).port
      : undefined;
  if (port === undefined) throw new Error(`Unknown server kind ${kind}`);
  counter.take();
  process.on("message", (message: string) => {
    if (message === "stats") process.send?.({ stats: counter.take() });
    // a normal exit, so that --cpu-prof writes its profile
    if (message === "exit") void store.close().finally(() => process.exit(0));
  });
  process.send?.({ ready: port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

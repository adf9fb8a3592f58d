// The bench's PostgreSQL database (alloc_bench_*, created and dropped here) and its PGlite data file.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import pg from "pg";
import { importDataset } from "../src/store/import-dataset";
import { migrate } from "../src/store/migrate";
import { openPostgresStore } from "../src/store/store";
import { benchDataset, type AccountSize, type ShipmentPlan } from "./dataset";

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new database with the migrations, the demo data and the plan's shipments (the demo account padded
 * to `size` if given); drop() removes it. --compare calls the other build's copy of this function with
 * (root, serverUrl, plan): keep that signature.
 */
export async function createBenchDatabase(root: string, serverUrl: string, plan: ShipmentPlan, size?: AccountSize): Promise<BenchDatabase> {
  const name = `alloc_bench_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  // nothing is timed yet: a loaded machine can make a migration or a chunk of the import slower than the
  // service's bounds, and another data set being built in this process keeps a transaction idle meanwhile
  const store = openPostgresStore(url.toString(), { timeouts: { statementMs: 120_000, idleTransactionMs: 120_000, connectMs: 30_000 } });
  try {
    await migrate(store);
    await importDataset(store, benchDataset(root, plan, size).dataset);
  } catch (error) {
    await store.close();
    await drop();
    throw error;
  }
  await store.close();
  return { url: url.toString(), drop };
}

/** What autovacuum's auto-analyze does in time: statistics for the allocations the warm-up wrote. */
export async function analyze(url: string): Promise<void> {
  await onServer(url, "ANALYZE allocations, shipments");
}

/** The data set a PGlite server child imports at start (BENCH_DATASET). */
export function writeDatasetFile(root: string, plan: ShipmentPlan, file: string): void {
  writeFileSync(file, JSON.stringify(benchDataset(root, plan).raw));
}

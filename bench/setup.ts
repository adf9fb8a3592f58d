// The bench's PostgreSQL database (alloc_bench_*, created and dropped here) and its PGlite data file.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import pg from "pg";
import { importDataset } from "../src/store/import-dataset";
import { migrate } from "../src/store/migrate";
import { openPostgresStore } from "../src/store/store";
import { benchDataset, type ShipmentPlan } from "./dataset";

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

/** A new database with the migrations, the demo data and the plan's shipments; drop() removes it. */
export async function createBenchDatabase(
  root: string,
  serverUrl: string,
  plan: ShipmentPlan,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `alloc_bench_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const store = openPostgresStore(url.toString());
  try {
    await migrate(store);
    await importDataset(store, benchDataset(root, plan).dataset);
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

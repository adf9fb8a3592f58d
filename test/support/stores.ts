// Stores for tests: the demo data on PGlite (from the snapshot global-setup wrote) and on a fresh
// PostgreSQL database per call, and suites that run once per engine.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { describe, inject } from "vitest";
import { seedDemoDataIfEmpty } from "../../src/import/demo";
import { migrate } from "../../src/store/migrate";
import { openPgliteStore, openPostgresStore, type Store, type StoreOptions } from "../../src/store/store";
import { DEMO_SNAPSHOT } from "./global-setup";

/** A store with the demo data that a test owns: dropDatabase() closes it and throws its data away. */
export type DemoStore = Store & { dropDatabase(): Promise<void> };
export type PostgresDemoStore = DemoStore & { /** to start a second server on the same database */ databaseUrl: string };
export type OpenDemoStore<S extends DemoStore = DemoStore> = (options?: StoreOptions) => Promise<S>;

/** An in-memory PGlite holding the migrated demo data set. */
export async function openDemoPglite(options: StoreOptions = {}): Promise<DemoStore> {
  const store = await openPgliteStore({ loadDataDir: new Blob([await readFile(DEMO_SNAPSHOT)]) }, options);
  const close = once(() => store.close());
  return { ...store, close, dropDatabase: close };
}

/** A new database alloc_test_<random> on TEST_DATABASE_URL's server, migrated, with the demo data. */
export async function openDemoPostgres(options: StoreOptions = {}): Promise<PostgresDemoStore> {
  const serverUrl = postgresUrl();
  const name = `alloc_test_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = openPostgresStore(url.toString(), options);
  const close = once(() => store.close());
  const dropDatabase = once(async () => {
    await close();
    await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  try {
    await migrate(store);
    await seedDemoDataIfEmpty(store);
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  return { ...store, close, dropDatabase, databaseUrl: url.toString() };
}

/** Runs the suite once on PGlite and once on PostgreSQL (see describeOnPostgres for when that is skipped). */
export function describeStores(name: string, suite: (open: OpenDemoStore) => void): void {
  describe(`${name} [pglite]`, () => suite(openDemoPglite));
  describeOnPostgres(name, suite);
}

/**
 * A PostgreSQL-only suite. Skipped, with a notice, when TEST_DATABASE_URL is unset or unreachable;
 * but on CI (CI=true) an unreachable database fails the suite rather than hiding it.
 */
export function describeOnPostgres(name: string, suite: (open: OpenDemoStore<PostgresDemoStore>) => void): void {
  describe.skipIf(skipPostgres())(`${name} [postgres]`, () => suite(openDemoPostgres));
}

let noticeGiven = false;

function skipPostgres(): boolean {
  const status = inject("postgres");
  if (status.reachable || (status.url && process.env.CI === "true")) return false;
  if (!noticeGiven) {
    console.info(
      status.url
        ? `PostgreSQL at ${status.url} is unreachable (${status.reason}): skipping the [postgres] suites.`
        : "TEST_DATABASE_URL is not set: skipping the [postgres] suites.",
    );
    noticeGiven = true;
  }
  return true;
}

function postgresUrl(): string {
  const status = inject("postgres");
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  if (!status.reachable) throw new Error(`PostgreSQL at ${status.url} is unreachable: ${status.reason}`);
  return url;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}

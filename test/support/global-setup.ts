// Runs once per test run: builds the demo PGlite snapshot every suite loads (creating a PGlite
// takes seconds, loading one a second) and finds out whether PostgreSQL is there to test against.
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { seedDemoDataIfEmpty } from "../../src/import/demo";
import { migrate } from "../../src/store/migrate";
import { openPgliteStore } from "../../src/store/store";

export const DEMO_SNAPSHOT = path.resolve(__dirname, "../../.test-cache/pglite-demo.tgz");

export interface PostgresStatus {
  /** TEST_DATABASE_URL without its password; undefined when unset. */
  url?: string;
  reachable: boolean;
  reason?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    postgres: PostgresStatus;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const [postgres] = await Promise.all([probePostgres(process.env.TEST_DATABASE_URL), writeDemoSnapshot()]);
  project.provide("postgres", postgres);
}

async function writeDemoSnapshot(): Promise<void> {
  const store = await openPgliteStore({});
  try {
    await migrate(store);
    await seedDemoDataIfEmpty(store);
    const dump = await store.pglite.dumpDataDir("gzip");
    await mkdir(path.dirname(DEMO_SNAPSHOT), { recursive: true });
    // write then rename: another test run may be reading the previous snapshot right now
    const partial = `${DEMO_SNAPSHOT}.${process.pid}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, DEMO_SNAPSHOT);
  } finally {
    await store.close();
  }
}

async function probePostgres(url: string | undefined): Promise<PostgresStatus> {
  if (!url) return { reachable: false };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { url: redact(url), reachable: true };
  } catch (error) {
    return { url: redact(url), reachable: false, reason: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

import { mkdir } from "node:fs/promises";
import lockfile from "proper-lockfile";
import type { Config } from "../config/config";
import { migrate } from "./migrate";
import { openPgliteStore, openPostgresStore, type Store, type StoreOptions } from "./store";

export type { Store, StoreOptions } from "./store";

export class DataDirBusyError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded store in ${dataDir} is in use by another process (a running service?). ` +
        "Stop it first, or use PostgreSQL (DATABASE_URL), where import works while the service runs.",
    );
  }
}

/**
 * Opens the configured store (PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR)
 * and applies pending migrations. The embedded store is locked to this process until close().
 */
export async function openConfiguredStore(
  config: Pick<Config, "databaseUrl" | "dataDir" | "databasePoolSize">,
  options: StoreOptions = {},
): Promise<Store> {
  const store = config.databaseUrl
    ? openPostgresStore(config.databaseUrl, { poolSize: config.databasePoolSize, ...options })
    : await openLockedPglite(config.dataDir, options);
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * Locks the embedded store's folder for this process (the service, import, backup, restore) until
 * the returned release is called; DataDirBusyError when another holds it.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  // PGlite has no lock of its own: two processes on one data directory would corrupt it
  return lockfile
    .lock(dataDir, { lockfilePath: `${dataDir}/.lock`, stale: 15_000, update: 5_000 })
    .catch((error: NodeJS.ErrnoException) => {
      throw error.code === "ELOCKED" ? new DataDirBusyError(dataDir) : error;
    });
}

async function openLockedPglite(dataDir: string, options: StoreOptions): Promise<Store> {
  const release = await lockDataDir(dataDir);
  try {
    const store = await openPgliteStore({ dataDir }, options);
    return {
      ...store,
      close: async () => {
        await store.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

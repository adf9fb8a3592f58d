import { mkdir } from "node:fs/promises";
import type { Config } from "../config/config";
import { lockDataDir } from "./data-dir-lock";
import { migrate } from "./migrate";
import { openPgliteStore, openPostgresStore, type Store, type StoreOptions } from "./store";

export type { Store, StoreOptions } from "./store";

/**
 * Opens the configured store (PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR)
 * and applies pending migrations. The embedded store is locked to this process until close().
 */
export async function openConfiguredStore(
  config: Pick<Config, "databaseUrl" | "dataDir" | "databasePoolSize"> & Partial<Pick<Config, "databaseTimeouts" | "databaseIdleConnectionMs" | "catalogueCache">>,
  settings: StoreOptions = {},
): Promise<Store> {
  const options = { cache: config.catalogueCache, ...settings };
  const store = config.databaseUrl
    ? openPostgresStore(config.databaseUrl, { poolSize: config.databasePoolSize, idleConnectionMs: config.databaseIdleConnectionMs, timeouts: config.databaseTimeouts, ...options })
    : await openLockedPglite(config.dataDir, options);
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openLockedPglite(dataDir: string, options: StoreOptions): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  // PGlite has no lock of its own: two processes on one data directory would corrupt it
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

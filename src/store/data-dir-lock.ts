import lockfile from "proper-lockfile";

export class DataDirBusyError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded store in ${dataDir} is in use by another process (a running service?). ` +
        "Stop it first, or use PostgreSQL (DATABASE_URL), where import works while the service runs.",
    );
  }
}

/**
 * Locks the embedded store's folder for this process (the service, import, backup, restore) until
 * the returned release is called; DataDirBusyError when another holds it.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  // PGlite has no lock of its own: two processes on one data directory would corrupt it
  return lockfile
    .lock(dataDir, { lockfilePath: `${dataDir}/.lock`, stale: 15_000, update: 5_000 })
    .catch((error: NodeJS.ErrnoException) => {
      throw error.code === "ELOCKED" ? new DataDirBusyError(dataDir) : error;
    });
}


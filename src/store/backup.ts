// Backup and restore of the embedded store: PGlite's dump of its data directory (a gzipped tarball),
// taken and put back under the service's own data-directory lock, so neither runs beside a service.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { lockDataDir } from "./data-dir-lock";
import { openPgliteStore } from "./store";

class NotABackupError extends Error {
  constructor(file: string, reason: string) {
    super(`${file} is not a backup of the embedded store (${reason}); nothing was changed`);
  }
}

/** Writes a dump of the embedded store in dataDir to file; returns its size in bytes. */
export async function backupDataDir(dataDir: string, file: string): Promise<number> {
  if (!holdsStore(dataDir)) throw new Error(`${dataDir} holds no embedded store: nothing to back up`);
  const release = await lockDataDir(dataDir);
  try {
    const store = await openPgliteStore({ dataDir });
    try {
      const dump = Buffer.from(await (await store.pglite.dumpDataDir("gzip")).arrayBuffer());
      // a half-written file never takes the place of a good backup
      const partial = `${file}.partial`;
      await writeFile(partial, dump);
      await rename(partial, file);
      return dump.length;
    } finally {
      await store.close();
    }
  } finally {
    await release();
  }
}

/** Replaces the embedded store in dataDir (if any) with the one in a backup file, once the backup has been opened and checked. */
export async function restoreDataDir(file: string, dataDir: string): Promise<void> {
  const dump = new Blob([await readFile(file)]);
  await mkdir(dataDir, { recursive: true });
  const release = await lockDataDir(dataDir);
  try {
    // unpacked inside dataDir (one filesystem: the moves below are renames, also on a mounted volume)
    const staging = await mkdtemp(path.join(dataDir, ".restoring-"));
    try {
      await unpackAndCheck(file, dump, staging);
      for (const entry of await postgresEntries(dataDir)) await rm(path.join(dataDir, entry), { recursive: true, force: true });
      for (const entry of await postgresEntries(staging)) await rename(path.join(staging, entry), path.join(dataDir, entry));
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  } finally {
    await release();
  }
}

async function unpackAndCheck(file: string, dump: Blob, dir: string): Promise<void> {
  // PGlite's own gunzip error would escape it as an unhandled rejection
  const magic = new Uint8Array(await dump.slice(0, 2).arrayBuffer());
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw new NotABackupError(file, "not gzip-compressed");
  const store = await openPgliteStore({ dataDir: dir, loadDataDir: dump }).catch((error: Error) => {
    throw new NotABackupError(file, error.message);
  });
  try {
    await store.exec("SELECT 1 FROM schema_migrations LIMIT 1").catch(() => {
      throw new NotABackupError(file, "a PostgreSQL data directory without this service's tables");
    });
  } finally {
    await store.close();
  }
}

function holdsStore(dir: string): boolean {
  return existsSync(path.join(dir, "PG_VERSION"));
}

// PostgreSQL's own files and folders: the lock file (never deleted while held) and the staging folder stay
const POSTGRES_ENTRY = /^(PG_VERSION|base|global|pg_[\w.]+|postgresql(\.auto)?\.conf|postmaster\.\w+|current_logfiles)$/;

async function postgresEntries(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((entry) => POSTGRES_ENTRY.test(entry));
}

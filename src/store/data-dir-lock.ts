import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { tryLock } from "fs-native-extensions";

export class DataDirBusyError extends Error {
  constructor(dataDir: string, holderPid: string) {
    super(
      `The embedded store in ${dataDir} is in use by another process (${holderPid ? `pid ${holderPid}, ` : ""}a running service?). ` +
        "Stop it first, or use PostgreSQL (DATABASE_URL), where import works while the service runs.",
    );
  }
}

/**
 * Locks a data directory to this process until the returned release() runs. An OS lock (open file
 * description lock on Linux, flock on macOS, LockFileEx on Windows): the kernel drops it when its
 * holder dies, however it dies, so a restart right after `kill -9` finds the directory free.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  // never deleted: a process waiting on a deleted file would lock a file no one else sees
  const file = await open(path.join(dataDir, "service.lock"), "a+");
  try {
    if (!tryLock(file.fd)) throw new DataDirBusyError(dataDir, await holderPid(file));
    // the holder's pid, for the message a second process gets
    await file.truncate(0);
    await file.write(`${process.pid}\n`);
  } catch (error) {
    await file.close();
    throw error;
  }
  // closing the file releases the lock
  return () => file.close();
}

async function holderPid(file: FileHandle): Promise<string> {
  // where the OS lock is mandatory (Windows) the holder's pid cannot be read: the message goes without it
  return (await file.readFile("utf8").catch(() => "")).trim();
}

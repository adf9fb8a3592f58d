import path from "node:path";
import { loadConfig } from "../config/config";
import type { Output } from "../import/cli";
import { DataDirBusyError } from "../store/data-dir-lock";
import { backupDataDir, restoreDataDir } from "../store/backup";

const USAGE = "Usage: npm run backup -- <file>   |   npm run restore -- <file>";

/** `npm run backup -- <file>` / `npm run restore -- <file>`: the embedded store (DATA_DIR) to a file and back. Returns the exit code. */
export async function runBackupCommand(argv: string[], env: NodeJS.ProcessEnv, out: Output = console): Promise<number> {
  const [command, file, ...rest] = argv;
  if ((command !== "backup" && command !== "restore") || !file || rest.length > 0) {
    out.error(USAGE);
    return 2;
  }
  let dataDir = "DATA_DIR";
  try {
    const config = loadConfig(env);
    dataDir = config.dataDir;
    if (config.databaseUrl) {
      out.error(`DATABASE_URL is set: ${command} is for the embedded store; back PostgreSQL up with pg_dump and pg_restore`);
      return 1;
    }
    if (command === "backup") {
      const bytes = await backupDataDir(dataDir, path.resolve(file));
      out.log(`Backed up ${dataDir} to ${file} (${bytes} bytes)`);
    } else {
      await restoreDataDir(path.resolve(file), dataDir);
      out.log(`Restored ${file} into ${dataDir}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DataDirBusyError) {
      out.error(`The embedded store in ${dataDir} is in use by another process (a running service?): stop it first. Nothing was changed.`);
      return 1;
    }
    // configuration, unreadable file, not a backup: the message says it all
    out.error(`${command} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void runBackupCommand(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}

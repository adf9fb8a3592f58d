import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Store } from "./store";

const MIGRATIONS_DIR = path.join(__dirname, "migrations");
// any constant: serialises migrations when several processes start on one PostgreSQL
const MIGRATION_LOCK = 72_120_001;

export async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).sort();
}

/** Applies the versioned SQL files in migrations/ that are not applied yet, each in one transaction. */
export async function migrate(store: Store): Promise<void> {
  await store.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  for (const file of await migrationFiles()) {
    const script = await readFile(path.join(MIGRATIONS_DIR, file), "utf8");
    const version = file.replace(/\.sql$/, "");
    if (script.includes("$migration$") || !/^[\w.-]+$/.test(version)) {
      throw new Error(`Migration ${file} cannot be applied safely`);
    }
    // the check runs after the lock, so a process that starts second skips what the first applied
    await store.exec(`BEGIN;
      SELECT pg_advisory_xact_lock(${MIGRATION_LOCK});
      DO $migration$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '${version}') THEN
          EXECUTE ${dollarQuote(script)};
          INSERT INTO schema_migrations (version) VALUES ('${version}');
        END IF;
      END $migration$;
      COMMIT;`);
  }
}

function dollarQuote(text: string): string {
  let tag = "$m$";
  for (let i = 0; text.includes(tag); i++) tag = `$m${i}$`;
  return `${tag}${text}${tag}`;
}

import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, type LogEvent } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { Database } from "./database";

export type StoreKind = "pglite" | "postgres";

export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** Where the data lives, safe to log (no password). */
  readonly location: string;
  /** Runs a multi-statement SQL script (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
  /** Connection pool use (PostgreSQL only), for metrics. */
  poolStats?(): PoolStats;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface StoreOptions {
  /** Called with the SQL of every statement the query layer runs and its duration (metrics, tests, bench). */
  onQuery?: (sql: string, durationMs: number) => void;
  /** Connection pool size on PostgreSQL. */
  poolSize?: number;
}

export interface PgliteStore extends Store {
  /** The embedded instance itself (tests dump it with dumpDataDir). */
  readonly pglite: PGlite;
}

const INT8_OID = 20;

function logger(options: StoreOptions) {
  const onQuery = options.onQuery;
  return onQuery ? (event: LogEvent) => onQuery(event.query.sql, event.queryDurationMillis) : undefined;
}

/** An embedded store; dataDir undefined keeps it in memory. */
export async function openPgliteStore(
  source: { dataDir?: string; loadDataDir?: Blob },
  options: StoreOptions = {},
): Promise<PgliteStore> {
  // int8 as text, as node-postgres returns it: tracking numbers can pass 2^53
  const pglite = await PGlite.create({
    dataDir: source.dataDir,
    loadDataDir: source.loadDataDir,
    parsers: { [INT8_OID]: (value: string) => value },
  });
  return {
    kind: "pglite",
    pglite,
    db: new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: logger(options) }),
    location: source.dataDir ?? "memory",
    exec: async (script) => {
      try {
        await pglite.exec(script);
      } catch (error) {
        await pglite.exec("ROLLBACK");
        throw error;
      }
    },
    close: () => pglite.close(),
  };
}

export function openPostgresStore(databaseUrl: string, options: StoreOptions = {}): Store {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 2_000,
    // a peer that vanished without closing the socket is noticed instead of hanging a query
    keepAlive: true,
  });
  // a client that loses its connection must not crash the process: idle ones report to the pool,
  // checked-out ones (pg-pool removes their listener) fail their query and are discarded on release
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return {
    kind: "postgres",
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: logger(options) }),
    location: redactUrl(databaseUrl),
    exec: async (script) => {
      // one client for the whole script: a script's BEGIN and COMMIT must share a connection
      const client = await pool.connect();
      try {
        await client.query(script);
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres";
  }
}

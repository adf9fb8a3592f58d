import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, type Dialect, type LogEvent, type PostgresPool, type PostgresPoolClient } from "kysely";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { StoreCaches } from "./cache/caches";
import { listenForInvalidation } from "./cache/listener";
import { ASYNC_COMMITS, FLUSH_COMMITS } from "./commit-flush";
import type { Database } from "./database";
import { PreparedPgliteDialect } from "./pglite-dialect";
import { shareShipmentStatements } from "./shipments";
import { tracedDialect } from "./traced-dialect";

export type StoreKind = "pglite" | "postgres";

export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** Where the data lives, safe to log (no password). */
  readonly location: string;
  /** The catalogue and API keys in memory (cache/caches.ts); an import clears them. */
  readonly caches: StoreCaches;
  /**
   * Runs work with a db on which statements issued together go out together: on PostgreSQL one
   * connection, pipelined (each statement still its own transaction, its error its own; the allocation's
   * statements shared, see shipments.ts), whose commits do not wait for the disk one by one: it resolves
   * or rejects only once the disk holds them all. On PGlite, which runs one statement at a time anyway,
   * the store's db.
   */
  pipelined<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs a multi-statement SQL script (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Resolves when the database answers `SELECT 1` within timeoutMs (readiness). On PostgreSQL it uses a
   * connection of its own: a request pool that is merely busy must not look like a database that is down.
   */
  ping(timeoutMs: number): Promise<void>;
  /** Connection pool use (PostgreSQL only), for metrics. */
  poolStats?(): PoolStats;
  /**
   * Cancels the statements this store's connections are running (PostgreSQL only; at the end of the
   * shutdown grace period): a statement cancelled rolls back, so nothing commits after the exit.
   */
  cancelStatements?(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface StoreOptions {
  /** Called with the SQL of every statement the query layer runs and its duration (metrics, tests, bench). */
  onQuery?: (sql: string, durationMs: number) => void;
  /** A span for every statement run within a traced request (src/observability/tracing.ts); unset: the dialect is not even wrapped. */
  tracing?: boolean;
  /** Connection pool size on PostgreSQL. */
  poolSize?: number;
  /** A pooled connection unused this long is closed (0: never); DEFAULT_IDLE_CONNECTION_MS when left out. */
  idleConnectionMs?: number;
  /** PostgreSQL's time bounds; each one left out is its DEFAULT_POSTGRES_TIMEOUTS value. */
  timeouts?: Partial<PostgresTimeouts>;
  /** false: every catalogue and API-key read goes to the database (CATALOGUE_CACHE=off). */
  cache?: boolean;
}

/** How long PostgreSQL work may take, so that a slow database or a silent network never holds a request for good. */
export interface PostgresTimeouts {
  /**
   * A statement running longer is cancelled by the server (statement_timeout, lock waits included);
   * a second later the client stops waiting for the answer and destroys the connection, for when
   * the network lost the cancel or the answer.
   */
  statementMs: number;
  /** A session whose transaction sits idle longer is ended by the server, and its locks with it. */
  idleTransactionMs: number;
  /** To open a connection, or to wait for a pooled one. */
  connectMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { statementMs: 5_000, idleTransactionMs: 10_000, connectMs: 2_000 };

// pg closes a connection after 10 s unused: the first requests after every lull would wait for new
// connections and for new backends to plan the allocation's functions again (BENCHMARKS.md, row 84)
export const DEFAULT_IDLE_CONNECTION_MS = 300_000;

// the client's wait beyond statement_timeout: the server's own cancel normally answers first, and leaves the connection usable
const CLIENT_MARGIN_MS = 1_000;
// a quiet connection is probed after this long (node sets only the first probe's delay; the kernel does the rest)
const KEEPALIVE_DELAY_MS = 10_000;
// a statement of a client that died (SIGKILL, lost host) is cancelled within this long instead of committing unseen (PostgreSQL 14+)
const CLIENT_CHECK_MS = 500;

export interface PgliteStore extends Store {
  /** The embedded instance itself (tests dump it with dumpDataDir). */
  readonly pglite: PGlite;
}

const INT8_OID = 20;

function logger(options: StoreOptions) {
  const onQuery = options.onQuery;
  return onQuery ? (event: LogEvent) => onQuery(event.query.sql, event.queryDurationMillis) : undefined;
}

// wrapped only when traced: a service without tracing runs Kysely's dialects as they are
function traced(dialect: Dialect, options: StoreOptions, databaseUrl?: string): Dialect {
  return options.tracing ? tracedDialect(dialect, databaseUrl) : dialect;
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
  const db = new Kysely<Database>({ dialect: traced(new PreparedPgliteDialect(pglite), options), log: logger(options) });
  shareShipmentStatements(db);
  return {
    kind: "pglite",
    pglite,
    db,
    location: source.dataDir ?? "memory",
    pipelined: (work) => work(db),
    // one process owns the store: its own imports are all there is to hear of (importDataset clears)
    caches: new StoreCaches(() => options.cache !== false),
    exec: async (script) => {
      try {
        await pglite.exec(script);
      } catch (error) {
        await pglite.exec("ROLLBACK");
        throw error;
      }
    },
    // in-process: there is no network to lose, only a store that is closed or failing
    ping: async () => {
      await pglite.query("SELECT 1");
    },
    close: () => pglite.close(),
  };
}

export function openPostgresStore(databaseUrl: string, options: StoreOptions = {}): Store {
  const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...options.timeouts };
  const settings: pg.PoolConfig = {
    connectionString: databaseUrl,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + CLIENT_MARGIN_MS,
    idle_in_transaction_session_timeout: timeouts.idleTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    // this store's own sessions, found again in pg_stat_activity by cancelStatements
    application_name: `allocation-subgraph ${randomUUID().slice(0, 8)}`,
    // queries issued together on one connection are sent without waiting for each other's answer (pipelined);
    // one at a time, as Kysely issues them, nothing changes
    pipeline: true,
  };
  const pool = new pg.Pool({ ...settings, max: options.poolSize ?? 10, idleTimeoutMillis: options.idleConnectionMs ?? DEFAULT_IDLE_CONNECTION_MS });
  // readiness asks on a connection of its own, never queued behind the requests, and kept open between probes
  const probe = new pg.Pool({ ...settings, max: 1, idleTimeoutMillis: 0 });
  // a client that loses its connection must not crash the process: idle ones report to the pool,
  // checked-out ones (pg-pool removes their listener) fail their query and are discarded on release
  for (const each of [pool, probe]) {
    each.on("error", () => undefined);
    each.on("connect", (client) => {
      client.on("error", () => undefined);
      // queued before the first query of the connection; PostgreSQL before 14 has no such setting
      client.query(`SELECT set_config('client_connection_check_interval', '${CLIENT_CHECK_MS}', false)`).catch(() => undefined);
    });
  }
  // other processes import too: the caches hear of it on a connection of their own, never one of the pool's
  const listener = options.cache === false ? undefined : listenForInvalidation(settings, () => caches.clear());
  const caches = new StoreCaches(() => listener?.trusted() ?? false);
  const timedPool = destroyingTimedOut(pool);
  const db = new Kysely<Database>({ dialect: traced(new PostgresDialect({ pool: timedPool }), options, databaseUrl), log: logger(options) });
  shareShipmentStatements(db);
  return {
    kind: "postgres",
    caches,
    db,
    location: redactUrl(databaseUrl),
    pipelined: async (work) => {
      const held = await timedPool.connect();
      // Kysely's own single connection runs one statement at a time: this pool hands out the same one to each
      const one: PostgresPool = { connect: () => Promise.resolve({ query: held.query.bind(held), release: () => undefined }), end: () => Promise.resolve() };
      let reusable = false;
      try {
        // each statement still commits on its own, but without waiting for the disk: FLUSH_COMMITS waits once for all
        await held.query(ASYNC_COMMITS, []);
        try {
          const pipelinedDb = new Kysely<Database>({ dialect: traced(new PostgresDialect({ pool: one }), options, databaseUrl), log: logger(options) });
          // a batch's items allocate in one statement, as requests running at once do
          shareShipmentStatements(pipelinedDb);
          return await work(pipelinedDb);
        } finally {
          await held.query(FLUSH_COMMITS, []);
          reusable = true;
        }
      } finally {
        // a connection whose setting may not be back to the default is not handed out again
        held.release(!reusable);
      }
    },
    exec: async (script) => {
      // one client for the whole script: a script's BEGIN and COMMIT must share a connection
      const client = await pool.connect();
      try {
        await client.query(script);
        client.release();
      } catch (error) {
        // ending the session rolls back what the script left open, even when the server cannot be reached
        client.release(true);
        throw error;
      }
    },
    // pg-pool's query destroys a connection whose query failed, a timed-out one included
    ping: async (timeoutMs) => {
      const select1 = { text: "SELECT 1", query_timeout: timeoutMs }; // pg reads query_timeout per query; its types omit it
      await probe.query(select1);
    },
    close: async () => {
      await Promise.all([pool.end(), probe.end(), listener?.stop()]);
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    cancelStatements: async () => {
      await probe.query(
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND pid <> pg_backend_pid()",
        [settings.application_name],
      );
    },
  };
}

/**
 * The pool as Kysely sees it, with one difference: a connection whose statement outlived
 * query_timeout is destroyed at once. pg leaves that unanswered statement on it, so any later
 * query there, the transaction's ROLLBACK included, would wait behind it forever.
 */
function destroyingTimedOut(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      let timedOut: Error | undefined;
      const query = async (text: string, parameters: readonly unknown[]) => {
        if (timedOut) throw timedOut;
        try {
          return await client.query(text, [...parameters]);
        } catch (error) {
          if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) {
            timedOut = error;
            client.release(true);
          }
          throw error;
        }
      };
      return {
        query: query as unknown as PostgresPoolClient["query"],
        release: (destroy) => {
          if (!timedOut) client.release(destroy);
        },
      };
    },
    end: () => pool.end(),
  };
}

// what pg rejects a query with when query_timeout passes
const QUERY_TIMEOUT_MESSAGE = "Query read timeout";

function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres";
  }
}

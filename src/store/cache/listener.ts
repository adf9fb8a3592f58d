// PostgreSQL: every process LISTENs on a connection of its own; an import NOTIFYs in its transaction,
// which PostgreSQL delivers to all listeners at commit. The caches are trusted only while that
// connection is known to be alive: a heartbeat answered less than LEASE_MS ago.
import { performance } from "node:perf_hooks";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import type { Database } from "../database";

const CHANNEL = "allocation_catalogue";
// a NOTIFY committed before a heartbeat was sent reaches us before its answer: so a cache used under a
// lease taken from an answer is never more than LEASE_MS behind a commit, even on a connection that went
// silent (a live one delivers in milliseconds). Longer than 1 s so that a busy event loop (a stall of
// more than LEASE_MS - HEARTBEAT_MS) does not keep turning the cache off.
const LEASE_MS = 2_000;
const HEARTBEAT_MS = 250;
// an unanswered heartbeat ends the connection (and a new one is opened); the lease has lapsed long before
const HEARTBEAT_TIMEOUT_MS = 5_000;
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

/** Part of an import's transaction: delivered to every process's listener at commit, never if it rolls back. */
export async function notifyCatalogueChanged(trx: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_notify(${CHANNEL}, '')`.execute(trx);
}

export interface InvalidationListener {
  /** True while the cache may be used; the first call starts listening (a process that serves nothing opens no connection). */
  trusted(): boolean;
  stop(): Promise<void>;
}

/** Calls invalidate on every notification, on losing the connection and on (re)connecting. */
export function listenForInvalidation(settings: pg.ClientConfig, invalidate: () => void): InvalidationListener {
  let client: pg.Client | undefined;
  let started = false;
  let stopped = false;
  let trustedUntil = 0;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;

  const later = (action: () => void, ms: number) => {
    timer = setTimeout(action, ms);
    timer.unref();
  };

  // a connection lost (or a heartbeat unanswered) leaves us deaf: nothing cached may be trusted
  const drop = (dropped: pg.Client) => {
    if (client !== dropped) return;
    client = undefined;
    trustedUntil = 0;
    invalidate();
    clearTimeout(timer);
    dropped.end().catch(() => undefined);
    if (stopped) return;
    later(() => void connect(), retryMs);
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  };

  const beat = async (listening: pg.Client) => {
    const sentAt = performance.now();
    const heartbeat = { text: "SELECT 1", query_timeout: HEARTBEAT_TIMEOUT_MS }; // pg reads query_timeout per query; its types omit it
    try {
      await listening.query(heartbeat);
    } catch {
      return drop(listening);
    }
    if (client !== listening) return;
    // after a lapse nothing needs clearing: the notifications sent meanwhile came in before this answer
    trustedUntil = sentAt + LEASE_MS;
    later(() => void beat(listening), HEARTBEAT_MS);
  };

  const connect = async () => {
    const connecting = new pg.Client({ ...settings, application_name: "allocation-cache-listener" });
    client = connecting;
    connecting.on("error", () => drop(connecting));
    connecting.on("end", () => drop(connecting));
    connecting.on("notification", () => invalidate());
    try {
      await connecting.connect();
      await connecting.query(`LISTEN ${CHANNEL}`);
    } catch {
      return drop(connecting);
    }
    if (client !== connecting) return;
    retryMs = FIRST_RETRY_MS;
    // whatever was imported while nobody listened
    invalidate();
    await beat(connecting);
  };

  return {
    trusted() {
      if (!started && !stopped) {
        started = true;
        void connect();
      }
      return client !== undefined && performance.now() < trustedUntil;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const closing = client;
      client = undefined;
      await closing?.end().catch(() => undefined);
    },
  };
}

// Row locks a test holds from a session of its own, to keep allocations in flight for as long as it likes.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/** An open transaction holding the shipments' row locks: allocations of them wait until its COMMIT. */
export async function lockShipments(databaseUrl: string, shipments: string[]): Promise<pg.Client> {
  const client = await connect(databaseUrl);
  await client.query("BEGIN");
  await client.query("SELECT id FROM shipments WHERE reference = ANY($1) FOR UPDATE", [shipments]);
  return client;
}

/**
 * Waits until exactly `count` statements of the database wait for a lock (the allocations are in
 * flight), asking on a session of its own: the service's pool may be all in use.
 */
export async function waitForLockWaiters(databaseUrl: string, count: number): Promise<void> {
  const client = await connect(databaseUrl);
  try {
    for (let i = 0; i < 200; i++) {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (Number(rows[0].n) === count) return;
      await sleep(50);
    }
    throw new Error(`${count} statements never waited for the lock`);
  } finally {
    await client.end();
  }
}

/**
 * Starts each request once the previous ones' statements wait for the lock: each then waits in a
 * statement (and on a pooled connection) of its own, where requests sent at once would share one
 * (src/store/shared-statements.ts).
 */
export async function startWaitingOneByOne<T>(databaseUrl: string, requests: (() => Promise<T>)[]): Promise<Promise<T>[]> {
  const started: Promise<T>[] = [];
  for (const request of requests) {
    started.push(request());
    await waitForLockWaiters(databaseUrl, started.length);
  }
  return started;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

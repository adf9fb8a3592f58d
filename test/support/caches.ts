// The process's catalogue and API-key caches (src/store/cache), from a test's side.
import { setTimeout as delay } from "node:timers/promises";
import type { Store } from "../../src/store";

/** Resolves once the caches are in use: at once on PGlite; on PostgreSQL once the listener is up (the first use starts it). */
export async function untilCachesTrusted(store: Store, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (store.caches.begin() === undefined) {
    if (Date.now() > deadline) throw new Error("The caches' listener did not come up");
    await delay(20);
  }
}

import DataLoader from "dataloader";

// Requests that run at once share their statements: calls made on the store's own db in one turn of
// the event loop, from any request, go out as one statement (README, "Shared statements").
// A request alone sends the statement it always did; under load, fewer round trips and commits per item.

/** At most this many calls in one statement; the next ones wait for the following turn. */
const MAX_SHARED_ITEMS = 100;

// What the database or the link failed at (connection, resources, cancel or timeout, system, internal),
// or no SQLSTATE at all (the client lost the link): every item would meet it alone too. Any other error
// may be one item's own (a constraint, a missing carrier sequence): the shared statement rolled back
// whole, and each item runs alone, so that only that item fails.
const NOT_AN_ITEM_ERROR = new Set(["08", "53", "57", "58", "XX"]);

function mayBeAnItemsOwn(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.length === 5 && !NOT_AN_ITEM_ERROR.has(code.slice(0, 2));
}

/**
 * Returns a function that runs its item with `alone` when it is the only call of its turn, and with
 * `together` (one statement, results in the items' order) when several are. Nothing is cached.
 */
export function sharedStatement<K, V>(alone: (item: K) => Promise<V>, together: (items: readonly K[]) => Promise<V[]>): (item: K) => Promise<V> {
  const loader = new DataLoader<K, V>(
    async (items) => {
      if (items.length === 1) return [await alone(items[0])];
      try {
        return await together(items);
      } catch (error) {
        if (!mayBeAnItemsOwn(error)) throw error;
        return Promise.all(items.map((item) => alone(item).catch((itemError: unknown) => toError(itemError))));
      }
    },
    // setImmediate: every request whose bytes arrived in the same poll of the event loop joins the statement
    { cache: false, maxBatchSize: MAX_SHARED_ITEMS, batchScheduleFn: (flush) => setImmediate(flush) },
  );
  return (item) => loader.load(item);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

// The catalogue and the API keys, served from memory per process. Cleared after an import in this
// process, and on PostgreSQL by the import's NOTIFY from any process (listener.ts); never used while
// that listener is down.
import type { CarrierServiceRecord, ServiceGroupRecord } from "../../allocation/engine/records";
import type { AccountRecord } from "../accounts";
import { BoundedMap } from "./bounded-map";

// records by key, per table: many accounts' whole catalogues; bounded so that no caller can fill memory
const MAX_RECORDS = 10_000;
// references an account asked for and does not have (a virtual reference is looked up as a service and
// as a group, one of them in vain): a table of their own, so that a caller asking for many unknown
// references evicts only its own kind
const MAX_ABSENT = 10_000;
// whole lists (an account's services or groups): one per account
const MAX_LISTS = 1_000;

export class StoreCaches {
  /** By SHA-256 of the key, never the key; unknown keys are not kept (anyone can send them). */
  readonly accountByKeyHash = new BoundedMap<string, AccountRecord>(MAX_RECORDS);
  // the rest is keyed by `${accountId}:${key}`: an entry is only ever read for the account it was read for
  readonly serviceByRef = new BoundedMap<string, CarrierServiceRecord>(MAX_RECORDS);
  readonly groupByRef = new BoundedMap<string, ServiceGroupRecord>(MAX_RECORDS);
  readonly absentServiceRefs = new BoundedMap<string, true>(MAX_ABSENT);
  readonly absentGroupRefs = new BoundedMap<string, true>(MAX_ABSENT);
  readonly membersOfGroup = new BoundedMap<string, CarrierServiceRecord[]>(MAX_RECORDS);
  readonly groupsOfService = new BoundedMap<string, ServiceGroupRecord[]>(MAX_RECORDS);
  readonly serviceList = new BoundedMap<string, CarrierServiceRecord[]>(MAX_LISTS);
  readonly groupList = new BoundedMap<string, ServiceGroupRecord[]>(MAX_LISTS);
  // moves on every clear: a read that began before a clear must not store what it read after it
  private generation = 0;

  /** trusted: false while the cache cannot know of others' changes (disabled, or the listener is down). */
  constructor(private readonly trusted: () => boolean) {}

  /** The generation a read begins in; undefined when the cache must be bypassed. */
  begin(): number | undefined {
    return this.trusted() ? this.generation : undefined;
  }

  /** Whether what a read that began in `generation` fetched may be stored: nothing cleared since, still trusted. */
  mayStore(generation: number | undefined): boolean {
    return generation === this.generation && this.trusted();
  }

  clear(): void {
    this.generation += 1;
    for (const table of [
      this.accountByKeyHash,
      this.serviceByRef,
      this.groupByRef,
      this.absentServiceRefs,
      this.absentGroupRefs,
      this.membersOfGroup, this.groupsOfService, this.serviceList, this.groupList]) {
      table.clear();
    }
  }
}

/**
 * The values of keys: from the table where it has them, the misses with one fetch, stored unless the
 * cache was cleared meanwhile. Keys the fetch does not return are absent: kept in `absent` when given.
 */
export async function readThrough<K extends string | number, V>(
  caches: StoreCaches,
  table: BoundedMap<string, V>,
  scope: string | number,
  keys: readonly K[],
  fetch: (misses: readonly K[]) => Promise<Map<K, V>>,
  absent?: BoundedMap<string, true>,
): Promise<Map<K, V>> {
  const generation = caches.begin();
  const found = new Map<K, V>();
  const misses: K[] = [];
  for (const key of keys) {
    if (generation === undefined) {
      misses.push(key);
      continue;
    }
    const hit = table.get(`${scope}:${key}`);
    if (hit !== undefined) found.set(key, hit);
    else if (!absent?.get(`${scope}:${key}`)) misses.push(key);
  }
  if (misses.length === 0) return found;
  const fetched = await fetch(misses);
  const store = caches.mayStore(generation);
  for (const key of misses) {
    const value = fetched.get(key);
    if (value !== undefined) found.set(key, value);
    if (!store) continue;
    if (value !== undefined) table.set(`${scope}:${key}`, value);
    else absent?.set(`${scope}:${key}`, true);
  }
  return found;
}

// The catalogue and API-key reads of a request, through the process's caches (caches.ts): hits cost no
// statement, the misses of a call are one statement, as without the cache.
import type { Kysely } from "kysely";
import type { CarrierServiceRecord, ServiceGroupRecord } from "../../allocation/engine/records";
import { findAccountByKeyHash, hashApiKey, type AccountRecord } from "../accounts";
import {
  findCarrierServicesByRefs,
  findGroupMembers,
  findGroupsOfServices,
  findServiceGroupsByRefs,
  listCarrierServices,
  listServiceGroups,
} from "../catalogue";
import type { Database } from "../database";
import { readThrough, type StoreCaches } from "./caches";

// the one key of a whole-list entry
const ALL = "all";

export type CachedCatalogue = ReturnType<typeof cachedCatalogue>;

/** One account's catalogue; db may be a transaction (it reads only the misses). */
export function cachedCatalogue(db: Kysely<Database>, caches: StoreCaches, accountId: number) {
  return {
    async carrierServicesByRefs(references: readonly string[]): Promise<CarrierServiceRecord[]> {
      const found = await readThrough(caches, caches.serviceByRef, accountId, references, async (misses) =>
        byKey(await findCarrierServicesByRefs(db, accountId, misses), (service) => service.reference),
        caches.absentServiceRefs,
      );
      return [...found.values()];
    },
    async serviceGroupsByRefs(references: readonly string[]): Promise<ServiceGroupRecord[]> {
      const found = await readThrough(caches, caches.groupByRef, accountId, references, async (misses) =>
        byKey(await findServiceGroupsByRefs(db, accountId, misses), (group) => group.reference),
        caches.absentGroupRefs,
      );
      return [...found.values()];
    },
    async groupMembers(groupIds: readonly number[]): Promise<{ groupId: number; service: CarrierServiceRecord }[]> {
      const found = await readThrough(caches, caches.membersOfGroup, accountId, groupIds, async (misses) =>
        grouped(misses, await findGroupMembers(db, accountId, misses), (row) => row.groupId, (row) => row.service),
      );
      return [...found].flatMap(([groupId, services]) => services.map((service) => ({ groupId, service })));
    },
    async groupsOfServices(serviceIds: readonly number[]): Promise<{ serviceId: number; group: ServiceGroupRecord }[]> {
      const found = await readThrough(caches, caches.groupsOfService, accountId, serviceIds, async (misses) =>
        grouped(misses, await findGroupsOfServices(db, accountId, misses), (row) => row.serviceId, (row) => row.group),
      );
      return [...found].flatMap(([serviceId, groups]) => groups.map((group) => ({ serviceId, group })));
    },
    async carrierServices(): Promise<CarrierServiceRecord[]> {
      const found = await readThrough(caches, caches.serviceList, accountId, [ALL], async () => new Map([[ALL, await listCarrierServices(db, accountId)]]));
      return found.get(ALL) ?? [];
    },
    async serviceGroups(): Promise<ServiceGroupRecord[]> {
      const found = await readThrough(caches, caches.groupList, accountId, [ALL], async () => new Map([[ALL, await listServiceGroups(db, accountId)]]));
      return found.get(ALL) ?? [];
    },
  };
}

/** The account of an API key, looked up (and kept) by the key's hash; unknown keys are looked up every time. */
export async function cachedAccountByApiKey(db: Kysely<Database>, caches: StoreCaches, apiKey: string): Promise<AccountRecord | null> {
  const hash = hashApiKey(apiKey);
  const found = await readThrough(caches, caches.accountByKeyHash, "key", [hash], async () => {
    const account = await findAccountByKeyHash(db, hash);
    return new Map(account ? [[hash, account]] : []);
  });
  return found.get(hash) ?? null;
}

function byKey<K, V>(values: V[], keyOf: (value: V) => K): Map<K, V> {
  return new Map(values.map((value) => [keyOf(value), value]));
}

// every key gets a list, empty when it has no rows: an empty list is an answer worth keeping
function grouped<K, R, V>(keys: readonly K[], rows: R[], keyOf: (row: R) => K, valueOf: (row: R) => V): Map<K, V[]> {
  const byKey = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) byKey.get(keyOf(row))?.push(valueOf(row));
  return byKey;
}

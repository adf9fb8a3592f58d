import type { Kysely } from "kysely";
import { createCarrierServiceLoaders } from "../carrier-service/carrier-service.loader";
import { createServiceGroupLoaders } from "../service-group/service-group.loader";
import { createShipmentLoaders } from "../shipment/shipment.loader";
import { cachedCatalogue } from "../store/cache/cached-reads";
import type { StoreCaches } from "../store/cache/caches";
import type { Database } from "../store/database";

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Built per request: the loaders' own caches never outlive a request, and every key is read inside
 * one account. The catalogue's loaders read through the process's caches: a batch asks them first
 * and fetches only the misses, with one statement.
 */
export function createLoaders(db: Kysely<Database>, caches: StoreCaches, accountId: number) {
  const catalogue = cachedCatalogue(db, caches, accountId);
  return {
    ...createCarrierServiceLoaders(catalogue),
    ...createServiceGroupLoaders(catalogue),
    ...createShipmentLoaders(db, accountId),
  };
}

import type { Kysely } from "kysely";
import { createCarrierServiceLoaders } from "../carrier-service/carrier-service.loader";
import { createServiceGroupLoaders } from "../service-group/service-group.loader";
import { createShipmentLoaders } from "../shipment/shipment.loader";
import type { Database } from "../store/database";

export type Loaders = ReturnType<typeof createLoaders>;

/** Built per request: caches never outlive a request, and every key is read inside one account. */
export function createLoaders(db: Kysely<Database>, accountId: number) {
  return {
    ...createCarrierServiceLoaders(db, accountId),
    ...createServiceGroupLoaders(db, accountId),
    ...createShipmentLoaders(db, accountId),
  };
}

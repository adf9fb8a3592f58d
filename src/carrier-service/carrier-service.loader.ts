import type { Kysely } from "kysely";
import { groupLoader, referenceLoader } from "../graphql/loader-factories";
import { findCarrierServicesByRefs, findGroupsOfServices } from "../store/catalogue";
import type { Database } from "../store/database";

export function createCarrierServiceLoaders(db: Kysely<Database>, accountId: number) {
  return {
    carrierServiceByRef: referenceLoader((refs) => findCarrierServicesByRefs(db, accountId, refs)),
    groupsOfService: groupLoader(
      (serviceIds: readonly number[]) => findGroupsOfServices(db, accountId, serviceIds),
      (row) => row.serviceId,
      (row) => row.group,
    ),
  };
}

import { groupLoader, referenceLoader } from "../graphql/loader-factories";
import type { CachedCatalogue } from "../store/cache/cached-reads";

export function createCarrierServiceLoaders(catalogue: CachedCatalogue) {
  return {
    carrierServiceByRef: referenceLoader((refs) => catalogue.carrierServicesByRefs(refs)),
    groupsOfService: groupLoader(
      (serviceIds: readonly number[]) => catalogue.groupsOfServices(serviceIds),
      (row) => row.serviceId,
      (row) => row.group,
    ),
  };
}

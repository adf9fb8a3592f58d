import { groupLoader, referenceLoader } from "../graphql/loader-factories";
import type { CachedCatalogue } from "../store/cache/cached-reads";

export function createServiceGroupLoaders(catalogue: CachedCatalogue) {
  return {
    serviceGroupByRef: referenceLoader((refs) => catalogue.serviceGroupsByRefs(refs)),
    groupMembers: groupLoader(
      (groupIds: readonly number[]) => catalogue.groupMembers(groupIds),
      (row) => row.groupId,
      (row) => row.service,
    ),
  };
}

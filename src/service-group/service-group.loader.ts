import type { Kysely } from "kysely";
import { groupLoader, referenceLoader } from "../graphql/loader-factories";
import { findGroupMembers, findServiceGroupsByRefs } from "../store/catalogue";
import type { Database } from "../store/database";

export function createServiceGroupLoaders(db: Kysely<Database>, accountId: number) {
  return {
    serviceGroupByRef: referenceLoader((refs) => findServiceGroupsByRefs(db, accountId, refs)),
    groupMembers: groupLoader(
      (groupIds: readonly number[]) => findGroupMembers(db, accountId, groupIds),
      (row) => row.groupId,
      (row) => row.service,
    ),
  };
}

import type { Kysely } from "kysely";
import { groupLoader, referenceLoader, rowLoader } from "../graphql/loader-factories";
import { findAllocationHistories } from "../store/allocations";
import type { Database } from "../store/database";
import { findAllocationsByShipmentIds, findShipmentsByRefs } from "../store/shipments";

export function createShipmentLoaders(db: Kysely<Database>, accountId: number) {
  return {
    shipmentByRef: referenceLoader((refs) => findShipmentsByRefs(db, accountId, refs)),
    allocationByShipment: rowLoader(
      (shipmentIds: readonly number[]) => findAllocationsByShipmentIds(db, accountId, shipmentIds),
      (allocation) => allocation.shipmentId,
    ),
    allocationHistoryByShipment: groupLoader(
      (shipmentIds: readonly number[]) => findAllocationHistories(db, accountId, shipmentIds),
      (allocation) => allocation.shipmentId,
      (allocation) => allocation,
    ),
  };
}

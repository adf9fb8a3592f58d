import { sql, type Kysely } from "kysely";
import type { Database } from "./database";
import type { AllocationRecord, ShipmentRecord } from "../allocation/engine/records";
import { allocationsOfShipments, toAllocationRecord } from "./shipments";
import { inTransaction } from "./sql";

/** Every allocation of the account's shipments, voided ones included; each shipment's newest first. */
export async function findAllocationHistories(
  db: Kysely<Database>,
  accountId: number,
  shipmentIds: readonly number[],
): Promise<AllocationRecord[]> {
  const rows = await allocationsOfShipments(db, accountId, shipmentIds).orderBy("a.shipment_id").orderBy("a.id", "desc").execute();
  return rows.map(toAllocationRecord);
}

/**
 * Moves an allocated shipment back to unallocated and voids its allocation in force, in one
 * transaction whose first statement is the guarded state change: of concurrent deallocations (and
 * allocations) of one shipment, each transition happens once. Null when the shipment was not
 * allocated: nothing changed. `voided` is null only for a shipment imported as allocated.
 */
export async function commitDeallocation(
  db: Kysely<Database>,
  shipment: ShipmentRecord,
  reason: string | null,
): Promise<{ voided: AllocationRecord | null } | null> {
  return inTransaction(db, async (trx) => {
    const moved = await trx
      .updateTable("shipments")
      .set({ state: "unallocated" })
      .where("id", "=", shipment.id)
      .where("account_id", "=", shipment.accountId)
      .where("state", "=", "allocated")
      .returning("id")
      .executeTakeFirst();
    if (!moved) return null;
    const voided = await trx
      .updateTable("allocations")
      .set({ deallocated_at: sql<Date>`clock_timestamp()`, deallocation_reason: reason })
      .where("shipment_id", "=", shipment.id)
      .where("deallocated_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    return { voided: voided ? toAllocationRecord(voided) : null };
  });
}

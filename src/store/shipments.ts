import { sql, type Kysely, type Selectable } from "kysely";
import type { AllocationsTable, Database, ShipmentsTable } from "./database";
import {
  ALLOCATABLE_STATES,
  type AllocationRecord,
  type ContentItem,
  type PriceRecord,
  type ShipmentRecord,
  type ShipmentStateValue,
  type ShipmentType,
  type TaxLine,
} from "../allocation/engine/records";
import { anyOf, inTransaction } from "./sql";

function toShipmentRecord(row: Selectable<ShipmentsTable>): ShipmentRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    reference: row.reference,
    state: row.state as ShipmentStateValue,
    shipmentType: row.shipment_type as ShipmentType,
    origin: row.origin,
    destination: row.destination,
    tags: row.tags,
    contents: row.contents as ContentItem[],
  };
}

export function toAllocationRecord(row: Selectable<AllocationsTable>): AllocationRecord {
  return {
    shipmentId: row.shipment_id,
    carrierServiceId: row.carrier_service_id,
    carrierServiceReference: row.carrier_service_reference,
    carrier: {
      reference: row.carrier_reference,
      name: row.carrier_name,
      serviceReference: row.carrier_service_reference,
      serviceName: row.service_name,
    },
    allocationDate: new Date(row.allocation_date),
    price: { net: row.net, gross: row.gross, currency: row.currency, taxes: row.taxes as TaxLine[] },
    trackingReferences: row.tracking_references,
    deallocatedAt: row.deallocated_at && new Date(row.deallocated_at),
    deallocationReason: row.deallocation_reason,
  };
}

export async function findShipmentsByRefs(
  db: Kysely<Database>,
  accountId: number,
  references: readonly string[],
): Promise<ShipmentRecord[]> {
  const rows = await db
    .selectFrom("shipments")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("reference", "=", anyOf(references))
    .execute();
  return rows.map(toShipmentRecord);
}

/** Allocations of the account's shipments, voided ones included; shipment ids of other accounts find nothing. */
export function allocationsOfShipments(db: Kysely<Database>, accountId: number, shipmentIds: readonly number[]) {
  return db
    .selectFrom("allocations as a")
    .innerJoin("shipments as s", "s.id", "a.shipment_id")
    .selectAll("a")
    .where("s.account_id", "=", accountId)
    .where("a.shipment_id", "=", anyOf(shipmentIds));
}

/** The allocations in force of the account's shipments. */
export async function findAllocationsByShipmentIds(
  db: Kysely<Database>,
  accountId: number,
  shipmentIds: readonly number[],
): Promise<AllocationRecord[]> {
  const rows = await allocationsOfShipments(db, accountId, shipmentIds).where("a.deallocated_at", "is", null).execute();
  return rows.map(toAllocationRecord);
}

export interface NewAllocation {
  shipment: ShipmentRecord;
  serviceId: number;
  serviceReference: string;
  serviceName: string;
  carrierId: number;
  carrierReference: string;
  carrierName: string;
  price: PriceRecord;
}

// the guard that makes double allocation impossible: only one transaction can move the state
function claimShipment(trx: Kysely<Database>, shipment: ShipmentRecord, state: ShipmentStateValue) {
  return trx
    .updateTable("shipments")
    .set({ state })
    .where("id", "=", shipment.id)
    .where("account_id", "=", shipment.accountId)
    .where("state", "in", [...ALLOCATABLE_STATES])
    .returning("id")
    .executeTakeFirst();
}

/**
 * Moves the shipment to allocated and stores its allocation, with a new tracking reference from the
 * carrier's sequence, in one transaction. Null when the shipment was no longer allocatable.
 */
export async function commitAllocation(db: Kysely<Database>, a: NewAllocation): Promise<AllocationRecord | null> {
  return inTransaction(db, async (trx) => {
    if (!(await claimShipment(trx, a.shipment, "allocated"))) return null;
    const row = await trx
      .insertInto("allocations")
      .columns([
        "shipment_id",
        "carrier_service_id",
        "carrier_service_reference",
        "carrier_reference",
        "carrier_name",
        "service_name",
        "net",
        "gross",
        "currency",
        "taxes",
        "tracking_references",
      ])
      .expression(
        trx
          .selectFrom("carriers as c")
          .select([
            sql.lit(a.shipment.id).as("shipment_id"),
            sql<number>`${a.serviceId}::integer`.as("carrier_service_id"),
            sql<string>`${a.serviceReference}::text`.as("carrier_service_reference"),
            sql<string>`${a.carrierReference}::text`.as("carrier_reference"),
            sql<string>`${a.carrierName}::text`.as("carrier_name"),
            sql<string>`${a.serviceName}::text`.as("service_name"),
            sql<string>`${a.price.net}::numeric`.as("net"),
            sql<string>`${a.price.gross}::numeric`.as("gross"),
            sql<string>`${a.price.currency}::text`.as("currency"),
            sql<string>`${JSON.stringify(a.price.taxes)}::jsonb`.as("taxes"),
            // sequences hand out each number once, without serialising allocations
            sql<string[]>`array[c.tracking_prefix || nextval(quote_ident(c.tracking_sequence)::regclass)::text || c.tracking_suffix]`.as(
              "tracking_references",
            ),
          ])
          .where("c.id", "=", a.carrierId),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAllocationRecord(row);
  });
}

/** Records a failed attempt; false when the shipment was no longer allocatable. */
export async function markAllocationFailed(db: Kysely<Database>, shipment: ShipmentRecord): Promise<boolean> {
  return !!(await claimShipment(db, shipment, "allocation_failed"));
}

import { sql, type Kysely, type Selectable } from "kysely";
import type { AllocationsTable, Database, ShipmentsTable } from "./database";
import {
  ALLOCATABLE_STATES,
  type AllocationRecord,
  type Address,
  type ContentItem,
  type PriceRecord,
  type ShipmentRecord,
  type ShipmentStateValue,
  type ShipmentType,
  type TaxLine,
} from "./records";
import { anyOf } from "./sql";

function toShipmentRecord(row: Selectable<ShipmentsTable>): ShipmentRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    reference: row.reference,
    state: row.state as ShipmentStateValue,
    shipmentType: row.shipment_type as ShipmentType,
    origin: row.origin as Address,
    destination: row.destination as Address,
    tags: row.tags,
    contents: row.contents as ContentItem[],
  };
}

function toAllocationRecord(row: Selectable<AllocationsTable>): AllocationRecord {
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

/** Allocations of the account's shipments; shipment ids of other accounts find nothing. */
export async function findAllocationsByShipmentIds(
  db: Kysely<Database>,
  accountId: number,
  shipmentIds: readonly number[],
): Promise<AllocationRecord[]> {
  const rows = await db
    .selectFrom("allocations as a")
    .innerJoin("shipments as s", "s.id", "a.shipment_id")
    .selectAll("a")
    .where("s.account_id", "=", accountId)
    .where("a.shipment_id", "=", anyOf(shipmentIds))
    .execute();
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

/**
 * Moves the shipment to allocated and stores its allocation, with a new tracking reference from the
 * carrier's sequence. Null when the shipment was no longer allocatable (or its carrier is gone).
 * One statement, so one round trip and atomic by itself: the guarded UPDATE feeds the INSERT, and
 * no claimed row means no insert and no tracking number.
 */
export async function commitAllocation(db: Kysely<Database>, a: NewAllocation): Promise<AllocationRecord | null> {
  const { rows } = await sql<Selectable<AllocationsTable>>`
    WITH claimed AS (
      UPDATE shipments SET state = 'allocated'
      WHERE id = ${a.shipment.id} AND account_id = ${a.shipment.accountId}
        AND state = ANY(${[...ALLOCATABLE_STATES]}::text[])
        AND EXISTS (SELECT 1 FROM carriers WHERE id = ${a.carrierId})
      RETURNING id
    )
    INSERT INTO allocations (shipment_id, carrier_service_id, carrier_service_reference, carrier_reference,
      carrier_name, service_name, net, gross, currency, taxes, tracking_references)
    SELECT claimed.id, ${a.serviceId}::integer, ${a.serviceReference}::text, ${a.carrierReference}::text,
      ${a.carrierName}::text, ${a.serviceName}::text, ${a.price.net}::numeric, ${a.price.gross}::numeric,
      ${a.price.currency}::text, ${JSON.stringify(a.price.taxes)}::jsonb,
      -- sequences hand out each number once, without serialising allocations
      array[c.tracking_prefix || nextval(quote_ident(c.tracking_sequence)::regclass)::text || c.tracking_suffix]
    FROM claimed JOIN carriers c ON c.id = ${a.carrierId}
    RETURNING *`.execute(db);
  return rows[0] ? toAllocationRecord(rows[0]) : null;
}

/** Records a failed attempt; false when the shipment was no longer allocatable (the same guard). */
export async function markAllocationFailed(db: Kysely<Database>, shipment: ShipmentRecord): Promise<boolean> {
  const claimed = await db
    .updateTable("shipments")
    .set({ state: "allocation_failed" })
    .where("id", "=", shipment.id)
    .where("account_id", "=", shipment.accountId)
    .where("state", "in", [...ALLOCATABLE_STATES])
    .returning("id")
    .executeTakeFirst();
  return !!claimed;
}

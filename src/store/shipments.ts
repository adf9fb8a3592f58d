import { CompiledQuery, type Kysely, type Selectable } from "kysely";
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
import { anyOf } from "./sql";

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

// every request reads its shipments with this statement: written once, as the allocation's is
const SHIPMENTS_BY_REFS = `SELECT * FROM "shipments" WHERE account_id = $1 AND reference = any($2::text[])`;

export async function findShipmentsByRefs(
  db: Kysely<Database>,
  accountId: number,
  references: readonly string[],
): Promise<ShipmentRecord[]> {
  const { rows } = await db.executeQuery<Selectable<ShipmentsTable>>(CompiledQuery.raw(SHIPMENTS_BY_REFS, [accountId, references]));
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
  /** The carrier's reference, name and tracking numbers are read from its row by the same statement. */
  carrierId: number;
  price: PriceRecord;
}

// the guard and the claim-and-insert are PL/pgSQL functions (migration 0004): their plans are kept per session
// only what the statement made: parsing the columns the caller sent (jsonb, numeric) cost CPU for nothing
const CLAIM_AND_INSERT = `SELECT carrier_reference, carrier_name, allocation_date, tracking_references FROM allocate_shipment($1, $2, $3::text[], $4, $5, $6, $7::numeric, $8::numeric, $9, $10::jsonb, $11)`;
const CLAIM = `SELECT claim_shipment($1, $2, $3, $4::text[]) AS claimed`;

/**
 * Moves the shipment to allocated and stores its allocation, with a new tracking reference from the
 * carrier's sequence, in one statement: atomic on its own, in autocommit or inside the transaction
 * of an idempotency key. Null when the shipment was no longer allocatable: nothing claimed, nothing
 * inserted, no number drawn. A statement cut off by the shutdown is cancelled (Store.cancelStatements).
 */
export async function commitAllocation(db: Kysely<Database>, a: NewAllocation): Promise<AllocationRecord | null> {
  const { rows } = await db.executeQuery<Pick<Selectable<AllocationsTable>, "carrier_reference" | "carrier_name" | "allocation_date" | "tracking_references">>(
    CompiledQuery.raw(CLAIM_AND_INSERT, [
      a.shipment.id,
      a.shipment.accountId,
      ALLOCATABLE_STATES,
      a.serviceId,
      a.serviceReference,
      a.serviceName,
      a.price.net,
      a.price.gross,
      a.price.currency,
      JSON.stringify(a.price.taxes),
      a.carrierId,
    ]),
  );
  const made = rows[0];
  if (!made) return null;
  return {
    shipmentId: a.shipment.id,
    carrierServiceId: a.serviceId,
    carrierServiceReference: a.serviceReference,
    carrier: { reference: made.carrier_reference, name: made.carrier_name, serviceReference: a.serviceReference, serviceName: a.serviceName },
    allocationDate: new Date(made.allocation_date),
    price: a.price,
    trackingReferences: made.tracking_references,
    deallocatedAt: null,
    deallocationReason: null,
  };
}

/** Records a failed attempt; false when the shipment was no longer allocatable. */
export async function markAllocationFailed(db: Kysely<Database>, shipment: ShipmentRecord): Promise<boolean> {
  const { rows } = await db.executeQuery<{ claimed: boolean }>(
    CompiledQuery.raw(CLAIM, [shipment.id, shipment.accountId, "allocation_failed", ALLOCATABLE_STATES]),
  );
  return rows[0].claimed;
}

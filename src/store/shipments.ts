import { sql, type Kysely, type Selectable } from "kysely";
import type { AllocationsTable, Database, ShipmentsTable } from "./database";
import { inTransaction } from "./sql";
import type { StoreKind } from "./store";
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
  /** The carrier's reference, name and tracking numbers are read from its row by the same statement. */
  carrierId: number;
  price: PriceRecord;
}

// the guard that makes double allocation impossible: only one statement can move the state
function claimShipment(db: Kysely<Database>, shipment: ShipmentRecord, state: ShipmentStateValue) {
  return db
    .updateTable("shipments")
    .set({ state })
    .where("id", "=", shipment.id)
    .where("account_id", "=", shipment.accountId)
    .where("state", "in", [...ALLOCATABLE_STATES])
    .returning("id");
}

/**
 * Moves the shipment to allocated and stores its allocation, with a new tracking reference from the
 * carrier's sequence, in one statement. Null when the shipment was no longer allocatable: nothing
 * claimed, nothing inserted, no number drawn. A missing carrier fails the statement (its name is NOT
 * NULL), and the claim with it. On PostgreSQL the statement runs inside a transaction (joined when
 * one is open): a lone statement still waiting for a row lock when this process dies would commit
 * unseen, where a transaction left without its client rolls back. PGlite dies with the process.
 */
export function commitAllocation(db: Kysely<Database>, a: NewAllocation, engine: StoreKind): Promise<AllocationRecord | null> {
  return engine === "postgres" ? inTransaction(db, (trx) => claimAndInsert(trx, a)) : claimAndInsert(db, a);
}

async function claimAndInsert(db: Kysely<Database>, a: NewAllocation): Promise<AllocationRecord | null> {
  const row = await db
    .with("claimed", () => claimShipment(db, a.shipment, "allocated"))
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
    .expression((eb) =>
      eb
        .selectFrom("claimed")
        // a left join: a claimed shipment always gets a row, which a missing carrier makes fail
        .leftJoin("carriers as c", (join) => join.on("c.id", "=", a.carrierId))
        .select([
          "claimed.id as shipment_id",
          sql<number>`${a.serviceId}::integer`.as("carrier_service_id"),
          sql<string>`${a.serviceReference}::text`.as("carrier_service_reference"),
          "c.reference as carrier_reference",
          "c.name as carrier_name",
          sql<string>`${a.serviceName}::text`.as("service_name"),
          sql<string>`${a.price.net}::numeric`.as("net"),
          sql<string>`${a.price.gross}::numeric`.as("gross"),
          sql<string>`${a.price.currency}::text`.as("currency"),
          sql<string>`${JSON.stringify(a.price.taxes)}::jsonb`.as("taxes"),
          // evaluated once per claimed row, so never when nothing was claimed; sequences hand out
          // each number once, without serialising allocations
          sql<string[]>`array[c.tracking_prefix || nextval(quote_ident(c.tracking_sequence)::regclass)::text || c.tracking_suffix]`.as(
            "tracking_references",
          ),
        ]),
    )
    .returningAll()
    .executeTakeFirst();
  return row ? toAllocationRecord(row) : null;
}

/** Records a failed attempt; false when the shipment was no longer allocatable. */
export async function markAllocationFailed(db: Kysely<Database>, shipment: ShipmentRecord): Promise<boolean> {
  return !!(await claimShipment(db, shipment, "allocation_failed").executeTakeFirst());
}

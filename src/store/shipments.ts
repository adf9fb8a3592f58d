// Rule numbers: docs/allocation-rules.md
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
import { sharedStatement } from "./shared-statements";
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
// the same for several requests at once: each (account, reference) pair joins on both columns
const SHIPMENTS_BY_ACCOUNT_REFS = `SELECT s.* FROM unnest($1::int[], $2::text[]) AS k(account_id, reference) JOIN "shipments" AS s USING (account_id, reference)`;

interface ShipmentsRead {
  accountId: number;
  references: readonly string[];
}

async function readShipments(db: Kysely<Database>, { accountId, references }: ShipmentsRead): Promise<ShipmentRecord[]> {
  const { rows } = await db.executeQuery<Selectable<ShipmentsTable>>(CompiledQuery.raw(SHIPMENTS_BY_REFS, [accountId, references]));
  return rows.map(toShipmentRecord);
}

async function readShipmentsTogether(db: Kysely<Database>, reads: readonly ShipmentsRead[]): Promise<ShipmentRecord[][]> {
  const accounts = reads.flatMap((read) => read.references.map(() => read.accountId));
  const references = reads.flatMap((read) => read.references);
  const { rows } = await db.executeQuery<Selectable<ShipmentsTable>>(CompiledQuery.raw(SHIPMENTS_BY_ACCOUNT_REFS, [accounts, references]));
  const byKey = new Map(rows.map((row) => [`${row.account_id} ${row.reference}`, row]));
  // a record of its own for each read: requests never share an object
  return reads.map((read) => read.references.flatMap((reference) => {
    const row = byKey.get(`${read.accountId} ${reference}`);
    return row ? [toShipmentRecord(row)] : [];
  }));
}

/** The account's shipments among these references (a statement shared with the requests running at once, on the store's db). */
export function findShipmentsByRefs(db: Kysely<Database>, accountId: number, references: readonly string[]): Promise<ShipmentRecord[]> {
  const shared = sharedOn.get(db);
  return shared ? shared.readShipments({ accountId, references }) : readShipments(db, { accountId, references });
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
// several at once, in one statement: allocate_shipments() (migration 0006), set-based, as if in turn
const CLAIM_AND_INSERT_EACH = `SELECT shipment_id, carrier_reference, carrier_name, allocation_date, tracking_references FROM allocate_shipments($1::int[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::text[], $10::jsonb[], $11::int[])`;
const CLAIM = `SELECT claim_shipment($1, $2, $3, $4::text[]) AS claimed`;

type Made = Pick<Selectable<AllocationsTable>, "carrier_reference" | "carrier_name" | "allocation_date" | "tracking_references">;
type MadeFor = Made & Pick<Selectable<AllocationsTable>, "shipment_id">;

async function claimAndInsert(db: Kysely<Database>, a: NewAllocation): Promise<Made | undefined> {
  const { rows } = await db.executeQuery<Made>(
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
  return rows[0];
}

async function claimAndInsertEach(db: Kysely<Database>, each: readonly NewAllocation[]): Promise<(Made | undefined)[]> {
  const column = <T>(value: (a: NewAllocation) => T) => each.map(value);
  const { rows } = await db.executeQuery<MadeFor>(
    CompiledQuery.raw(CLAIM_AND_INSERT_EACH, [
      column((a) => a.shipment.id),
      column((a) => a.shipment.accountId),
      ALLOCATABLE_STATES,
      column((a) => a.serviceId),
      column((a) => a.serviceReference),
      column((a) => a.serviceName),
      column((a) => a.price.net),
      column((a) => a.price.gross),
      column((a) => a.price.currency),
      column((a) => JSON.stringify(a.price.taxes)),
      column((a) => a.carrierId),
    ]),
  );
  const byShipment = new Map(rows.map((row) => [row.shipment_id, row]));
  // only the first item naming a shipment can have claimed it
  const named = new Set<number>();
  return each.map(({ shipment }) => {
    if (named.has(shipment.id)) return undefined;
    named.add(shipment.id);
    return byShipment.get(shipment.id);
  });
}

/**
 * Moves the shipment to allocated and stores its allocation, with a new tracking reference from the
 * carrier's sequence, in one statement: atomic on its own, in autocommit or inside the transaction
 * of an idempotency key. Null when the shipment was no longer allocatable: nothing claimed, nothing
 * inserted, no number drawn. A statement cut off by the shutdown is cancelled (Store.cancelStatements).
 * On the store's db the statement is shared with the requests allocating at once (each item still
 * claimed by its own guard).
 */
export async function commitAllocation(db: Kysely<Database>, a: NewAllocation): Promise<AllocationRecord | null> {
  const shared = sharedOn.get(db);
  const made = await (shared ? shared.claimAndInsert(a) : claimAndInsert(db, a));
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

interface SharedShipmentStatements {
  readShipments: (read: ShipmentsRead) => Promise<ShipmentRecord[]>;
  claimAndInsert: (allocation: NewAllocation) => Promise<Made | undefined>;
}

// a store's own db, shared by its requests, or a pipelined connection's, by the one request holding it;
// a transaction's statements are its own
const sharedOn = new WeakMap<Kysely<Database>, SharedShipmentStatements>();

/** Makes the allocation's two statements on this db shared by the work running on it at once. */
export function shareShipmentStatements(db: Kysely<Database>): void {
  sharedOn.set(db, {
    readShipments: sharedStatement((read) => readShipments(db, read), (reads) => readShipmentsTogether(db, reads)),
    claimAndInsert: sharedStatement((a) => claimAndInsert(db, a), (each) => claimAndInsertEach(db, each)),
  });
}

// Writes a validated data set (src/import) in one transaction: upserts by reference, shipments never changed.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { hashApiKey } from "./accounts";
import { notifyCatalogueChanged } from "./cache/listener";
import type { Database } from "./database";
import type { Store } from ".";
import { apiKeyMoves, refusedMove, type ApiKeyMove } from "../import/api-keys";
import type { Dataset, DatasetCarrier, DatasetCarrierService, DatasetShipment } from "../import/dataset";
import type { ImportOptions } from "../import/references";

export interface Counts {
  created: number;
  updated: number;
}

export interface ImportSummary {
  accounts: Counts;
  /** API keys stored for the imported accounts (which replace their previous keys). */
  apiKeys: number;
  /** Keys another account held, moved (only with moveApiKeys). */
  movedApiKeys: ApiKeyMove[];
  carriers: Counts;
  carrierServices: Counts;
  serviceGroups: Counts;
  shipments: { created: number; skipped: number };
}

type Trx = Kysely<Database>;

// any constant: concurrent imports on one PostgreSQL take turns instead of racing on sequences
const IMPORT_LOCK = 72_120_002;
// stays far below PostgreSQL's 65,535 parameters per statement
const CHUNK = 500;
// shipments go as one JSON document of about 1 MB per statement
const SHIPMENT_CHUNK = 2_000;
// RETURNING this tells a row the upsert inserted from one it updated
const inserted = sql<boolean>`xmax = 0`.as("inserted");

/**
 * Writes a validated data set whose references are checked, in one transaction: the catalogue is
 * upserted by reference, existing shipments are left untouched, tracking counters only move forward,
 * an API key of another account moves only with moveApiKeys (else nothing is written).
 */
export async function importDataset(store: Store, dataset: Dataset, options: ImportOptions = {}): Promise<ImportSummary> {
  try {
    return await writeDataset(store, dataset, options);
  } finally {
    // this process's caches at once (also when the commit's outcome is unknown); other processes' by the NOTIFY
    store.caches.clear();
  }
}

function writeDataset(store: Store, dataset: Dataset, options: ImportOptions): Promise<ImportSummary> {
  return store.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(trx);
    // checked again under the lock: an import that ran since checkReferences may have moved keys
    const movedApiKeys = await apiKeyMoves(trx, dataset.accounts);
    if (movedApiKeys.length > 0 && !options.moveApiKeys) {
      throw new Error(movedApiKeys.map(refusedMove).map((p) => `${p.path}: ${p.message}`).join("; "));
    }
    const accounts = await upsertAccounts(trx, dataset);
    const apiKeys = await replaceApiKeys(trx, dataset);
    const carriers = await upsertCarriers(trx, dataset.carriers);
    const carrierServices = await upsertCarrierServices(trx, dataset.carrierServices);
    const serviceGroups = await upsertServiceGroups(trx, dataset);
    const shipments = await insertNewShipments(trx, dataset.shipments);
    // fresh statistics: without them the planner scans an account's every shipment for a lookup by
    // reference (PGlite runs no autovacuum, and PostgreSQL's comes round only after a while)
    await sql`ANALYZE accounts, api_keys, carriers, carrier_services, service_groups, service_group_members, shipments`.execute(trx);
    // delivered at commit to every process on this database (PGlite: only this process, cleared by importDataset)
    if (store.kind === "postgres") await notifyCatalogueChanged(trx);
    return { accounts, apiKeys, movedApiKeys, carriers, carrierServices, serviceGroups, shipments };
  });
}

async function upsertAccounts(trx: Trx, dataset: Dataset): Promise<Counts> {
  const rows = await inChunks(dataset.accounts, (chunk) =>
    trx
      .insertInto("accounts")
      .values(chunk.map((a) => ({ reference: a.reference, name: a.name })))
      .onConflict((oc) => oc.column("reference").doUpdateSet(fromExcluded(["name"])))
      .returning(inserted)
      .execute(),
  );
  return counts(rows);
}

async function replaceApiKeys(trx: Trx, dataset: Dataset): Promise<number> {
  const accountIds = await idsByReference(trx, "accounts", dataset.accounts.map((a) => a.reference));
  const ids = [...accountIds.values()];
  if (ids.length > 0) await trx.deleteFrom("api_keys").where("account_id", "=", (eb) => eb.fn.any(eb.val(ids))).execute();
  const keys = dataset.accounts.flatMap((a) =>
    a.apiKeys.map((key) => ({ key_hash: hashApiKey(key), account_id: accountIds.get(a.reference)! })),
  );
  // a key another account held (importDataset has allowed it) moves to the account that lists it now
  await inChunks(keys, (chunk) =>
    trx
      .insertInto("api_keys")
      .values(chunk)
      .onConflict((oc) => oc.column("key_hash").doUpdateSet(fromExcluded(["account_id"])))
      .execute(),
  );
  return keys.length;
}

async function upsertCarriers(trx: Trx, carriers: DatasetCarrier[]): Promise<Counts> {
  const rows = await inChunks(carriers, (chunk) =>
    trx
      .insertInto("carriers")
      .values(
        chunk.map((c) => ({
          reference: c.reference,
          name: c.name,
          tracking_prefix: c.trackingNumber?.prefix ?? "",
          tracking_suffix: c.trackingNumber?.suffix ?? "",
          tracking_sequence: trackingSequence(c.reference),
        })),
      )
      .onConflict((oc) => oc.column("reference").doUpdateSet(fromExcluded(["name", "tracking_prefix", "tracking_suffix"])))
      .returning(inserted)
      .execute(),
  );
  for (const carrier of carriers) await advanceTrackingCounter(trx, carrier);
  return counts(rows);
}

/** The name of the sequence that numbers a carrier's parcels (quote it: references keep their case). */
export function trackingSequence(carrierReference: string): string {
  return `tracking_${carrierReference}`;
}

async function advanceTrackingCounter(trx: Trx, carrier: DatasetCarrier): Promise<void> {
  const name = trackingSequence(carrier.reference);
  const next = BigInt(carrier.trackingNumber?.next ?? 1);
  await sql`CREATE SEQUENCE IF NOT EXISTS ${sql.id(name)} MINVALUE 0 START WITH ${sql.raw(next.toString())}`.execute(trx);
  const { rows } = await sql<{ last_value: string; is_called: boolean }>`
    SELECT last_value, is_called FROM ${sql.id(name)}`.execute(trx);
  const current = BigInt(rows[0].last_value) + (rows[0].is_called ? 1n : 0n);
  // numbers already handed out must never be handed out again
  if (next > current) {
    await sql`SELECT setval(quote_ident(${name})::regclass, ${next.toString()}::bigint, false)`.execute(trx);
  }
}

async function upsertCarrierServices(trx: Trx, services: DatasetCarrierService[]): Promise<Counts> {
  const accountIds = await idsByReference(trx, "accounts", services.map((s) => s.account));
  const carrierIds = await idsByReference(trx, "carriers", services.map((s) => s.carrier));
  const rows = await inChunks(services, (chunk) =>
    trx
      .insertInto("carrier_services")
      .values(
        chunk.map((s) => ({
          account_id: accountIds.get(s.account)!,
          reference: s.reference,
          name: s.name,
          carrier_id: carrierIds.get(s.carrier)!,
          active: s.active,
          shipment_types: s.shipmentTypes,
          destination_countries: s.destinationCountries,
          excluded_postcode_areas: s.excludedPostcodeAreas,
          tags: s.tags,
          max_weight_kg: s.maxWeightKg,
          max_length_cm: s.maxDimensionsCm?.length ?? null,
          max_width_cm: s.maxDimensionsCm?.width ?? null,
          max_height_cm: s.maxDimensionsCm?.height ?? null,
          max_value_amount: s.maxValue?.amount ?? null,
          max_value_currency: s.maxValue?.currency ?? null,
          rates: JSON.stringify(s.rates.map((r) => ({ maxWeightKg: r.maxWeightKg, net: r.net }))),
          currency: s.currency,
          tax_country_iso_code: s.tax.countryIsoCode,
          tax_type: s.tax.type,
          tax_value: s.tax.value,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["account_id", "reference"]).doUpdateSet(
          fromExcluded([
            "name",
            "carrier_id",
            "active",
            "shipment_types",
            "destination_countries",
            "excluded_postcode_areas",
            "tags",
            "max_weight_kg",
            "max_length_cm",
            "max_width_cm",
            "max_height_cm",
            "max_value_amount",
            "max_value_currency",
            "rates",
            "currency",
            "tax_country_iso_code",
            "tax_type",
            "tax_value",
          ]),
        ),
      )
      .returning(inserted)
      .execute(),
  );
  return counts(rows);
}

async function upsertServiceGroups(trx: Trx, dataset: Dataset): Promise<Counts> {
  const groups = dataset.serviceGroups;
  const accountIds = await idsByReference(trx, "accounts", groups.map((g) => g.account));
  const rows = await inChunks(groups, (chunk) =>
    trx
      .insertInto("service_groups")
      .values(chunk.map((g) => ({ account_id: accountIds.get(g.account)!, reference: g.reference, name: g.name })))
      .onConflict((oc) => oc.columns(["account_id", "reference"]).doUpdateSet(fromExcluded(["name"])))
      .returning(["id", "account_id", "reference", inserted])
      .execute(),
  );
  const groupIds = new Map(rows.map((r) => [key(r.account_id, r.reference), r.id]));
  if (groupIds.size > 0) {
    const ids = [...groupIds.values()];
    await trx.deleteFrom("service_group_members").where("group_id", "=", (eb) => eb.fn.any(eb.val(ids))).execute();
  }
  const serviceIds = await serviceIdsOf(trx, [...accountIds.values()], groups.flatMap((g) => g.services));
  const members = groups.flatMap((g) => {
    const accountId = accountIds.get(g.account)!;
    return g.services.map((reference, position) => ({
      group_id: groupIds.get(key(accountId, g.reference))!,
      position,
      service_id: serviceIds.get(key(accountId, reference))!,
    }));
  });
  await inChunks(members, (chunk) => trx.insertInto("service_group_members").values(chunk).execute());
  return counts(rows);
}

async function insertNewShipments(trx: Trx, shipments: DatasetShipment[]): Promise<ImportSummary["shipments"]> {
  const accountIds = await idsByReference(trx, "accounts", shipments.map((s) => s.account));
  let created = 0;
  for (let i = 0; i < shipments.length; i += SHIPMENT_CHUNK) {
    const rows = shipments.slice(i, i + SHIPMENT_CHUNK).map((s) => ({
      account_id: accountIds.get(s.account)!,
      reference: s.reference,
      state: s.state,
      shipment_type: s.shipmentType,
      origin: s.origin,
      destination: s.destination,
      tags: s.tags,
      contents: s.contents,
    }));
    // one JSON parameter per chunk: far less to build, send and collect than a parameter per column
    const { rows: counted } = await sql<{ created: number }>`
      WITH inserted AS (
        INSERT INTO shipments (account_id, reference, state, shipment_type, origin, destination, tags, contents)
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(account_id integer, reference text,
          state text, shipment_type text, origin jsonb, destination jsonb, tags text[], contents jsonb)
        -- an import never undoes what happened to a shipment since (an allocation, a cancellation)
        ON CONFLICT (account_id, reference) DO NOTHING
        RETURNING 1)
      SELECT count(*)::int AS created FROM inserted`.execute(trx);
    // counted, not returned: the rows of a large file are never held at once
    created += counted[0].created;
  }
  return { created, skipped: shipments.length - created };
}

async function idsByReference(trx: Trx, table: "accounts" | "carriers", references: string[]): Promise<Map<string, number>> {
  if (references.length === 0) return new Map();
  const rows = await trx
    .selectFrom(table)
    .select(["id", "reference"])
    .where("reference", "=", (eb) => eb.fn.any(eb.val([...new Set(references)])))
    .execute();
  return new Map(rows.map((r) => [r.reference, r.id]));
}

async function serviceIdsOf(trx: Trx, accountIds: number[], references: string[]): Promise<Map<string, number>> {
  if (references.length === 0) return new Map();
  const rows = await trx
    .selectFrom("carrier_services")
    .select(["id", "account_id", "reference"])
    .where("account_id", "=", (eb) => eb.fn.any(eb.val(accountIds)))
    .where("reference", "=", (eb) => eb.fn.any(eb.val([...new Set(references)])))
    .execute();
  return new Map(rows.map((r) => [key(r.account_id, r.reference), r.id]));
}

function key(accountId: number, reference: string): string {
  return `${accountId}/${reference}`;
}

function counts(rows: { inserted: boolean }[]): Counts {
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created };
}

/** ON CONFLICT ... DO UPDATE SET each column to the value the insert proposed. */
function fromExcluded<C extends string>(columns: C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as Record<C, RawBuilder<never>>;
}

async function inChunks<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) results.push(...(await run(items.slice(i, i + CHUNK))));
  return results;
}

import { createHash } from "node:crypto";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../store/database";
import type { Store } from "../store";
import type { Dataset, DatasetCarrier, DatasetCarrierService, DatasetShipment } from "./dataset";
import { noProgress, type ImportProgress, type KindCounts, type RecordKind } from "./progress";

export interface ImportSummary extends Record<RecordKind, KindCounts> {
  /** API keys stored for the imported accounts (which replace their previous keys). */
  apiKeys: number;
}

/** Tells the progress display that this many more records of one kind are written. */
type Tick = (records: number) => void;

type Trx = Kysely<Database>;

// any constant: concurrent imports on one PostgreSQL take turns instead of racing on sequences
const IMPORT_LOCK = 72_120_002;
// stays far below PostgreSQL's 65,535 parameters per statement
const CHUNK = 500;
// RETURNING this tells a row the upsert inserted from one it updated (an unchanged row is not returned)
const inserted = sql<boolean>`xmax = 0`.as("inserted");

/**
 * Writes a validated data set whose references are checked, in one transaction: the catalogue is
 * upserted by reference, existing shipments are left untouched, tracking counters only move forward.
 */
export async function importDataset(store: Store, dataset: Dataset, progress: ImportProgress = noProgress): Promise<ImportSummary> {
  const tick = (kind: RecordKind): Tick => (records) => progress.advance(kind, records);
  return store.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(trx);
    progress.start({
      accounts: dataset.accounts.length,
      carriers: dataset.carriers.length,
      carrierServices: dataset.carrierServices.length,
      serviceGroups: dataset.serviceGroups.length,
      shipments: dataset.shipments.length,
    });
    const accounts = await upsertAccounts(trx, dataset, tick("accounts"));
    const apiKeys = await replaceApiKeys(trx, dataset);
    const carriers = await upsertCarriers(trx, dataset.carriers, tick("carriers"));
    const carrierServices = await upsertCarrierServices(trx, dataset.carrierServices, tick("carrierServices"));
    const serviceGroups = await upsertServiceGroups(trx, dataset, tick("serviceGroups"));
    const shipments = await insertNewShipments(trx, dataset.shipments, tick("shipments"));
    // fresh statistics: without them the planner scans an account's every shipment for a lookup by
    // reference (PGlite runs no autovacuum, and PostgreSQL's comes round only after a while)
    await sql`ANALYZE accounts, api_keys, carriers, carrier_services, service_groups, service_group_members, shipments`.execute(trx);
    return { accounts, apiKeys, carriers, carrierServices, serviceGroups, shipments };
  });
}

async function upsertAccounts(trx: Trx, dataset: Dataset, tick: Tick): Promise<KindCounts> {
  const rows = await inChunks(
    dataset.accounts,
    (chunk) =>
      trx
        .insertInto("accounts")
        .values(chunk.map((a) => ({ reference: a.reference, name: a.name })))
        .onConflict((oc) => oc.column("reference").doUpdateSet(fromExcluded(["name"])).where(differs("accounts", ["name"])))
        .returning(inserted)
        .execute(),
    tick,
  );
  return counts(rows, dataset.accounts.length);
}

async function replaceApiKeys(trx: Trx, dataset: Dataset): Promise<number> {
  const accountIds = await idsByReference(trx, "accounts", dataset.accounts.map((a) => a.reference));
  const ids = [...accountIds.values()];
  if (ids.length > 0) await trx.deleteFrom("api_keys").where("account_id", "=", (eb) => eb.fn.any(eb.val(ids))).execute();
  const keys = dataset.accounts.flatMap((a) =>
    a.apiKeys.map((key) => ({ key_hash: createHash("sha256").update(key).digest("hex"), account_id: accountIds.get(a.reference)! })),
  );
  // a key another account held moves to the account that lists it now
  await inChunks(keys, (chunk) =>
    trx
      .insertInto("api_keys")
      .values(chunk)
      .onConflict((oc) => oc.column("key_hash").doUpdateSet(fromExcluded(["account_id"])))
      .execute(),
  );
  return keys.length;
}

async function upsertCarriers(trx: Trx, carriers: DatasetCarrier[], tick: Tick): Promise<KindCounts> {
  const columns = ["name", "tracking_prefix", "tracking_suffix"] as const;
  const rows = await inChunks(
    carriers,
    (chunk) =>
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
        .onConflict((oc) => oc.column("reference").doUpdateSet(fromExcluded([...columns])).where(differs("carriers", [...columns])))
        .returning(["reference", inserted])
        .execute(),
    tick,
  );
  const changed = new Set(rows.map((r) => r.reference));
  // a counter moved forward is a change of its carrier too
  for (const carrier of carriers) if (await advanceTrackingCounter(trx, carrier)) changed.add(carrier.reference);
  const created = rows.filter((r) => r.inserted).length;
  return { inserted: created, updated: changed.size - created, unchanged: carriers.length - changed.size };
}

/** The name of the sequence that numbers a carrier's parcels (quote it: references keep their case). */
export function trackingSequence(carrierReference: string): string {
  return `tracking_${carrierReference}`;
}

/** True when it moved an existing counter forward. */
async function advanceTrackingCounter(trx: Trx, carrier: DatasetCarrier): Promise<boolean> {
  const name = trackingSequence(carrier.reference);
  const next = BigInt(carrier.trackingNumber?.next ?? 1);
  await sql`CREATE SEQUENCE IF NOT EXISTS ${sql.id(name)} MINVALUE 0 START WITH ${sql.raw(next.toString())}`.execute(trx);
  const { rows } = await sql<{ last_value: string; is_called: boolean }>`
    SELECT last_value, is_called FROM ${sql.id(name)}`.execute(trx);
  const current = BigInt(rows[0].last_value) + (rows[0].is_called ? 1n : 0n);
  // numbers already handed out must never be handed out again
  if (next <= current) return false;
  await sql`SELECT setval(quote_ident(${name})::regclass, ${next.toString()}::bigint, false)`.execute(trx);
  return true;
}

const SERVICE_COLUMNS = [
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
] as const;

async function upsertCarrierServices(trx: Trx, services: DatasetCarrierService[], tick: Tick): Promise<KindCounts> {
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
        oc
          .columns(["account_id", "reference"])
          .doUpdateSet(fromExcluded([...SERVICE_COLUMNS]))
          .where(differs("carrier_services", [...SERVICE_COLUMNS])),
      )
      .returning(inserted)
      .execute(),
  tick);
  return counts(rows, services.length);
}

async function upsertServiceGroups(trx: Trx, dataset: Dataset, tick: Tick): Promise<KindCounts> {
  const groups = dataset.serviceGroups;
  const accountIds = await idsByReference(trx, "accounts", groups.map((g) => g.account));
  const serviceIds = await serviceIdsOf(trx, [...accountIds.values()], groups.flatMap((g) => g.services));
  const existing = await existingGroups(trx, [...accountIds.values()], groups.map((g) => g.reference));
  const planned = groups.map((group) => {
    const accountId = accountIds.get(group.account)!;
    const services = group.services.map((reference) => serviceIds.get(key(accountId, reference))!);
    return { accountId, group, services, before: existing.get(key(accountId, group.reference)) };
  });
  // a group is written only when it is new, renamed or has other members (in another order)
  const changed = planned.filter(({ group, services, before }) => !before || before.name !== group.name || before.services.join() !== services.join());
  const rows = await inChunks(changed, (chunk) =>
    trx
      .insertInto("service_groups")
      .values(chunk.map(({ accountId, group }) => ({ account_id: accountId, reference: group.reference, name: group.name })))
      .onConflict((oc) => oc.columns(["account_id", "reference"]).doUpdateSet(fromExcluded(["name"])))
      .returning(["id", "account_id", "reference"])
      .execute(),
  );
  const groupIds = new Map(rows.map((r) => [key(r.account_id, r.reference), r.id]));
  if (groupIds.size > 0) {
    const ids = [...groupIds.values()];
    await trx.deleteFrom("service_group_members").where("group_id", "=", (eb) => eb.fn.any(eb.val(ids))).execute();
  }
  const members = changed.flatMap(({ accountId, group, services }) =>
    services.map((service_id, position) => ({ group_id: groupIds.get(key(accountId, group.reference))!, position, service_id })),
  );
  await inChunks(members, (chunk) => trx.insertInto("service_group_members").values(chunk).execute());
  tick(groups.length);
  const created = changed.filter((c) => !c.before).length;
  return { inserted: created, updated: changed.length - created, unchanged: groups.length - changed.length };
}

/** The stored groups among these references: name and member service ids in priority order. */
async function existingGroups(trx: Trx, accountIds: number[], references: string[]): Promise<Map<string, { name: string; services: number[] }>> {
  if (references.length === 0) return new Map();
  const rows = await trx
    .selectFrom("service_groups as g")
    .leftJoin("service_group_members as m", "m.group_id", "g.id")
    .select(["g.account_id", "g.reference", "g.name"])
    .select(sql<number[] | null>`array_agg(m.service_id ORDER BY m.position) FILTER (WHERE m.service_id IS NOT NULL)`.as("services"))
    .where("g.account_id", "=", (eb) => eb.fn.any(eb.val(accountIds)))
    .where("g.reference", "=", (eb) => eb.fn.any(eb.val([...new Set(references)])))
    .groupBy("g.id")
    .execute();
  return new Map(rows.map((r) => [key(r.account_id, r.reference), { name: r.name, services: r.services ?? [] }]));
}

async function insertNewShipments(trx: Trx, shipments: DatasetShipment[], tick: Tick): Promise<KindCounts> {
  const accountIds = await idsByReference(trx, "accounts", shipments.map((s) => s.account));
  const created = await inChunks(shipments, (chunk) =>
    trx
      .insertInto("shipments")
      .values(
        chunk.map((s) => ({
          account_id: accountIds.get(s.account)!,
          reference: s.reference,
          state: s.state,
          shipment_type: s.shipmentType,
          origin: JSON.stringify(s.origin),
          destination: JSON.stringify(s.destination),
          tags: s.tags,
          contents: JSON.stringify(s.contents),
        })),
      )
      // an import never undoes what happened to a shipment since (an allocation, a cancellation)
      .onConflict((oc) => oc.columns(["account_id", "reference"]).doNothing())
      .returning("id")
      .execute(),
  tick);
  return { inserted: created.length, updated: 0, unchanged: shipments.length - created.length };
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

/** Of `total` records upserted, the rows RETURNING gave back: inserted or changed; the others were unchanged. */
function counts(rows: { inserted: boolean }[], total: number): KindCounts {
  const created = rows.filter((r) => r.inserted).length;
  return { inserted: created, updated: rows.length - created, unchanged: total - rows.length };
}

/** ON CONFLICT ... DO UPDATE SET each column to the value the insert proposed. */
function fromExcluded<C extends string>(columns: C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as Record<C, RawBuilder<never>>;
}

/** ... DO UPDATE ... WHERE the stored row differs from the proposed one: an unchanged row is neither rewritten nor returned. */
function differs(table: string, columns: string[]): RawBuilder<boolean> {
  const row = (alias: string) => sql.join(columns.map((c) => sql.ref(`${alias}.${c}`)));
  return sql<boolean>`(${row(table)}) IS DISTINCT FROM (${row("excluded")})`;
}

async function inChunks<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>, tick?: Tick): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    results.push(...(await run(chunk)));
    tick?.(chunk.length);
  }
  return results;
}

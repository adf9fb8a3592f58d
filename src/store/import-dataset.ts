// Writes a validated data set (src/import) in one transaction: upserts by reference, shipments never changed.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { hashApiKey } from "./accounts";
import { notifyCatalogueChanged } from "./cache/listener";
import type { Database } from "./database";
import type { Store } from ".";
import { apiKeyMoves, type ApiKeyMove } from "../import/api-keys";
import type { Dataset, DatasetCarrier, DatasetCarrierService, DatasetCatalogue, DatasetReader, DatasetShipment } from "../import/dataset";
import { DatasetRejected } from "../import/problem";
import type { ImportProgress } from "../import/progress";
import { checkReferences, type ImportOptions } from "../import/references";

/** What an upsert did with the file's records: an unchanged one matched its stored row exactly and was not rewritten. */
export interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  accounts: Counts;
  /** The keys the imported accounts list (which replace their previous ones): updated ones moved from another account. */
  apiKeys: Counts & { removed: number };
  /** Keys another account held, moved (only with moveApiKeys). */
  movedApiKeys: ApiKeyMove[];
  /** Updated: its row changed, or its tracking counter moved forward. */
  carriers: Counts;
  carrierServices: Counts;
  /** Updated: its name or its list of services changed. */
  serviceGroups: Counts;
  /** Skipped: already stored, left as they are. */
  shipments: { inserted: number; skipped: number };
}

type Trx = Kysely<Database>;

// any constant: concurrent imports on one PostgreSQL take turns instead of racing on sequences
const IMPORT_LOCK = 72_120_002;
// stays far below PostgreSQL's 65,535 parameters per statement
const CHUNK = 500;
// shipments are staged as one JSON document of about 1 MB per statement
const SHIPMENT_CHUNK = 2_000;
// and copied from the stage in statements this large, each a step of the progress
const COPY_CHUNK = 20_000;
// RETURNING this tells a row the upsert inserted from one it updated (an unchanged row is not returned)
const inserted = sql<boolean>`xmax = 0`.as("inserted");

/**
 * Writes a data set in one transaction: the reader's shipments are staged as they stream in (a temporary
 * table: a large file is never held), then everything is checked (references, duplicates, API keys of
 * other accounts) under the import lock, and only then written: the catalogue upserted by reference,
 * existing shipments left untouched, tracking counters moved only forward. Any problem throws
 * DatasetRejected and rolls everything back.
 */
export async function importDataset(
  store: Store,
  source: Dataset | DatasetReader,
  options: ImportOptions = {},
  progress: ImportProgress = () => {},
): Promise<ImportSummary> {
  try {
    return await writeDataset(store, typeof source === "function" ? source : inMemory(source), options, progress);
  } finally {
    // this process's caches at once (also when the commit's outcome is unknown); other processes' by the NOTIFY
    store.caches.clear();
  }
}

function writeDataset(store: Store, read: DatasetReader, options: ImportOptions, progress: ImportProgress): Promise<ImportSummary> {
  return store.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(trx);
    const staging = await shipmentStage(trx);
    const catalogue = await read(staging.stage);
    const staged = await staging.flush();
    // checked under the lock: an import that ran meanwhile may have moved keys or added references
    const problems = [
      ...(await checkReferences({ version: 1, ...catalogue, shipments: [] }, { db: trx }, options)),
      ...(await stagedShipmentProblems(trx, catalogue)),
    ];
    if (problems.length > 0) throw new DatasetRejected(problems);
    const movedApiKeys = await apiKeyMoves(trx, catalogue.accounts);
    const accounts = await upsertAccounts(trx, catalogue);
    const apiKeys = await replaceApiKeys(trx, catalogue);
    const carriers = await upsertCarriers(trx, catalogue.carriers);
    const carrierServices = await upsertCarrierServices(trx, catalogue.carrierServices);
    const serviceGroups = await upsertServiceGroups(trx, catalogue);
    const shipments = await insertStagedShipments(trx, staged, progress);
    // fresh statistics: without them the planner scans an account's every shipment for a lookup by
    // reference (PGlite runs no autovacuum, and PostgreSQL's comes round only after a while)
    await sql`ANALYZE accounts, api_keys, carriers, carrier_services, service_groups, service_group_members, shipments`.execute(trx);
    // delivered at commit to every process on this database (PGlite: only this process, cleared by importDataset)
    if (store.kind === "postgres") await notifyCatalogueChanged(trx);
    return { accounts, apiKeys, movedApiKeys, carriers, carrierServices, serviceGroups, shipments };
  });
}

function inMemory(dataset: Dataset): DatasetReader {
  return async (stage) => {
    for (const shipment of dataset.shipments) await stage(shipment);
    return dataset;
  };
}

async function upsertAccounts(trx: Trx, catalogue: DatasetCatalogue): Promise<Counts> {
  const accounts = catalogue.accounts;
  const rows = await inChunks(accounts, (chunk) =>
    trx
      .insertInto("accounts")
      .values(chunk.map((a) => ({ reference: a.reference, name: a.name })))
      .onConflict((oc) => oc.column("reference").doUpdateSet(fromExcluded(["name"])).where(changed("accounts", ["name"])))
      .returning(inserted)
      .execute(),
  );
  return counts(accounts.length, rows);
}

async function replaceApiKeys(trx: Trx, catalogue: DatasetCatalogue): Promise<ImportSummary["apiKeys"]> {
  const accountIds = await idsByReference(trx, "accounts", catalogue.accounts.map((a) => a.reference));
  const keys = catalogue.accounts.flatMap((a) =>
    a.apiKeys.map((key) => ({ key_hash: hashApiKey(key), account_id: accountIds.get(a.reference)! })),
  );
  let removed = 0;
  const ids = [...accountIds.values()];
  if (ids.length > 0) {
    // the keys these accounts no longer list
    const deleted = await trx
      .deleteFrom("api_keys")
      .where("account_id", "=", (eb) => eb.fn.any(eb.val(ids)))
      .where(sql<boolean>`key_hash <> ALL(${keys.map((k) => k.key_hash)}::text[])`)
      .executeTakeFirst();
    removed = Number(deleted.numDeletedRows);
  }
  // a key another account held (checkReferences has allowed it) moves to the account that lists it now
  const rows = await inChunks(keys, (chunk) =>
    trx
      .insertInto("api_keys")
      .values(chunk)
      .onConflict((oc) => oc.column("key_hash").doUpdateSet(fromExcluded(["account_id"])).where(changed("api_keys", ["account_id"])))
      .returning(inserted)
      .execute(),
  );
  return { ...counts(keys.length, rows), removed };
}

async function upsertCarriers(trx: Trx, carriers: DatasetCarrier[]): Promise<Counts> {
  const columns = ["name", "tracking_prefix", "tracking_suffix"] as const;
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
      .onConflict((oc) => oc.column("reference").doUpdateSet(fromExcluded([...columns])).where(changed("carriers", columns)))
      .returning(["reference", inserted])
      .execute(),
  );
  const written = new Set(rows.map((r) => r.reference));
  let advanced = 0;
  for (const carrier of carriers) {
    // a counter moved forward updates a carrier whose row did not change
    if ((await advanceTrackingCounter(trx, carrier)) && !written.has(carrier.reference)) advanced++;
  }
  const result = counts(carriers.length, rows);
  return { inserted: result.inserted, updated: result.updated + advanced, unchanged: result.unchanged - advanced };
}

/** The name of the sequence that numbers a carrier's parcels (quote it: references keep their case). */
export function trackingSequence(carrierReference: string): string {
  return `tracking_${carrierReference}`;
}

/** True if it moved the counter forward. */
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
        oc
          .columns(["account_id", "reference"])
          .doUpdateSet(fromExcluded([...SERVICE_COLUMNS]))
          .where(changed("carrier_services", SERVICE_COLUMNS)),
      )
      .returning(inserted)
      .execute(),
  );
  return counts(services.length, rows);
}

async function upsertServiceGroups(trx: Trx, catalogue: DatasetCatalogue): Promise<Counts> {
  const groups = catalogue.serviceGroups;
  const accountIds = await idsByReference(trx, "accounts", groups.map((g) => g.account));
  const rows = await inChunks(groups, (chunk) =>
    trx
      .insertInto("service_groups")
      .values(chunk.map((g) => ({ account_id: accountIds.get(g.account)!, reference: g.reference, name: g.name })))
      .onConflict((oc) => oc.columns(["account_id", "reference"]).doUpdateSet(fromExcluded(["name"])).where(changed("service_groups", ["name"])))
      .returning(["account_id", "reference", inserted])
      .execute(),
  );
  if (groups.length === 0) return counts(0, []);
  // every group of the file, written or unchanged, with the services it has now, in order
  const stored = await trx
    .selectFrom("service_groups as g")
    .leftJoin("service_group_members as m", "m.group_id", "g.id")
    .select(["g.id", "g.account_id", "g.reference", "m.service_id"])
    .where("g.account_id", "=", (eb) => eb.fn.any(eb.val([...accountIds.values()])))
    .where("g.reference", "=", (eb) => eb.fn.any(eb.val([...new Set(groups.map((g) => g.reference))])))
    .orderBy("g.id")
    .orderBy("m.position")
    .execute();
  const groupIds = new Map<string, number>();
  const members = new Map<number, number[]>();
  for (const row of stored) {
    groupIds.set(key(row.account_id, row.reference), row.id);
    if (!members.has(row.id)) members.set(row.id, []);
    if (row.service_id !== null) members.get(row.id)!.push(row.service_id);
  }
  const serviceIds = await serviceIdsOf(trx, [...accountIds.values()], groups.flatMap((g) => g.services));
  // a group whose services are the same, in the same order, keeps its member rows
  const rewritten = groups.flatMap((g) => {
    const accountId = accountIds.get(g.account)!;
    const groupId = groupIds.get(key(accountId, g.reference))!;
    const services = g.services.map((reference) => serviceIds.get(key(accountId, reference))!);
    const now = members.get(groupId) ?? [];
    return now.length === services.length && now.every((id, i) => id === services[i]) ? [] : [{ groupId, services, key: key(accountId, g.reference) }];
  });
  if (rewritten.length > 0) {
    const ids = rewritten.map((g) => g.groupId);
    await trx.deleteFrom("service_group_members").where("group_id", "=", (eb) => eb.fn.any(eb.val(ids))).execute();
  }
  const memberRows = rewritten.flatMap((g) => g.services.map((service_id, position) => ({ group_id: g.groupId, position, service_id })));
  await inChunks(memberRows, (chunk) => trx.insertInto("service_group_members").values(chunk).execute());
  // a group whose members alone changed is updated too
  const written = new Set(rows.map((r) => key(r.account_id, r.reference)));
  const membersOnly = rewritten.filter((g) => !written.has(g.key)).length;
  const result = counts(groups.length, rows);
  return { inserted: result.inserted, updated: result.updated + membersOnly, unchanged: result.unchanged - membersOnly };
}

/**
 * A temporary table that holds the file's shipments, in file order, by account reference: they stream
 * in before the accounts they name need be known, and are checked and copied in SQL, never held in Node.
 */
async function shipmentStage(trx: Trx): Promise<{ stage: (shipment: DatasetShipment) => Promise<void>; flush: () => Promise<number> }> {
  await sql`
    CREATE TEMPORARY TABLE import_shipments (
      ordinal integer PRIMARY KEY, account text NOT NULL, reference text NOT NULL, state text NOT NULL,
      shipment_type text NOT NULL, origin jsonb NOT NULL, destination jsonb NOT NULL, tags text[] NOT NULL, contents jsonb NOT NULL
    ) ON COMMIT DROP`.execute(trx);
  let pending: DatasetShipment[] = [];
  let staged = 0;
  const flush = async () => {
    if (pending.length === 0) return staged;
    const rows = pending.map((s, i) => ({
      ordinal: staged + i,
      account: s.account,
      reference: s.reference,
      state: s.state,
      shipment_type: s.shipmentType,
      origin: s.origin,
      destination: s.destination,
      tags: s.tags,
      contents: s.contents,
    }));
    // one JSON parameter per chunk: far less to build, send and collect than a parameter per column
    await sql`
      INSERT INTO import_shipments
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(ordinal integer, account text, reference text,
        state text, shipment_type text, origin jsonb, destination jsonb, tags text[], contents jsonb)`.execute(trx);
    staged += pending.length;
    pending = [];
    return staged;
  };
  const stage = async (shipment: DatasetShipment) => {
    pending.push(shipment);
    if (pending.length >= SHIPMENT_CHUNK) await flush();
  };
  return { stage, flush };
}

/** Staged shipments that repeat an earlier one, or name an account neither the file nor the store has. */
async function stagedShipmentProblems(trx: Trx, catalogue: DatasetCatalogue): Promise<{ path: string; message: string }[]> {
  const { rows: repeated } = await sql<{ ordinal: number; earlier: number }>`
    SELECT ordinal, earlier FROM (
      SELECT ordinal, min(ordinal) OVER (PARTITION BY account, reference) AS earlier FROM import_shipments) AS s
    WHERE ordinal <> earlier ORDER BY ordinal`.execute(trx);
  const { rows: unknown } = await sql<{ ordinal: number; account: string }>`
    SELECT ordinal, account FROM import_shipments AS s
    WHERE account <> ALL(${catalogue.accounts.map((a) => a.reference)}::text[])
      AND NOT EXISTS (SELECT 1 FROM accounts AS a WHERE a.reference = s.account)
    ORDER BY ordinal`.execute(trx);
  return [
    ...repeated.map((r) => ({ path: `$.shipments[${r.ordinal}].reference`, message: `duplicates $.shipments[${r.earlier}].reference` })),
    ...unknown.map((r) => ({ path: `$.shipments[${r.ordinal}].account`, message: `unknown account "${r.account}"` })),
  ];
}

async function insertStagedShipments(trx: Trx, staged: number, progress: ImportProgress): Promise<ImportSummary["shipments"]> {
  let created = 0;
  for (let from = 0; from < staged; from += COPY_CHUNK) {
    const { rows } = await sql<{ inserted: number }>`
      WITH inserted AS (
        INSERT INTO shipments (account_id, reference, state, shipment_type, origin, destination, tags, contents)
        SELECT a.id, s.reference, s.state, s.shipment_type, s.origin, s.destination, s.tags, s.contents
        FROM import_shipments AS s JOIN accounts AS a ON a.reference = s.account
        WHERE s.ordinal >= ${from} AND s.ordinal < ${from + COPY_CHUNK}
        ORDER BY s.ordinal
        -- an import never undoes what happened to a shipment since (an allocation, a cancellation)
        ON CONFLICT (account_id, reference) DO NOTHING
        RETURNING 1)
      SELECT count(*)::int AS inserted FROM inserted`.execute(trx);
    // counted, not returned: the rows of a large file are never held at once
    created += rows[0].inserted;
    progress("writing", Math.min(staged, from + COPY_CHUNK), staged);
  }
  return { inserted: created, skipped: staged - created };
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

/** Of `total` records upserted, the rows the upsert returned: inserted or updated; the rest matched and were left. */
function counts(total: number, rows: { inserted: boolean }[]): Counts {
  const created = rows.filter((r) => r.inserted).length;
  return { inserted: created, updated: rows.length - created, unchanged: total - rows.length };
}

/** ON CONFLICT ... DO UPDATE SET each column to the value the insert proposed. */
function fromExcluded<C extends string>(columns: C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as Record<C, RawBuilder<never>>;
}

/** ... WHERE the stored row differs from the proposed one in these columns: an identical row is not rewritten (nor returned). */
function changed(table: string, columns: readonly string[]): RawBuilder<boolean> {
  const stored = sql.join(columns.map((c) => sql.ref(`${table}.${c}`)));
  const proposed = sql.join(columns.map((c) => sql.ref(`excluded.${c}`)));
  return sql<boolean>`ROW(${stored}) IS DISTINCT FROM ROW(${proposed})`;
}

async function inChunks<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) results.push(...(await run(items.slice(i, i + CHUNK))));
  return results;
}

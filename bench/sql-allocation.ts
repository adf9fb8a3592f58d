// The minimal allocation in SQL, issued with pg: the work an allocation cannot avoid (the minimal
// ceiling, bench/ceiling.ts, and the HTTP floor, bench/http-floor.ts, both run it).
import { createHash } from "node:crypto";
import type pg from "pg";
import { ASYNC_COMMITS, FLUSH_COMMITS } from "../src/store/commit-flush";
import { DEMO_KEY, SERVICE_REF } from "./dataset";

export const API_KEY = `select "a"."id", "a"."reference", "a"."name" from "api_keys" as "k" inner join "accounts" as "a" on "a"."id" = "k"."account_id" where "k"."key_hash" = $1`;
export const SERVICE = `select "s".*, "c"."reference" as "carrier_reference", "c"."name" as "carrier_name" from "carrier_services" as "s" inner join "carriers" as "c" on "c"."id" = "s"."carrier_id" where "s"."account_id" = $1 and "s"."reference" = any($2)`;

const TAXES = JSON.stringify([
  { rate: { reference: SERVICE_REF, countryIsoCode: "GB", type: "Zero", value: "0" }, amount: "0.00" },
]);

const SHIPMENT_BY_REFERENCE = `select * from "shipments" where "account_id" = $1 and "reference" = $2`;
// a single statement is atomic: no claimed row, no insert and no nextval
const CLAIM_AND_INSERT = `with "claimed" as (update "shipments" set "state" = 'allocated' where "id" = $1 and "account_id" = $2 and "state" in ('unallocated', 'allocation_failed') returning "id") insert into "allocations" ("shipment_id", "carrier_service_id", "carrier_service_reference", "carrier_reference", "carrier_name", "service_name", "net", "gross", "currency", "taxes", "tracking_references") select "claimed"."id", $3::integer, $4::text, $5::text, $6::text, $7::text, $8::numeric, $9::numeric, $10::text, $11::jsonb, array[c.tracking_prefix || nextval(quote_ident(c.tracking_sequence)::regclass)::text || c.tracking_suffix] from "carriers" as "c", "claimed" where "c"."id" = $12 returning *`;

export interface Catalogue {
  accountId: number;
  service: { id: number; name: string; carrier_id: number; carrier_reference: string; carrier_name: string };
}

/** The API key's account and the carrier service, read once at start: what a cache holds. */
export async function readCatalogue(pool: pg.Pool): Promise<Catalogue> {
  const keyHash = createHash("sha256").update(DEMO_KEY, "utf8").digest("hex");
  const account = (await pool.query(API_KEY, [keyHash])).rows[0] as { id: number };
  const service = (await pool.query(SERVICE, [account.id, [SERVICE_REF]])).rows[0] as Catalogue["service"];
  return { accountId: account.id, service };
}

// the allocation's columns, in the order both inserts take them
export const allocationValues = (service: Catalogue["service"]) => [
  service.id,
  SERVICE_REF,
  service.carrier_reference,
  service.carrier_name,
  service.name,
  "2.00",
  "2.00",
  "GBP",
  TAXES,
  service.carrier_id,
];

const SHIPMENTS_BY_REFERENCE = `select * from "shipments" where "account_id" = $1 and "reference" = any($2)`;

/**
 * The work a batch cannot avoid: one read of its shipments, then one atomic statement per item, each its
 * own transaction, all sent on one connection without waiting for each other (pg's pipeline mode), as
 * named statements: the connection plans each once (the subgraph's PL/pgSQL function keeps its plans too).
 * As the subgraph's batch (Store.pipelined), the items' commits do not wait for the disk, and one flush
 * at the end does (the same statements).
 */
export async function allocateBatchMinimal(pool: pg.Pool, catalogue: Catalogue, references: string[]): Promise<void> {
  const { accountId, service } = catalogue;
  const client = await pool.connect();
  try {
    const read = { name: "batch-shipments", text: SHIPMENTS_BY_REFERENCE, values: [accountId, references] };
    const shipments = (await client.query(read)).rows as { id: number }[];
    if (shipments.length !== references.length) throw new Error(`${references.length - shipments.length} shipments of the batch not found`);
    const claim = (id: number) => ({ name: "batch-claim-and-insert", text: CLAIM_AND_INSERT, values: [id, accountId, ...allocationValues(service)] });
    await client.query(ASYNC_COMMITS);
    const inserted = await Promise.all(shipments.map((shipment) => client.query(claim(shipment.id))));
    await client.query(FLUSH_COMMITS);
    if (inserted.some((result) => result.rowCount !== 1)) throw new Error("A shipment of the batch was not allocatable");
  } finally {
    client.release();
  }
}

/** The allocation row it inserted. */
export async function allocateMinimal(pool: pg.Pool, catalogue: Catalogue, reference: string): Promise<Record<string, unknown>> {
  const { accountId, service } = catalogue;
  const shipment = (await pool.query(SHIPMENT_BY_REFERENCE, [accountId, reference])).rows[0] as { id: number } | undefined;
  if (!shipment) throw new Error(`No shipment ${reference}`);
  const inserted = await pool.query(CLAIM_AND_INSERT, [shipment.id, accountId, ...allocationValues(service)]);
  if (inserted.rowCount !== 1) throw new Error(`Shipment ${reference} was not allocatable`);
  return inserted.rows[0] as Record<string, unknown>;
}

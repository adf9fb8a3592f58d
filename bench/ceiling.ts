// The database's ceilings, issued directly with pg at the bench's concurrency, in a process of its own:
//   node dist/bench/ceiling.js   (DATABASE_URL, BENCH_CONNECTIONS; IPC: {run: refs, ceiling} → {result})
// - "minimal": the work an allocation cannot avoid, whatever our design: one read of the shipment, and
//   one atomic statement that claims it and inserts its allocation with a tracking number; the API key's
//   account and the carrier service are read once at start (what a cache would hold);
// - "statements": the eight statements one allocation ran before issue 12 (as StoreOptions.onQuery
//   logged them then: API key, shipment, carrier service and service group, begin, update, insert,
//   commit), copied here and so fixed: it does not follow later changes of src/store;
// - "batch": the minimal work of a 100-item allocateShipments (one read of its shipments, one atomic
//   statement per item, each its own transaction, pipelined on one connection), 10 batches at once.
import { createHash } from "node:crypto";
import pg from "pg";
import { BATCH_SIZE, DEMO_KEY, SERVICE_REF } from "./dataset";
import { allocateBatchMinimal, allocateMinimal, allocationValues, API_KEY, readCatalogue, SERVICE, type Catalogue } from "./sql-allocation";
import { percentile } from "./load";
import { DEFAULT_IDLE_CONNECTION_MS } from "../src/store/store";

const SHIPMENT = `select * from "shipments" where "account_id" = $1 and "reference" = any($2)`;
const GROUP = `select * from "service_groups" where "account_id" = $1 and "reference" = any($2)`;
const CLAIM = `update "shipments" set "state" = $1 where "id" = $2 and "account_id" = $3 and "state" in ($4, $5) returning "id"`;
// the shipment id is a literal in the application's statement too (sql.lit)
const insert = (shipmentId: number) =>
  `insert into "allocations" ("shipment_id", "carrier_service_id", "carrier_service_reference", "carrier_reference", "carrier_name", "service_name", "net", "gross", "currency", "taxes", "tracking_references") select ${shipmentId} as "shipment_id", $1::integer as "carrier_service_id", $2::text as "carrier_service_reference", $3::text as "carrier_reference", $4::text as "carrier_name", $5::text as "service_name", $6::numeric as "net", $7::numeric as "gross", $8::text as "currency", $9::jsonb as "taxes", array[c.tracking_prefix || nextval(quote_ident(c.tracking_sequence)::regclass)::text || c.tracking_suffix] as "tracking_references" from "carriers" as "c" where "c"."id" = $10 returning *`;

export type CeilingKind = "minimal" | "statements" | "batch";

async function allocateWithOurStatements(pool: pg.Pool, reference: string): Promise<void> {
  const keyHash = createHash("sha256").update(DEMO_KEY, "utf8").digest("hex");
  const account = (await pool.query(API_KEY, [keyHash])).rows[0] as { id: number };
  const shipment = (await pool.query(SHIPMENT, [account.id, [reference]])).rows[0] as { id: number } | undefined;
  if (!shipment) throw new Error(`No shipment ${reference}`);
  const [services] = await Promise.all([
    pool.query(SERVICE, [account.id, [SERVICE_REF]]),
    pool.query(GROUP, [account.id, [SERVICE_REF]]),
  ]);
  const service = services.rows[0] as Catalogue["service"];
  const client = await pool.connect();
  try {
    await client.query("begin");
    const claimed = await client.query(CLAIM, [
      "allocated",
      shipment.id,
      account.id,
      "unallocated",
      "allocation_failed",
    ]);
    if (!claimed.rowCount) throw new Error(`Shipment ${reference} was not allocatable`);
    await client.query(insert(shipment.id), allocationValues(service));
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Allocates every reference with `connections` workers, one allocation (or one batch of BATCH_SIZE) at a
 * time each; allocations/s, and latency per allocation (per batch), as the load generator reports them.
 */
async function run(pools: Pools, references: string[], connections: number, kind: CeilingKind) {
  const catalogue = await readCatalogue(pools.single);
  const size = kind === "batch" ? BATCH_SIZE : 1;
  const allocate: (slice: string[]) => Promise<unknown> =
    kind === "batch"
      ? (slice) => allocateBatchMinimal(pools.pipelined, catalogue, slice)
      : kind === "minimal"
        ? ([reference]) => allocateMinimal(pools.single, catalogue, reference)
        : ([reference]) => allocateWithOurStatements(pools.single, reference);
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < references.length) {
      const slice = references.slice(next, (next += size));
      const t0 = process.hrtime.bigint();
      await allocate(slice);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    rps: references.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    meanMs: latencies.reduce((s, v) => s + v, 0) / latencies.length,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    failures: 0,
    cpuMsPerRequest: (used.user + used.system) / 1000 / references.length,
  };
}

// the batch ceiling's pool pipelines as the subgraph's does; the others send one statement at a time per connection anyway
interface Pools {
  single: pg.Pool;
  pipelined: pg.Pool;
}

async function main() {
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  // connections kept between rounds, as the servers' pools keep theirs
  const settings = { connectionString: process.env.DATABASE_URL, max: connections, idleTimeoutMillis: DEFAULT_IDLE_CONNECTION_MS };
  const pools: Pools = { single: new pg.Pool(settings), pipelined: new pg.Pool({ ...settings, pipeline: true }) };
  process.on("message", (message: { run?: string[]; ceiling?: CeilingKind } | string) => {
    if (message === "exit") void Promise.all([pools.single.end(), pools.pipelined.end()]).finally(() => process.exit(0));
    else if (typeof message === "object" && message.run) {
      run(pools, message.run, connections, message.ceiling ?? "minimal").then(
        (result) => process.send?.({ result }),
        (error: unknown) => process.send?.({ result: { failures: 1, failureSample: String(error) } })
      );
    }
  });
  process.send?.({ ready: true });
}

void main();

// Where an allocation's time goes on each engine, in one process, without HTTP, one at a time:
//   npm run build && NODE_ENV=production node dist/bench/allocation-breakdown.js [--quick] [--engines postgres]
//     [--paths execute,apollo,batch] [--warm N] [--profile]
// Paths: graphql-js `execute` of the allocate mutation (the target's figure), the same mutation through
// Apollo Server's executeOperation with every plugin, and a 100-item allocateShipments through Apollo
// Server (figures per item).
// `npm run bench` runs it as a child process at its end (with IPC it sends its rows as {result}).
// A statement is "in flight" from its sending to its result (Kysely's queryDurationMillis): on
// PostgreSQL the server works in its own processes meanwhile; on PGlite the engine runs in this one,
// so "CPU ms of this process" includes the engine there and not on PostgreSQL.
import "reflect-metadata";
import { execute, parse } from "graphql";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig, type Config } from "../src/config/config";
import { createContext } from "../src/graphql/context";
import { importDataset } from "../src/store/import-dataset";
import { buildAllocationSchema } from "../src/graphql/schema";
import { migrate } from "../src/store/migrate";
import { openPgliteStore, openPostgresStore, type Store } from "../src/store/store";
import { BATCH_SIZE, benchDataset, benchReferences, DEMO_KEY, SERVICE_REF, type ShipmentPlan } from "./dataset";
import pino from "pino";
import { createApolloServer } from "../src/graphql/apollo";
import { createMetrics } from "../src/observability/metrics";
import { BATCH } from "./batch-labels";
import { ALLOCATE } from "./queries";
import { createBenchDatabase, DEFAULT_DATABASE_URL } from "./setup";
import { profileOf } from "./profile-summary";
import { statementShape } from "./sql-count";

const ROOT = path.resolve(__dirname, "..", "..");
const quick = process.argv.includes("--quick");
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return (at > 0 ? process.argv[at + 1] : fallback).split(",");
};
// V8 takes thousands of allocations to settle (optimised code, heap sizes): a path is timed once it has
// (docs/benchmarks-journal.md, "Steady state"); --warm N times it earlier
const [warm] = option("--warm", quick ? "100" : "5000");
const WARM = Number(warm);
if (!Number.isInteger(WARM) || WARM < 0) throw new Error(`--warm: a number of allocations, not ${warm}`);
// measured in ROUNDS equal parts: the CPU figure's spread
const ROUNDS = 5;
const MEASURED = quick ? 500 : 1000;
const PATHS_RUN = ["execute", "apollo", "batch"];
const PLAN: ShipmentPlan = PATHS_RUN.flatMap((name): ShipmentPlan => [[`${name}-warm`, WARM], [name, MEASURED]]);
// --profile: a CPU profile of the measured allocations alone (bench/results/), summarised after the table
const profile = process.argv.includes("--profile");
const ENGINES = option("--engines", "pglite,postgres");
const PATHS = option("--paths", "execute");

export interface BreakdownRow {
  engine: Store["kind"];
  path: string;
  allocations: number;
  msPerAllocation: number;
  /** CPU time of this process per allocation: the whole run, and each of its ROUNDS parts. */
  cpuMs: number;
  cpuMsRounds: number[];
  statements: number;
  inSqlMs: number;
  jsMs: number;
  msByShape: Record<string, number>;
}

// statements overlap (the lookups run in parallel): the wait is the union of their intervals;
// recorded as they come and read afterwards, so that the measuring costs the measured part little CPU
let statements: { sql: string; end: number; durationMs: number }[] = [];
const onQuery = (sql: string, durationMs: number) => void statements.push({ sql, end: performance.now(), durationMs });

function unionMs(spans: [number, number][]): number {
  let total = 0;
  let reach = -Infinity;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    total += Math.max(0, to - Math.max(from, reach));
    reach = Math.max(reach, to);
  }
  return total;
}

const profiles: string[] = [];

type Allocate = (refs: string[]) => Promise<void>;

// every allocation ALLOCATED with no detail, and no error (a walk of the result: no JSON.stringify in the measured part)
function check(result: { data?: Record<string, unknown> | null; errors?: unknown }, allocations: number): void {
  const answer = result.data ? Object.values(result.data)[0] : undefined;
  const items = (Array.isArray(answer) ? answer : [answer]) as ({ state?: string; details?: unknown[] } | null)[];
  const allocated = items.filter((item) => item?.state === "ALLOCATED" && item.details?.length === 0).length;
  if (result.errors || allocated !== allocations) throw new Error(JSON.stringify(result).slice(0, 2000));
}

async function allocators(store: Store, config: Config): Promise<Record<string, Allocate>> {
  const schema = await buildAllocationSchema();
  const document = parse(ALLOCATE);
  const apollo = await createApolloServer({ config, logger: pino({ level: "silent" }), metrics: createMetrics() });
  const context = () => createContext(store, config, { apiKey: DEMO_KEY, correlationId: undefined });
  const viaApollo = async (query: string, variables: Record<string, unknown>, allocations: number) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: context() });
    if (response.body.kind !== "single") throw new Error("an incremental answer");
    check(response.body.singleResult, allocations);
  };
  return {
    execute: async ([shipmentRef]) => {
      const contextValue = context();
      await contextValue.authenticate();
      check(await execute({ schema, document, variableValues: { shipmentRef, virtualServiceRef: SERVICE_REF }, contextValue }), 1);
    },
    apollo: ([shipmentRef]) => viaApollo(ALLOCATE, { shipmentRef, virtualServiceRef: SERVICE_REF }, 1),
    batch: (refs) => viaApollo(BATCH, { items: refs.map((shipmentRef) => ({ shipmentRef, virtualServiceRef: SERVICE_REF })) }, refs.length),
  };
}

const chunks = (refs: string[], size: number) => Array.from({ length: Math.ceil(refs.length / size) }, (_, i) => refs.slice(i * size, (i + 1) * size));

async function breakdown(store: Store, path: string, allocate: Allocate): Promise<BreakdownRow> {
  const size = path === "batch" ? BATCH_SIZE : 1;
  for (const refs of chunks(benchReferences(PLAN, `${path}-warm`), size)) await allocate(refs);
  statements = [];
  const start = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const measured = benchReferences(PLAN, path);
  const part = MEASURED / ROUNDS;
  const cpuMsRounds: number[] = [];
  const rounds = async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const roundBefore = process.cpuUsage();
      for (const refs of chunks(measured.slice(round * part, (round + 1) * part), size)) await allocate(refs);
      const cpu = process.cpuUsage(roundBefore);
      cpuMsRounds.push((cpu.user + cpu.system) / 1000 / part);
    }
  };
  if (profile) profiles.push(await profileOf(`allocation-${store.kind}-${path}`, rounds));
  else await rounds();
  const cpu = process.cpuUsage(cpuBefore);
  const msPerAllocation = Number(process.hrtime.bigint() - start) / 1e6 / MEASURED;
  const inSqlMs = unionMs(statements.map(({ end, durationMs }): [number, number] => [end - durationMs, end])) / MEASURED;
  const byShape = new Map<string, number>();
  for (const { sql, durationMs } of statements) {
    const shape = statementShape(sql);
    byShape.set(shape, (byShape.get(shape) ?? 0) + durationMs);
  }
  return {
    engine: store.kind,
    path,
    allocations: MEASURED,
    msPerAllocation,
    cpuMs: (cpu.user + cpu.system) / 1000 / MEASURED,
    cpuMsRounds,
    statements: statements.length / MEASURED,
    inSqlMs,
    jsMs: msPerAllocation - inSqlMs,
    msByShape: Object.fromEntries([...byShape].map(([shape, ms]) => [shape, ms / MEASURED])),
  };
}

async function paths(store: Store, config: Config): Promise<BreakdownRow[]> {
  const allocate = await allocators(store, config);
  const rows: BreakdownRow[] = [];
  for (const path of PATHS) rows.push(await breakdown(store, path, allocate[path]));
  return rows;
}

export function breakdownTable(rows: BreakdownRow[]): string[] {
  const ms = (value: number) => value.toFixed(2);
  return [
    "| engine, path | ms per allocation | CPU ms of this process (min–max over parts) | statements | ms with a statement in flight | ms in JavaScript alone | ms per statement shape |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...rows.map(
      (r) =>
        `| ${r.engine}, ${r.path === "batch" ? `batch of ${BATCH_SIZE} (per item)` : r.path} | ${ms(r.msPerAllocation)} | ${ms(r.cpuMs)} (${ms(Math.min(...r.cpuMsRounds))}–${ms(Math.max(...r.cpuMsRounds))}) | ${r.statements.toFixed(1)} | ${ms(r.inSqlMs)} | ${ms(r.jsMs)} | ` +
        `${Object.entries(r.msByShape).map(([shape, value]) => `${shape} ${ms(value)}`).join(", ")} |`,
    ),
  ];
}

async function main() {
  const rows: BreakdownRow[] = [];
  // CATALOGUE_CACHE=off: the figures without the caches (before/after)
  const cache = loadConfig().catalogueCache;
  if (ENGINES.includes("pglite")) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "alloc-bench-pglite-"));
    const pglite = await openPgliteStore({ dataDir }, { onQuery, cache });
    try {
      await migrate(pglite);
      await importDataset(pglite, benchDataset(ROOT, PLAN).dataset);
      rows.push(...(await paths(pglite, loadConfig({ DATA_DIR: dataDir, NODE_ENV: "production" }))));
    } finally {
      await pglite.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (ENGINES.includes("postgres")) {
    const database = await createBenchDatabase(ROOT, process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL, PLAN);
    const postgres = openPostgresStore(database.url, { onQuery, cache });
    try {
      rows.push(...(await paths(postgres, loadConfig({ DATABASE_URL: database.url, NODE_ENV: "production" }))));
    } finally {
      await postgres.close();
      await database.drop();
    }
  }
  const send = process.send?.bind(process);
  if (send) await new Promise((resolve) => send({ result: rows }, undefined, undefined, resolve));
  else [...breakdownTable(rows), ...profiles].forEach((line) => console.log(line));
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

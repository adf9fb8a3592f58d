// Where an allocation's time goes on each engine, in one process, without HTTP, one request at a time:
//   npm run build && NODE_ENV=production node dist/bench/allocation-breakdown.js [postgres|pglite] [execute|apollo|batch] [--profile]
// (no engine or path named: all of them; --profile: a CPU profile of each measured loop, summarised,
// in bench/results/allocation-*.cpuprofile; the profiler's own cost is then in the figures)
// Three paths per engine: graphql-js `execute` of the allocate mutation on the schema (no Apollo
// Server), the same mutation through Apollo Server's executeOperation with every plugin of the
// server (limits, auth, logging, errors, deadlines), and a 100-item allocateShipments batch through
// Apollo Server (figures per item). A statement is "in flight" from its sending to its result
// (Kysely's queryDurationMillis): on PostgreSQL the server works in its own processes meanwhile; on
// PGlite the engine runs in this one, so "CPU ms of this process" includes the engine there and not
// on PostgreSQL.
import "reflect-metadata";
import { execute, parse } from "graphql";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { loadConfig, type Config } from "../src/config/config";
import { createApolloServer } from "../src/graphql/apollo";
import { createContext } from "../src/graphql/context";
import { createMetrics } from "../src/observability/metrics";
import { importDataset } from "../src/store/import-dataset";
import { buildAllocationSchema } from "../src/graphql/schema";
import { migrate } from "../src/store/migrate";
import { openPgliteStore, openPostgresStore, type Store } from "../src/store/store";
import { BATCH, BATCH_SIZE } from "./batch-labels";
import { benchDataset, benchReferences, DEMO_KEY, SERVICE_REF, type ShipmentPlan } from "./dataset";
import { ALLOCATE } from "./queries";
import { summariseProfile } from "./profile-summary";
import { createBenchDatabase, DEFAULT_DATABASE_URL } from "./setup";
import { statementShape } from "./sql-count";

const ROOT = path.resolve(__dirname, "..", "..");
const WARM = 200;
const MEASURED = 1000;
const PATHS = ["execute", "apollo", "batch"] as const;
type Path = (typeof PATHS)[number];
const PLAN: ShipmentPlan = PATHS.flatMap((name) => [[`${name}-warm`, WARM], [name, MEASURED]] as ShipmentPlan);

// statements overlap (the lookups run in parallel): the wait is the union of their intervals; the
// shape of each statement is worked out after the timed loop, so that it costs the loop nothing
let intervals: [number, number][] = [];
let statements: [string, number][] = [];
const onQuery = (sql: string, durationMs: number) => {
  const end = performance.now();
  intervals.push([end - durationMs, end]);
  statements.push([sql, durationMs]);
};

function unionMs(spans: [number, number][]): number {
  let total = 0;
  let reach = -Infinity;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    total += Math.max(0, to - Math.max(from, reach));
    reach = Math.max(reach, to);
  }
  return total;
}

type Allocate = (refs: string[]) => Promise<void>;

function check(result: unknown, allocations: number): void {
  const text = JSON.stringify(result);
  if (text.includes('"errors"') || text.split('"ALLOCATED"').length - 1 !== allocations) throw new Error(text.slice(0, 2000));
}

async function allocators(store: Store, config: Config): Promise<Record<Path, Allocate>> {
  const schema = await buildAllocationSchema();
  const document = parse(ALLOCATE);
  const logger = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
  const apollo = await createApolloServer({ config, logger, metrics: createMetrics() });
  const context = () => createContext(store, config, { apiKey: DEMO_KEY, correlationId: undefined });
  const viaApollo = async (query: string, variables: Record<string, unknown>, allocations: number) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: context() });
    check(response.body.kind === "single" ? response.body.singleResult : response.body, allocations);
  };
  return {
    execute: async ([shipmentRef]) => {
      const contextValue = context();
      await contextValue.authenticate();
      const variableValues = { shipmentRef, virtualServiceRef: SERVICE_REF };
      check(await execute({ schema, document, variableValues, contextValue }), 1);
    },
    apollo: ([shipmentRef]) => viaApollo(ALLOCATE, { shipmentRef, virtualServiceRef: SERVICE_REF }, 1),
    batch: (refs) => viaApollo(BATCH, { items: refs.map((shipmentRef) => ({ shipmentRef, virtualServiceRef: SERVICE_REF })) }, refs.length),
  };
}

function chunks(refs: string[], size: number): string[][] {
  return Array.from({ length: Math.ceil(refs.length / size) }, (_, i) => refs.slice(i * size, (i + 1) * size));
}

const args = process.argv.slice(2);
const named = <T extends string>(all: readonly T[]) => {
  const chosen = all.filter((each) => args.includes(each));
  return chosen.length ? chosen : all;
};
const PROFILE = args.includes("--profile");

async function profiled(label: string, loop: () => Promise<void>): Promise<void> {
  if (!PROFILE) return loop();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  await loop();
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  const file = path.join(ROOT, "bench", "results", `allocation-${label}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`\n${label}: ${summariseProfile(file, 30)}`);
}

async function breakdown(engine: string, store: Store, config: Config): Promise<string[]> {
  const rows: string[] = [];
  const paths = await allocators(store, config);
  for (const name of named(PATHS)) {
    const size = name === "batch" ? BATCH_SIZE : 1;
    for (const refs of chunks(benchReferences(PLAN, `${name}-warm`), size)) await paths[name](refs);
    intervals = [];
    statements = [];
    const start = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    await profiled(`${engine}-${name}`, async () => {
      for (const refs of chunks(benchReferences(PLAN, name), size)) await paths[name](refs);
    });
    const cpu = process.cpuUsage(cpuBefore);
    const totalMs = Number(process.hrtime.bigint() - start) / 1e6 / MEASURED;
    const cpuMs = (cpu.user + cpu.system) / 1000 / MEASURED;
    const inSql = unionMs(intervals) / MEASURED;
    const byShape = new Map<string, number>();
    for (const [sql, ms] of statements) byShape.set(statementShape(sql), (byShape.get(statementShape(sql)) ?? 0) + ms);
    const shapes = [...byShape].map(([shape, ms]) => `${shape} ${(ms / MEASURED).toFixed(2)}`).join(", ");
    const label = `${engine}, ${name === "batch" ? `batch of ${BATCH_SIZE} (per item)` : name}`;
    rows.push(
      `| ${label} | ${totalMs.toFixed(2)} | ${cpuMs.toFixed(2)} | ${(statements.length / MEASURED).toFixed(2)} | ${inSql.toFixed(2)} | ${(totalMs - inSql).toFixed(2)} | ${shapes} |`,
    );
  }
  return rows;
}

async function main() {
  const engines = named(["pglite", "postgres"] as const);
  const runs = (engine: "pglite" | "postgres") => engines.includes(engine);
  const rows: string[] = [];
  if (runs("pglite")) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "alloc-bench-pglite-"));
    const pglite = await openPgliteStore({ dataDir }, { onQuery });
    try {
      await migrate(pglite);
      await importDataset(pglite, benchDataset(ROOT, PLAN).dataset);
      rows.push(...(await breakdown("pglite", pglite, loadConfig({ DATA_DIR: dataDir, NODE_ENV: "production" }))));
    } finally {
      await pglite.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (runs("postgres")) {
    const database = await createBenchDatabase(ROOT, process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL, PLAN);
    const postgres = openPostgresStore(database.url, { onQuery });
    try {
      rows.push(...(await breakdown("postgres", postgres, loadConfig({ DATABASE_URL: database.url, NODE_ENV: "production" }))));
    } finally {
      await postgres.close();
      await database.drop();
    }
  }
  console.log("| engine, path | ms per allocation | CPU ms of this process | statements | ms with a statement in flight | ms in JavaScript alone | ms per statement shape |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  rows.forEach((row) => console.log(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Where an allocation's time goes on each engine, in one process, without HTTP, one at a time:
//   npm run build && NODE_ENV=production node dist/bench/allocation-breakdown.js
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
import { benchDataset, benchReferences, DEMO_KEY, SERVICE_REF, type ShipmentPlan } from "./dataset";
import { ALLOCATE } from "./queries";
import { createBenchDatabase, DEFAULT_DATABASE_URL } from "./setup";
import { statementShape } from "./sql-count";

const ROOT = path.resolve(__dirname, "..", "..");
const WARM = 200;
const MEASURED = 1000;
const PLAN: ShipmentPlan = [["warm", WARM], ["measured", MEASURED]];

// statements overlap (the lookups run in parallel): the wait is the union of their intervals
let intervals: [number, number][] = [];
const byShape = new Map<string, number>();
const onQuery = (sql: string, durationMs: number) => {
  const end = performance.now();
  intervals.push([end - durationMs, end]);
  const shape = statementShape(sql);
  byShape.set(shape, (byShape.get(shape) ?? 0) + durationMs);
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

async function breakdown(name: string, store: Store, config: Config): Promise<string> {
  const schema = await buildAllocationSchema();
  const document = parse(ALLOCATE);
  const allocate = async (shipmentRef: string) => {
    const contextValue = createContext(store, config, { apiKey: DEMO_KEY, correlationId: undefined });
    await contextValue.authenticate();
    const variableValues = { shipmentRef, virtualServiceRef: SERVICE_REF };
    const result = await execute({ schema, document, variableValues, contextValue });
    if (result.errors || !JSON.stringify(result.data).includes('"ALLOCATED"')) throw new Error(JSON.stringify(result));
  };
  for (const ref of benchReferences(PLAN, "warm")) await allocate(ref);
  intervals = [];
  byShape.clear();
  const start = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  for (const ref of benchReferences(PLAN, "measured")) await allocate(ref);
  const cpu = process.cpuUsage(cpuBefore);
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6 / MEASURED;
  const cpuMs = (cpu.user + cpu.system) / 1000 / MEASURED;
  const inSql = unionMs(intervals) / MEASURED;
  const shapes = [...byShape].map(([shape, ms]) => `${shape} ${(ms / MEASURED).toFixed(2)}`).join(", ");
  return `| ${name} | ${totalMs.toFixed(2)} | ${cpuMs.toFixed(2)} | ${(intervals.length / MEASURED).toFixed(1)} | ${inSql.toFixed(2)} | ${(totalMs - inSql).toFixed(2)} | ${shapes} |`;
}

async function main() {
  const rows: string[] = [];
  // CATALOGUE_CACHE=off: the figures without the caches (before/after)
  const cache = loadConfig().catalogueCache;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "alloc-bench-pglite-"));
  const pglite = await openPgliteStore({ dataDir }, { onQuery, cache });
  try {
    await migrate(pglite);
    await importDataset(pglite, benchDataset(ROOT, PLAN).dataset);
    rows.push(await breakdown("pglite", pglite, loadConfig({ DATA_DIR: dataDir, NODE_ENV: "production" })));
  } finally {
    await pglite.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const database = await createBenchDatabase(ROOT, process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL, PLAN);
  const postgres = openPostgresStore(database.url, { onQuery, cache });
  try {
    rows.push(await breakdown("postgres", postgres, loadConfig({ DATABASE_URL: database.url, NODE_ENV: "production" })));
  } finally {
    await postgres.close();
    await database.drop();
  }
  console.log("| engine | ms per allocation | CPU ms of this process | statements | ms with a statement in flight | ms in JavaScript alone | ms per statement shape |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  rows.forEach((row) => console.log(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

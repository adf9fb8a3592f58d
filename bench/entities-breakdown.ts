// Where the time per extra `_entities` representation goes, in one process, without HTTP:
//   npm run build && NODE_ENV=production node dist/bench/entities-breakdown.js [--profile]
// (1) the loaders alone: the same batched SQL, row parsing and result objects the resolvers build;
// (2) graphql-js `execute` of the bench's ENTITIES query on the same schema and context.
// Each as (t1000 − t1) / 999 on the mean of many requests, with V8's garbage-collection pauses.
// --profile: a CPU profile of (2) with 1,000 entities, summarised like the bench's (bench/results/).
import "reflect-metadata";
import { parse, execute, type DocumentNode } from "graphql";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { links } from "../src/allocation/allocation.answers";
import { Allocation } from "../src/allocation/allocation.type";
import { loadConfig } from "../src/config/config";
import { createContext, type Context } from "../src/graphql/context";
import { buildAllocationSchema } from "../src/graphql/schema";
import { Shipment } from "../src/shipment/shipment.type";
import { openPostgresStore } from "../src/store/store";
import { benchReferences, DEMO_KEY, SERVICE_REF, type ShipmentPlan } from "./dataset";
import { summariseProfile } from "./profile-summary";
import { ALLOCATE, ENTITIES } from "./queries";
import { analyze, createBenchDatabase, DEFAULT_DATABASE_URL } from "./setup";

const ROOT = path.resolve(__dirname, "..", "..");
const PLAN: ShipmentPlan = [["entities", 1000]];

let gcMs = 0;
new PerformanceObserver((list) => list.getEntries().forEach((entry) => (gcMs += entry.duration))).observe({ entryTypes: ["gc"] });

/** Mean ms per call and GC ms per call over `iterations` calls, after a warm-up. */
async function measure(call: () => Promise<unknown>, iterations: number): Promise<{ ms: number; gc: number }> {
  for (let i = 0; i < 5; i++) await call();
  const gcBefore = gcMs;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await call();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / iterations;
  return { ms, gc: (gcMs - gcBefore) / iterations };
}

async function profileOf(call: () => Promise<unknown>, iterations: number): Promise<string> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  for (let i = 0; i < iterations; i++) await call();
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  const file = path.join(ROOT, "bench", "results", `entities-execute-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return summariseProfile(file, 15);
}

async function main() {
  const database = await createBenchDatabase(ROOT, process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL, PLAN);
  const store = openPostgresStore(database.url);
  try {
    const config = loadConfig({ DATABASE_URL: database.url, NODE_ENV: "production" });
    const schema = await buildAllocationSchema();
    const refs = benchReferences(PLAN, "entities");
    const context = async (): Promise<Context> => {
      const ctx = createContext(store, config, { apiKey: DEMO_KEY, correlationId: undefined });
      await ctx.authenticate();
      return ctx;
    };
    const run = async (document: DocumentNode, variableValues: Record<string, unknown>) => {
      const result = await execute({ schema, document, variableValues, contextValue: await context() });
      if (result.errors) throw result.errors[0];
      return result;
    };

    const allocate = parse(ALLOCATE);
    for (const shipmentRef of refs) await run(allocate, { shipmentRef, virtualServiceRef: SERVICE_REF });
    await analyze(database.url);

    const entities = parse(ENTITIES);
    const viaGraphql = (n: number) => () =>
      run(entities, { representations: refs.slice(0, n).map((reference) => ({ __typename: "Shipment", reference })) });
    // what the resolvers of the ENTITIES query load and build, with no GraphQL execution around it
    const viaLoaders = (n: number) => async () => {
      const ctx = await context();
      const shipments = await Promise.all(refs.slice(0, n).map((ref) => ctx.loaders.shipmentByRef.load(ref)));
      const records = await Promise.all(shipments.map((s) => ctx.loaders.allocationByShipment.load(s!.id)));
      const allocations = shipments.map((s, i) => {
        const shipment = Shipment.from(s!);
        return Allocation.from(records[i]!, shipment.reference, links(ctx.config.publicBaseUrl, shipment.reference, true));
      });
      return Promise.all(allocations.map((a) => ctx.loaders.carrierServiceByRef.load(a.carrierServiceReference)));
    };

    console.log("| path | t1 ms | t1000 ms | µs per extra entity | GC ms per 1000-entity request |");
    console.log("|---|---:|---:|---:|---:|");
    for (const [name, path] of [["loaders only", viaLoaders], ["graphql-js execute", viaGraphql]] as const) {
      const one = await measure(path(1), 200);
      const thousand = await measure(path(1000), 40);
      const perEntity = ((thousand.ms - one.ms) / 999) * 1000;
      console.log(`| ${name} | ${one.ms.toFixed(2)} | ${thousand.ms.toFixed(1)} | ${perEntity.toFixed(1)} | ${thousand.gc.toFixed(1)} |`);
    }
    if (process.argv.includes("--profile")) console.log(`\n${await profileOf(viaGraphql(1000), 60)}`);
  } finally {
    await store.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

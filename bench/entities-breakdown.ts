// Where the time per extra `_entities` representation goes, in one process, without HTTP:
//   npm run build && NODE_ENV=production node dist/bench/entities-breakdown.js [--profile]
// (1) the loaders alone: the same batched SQL, row parsing and result objects the resolvers build;
// (2) graphql-js `execute` of the bench's ENTITIES query on the same schema and context: what the
//     baseline (bench/baseline.ts) runs;
// (3) the subgraph's own Apollo Server (createApolloServer, every plugin), `executeHTTPGraphQLRequest`
//     (what the express integration calls, its JSON text included): the compiled `_entities` executor
//     (src/graphql/entities.executor.ts);
// (4) the same with an ftv1 trace asked for (FEDERATION_TRACES=true): graphql-js, every field timed.
// Each answer is turned into its JSON text, as the HTTP answer would be (Apollo's own for (3) and (4)). Per path, (t1000 − t1) / 999
// on the mean of many requests, wall clock and the process's CPU time; the paths take turns over
// ROUNDS rounds (default 5) and the table gives the median (min–max). CPU is the figure to read on a
// loaded machine: the wall clock also waits for PostgreSQL and for other processes.
// --profile: a CPU profile of (3) with 1,000 entities, summarised like the bench's (bench/results/).
import "reflect-metadata";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import { parse, execute, type DocumentNode } from "graphql";
import path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import pino from "pino";
import { links } from "../src/allocation/allocation.answers";
import { Allocation } from "../src/allocation/allocation.type";
import { loadConfig } from "../src/config/config";
import { createApolloServer } from "../src/graphql/apollo";
import { createContext, type Context } from "../src/graphql/context";
import { buildAllocationSchema } from "../src/graphql/schema";
import { createMetrics } from "../src/observability/metrics";
import { Shipment } from "../src/shipment/shipment.type";
import { openPostgresStore } from "../src/store/store";
import { benchReferences, DEMO_KEY, SERVICE_REF, type ShipmentPlan } from "./dataset";
import { profileOf } from "./profile-summary";
import { ALLOCATE, ENTITIES } from "./queries";
import { analyze, createBenchDatabase, DEFAULT_DATABASE_URL } from "./setup";

const ROOT = path.resolve(__dirname, "..", "..");
const PLAN: ShipmentPlan = [["entities", 1000]];
const ROUNDS = Number(process.env.ROUNDS ?? 5);

let gcMs = 0;
new PerformanceObserver((list) => list.getEntries().forEach((entry) => (gcMs += entry.duration))).observe({ entryTypes: ["gc"] });

interface Sample {
  ms: number;
  cpuMs: number;
  gc: number;
}

/** Mean wall ms, CPU ms and GC ms per call over `iterations` calls, after a warm-up. */
async function measure(call: () => Promise<unknown>, iterations: number): Promise<Sample> {
  for (let i = 0; i < 3; i++) await call();
  const gcBefore = gcMs;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await call();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / iterations;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 / iterations, gc: (gcMs - gcBefore) / iterations };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs: number[]) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

async function main() {
  const database = await createBenchDatabase(ROOT, process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL, PLAN);
  const store = openPostgresStore(database.url);
  const servers: ApolloServer<Context>[] = [];
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
      return JSON.stringify(result);
    };

    const allocate = parse(ALLOCATE);
    for (const shipmentRef of refs) await run(allocate, { shipmentRef, virtualServiceRef: SERVICE_REF });
    await analyze(database.url);

    const representations = (n: number) => ({ representations: refs.slice(0, n).map((reference) => ({ __typename: "Shipment", reference })) });
    const entities = parse(ENTITIES);
    const viaGraphql = (n: number) => () => run(entities, representations(n));
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
    // the request log goes nowhere: one line per request, not per entity
    const apollo = async (federationTraces: boolean) => {
      const server = await createApolloServer({ config: { ...config, federationTraces }, logger: pino({ level: "silent" }), metrics: createMetrics() });
      servers.push(server);
      const headers = new HeaderMap([["content-type", "application/json"], ...(federationTraces ? [["apollo-federation-include-trace", "ftv1"] as [string, string]] : [])]);
      // Apollo's HTTP entry point: the answer as the HTTP server writes it (its own stringifyResult)
      return (n: number) => async () => {
        const contextValue = createContext(store, config, { apiKey: DEMO_KEY, correlationId: undefined });
        const httpGraphQLRequest = { method: "POST", headers, search: "", body: { query: ENTITIES, variables: representations(n) } };
        const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => Promise.resolve(contextValue) });
        if ((response.status ?? 200) !== 200 || response.body.kind !== "complete" || !response.body.string.startsWith('{"data"')) {
          throw new Error("The _entities request failed");
        }
        return response.body.string;
      };
    };
    const viaSubgraph = await apollo(false);

    const paths = [
      ["loaders only", viaLoaders],
      ["graphql-js execute (the baseline's)", viaGraphql],
      ["subgraph: Apollo Server, compiled `_entities`", viaSubgraph],
      ["subgraph, ftv1 trace asked for (graphql-js)", await apollo(true)],
    ] as const;
    const samples = new Map(paths.map(([name]) => [name, { wall: [] as number[], cpu: [] as number[], gc: [] as number[] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, path] of round % 2 ? [...paths].reverse() : paths) {
        const one = await measure(path(1), 60);
        const thousand = await measure(path(1000), 12);
        const sample = samples.get(name)!;
        sample.wall.push(((thousand.ms - one.ms) / 999) * 1000);
        sample.cpu.push(((thousand.cpuMs - one.cpuMs) / 999) * 1000);
        sample.gc.push(thousand.gc);
      }
    }
    const baseline = median(samples.get("graphql-js execute (the baseline's)")!.cpu);
    console.log(`${ROUNDS} rounds; median (min–max) over rounds`);
    console.log("| path | µs per extra entity, wall | µs per extra entity, CPU | CPU vs graphql-js | GC ms per 1000-entity request |");
    console.log("|---|---:|---:|---:|---:|");
    for (const [name, sample] of samples) {
      console.log(`| ${name} | ${spread(sample.wall)} | ${spread(sample.cpu)} | ${(median(sample.cpu) / baseline).toFixed(2)} | ${median(sample.gc).toFixed(1)} |`);
    }
    if (process.argv.includes("--profile")) console.log(`\n${await profileOf("entities-execute", async () => {
      const call = viaSubgraph(1000);
      for (let i = 0; i < 60; i++) await call();
    })}`);
  } finally {
    for (const server of servers) await server.stop();
    await store.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// npm run bench [-- --quick] [-- --profile]: the subgraph against a bare graphql-js baseline and the
// database's own ceiling. See BENCHMARKS.md for what is measured and the targets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { batchLabelTargets, batchVsSingles, labelsVsCarrierService, printBatchLabels, renderingTimes, type BatchLabelResults } from "./batch-labels";
import { Child, pinSelf, pinningAvailable } from "./child";
import { benchReferences, SERVICE_REF, type ShipmentPlan } from "./dataset";
import { drive, alternate, CONNECTIONS, type Contender, type Workload } from "./scenarios";
import type { LoadResult } from "./load";
import { summariseProfile } from "./profile-summary";
import { ALLOCATE, allocated, body, CARRIER_SERVICE, ENTITIES, noErrors } from "./queries";
import { evaluate, printTable, type ScenarioResult } from "./report";
import { analyze, createBenchDatabase, DEFAULT_DATABASE_URL, writeDatasetFile } from "./setup";

const ROOT = path.resolve(__dirname, "..", "..");
const quick = process.argv.includes("--quick");
const profileEntities = process.argv.includes("--profile-entities");
const profile = profileEntities || process.argv.includes("--profile");
// only issue 11's scenarios (f, g, h), on PostgreSQL: a quick look without the rest of the run
const batchLabelsOnly = process.argv.includes("--batch-labels");
const S = quick
  ? { rounds: 2, allocations: 600, pgliteAllocations: 100, seconds: 1, warm: 100, batchAllocations: 2000, renderLabels: 200 }
  : { rounds: 3, allocations: 6000, pgliteAllocations: 2000, seconds: 10, warm: 1500, batchAllocations: 6000, renderLabels: 1000 };
const SERVER_CORE = 0;
const LOAD_CORE = 1;

const t0 = Date.now();
const log = (line: string) => console.log(line && !line.startsWith("|") ? `[${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}` : line);
const allocateBody = (shipmentRef: string) => body(ALLOCATE, { shipmentRef, virtualServiceRef: SERVICE_REF });

// one list per (round, contender) so that every request allocates a different unallocated shipment
function pgPlan(): ShipmentPlan {
  const plan: ShipmentPlan = [["entities", 1000], ["warm-baseline", S.warm], ["profile", profile ? 4 * S.allocations : 0]];
  for (let r = 0; r < S.rounds; r++) plan.push([`subgraph-${r}`, S.allocations], [`baseline-${r}`, S.allocations], [`ceiling-${r}`, S.allocations]);
  for (let r = 0; r < S.rounds; r++) plan.push([`batch-${r}`, S.batchAllocations], [`singles-${r}`, S.batchAllocations]);
  return plan;
}

function pglitePlan(): ShipmentPlan {
  const plan: ShipmentPlan = [["warm", S.warm]];
  for (let r = 0; r < S.rounds; r++) plan.push([`round-${r}`, S.pgliteAllocations]);
  return plan;
}

async function startPair(env: NodeJS.ProcessEnv): Promise<[Contender, Contender]> {
  const subgraph = await Child.start("subgraph", "server-child", ["subgraph"], env, { core: SERVER_CORE });
  const baseline = await Child.start("baseline", "server-child", ["baseline"], env, { core: SERVER_CORE });
  return [{ name: "subgraph", child: subgraph }, { name: "baseline", child: baseline }];
}

function entityBody(refs: string[], count: number): string {
  return body(ENTITIES, { representations: refs.slice(0, count).map((reference) => ({ __typename: "Shipment", reference })) });
}

async function warm(contender: Contender, workload: Workload): Promise<void> {
  const { result } = await drive(contender, workload, 0);
  if (result.failures) throw new Error(`Warm-up of ${contender.name} failed: ${result.failureSample}`);
}

async function main() {
  pinSelf(LOAD_CORE);
  const started = new Date();
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL;
  const results: ScenarioResult[] = [];
  let batchLabels: BatchLabelResults | undefined;
  // before any load: what the process and (on PGlite) the embedded database take at rest
  const idleRss: Record<string, number> = {};
  const children: Child[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), "alloc-bench-"));
  log(`bench ${quick ? "--quick" : "full"}: ${S.rounds} rounds, ${CONNECTIONS} connections, pinning ${pinningAvailable ? "on" : "unavailable"}`);

  // the PGlite servers load their data while PostgreSQL's database is created; they idle until their turn
  const pglite = pglitePlan();
  const datasetFile = path.join(tmp, "dataset.json");
  writeDatasetFile(ROOT, pglite, datasetFile);
  const pgliteEnv = (name: string) => ({ ...process.env, DATABASE_URL: "", DATA_DIR: path.join(tmp, name), BENCH_DATASET: datasetFile, NODE_ENV: "production" });
  const pgliteChildren = profile || batchLabelsOnly
    ? undefined
    : Promise.all([
        Child.start("subgraph", "server-child", ["subgraph"], pgliteEnv("subgraph"), { core: SERVER_CORE }),
        Child.start("baseline", "server-child", ["baseline"], pgliteEnv("baseline"), { core: SERVER_CORE }),
      ]);
  // a failed start is reported where it is awaited, not as an unhandled rejection
  pgliteChildren?.catch(() => undefined);
  const plan = pgPlan();
  const database = await createBenchDatabase(ROOT, serverUrl, plan);
  const refs = (label: string) => benchReferences(plan, label);
  try {
    const pgEnv = { ...process.env, DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(CONNECTIONS), NODE_ENV: "production" };
    if (profile) return await runProfile(pgEnv, refs(profileEntities ? "entities" : "profile"));
    if (batchLabelsOnly) return await runBatchLabelsOnly(pgEnv, refs, started);

    // they share the servers' core: loading must be over before anything there is timed
    const [pgliteSubgraphChild, pgliteBaselineChild] = await pgliteChildren!;
    log("PGlite servers loaded");
    const [subgraph, baseline] = await startPair(pgEnv);
    children.push(subgraph.child, baseline.child);
    idleRss["postgres subgraph"] = subgraph.child.rss() / 2 ** 20;
    idleRss["postgres baseline"] = baseline.child.rss() / 2 ** 20;
    const fixed = (list: (round: number, name: string) => string[], check = allocated): Workload => ({
      connections: CONNECTIONS,
      bodies: (round, name) => list(round, name).map(allocateBody),
      check,
    });
    log("warm-up: allocating the _entities shipments through the subgraph");
    await warm(subgraph, fixed(() => refs("entities")));
    await warm(baseline, fixed(() => refs("warm-baseline")));
    await analyze(database.url);

    const ceiling = await Child.start("ceiling", "ceiling", [], { ...pgEnv, BENCH_CONNECTIONS: String(CONNECTIONS) }, { core: SERVER_CORE });
    children.push(ceiling);
    log("(a) allocate on PostgreSQL");
    const allocPg = await alternate(
      subgraph,
      baseline,
      fixed((round, name) => refs(`${name}-${round}`)),
      S.rounds,
      (round) => ceiling.ask<LoadResult>({ run: refs(`ceiling-${round}`) }, "result"),
      log,
    );
    results.push({ scenario: "allocate", store: "postgres", kind: "throughput", rounds: allocPg });

    const entities = refs("entities");
    for (const count of [1, 100, 1000]) {
      log(`(b) _entities × ${count}`);
      const workload: Workload = {
        connections: 1,
        bodies: () => ({ body: entityBody(entities, count), seconds: S.seconds }),
        check: noErrors('"state":"ALLOCATED"'),
      };
      await warm(subgraph, { ...workload, bodies: () => ({ body: entityBody(entities, count), seconds: 1 }) });
      await warm(baseline, { ...workload, bodies: () => ({ body: entityBody(entities, count), seconds: 1 }) });
      results.push({ scenario: `_entities ×${count}`, store: "postgres", kind: "latency", entities: count, rounds: await alternate(subgraph, baseline, workload, S.rounds, undefined, log) });
    }

    log("(c) carrierService query");
    const carrierService: Workload = {
      connections: CONNECTIONS,
      bodies: () => ({ body: body(CARRIER_SERVICE, { reference: SERVICE_REF }), seconds: S.seconds }),
      check: noErrors(`"reference":"${SERVICE_REF}"`),
    };
    results.push({ scenario: "carrierService", store: "postgres", kind: "throughput", rounds: await alternate(subgraph, baseline, carrierService, S.rounds, undefined, log) });

    batchLabels = await batchAndLabels(subgraph.child, refs);

    log("(d) carrierService through @apollo/gateway (information only)");
    const gatewayChild = await Child.start("gateway", "gateway", [`http://127.0.0.1:${subgraph.child.ready.ready as number}/graphql`], process.env, { core: SERVER_CORE });
    children.push(gatewayChild);
    const viaGateway = await drive({ name: "subgraph", child: gatewayChild }, carrierService, 0);
    results.push({ scenario: "carrierService via gateway", store: "postgres", kind: "information", rounds: [], single: viaGateway.result });
    await gatewayChild.stop();
    await Promise.all([subgraph.child.stop(), baseline.child.stop(), ceiling.stop()]);

    log("(a) allocate on PGlite");
    const pgliteSubgraph: Contender = { name: "subgraph", child: pgliteSubgraphChild };
    const pgliteBaseline: Contender = { name: "baseline", child: pgliteBaselineChild };
    idleRss["pglite subgraph"] = pgliteSubgraphChild.rss() / 2 ** 20;
    idleRss["pglite baseline"] = pgliteBaselineChild.rss() / 2 ** 20;
    const pgliteRefs = (label: string) => benchReferences(pglite, label);
    await warm(pgliteSubgraph, fixed(() => pgliteRefs("warm")));
    await warm(pgliteBaseline, fixed(() => pgliteRefs("warm")));
    const allocPglite = await alternate(pgliteSubgraph, pgliteBaseline, fixed((round) => pgliteRefs(`round-${round}`)), S.rounds, undefined, log);
    results.push({ scenario: "allocate", store: "pglite", kind: "throughput", rounds: allocPglite });
  } finally {
    await Promise.all([...children, ...((await pgliteChildren?.catch(() => [])) ?? [])].map((child) => child.stop()));
    await database.drop();
    rmSync(tmp, { recursive: true, force: true });
  }

  const targets = [...evaluate(results), ...batchLabelTargets(batchLabels)];
  printTable(results, targets, log);
  printBatchLabels(batchLabels, log);
  log(`RSS after start-up, before any load (PGlite: after importing its data) (MB): ${Object.entries(idleRss).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(", ")}`);
  const invalid =
    results.some((r) => r.rounds.some((round) => round.subgraph.failures || round.baseline.failures || round.ceiling?.failures) || r.single?.failures) ||
    batchLabelsInvalid(batchLabels);
  const dir = path.join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`);
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, pinning: pinningAvailable };
  writeFileSync(file, JSON.stringify({ started, quick, settings: S, connections: CONNECTIONS, machine, invalid, targets, idleRssMb: idleRss, results, batchLabels }, null, 2));
  log(`results: ${path.relative(ROOT, file)}`);
  if (invalid) {
    log("INVALID RUN: some requests failed (non-2xx, errors or wrong answers); see failureSample in the results file");
    process.exitCode = 1;
  }
}

/** (f), (g), (h): issue 11's scenarios on the PostgreSQL subgraph. */
async function batchAndLabels(subgraph: Child, refs: (label: string) => string[]): Promise<BatchLabelResults> {
  log("(f) allocateShipments, 100 items per request, vs single mutations (allocations/s)");
  const batchRounds = await batchVsSingles(subgraph, CONNECTIONS, S.rounds, (round, kind) => refs(`${kind}-${round}`), log);
  log("(g) label rendering, PDF and ZPL, per label");
  const rendering = await renderingTimes(S.renderLabels);
  log("(h) GET /labels/{ref}/pdf vs the carrierService query");
  const labels = await labelsVsCarrierService(subgraph, CONNECTIONS, S.rounds, S.seconds, refs("entities"), log);
  return { batchVsSingles: batchRounds, rendering, labelsVsCarrierService: labels };
}

function batchLabelsInvalid(results: BatchLabelResults): boolean {
  const runs = [...results.batchVsSingles.flatMap((r) => [r.batch, r.singles]), ...results.labelsVsCarrierService.flatMap((r) => [r.label, r.carrierService])];
  return runs.some((run) => run.failures > 0);
}

/** --batch-labels: the subgraph alone on PostgreSQL, the shipments for the labels allocated first. */
async function runBatchLabelsOnly(env: NodeJS.ProcessEnv, refs: (label: string) => string[], started: Date): Promise<void> {
  const child = await Child.start("subgraph", "server-child", ["subgraph"], env, { core: SERVER_CORE });
  try {
    await warm({ name: "subgraph", child }, { connections: CONNECTIONS, bodies: () => refs("entities").map(allocateBody), check: allocated });
    const results = await batchAndLabels(child, refs);
    const targets = batchLabelTargets(results);
    printBatchLabels(results, log);
    for (const t of targets) log(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.held ? "yes" : "NO"} |`);
    const file = path.join(ROOT, "bench", "results", `${started.toISOString().replace(/[:.]/g, "-")}-batch-labels${quick ? "-quick" : ""}.json`);
    writeFileSync(file, JSON.stringify({ started, quick, settings: S, connections: CONNECTIONS, targets, batchLabels: results }, null, 2));
    log(`results: ${path.relative(ROOT, file)}`);
    if (batchLabelsInvalid(results)) process.exitCode = 1;
  } finally {
    await child.stop();
  }
}

/** The subgraph under the allocation load with --cpu-prof; prints the summary. */
async function runProfile(env: NodeJS.ProcessEnv, refs: string[]): Promise<void> {
  const dir = path.join(ROOT, "bench", "results");
  const child = await Child.start("subgraph", "server-child", ["subgraph"], env, { core: SERVER_CORE, execArgv: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  const subgraph: Contender = { name: "subgraph", child };
  const quarter = refs.length / 4;
  const workload: Workload = { connections: CONNECTIONS, bodies: (round) => refs.slice(round * quarter, (round + 1) * quarter).map(allocateBody), check: allocated };
  const entities: Workload = { connections: 1, bodies: () => ({ body: entityBody(refs, 1000), seconds: 20 }), check: noErrors('"state":"ALLOCATED"') };
  for (let round = 0; round < (profileEntities ? 2 : 4); round++) {
    const { result } = await drive(subgraph, profileEntities && round ? entities : workload, profileEntities ? 0 : round);
    log(`  ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, failures ${result.failures}`);
  }
  await child.stop();
  log(summariseProfile(dir));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

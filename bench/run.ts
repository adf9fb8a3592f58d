// npm run bench [-- --quick] [-- --only a,b] [-- --compare <git-ref>] [-- --rounds N] [-- --profile]: the
// subgraph against a bare graphql-js baseline, the database's own ceilings, itself as the account
// grows, and another build. See BENCHMARKS.md for what is measured and the targets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { breakdownTable, type BreakdownRow } from "./allocation-breakdown";
import { allItemsAllocated, batchBodies, batchVsSingles, labelsVsCarrierService, printBatchLabels, renderingTimes, type BatchCeilings, type BatchLabelResults } from "./batch-labels";
import type { CeilingKind } from "./ceiling";
import { Child, pinSelf, pinningAvailable, runScript, SERVER_NODE_FLAGS } from "./child";
import { accounted } from "./cpu-account";
import { importGrowth, importGrowthTable, type ImportGrowthRow } from "./import-growth";
import { builtFrom, compare, printCompare, type CompareResult } from "./compare";
import { benchReferences, SERVICE_REF, type ShipmentPlan } from "./dataset";
import { createGrowthDatabases, growthPlan, printGrowth, runGrowth } from "./growth";
import type { LoadResult } from "./load";
import { summariseProfile } from "./profile-summary";
import { body, CARRIER_SERVICE, ENTITIES, noErrors } from "./queries";
import { bothGoals, evaluate, printTable, printTargets, type Measured } from "./report";
import { allocating, alternate, drive, turnAbout, warm, CONNECTIONS, type Contender, type Round, type Workload } from "./scenarios";
import { analyze, createBenchDatabase, DEFAULT_DATABASE_URL, writeDatasetFile, type BenchDatabase } from "./setup";

const ROOT = path.resolve(__dirname, "..", "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
/** `--name value` or `--name=value`. */
function option(name: string): string | undefined {
  const at = args.indexOf(name);
  if (at >= 0) return args[at + 1];
  return args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

const quick = flag("--quick");
const profileEntities = flag("--profile-entities");
const profileBatch = flag("--profile-batch");
// the subgraph on an embedded store instead of PostgreSQL; the bare baseline instead of the subgraph
const profilePglite = flag("--profile-pglite");
const profileBaseline = flag("--profile-baseline");
const profile = profileEntities || profileBatch || profilePglite || profileBaseline || flag("--profile");
const compareRef = option("--compare");

// in the order they run
const SCENARIOS = ["allocate", "entities", "carrierService", "batch-labels", "gateway", "pglite", "growth", "breakdown", "import"] as const;
type Scenario = (typeof SCENARIOS)[number];
const isScenario = (name: string): name is Scenario => (SCENARIOS as readonly string[]).includes(name);

function selected(): Set<Scenario> {
  // the older flags: one group alone
  if (flag("--batch-labels")) return new Set(["batch-labels"]);
  if (flag("--import")) return new Set(["import"]);
  const only = option("--only");
  if (!only) return new Set(SCENARIOS);
  const names = only.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !isScenario(name));
  if (unknown.length) throw new Error(`--only: no scenario ${unknown.join(", ")}; there are ${SCENARIOS.join(", ")}`);
  return new Set(names.filter(isScenario));
}

const want = selected();
const roundsArg = Number(option("--rounds"));
const S = {
  ...(quick
    ? { rounds: 2, allocations: 600, pgliteAllocations: 100, seconds: 1, warm: 100, batchAllocations: 2000, renderLabels: 200, growthAllocations: 200 }
    : { rounds: 3, allocations: 6000, pgliteAllocations: 2000, seconds: 10, warm: 1500, batchAllocations: 6000, renderLabels: 1000, growthAllocations: 400 }),
  ...(roundsArg > 0 ? { rounds: roundsArg } : {}),
};
// --compare is one scenario: more rounds, for a ratio tight enough to tell 0.97 from 1
const COMPARE_ROUNDS = roundsArg > 0 ? roundsArg : quick ? 2 : 5;
const SERVER_CORE = 0;
const LOAD_CORE = 1;

const t0 = Date.now();
const log = (line: string) => console.log(line && !line.startsWith("|") ? `[${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}` : line);

// scenarios on the PostgreSQL subgraph of the main bench database; the baseline only for the first three
const ON_SUBGRAPH: Scenario[] = ["allocate", "entities", "carrierService", "batch-labels", "gateway"];
const WITH_BASELINE: Scenario[] = ["allocate", "entities", "carrierService"];
const wants = (list: Scenario[]) => list.some((scenario) => want.has(scenario));

// one list per (round, contender) so that every request allocates a different unallocated shipment;
// a list of a scenario left out is empty (the lists' order, which makes the references, stays)
function pgPlan(): ShipmentPlan {
  const size = (scenario: Scenario, count: number) => (want.has(scenario) ? count : 0);
  const plan: ShipmentPlan = [["entities", 1000], ["warm-baseline", wants(WITH_BASELINE) ? S.warm : 0], ["floor-warm", want.has("allocate") ? S.warm : 0]];
  for (let r = 0; r < S.rounds; r++) {
    plan.push([`subgraph-${r}`, size("allocate", S.allocations)], [`baseline-${r}`, size("allocate", S.allocations)]);
    plan.push([`ceiling-${r}`, size("allocate", S.allocations)], [`minimal-ceiling-${r}`, size("allocate", S.allocations)]);
    plan.push([`floor-${r}`, size("allocate", S.allocations)]);
  }
  for (let r = 0; r < S.rounds; r++) {
    plan.push([`batch-${r}`, size("batch-labels", S.batchAllocations)], [`singles-${r}`, size("batch-labels", S.batchAllocations)]);
    plan.push([`f-minimal-ceiling-${r}`, size("batch-labels", S.batchAllocations)], [`f-batch-ceiling-${r}`, size("batch-labels", S.batchAllocations)]);
  }
  return plan;
}

function pglitePlan(): ShipmentPlan {
  const plan: ShipmentPlan = [["warm", S.warm]];
  for (let r = 0; r < S.rounds; r++) plan.push([`round-${r}`, S.pgliteAllocations]);
  return plan;
}

function entityBody(refs: string[], count: number): string {
  return body(ENTITIES, { representations: refs.slice(0, count).map((reference) => ({ __typename: "Shipment", reference })) });
}

const pgEnv = (url: string): NodeJS.ProcessEnv => ({ ...process.env, DATABASE_URL: url, DATABASE_POOL_SIZE: String(CONNECTIONS), NODE_ENV: "production" });
// a fresh embedded store in dataDir, which the server loads with the data set in datasetFile
const pgliteEnv = (dataDir: string, datasetFile: string): NodeJS.ProcessEnv => ({ ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, BENCH_DATASET: datasetFile, NODE_ENV: "production" });

/** What the results file holds besides the settings. */
interface Output extends Measured {
  idleRssMb: Record<string, number>;
  compare?: CompareResult;
}

async function main() {
  pinSelf(LOAD_CORE);
  const started = new Date();
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL;
  if (profile) return runProfile(serverUrl);
  const output: Output = { scenarios: [], idleRssMb: {} };
  log(
    compareRef
      ? `bench --compare ${compareRef}${quick ? " --quick" : ""}`
      : `bench ${quick ? "--quick" : "full"}: ${S.rounds} rounds, ${CONNECTIONS} connections, pinning ${pinningAvailable ? "on" : "unavailable"}; scenarios: ${[...want].join(", ")}`,
  );
  if (compareRef) {
    output.compare = await compare(compareRef, {
      root: ROOT,
      serverUrl,
      rounds: COMPARE_ROUNDS,
      allocations: S.allocations,
      warm: S.warm,
      core: SERVER_CORE,
      env: pgEnv,
      log,
    });
  } else {
    await runScenarios(serverUrl, output);
  }
  report(started, output);
}

async function runScenarios(serverUrl: string, output: Output): Promise<void> {
  const children: Child[] = [];
  const databases: BenchDatabase[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), "alloc-bench-"));
  // the PGlite servers load their data while the PostgreSQL databases are made; they idle until their turn
  const pglite = pglitePlan();
  const datasetFile = path.join(tmp, "dataset.json");
  let pgliteChildren: Promise<Child[]> | undefined;
  if (want.has("pglite")) {
    writeDatasetFile(ROOT, pglite, datasetFile);
    pgliteChildren = Promise.all([
      Child.start("subgraph", "server-child", ["subgraph"], pgliteEnv(path.join(tmp, "subgraph"), datasetFile), { core: SERVER_CORE }),
      Child.start("baseline", "server-child", ["baseline"], pgliteEnv(path.join(tmp, "baseline"), datasetFile), { core: SERVER_CORE }),
    ]);
    // a failed start is reported where it is awaited, not as an unhandled rejection
    pgliteChildren.catch(() => undefined);
  }
  const plan = pgPlan();
  const growth = growthPlan(S.rounds, S.growthAllocations);
  try {
    const mainDatabase = async () => {
      const database = await createBenchDatabase(ROOT, serverUrl, plan);
      databases.push(database);
      return database;
    };
    // both settle before a failure is thrown: every database made is in `databases`, to be dropped
    const [made, madeGrowth] = await Promise.allSettled([
      wants(ON_SUBGRAPH) ? mainDatabase() : undefined,
      want.has("growth") ? createGrowthDatabases(ROOT, serverUrl, growth, databases) : undefined,
    ]);
    if (made.status === "rejected") throw made.reason;
    if (madeGrowth.status === "rejected") throw madeGrowth.reason;
    const database = made.value;
    const growthDatabases = madeGrowth.value;
    // they share the servers' core: loading must be over before anything there is timed
    const [pgliteSubgraph, pgliteBaseline] = pgliteChildren ? await pgliteChildren : [];
    if (pgliteChildren) log("PGlite servers loaded");

    if (database) await onPostgres(database, (label) => benchReferences(plan, label), output, children);

    if (pgliteSubgraph && pgliteBaseline) {
      log("(a) allocate on PGlite");
      output.idleRssMb["pglite subgraph"] = pgliteSubgraph.rss() / 2 ** 20;
      output.idleRssMb["pglite baseline"] = pgliteBaseline.rss() / 2 ** 20;
      const subgraph: Contender = { name: "subgraph", child: pgliteSubgraph };
      const baseline: Contender = { name: "baseline", child: pgliteBaseline };
      const pgliteRefs = (label: string) => benchReferences(pglite, label);
      await warm(subgraph, allocating(() => pgliteRefs("warm")));
      await warm(baseline, allocating(() => pgliteRefs("warm")));
      const rounds = await alternate(subgraph, baseline, allocating((round) => pgliteRefs(`round-${round}`)), S.rounds, undefined, log);
      output.scenarios.push({ scenario: "allocate", store: "pglite", kind: "throughput", rounds });
      await Promise.all([pgliteSubgraph.stop(), pgliteBaseline.stop()]);
    }

    if (growthDatabases) output.growth = await runGrowth(growthDatabases, growth, { rounds: S.rounds, core: SERVER_CORE, env: pgEnv, log });

    if (want.has("breakdown")) {
      // the target's figure is graphql-js execute; Apollo Server's path and a batch item beside it
      const breakdownArgs = [...(quick ? ["--quick", "--engines", "postgres"] : []), "--paths", "execute,apollo,batch"];
      log(`(breakdown) allocation-breakdown ${breakdownArgs.join(" ")}: an allocation's CPU and SQL time, one at a time, per engine and path (child process)`);
      output.breakdown = await runScript<BreakdownRow[]>("allocation-breakdown", breakdownArgs, { ...process.env, NODE_ENV: "production" }, {
        core: SERVER_CORE,
        execArgv: SERVER_NODE_FLAGS,
      });
    }

    if (want.has("import")) output.importGrowth = await runImportGrowth(serverUrl);
  } finally {
    await Promise.all([...children, ...((await pgliteChildren?.catch(() => [])) ?? [])].map((child) => child.stop()));
    await Promise.all(databases.map((database) => database.drop()));
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** (a)–(h) on the main PostgreSQL database: the subgraph, the baseline, the ceilings, the gateway. */
async function onPostgres(database: BenchDatabase, refs: (label: string) => string[], output: Output, children: Child[]): Promise<void> {
  const env = pgEnv(database.url);
  const subgraphChild = await Child.start("subgraph", "server-child", ["subgraph"], env, { core: SERVER_CORE });
  children.push(subgraphChild);
  const subgraph: Contender = { name: "subgraph", child: subgraphChild };
  output.idleRssMb["postgres subgraph"] = subgraphChild.rss() / 2 ** 20;
  let baseline: Contender | undefined;
  if (wants(WITH_BASELINE)) {
    const child = await Child.start("baseline", "server-child", ["baseline"], env, { core: SERVER_CORE });
    children.push(child);
    baseline = { name: "baseline", child };
    output.idleRssMb["postgres baseline"] = child.rss() / 2 ** 20;
  }
  log("warm-up: allocating the _entities shipments through the subgraph");
  await warm(subgraph, allocating(() => refs("entities")));
  if (baseline) await warm(baseline, allocating(() => refs("warm-baseline")));
  await analyze(database.url);
  const results = output.scenarios;

  if (want.has("allocate") && baseline) {
    const ceiling = await Child.start("ceiling", "ceiling", [], { ...env, BENCH_CONNECTIONS: String(CONNECTIONS) }, { core: SERVER_CORE });
    children.push(ceiling);
    const floorChild = await Child.start("floor", "server-child", ["floor"], env, { core: SERVER_CORE });
    children.push(floorChild);
    const floor: Contender = { name: "floor", child: floorChild };
    await warm(floor, allocating(() => refs("floor-warm")));
    const runCeiling = (kind: CeilingKind, list: string) => accounted(() => ceiling.ask<LoadResult>({ run: refs(list), ceiling: kind }, "result"));
    const runFloor = async (round: number) => (await drive(floor, allocating(() => refs(`floor-${round}`)), round)).result;
    // the two ceilings take turns too, after the round's two servers, and the HTTP floor after them
    const ceilings = async (round: number): Promise<Pick<Round, "ceiling" | "minimalCeiling" | "httpFloor">> => {
      const [minimalCeiling, ceilingResult] = await turnAbout(
        round,
        () => runCeiling("minimal", `minimal-ceiling-${round}`),
        () => runCeiling("statements", `ceiling-${round}`),
      );
      return { minimalCeiling, ceiling: ceilingResult, httpFloor: await runFloor(round) };
    };
    log("(a) allocate on PostgreSQL, the two SQL ceilings and the HTTP floor");
    const rounds = await alternate(subgraph, baseline, allocating((round, name) => refs(`${name}-${round}`)), S.rounds, ceilings, log);
    results.push({ scenario: "allocate", store: "postgres", kind: "throughput", rounds });
    await ceiling.stop();
    await floorChild.stop();
  }

  if (want.has("entities") && baseline) {
    const entities = refs("entities");
    for (const count of [1, 100, 1000]) {
      log(`(b) _entities × ${count}`);
      const workload = (seconds: number): Workload => ({
        connections: 1,
        bodies: () => ({ body: entityBody(entities, count), seconds }),
        check: noErrors('"state":"ALLOCATED"'),
      });
      await warm(subgraph, workload(1));
      await warm(baseline, workload(1));
      const rounds = await alternate(subgraph, baseline, workload(S.seconds), S.rounds, undefined, log);
      results.push({ scenario: `_entities ×${count}`, store: "postgres", kind: "latency", entities: count, rounds });
    }
  }

  const carrierService: Workload = {
    connections: CONNECTIONS,
    bodies: () => ({ body: body(CARRIER_SERVICE, { reference: SERVICE_REF }), seconds: S.seconds }),
    check: noErrors(`"reference":"${SERVICE_REF}"`),
  };
  if (want.has("carrierService") && baseline) {
    log("(c) carrierService query");
    results.push({ scenario: "carrierService", store: "postgres", kind: "throughput", rounds: await alternate(subgraph, baseline, carrierService, S.rounds, undefined, log) });
  }

  if (want.has("batch-labels")) {
    const ceiling = await Child.start("ceiling", "ceiling", [], { ...env, BENCH_CONNECTIONS: String(CONNECTIONS) }, { core: SERVER_CORE });
    children.push(ceiling);
    const run = (kind: CeilingKind, round: number) => ceiling.ask<LoadResult>({ run: refs(`f-${kind}-ceiling-${round}`), ceiling: kind }, "result");
    // in turns as well, after the round's batch and singles
    const ceilings = async (round: number): Promise<BatchCeilings> => {
      const [minimalCeiling, batchCeiling] = await turnAbout(round, () => run("minimal", round), () => run("batch", round));
      return { minimalCeiling, batchCeiling };
    };
    output.batchLabels = await batchAndLabels(subgraphChild, refs, ceilings);
    await ceiling.stop();
  }

  if (want.has("gateway")) {
    log("(d) carrierService through @apollo/gateway (information only)");
    const gatewayChild = await Child.start("gateway", "gateway", [`http://127.0.0.1:${subgraphChild.ready.ready as number}/graphql`], process.env, { core: SERVER_CORE });
    children.push(gatewayChild);
    const viaGateway = await drive({ name: "subgraph", child: gatewayChild }, carrierService, 0);
    results.push({ scenario: "carrierService via gateway", store: "postgres", kind: "information", rounds: [], single: viaGateway.result });
    await gatewayChild.stop();
  }
  await Promise.all([subgraphChild.stop(), baseline?.child.stop()]);
}

/** (f), (g), (h): issue 11's scenarios on the PostgreSQL subgraph. */
async function batchAndLabels(subgraph: Child, refs: (label: string) => string[], ceilings: (round: number) => Promise<BatchCeilings>): Promise<BatchLabelResults> {
  log("(f) allocateShipments, 100 items per request, vs single mutations (allocations/s); the minimal and the batch's SQL ceilings after each round");
  const batchRounds = await batchVsSingles(subgraph, CONNECTIONS, S.rounds, (round, kind) => refs(`${kind}-${round}`), log, ceilings);
  log("(g) label rendering, PDF and ZPL, per label");
  const rendering = await renderingTimes(S.renderLabels);
  log("(h) GET /labels/{ref}/pdf vs the carrierService query");
  const labels = await labelsVsCarrierService(subgraph, CONNECTIONS, S.rounds, S.seconds, refs("entities"), log);
  return { batchVsSingles: batchRounds, rendering, labelsVsCarrierService: labels };
}

// full: 100,000 shipments (the issue's figure) and 400,000 on PostgreSQL, to show that peak RSS stays flat;
// PGlite only at 100,000 (its 400,000 takes about 6 minutes here)
const IMPORT_SIZES = quick
  ? { postgres: [10_000, 40_000], pglite: [10_000] }
  : { postgres: [100_000, 400_000], pglite: [100_000] };

async function runImportGrowth(serverUrl: string): Promise<ImportGrowthRow[]> {
  log("(import) npm run import of generated files: time, CPU and peak RSS, one child process per import");
  return [
    ...(await importGrowth(serverUrl, IMPORT_SIZES.postgres, log, ["postgres"])),
    ...(await importGrowth(serverUrl, IMPORT_SIZES.pglite, log, ["pglite"])),
  ];
}

function invalidRuns(output: Output): boolean {
  const runs: (LoadResult | undefined)[] = [
    ...output.scenarios.flatMap((r) => [r.single, ...r.rounds.flatMap((round) => [round.subgraph, round.baseline, round.ceiling, round.minimalCeiling, round.httpFloor])]),
    ...(output.batchLabels?.batchVsSingles.flatMap((r) => [r.batch, r.singles, r.minimalCeiling, r.batchCeiling]) ?? []),
    ...(output.batchLabels?.labelsVsCarrierService.flatMap((r) => [r.label, r.carrierService]) ?? []),
    ...(output.growth ?? []).flatMap((pair) => pair.rounds.flatMap((r) => [r.a.result, r.b.result])),
    ...(output.compare?.rounds.flatMap((r) => [r.a.result, r.b.result]) ?? []),
  ];
  return runs.some((run) => run && run.failures > 0);
}

function report(started: Date, output: Output): void {
  if (output.scenarios.length) printTable(output.scenarios, log);
  if (output.batchLabels) printBatchLabels(output.batchLabels, log);
  if (output.growth) printGrowth(output.growth, log);
  if (output.breakdown) {
    log("");
    log("allocation-breakdown (one request at a time, in one process, no HTTP):");
    breakdownTable(output.breakdown).forEach((line) => log(line));
  }
  if (output.importGrowth) {
    log("");
    importGrowthTable(output.importGrowth).forEach((line) => log(line));
  }
  if (output.compare) printCompare(output.compare, log);
  if (Object.keys(output.idleRssMb).length) {
    log(`RSS after start-up, before any load (PGlite: after importing its data) (MB): ${Object.entries(output.idleRssMb).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(", ")}`);
  }
  const targets = evaluate(output);
  if (targets.length) printTargets(targets, log);
  const together = bothGoals(output);
  if (together) log(together);
  const invalid = invalidRuns(output);
  const dir = path.join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const suffix = [
    quick ? "-quick" : "",
    compareRef ? `-compare-${compareRef.replace(/[^\w.-]+/g, "_")}` : "",
    !compareRef && want.size < SCENARIOS.length ? `-only-${[...want].join("+")}` : "",
  ].join("");
  const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, "-")}${suffix}.json`);
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, pinning: pinningAvailable, loadAverage: os.loadavg() };
  const seconds = (Date.now() - started.getTime()) / 1000;
  const scenarios = compareRef ? ["compare"] : [...want];
  const { scenarios: results, ...rest } = output;
  // the commit lets bench/history.ts tell one code's runs from another's
  writeFileSync(file, JSON.stringify({ started, commit: builtFrom(ROOT), seconds, quick, scenarios, settings: S, connections: CONNECTIONS, machine, invalid, targets, together, results, ...rest }, null, 2));
  log(`results: ${path.relative(ROOT, file)} (${(seconds / 60).toFixed(1)} min)`);
  if (invalid) {
    log("INVALID RUN: some requests failed (non-2xx, errors or wrong answers); see failureSample in the results file");
    process.exitCode = 1;
  }
}

/**
 * --profile: the subgraph under the allocation load (--profile-batch: 100-item batches; --profile-pglite: on
 * PGlite; --profile-baseline: the bare baseline instead) with --cpu-prof; prints the summary.
 */
async function runProfile(serverUrl: string): Promise<void> {
  const plan: ShipmentPlan = [["profile", profileEntities ? 1000 : 4 * (profilePglite ? S.pgliteAllocations : S.allocations)]];
  const refs = benchReferences(plan, "profile");
  const database = await createBenchDatabase(ROOT, serverUrl, plan);
  const dir = path.join(ROOT, "bench", "results");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "alloc-profile-"));
  try {
    if (profilePglite) writeDatasetFile(ROOT, plan, path.join(tmp, "dataset.json"));
    const env = profilePglite ? pgliteEnv(path.join(tmp, "data"), path.join(tmp, "dataset.json")) : pgEnv(database.url);
    const kind = profileBaseline ? "baseline" : "subgraph";
    const child = await Child.start(kind, "server-child", [kind], env, { core: SERVER_CORE, execArgv: [...SERVER_NODE_FLAGS, "--cpu-prof", `--cpu-prof-dir=${dir}`] });
    const subgraph: Contender = { name: kind, child };
    const quarter = refs.length / 4;
    const slice = (round: number) => refs.slice(round * quarter, (round + 1) * quarter);
    const workload: Workload = profileBatch
      ? { connections: CONNECTIONS, bodies: (round) => batchBodies(slice(round)), check: allItemsAllocated }
      : allocating(slice);
    const entities: Workload = { connections: 1, bodies: () => ({ body: entityBody(refs, 1000), seconds: 20 }), check: noErrors('"state":"ALLOCATED"') };
    for (let round = 0; round < (profileEntities ? 2 : 4); round++) {
      const { result } = await drive(subgraph, profileEntities && round ? entities : workload, profileEntities ? 0 : round);
      log(`  ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, failures ${result.failures}`);
    }
    await child.stop();
  } finally {
    await database.drop();
    rmSync(tmp, { recursive: true, force: true });
  }
  log(summariseProfile(dir));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

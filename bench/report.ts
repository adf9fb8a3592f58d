// The tables, the ratios with their spread over rounds, and the targets of BENCHMARKS.md with their verdicts.
import type { BreakdownRow } from "./allocation-breakdown";
import type { BatchLabelResults } from "./batch-labels";
import type { GrowthResult } from "./growth";
import { FLAT_RATIO, type ImportGrowthRow } from "./import-growth";
import { CORES, machineCpuMs } from "./cpu-account";
import type { LoadResult } from "./load";
import type { Round } from "./scenarios";

export interface ScenarioResult {
  scenario: string;
  store: "postgres" | "pglite";
  /** throughput: ratio of req/s; latency: ratio of p50 latency (one connection); information: no baseline. */
  kind: "throughput" | "latency" | "information";
  entities?: number;
  rounds: Round[];
  single?: LoadResult;
}

/** Everything one run measured that a target is judged on; a scenario left out (--only) judges nothing. */
export interface Measured {
  scenarios: ScenarioResult[];
  batchLabels?: BatchLabelResults;
  growth?: GrowthResult[];
  breakdown?: BreakdownRow[];
  importGrowth?: ImportGrowthRow[];
}

export interface Target {
  /** The issue that set it. */
  issue: number;
  name: string;
  goal: string;
  /** The figure judged: the median over rounds (a peak for RSS, a maximum for statements), and its spread. */
  value: number;
  min: number;
  max: number;
  measured: string;
  held: boolean;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const spread = (values: number[], digits = 2) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

type Bound = { atLeast: number } | { atMost: number };

// issue 12: singles ≥ this × the minimal ceiling; issue 11: a batch's allocations/s ≥ this × singles'
export const CEILING_GOAL = 0.6;
const BATCH_GOAL = 3;

/** A figure that misses its goal but rounds to it (0.597 against 0.6) gets the digit that decides. */
export const decidingDigits = (value: number, goal: number, held: boolean, digits = 2) =>
  !held && Number(value.toFixed(digits)) === goal ? digits + 1 : digits;

/** A target on a figure measured once per round: judged on the median, shown with its min–max. */
export function roundsTarget(issue: number, name: string, bound: Bound, unit: string, values: number[], note = "", digits = 2): Target {
  const value = median(values);
  const least = "atLeast" in bound;
  const goal = least ? bound.atLeast : bound.atMost;
  const held = least ? value >= goal : value <= goal;
  const shown = decidingDigits(value, goal, held, digits);
  return {
    issue,
    name,
    goal: `${least ? "≥" : "≤"} ${goal}${unit}`,
    value,
    min: Math.min(...values),
    max: Math.max(...values),
    measured: `${spread(values, shown)}${unit}${note}`,
    held,
  };
}

export function ratios(result: ScenarioResult): number[] {
  return result.rounds.map((r) =>
    result.kind === "latency" ? r.subgraph.p50 / r.baseline.p50 : r.subgraph.rps / r.baseline.rps
  );
}

const find = (results: ScenarioResult[], scenario: string, store = "postgres") =>
  results.find((r) => r.scenario === scenario && r.store === store);

// round i of one scenario with round i of another (both alternate the same way)
const zip = <A, B>(a: A[], b: B[]) => a.slice(0, Math.min(a.length, b.length)).map((x, i) => [x, b[i]] as const);

/** Every targets whose scenarios ran: issue 12's, then issue 11's, then issue 9's that still hold meaning. */
export function evaluate(measured: Measured): Target[] {
  const { scenarios: results, batchLabels, growth, breakdown, importGrowth } = measured;
  const targets: Target[] = [];
  const allocPg = find(results, "allocate");
  const allocPglite = find(results, "allocate", "pglite");
  const ent1 = find(results, "_entities ×1");
  const ent1000 = find(results, "_entities ×1000");

  if (allocPg?.rounds[0]?.minimalCeiling) {
    const values = allocPg.rounds.map((r) => r.subgraph.rps / r.minimalCeiling!.rps);
    // what a server without Apollo/express (the baseline) and one without GraphQL (the HTTP floor) reach in the same rounds
    const reference = (of: (r: Round) => LoadResult | undefined) => spread(allocPg.rounds.map((r) => (of(r)?.rps ?? NaN) / r.minimalCeiling!.rps));
    const limit = cpuBoundLimits(allocPg.rounds);
    const note =
      (allocPg.rounds[0].httpFloor ? `; same rounds: baseline ${reference((r) => r.baseline)}×, HTTP floor ${reference((r) => r.httpFloor)}×` : "") +
      (limit.length ? `; bound by the machine's CPU per allocation: ${spread(limit)}×` : "");
    targets.push(roundsTarget(12, "allocation on PostgreSQL vs the minimal SQL ceiling (req/s)", { atLeast: CEILING_GOAL }, "×", values, note));
  }
  if (allocPg && allocPglite) {
    const values = zip(allocPglite.rounds, allocPg.rounds).map(([lite, pg]) => lite.subgraph.rps / pg.subgraph.rps);
    targets.push(roundsTarget(12, "allocation on PGlite vs the subgraph on PostgreSQL (req/s)", { atLeast: 0.5 }, "×", values));
  }
  if (ent1 && ent1000) {
    const perEntity = (side: "subgraph" | "baseline") => zip(ent1000.rounds, ent1.rounds).map(([big, one]) => ((big[side].p50 - one[side].p50) / 999) * 1000);
    const subgraph = perEntity("subgraph");
    const baseline = perEntity("baseline");
    const values = zip(subgraph, baseline).map(([s, b]) => s / b);
    const note = `; per extra entity ${median(subgraph).toFixed(1)} µs, baseline ${median(baseline).toFixed(1)} µs (p50, (t1000 − t1)/999)`;
    targets.push(roundsTarget(12, "_entities ×1000: cost per extra entity, subgraph vs bare graphql-js baseline", { atMost: 0.6 }, "×", values, note));
  }
  const pgBreakdown = breakdown?.find((row) => row.engine === "postgres" && row.path === "execute");
  if (pgBreakdown) {
    const lite = breakdown?.find((row) => row.engine === "pglite" && row.path === "execute");
    const note = `, over ${pgBreakdown.allocations} allocations${lite ? `; PGlite ${lite.cpuMs.toFixed(2)} ms (engine included)` : ""}`;
    targets.push(roundsTarget(12, "Node CPU per allocation on PostgreSQL (allocation-breakdown)", { atMost: 1.04 }, " ms", pgBreakdown.cpuMsRounds, note));
  }
  for (const pair of growth ?? []) {
    targets.push(roundsTarget(12, `growth: allocation req/s, ${pair.a} vs ${pair.b}`, { atLeast: 0.8 }, "×", pair.rounds.map((r) => r.ratio)));
  }
  const imports = (importGrowth ?? []).filter((row) => row.engine === "postgres").sort((a, b) => a.shipments - b.shipments);
  if (imports.length >= 2) {
    const [small, big] = [imports[0], imports.at(-1)!];
    const ratio = big.peakRssMB / small.peakRssMB;
    const name = `npm run import on PostgreSQL: peak RSS, ${big.shipments.toLocaleString("en")} vs ${small.shipments.toLocaleString("en")} shipments (flat memory)`;
    const measuredText = `×${ratio.toFixed(2)} (${small.peakRssMB.toFixed(0)} → ${big.peakRssMB.toFixed(0)} MB; ${small.seconds.toFixed(0)} s and ${big.seconds.toFixed(0)} s)`;
    targets.push({ issue: 12, name, goal: `≤ ×${FLAT_RATIO}`, value: ratio, min: ratio, max: ratio, measured: measuredText, held: ratio <= FLAT_RATIO });
  }
  const peaks = rssPeaks(measured);
  if (peaks.length) {
    const top = peaks.reduce((a, b) => (b.mb > a.mb ? b : a));
    const mbs = peaks.map((p) => p.mb);
    targets.push({
      issue: 12,
      name: "subgraph RSS under every scenario on PostgreSQL (peak)",
      goal: "≤ 250 MB",
      value: top.mb,
      min: Math.min(...mbs),
      max: top.mb,
      measured: `${top.mb.toFixed(0)} MB in ${top.scenario} (peak per scenario, ${peaks.length} scenarios: ${Math.min(...mbs).toFixed(0)}–${top.mb.toFixed(0)} MB)`,
      held: top.mb <= 250,
    });
  }
  const loads = loaderCounts(measured);
  if (loads.length) {
    const over = loads.filter((l) => l.perRequest > 1 + l.slack);
    const top = loads.reduce((a, b) => (b.perRequest > a.perRequest ? b : a));
    targets.push({
      issue: 12,
      name: "no loader runs more than one query per request (SELECTs of one shape, every scenario)",
      goal: "≤ 1",
      value: top.perRequest,
      min: Math.min(...loads.map((l) => l.perRequest)),
      max: top.perRequest,
      measured: over.length
        ? over.map((l) => `${l.scenario}: ${l.shape} ${l.perRequest.toFixed(3)}`).join("; ")
        : `at most ${top.perRequest.toFixed(3)} (${top.shape} in ${top.scenario}); a shape absent is 0 (served from memory)`,
      held: over.length === 0,
    });
  }

  if (batchLabels) {
    const b = batchLabels.batchVsSingles.map((r) => r.ratio);
    const l = batchLabels.labelsVsCarrierService.map((r) => r.slowdown);
    targets.push(roundsTarget(11, "allocateShipments (100 items) vs single mutations, allocations/s, PostgreSQL", { atLeast: BATCH_GOAL }, "×", b));
    targets.push(roundsTarget(11, "GET /labels/{ref}/pdf vs carrierService: how many times slower (req/s)", { atMost: 5 }, "×", l));
  }

  if (allocPg) {
    targets.push(roundsTarget(9, "allocation on PostgreSQL vs bare graphql-js baseline (req/s)", { atLeast: 0.8 }, "×", ratios(allocPg)));
    if (allocPg.rounds[0]?.ceiling) {
      const values = allocPg.rounds.map((r) => r.subgraph.rps / r.ceiling!.rps);
      targets.push(roundsTarget(9, "allocation on PostgreSQL vs the SQL ceiling of issue 9's eight statements (req/s)", { atLeast: 0.5 }, "×", values));
    }
  }
  if (ent1000) targets.push(roundsTarget(9, "_entities ×1000 vs baseline (p50 latency)", { atMost: 1.5 }, "×", ratios(ent1000)));
  return targets;
}

/**
 * Whether issue 11's batch goal and issue 12's ceiling goal can hold at once: singles ≥ 0.6× the ceiling and
 * a batch ≥ 3× singles need a batch ≥ 1.8× the ceiling, judged in the rounds where all three ran.
 */
export function bothGoals(measured: Measured): string | undefined {
  const rounds = measured.batchLabels?.batchVsSingles.filter((r) => r.minimalCeiling);
  if (!rounds?.length) return undefined;
  const needed = BATCH_GOAL * CEILING_GOAL;
  const singles = rounds.map((r) => r.singles.rps / r.minimalCeiling!.rps);
  const batch = rounds.map((r, i) => r.ratio * singles[i]);
  const room = batch.filter((b) => b >= needed).length;
  const own = rounds.filter((r) => r.batchCeiling);
  // what the database allows a batch whose items commit one by one, whatever the server around it
  const ownCeiling = own.length
    ? ` (the batch's own SQL ceiling: ${spread(own.map((r) => r.batchCeiling!.rps / r.minimalCeiling!.rps))}×)`
    : "";
  return (
    `Issues 11 and 12 together (batch scenario, same rounds): a batch runs at ${spread(batch)}× the minimal ceiling's allocations/s${ownCeiling}, single mutations at ${spread(singles)}×. ` +
    `Batch ≥ ${BATCH_GOAL}× singles and singles ≥ ${CEILING_GOAL}× the ceiling can both hold only where a batch reaches ${needed.toFixed(1)}× the ceiling ` +
    `(singles then between ${CEILING_GOAL}× and batch/${BATCH_GOAL}): ${room} of ${rounds.length} rounds.`
  );
}

/** The subgraph's peak RSS in each PostgreSQL scenario (the gateway's process and the ceiling's are not the subgraph). */
function rssPeaks({ scenarios, batchLabels, growth }: Measured): { scenario: string; mb: number }[] {
  const peaks = scenarios
    .filter((r) => r.store === "postgres" && r.kind !== "information")
    .map((r) => ({ scenario: r.scenario, mb: Math.max(...r.rounds.map((round) => round.subgraph.rssMb)) }));
  if (batchLabels) {
    const b = batchLabels.batchVsSingles;
    const l = batchLabels.labelsVsCarrierService;
    peaks.push(
      { scenario: "allocateShipments", mb: Math.max(...b.map((r) => r.batch.rssMb)) },
      { scenario: "single mutations (vs batch)", mb: Math.max(...b.map((r) => r.singles.rssMb)) },
      { scenario: "GET /labels/{ref}/pdf", mb: Math.max(...l.map((r) => r.label.rssMb)) },
    );
  }
  for (const pair of growth ?? []) {
    peaks.push(
      { scenario: `growth, ${pair.a}`, mb: Math.max(...pair.rounds.map((r) => r.a.result.rssMb)) },
      { scenario: `growth, ${pair.b}`, mb: Math.max(...pair.rounds.map((r) => r.b.result.rssMb)) },
    );
  }
  return peaks;
}

interface LoaderCount {
  scenario: string;
  shape: string;
  perRequest: number;
  /** Requests cut off at the end of a timed run (≤ one per connection) may have run their statements. */
  slack: number;
}

function loaderCounts({ scenarios, batchLabels, growth }: Measured): LoaderCount[] {
  const counts: LoaderCount[] = [];
  const add = (scenario: string, statements: Record<string, number>, requests: number, connections: number) => {
    for (const [shape, perRequest] of Object.entries(statements)) {
      // a function call is the allocation's write (migration 0004), not a loader's read
      if (shape.startsWith("select") && !shape.endsWith("()")) counts.push({ scenario, shape, perRequest, slack: connections / requests });
    }
  };
  for (const r of scenarios.filter((s) => s.kind !== "information")) {
    for (const round of r.rounds) add(`${r.scenario} [${r.store}]`, round.statements, round.subgraph.requests, r.kind === "latency" ? 1 : 10);
  }
  for (const round of batchLabels?.batchVsSingles ?? []) {
    add("allocateShipments", round.statements.batch, round.batch.requests, 10);
    add("single mutations (vs batch)", round.statements.singles, round.singles.requests, 10);
  }
  for (const pair of growth ?? []) {
    for (const round of pair.rounds) {
      add(`growth, ${pair.a}`, round.a.statements, round.a.result.requests, 10);
      add(`growth, ${pair.b}`, round.b.statements, round.b.result.requests, 10);
    }
  }
  return counts;
}

const ms = (value: number) => value.toFixed(2);

export function printTable(results: ScenarioResult[], log: (line: string) => void): void {
  log("");
  log(
    "| scenario | store | subgraph req/s | p50 ms | p99 ms | RSS MB | baseline req/s | p50 ms | p99 ms | RSS MB | subgraph/baseline median (min–max) |"
  );
  log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const result of results) {
    if (result.single) {
      const s = result.single;
      log(
        `| ${result.scenario} | ${result.store} | ${s.rps.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.rssMb.toFixed(
          0
        )} | | | | | information only |`
      );
      continue;
    }
    const pick = (f: (r: Round) => number) => median(result.rounds.map(f));
    const what = result.kind === "latency" ? "latency" : "req/s";
    log(
      `| ${result.scenario} | ${result.store} | ${pick((r) => r.subgraph.rps).toFixed(0)} | ${ms(
        pick((r) => r.subgraph.p50)
      )} | ${ms(pick((r) => r.subgraph.p99))} | ${Math.max(...result.rounds.map((r) => r.subgraph.rssMb)).toFixed(
        0
      )} ` +
        `| ${pick((r) => r.baseline.rps).toFixed(0)} | ${ms(pick((r) => r.baseline.p50))} | ${ms(
          pick((r) => r.baseline.p99)
        )} | ${Math.max(...result.rounds.map((r) => r.baseline.rssMb)).toFixed(0)} ` +
        `| ${spread(ratios(result))} ${what} |`
    );
    const references: [label: string, of: (r: Round) => LoadResult | undefined, ratio: (values: number[]) => string][] = [
      ["SQL ceiling, minimal (1 read + 1 claim-and-insert, pg)", (r) => r.minimalCeiling, (values) => `subgraph/ceiling ${spread(values)}`],
      ["SQL ceiling, issue 9's 8 statements replayed (pg)", (r) => r.ceiling, (values) => `subgraph/ceiling ${spread(values)}`],
      // a server, not a ceiling: its own distance to the minimal ceiling is what HTTP alone costs
      [
        "HTTP floor: the minimal ceiling's 2 statements behind bare node:http",
        (r) => r.httpFloor,
        (values) => `subgraph/floor ${spread(values)}; floor/minimal ceiling ${spread(result.rounds.map((round) => round.httpFloor!.rps / round.minimalCeiling!.rps))}`,
      ],
    ];
    for (const [label, of, ratio] of references) {
      if (!of(result.rounds[0])) continue;
      log(
        `| ${label} | ${result.store} | ${pick((r) => of(r)!.rps).toFixed(0)} | ${ms(pick((r) => of(r)!.p50))} | ${ms(
          pick((r) => of(r)!.p99)
        )} | | | | | | ${ratio(result.rounds.map((r) => r.subgraph.rps / of(r)!.rps))} req/s |`
      );
    }
  }
  log("");
  log("CPU per request of the process answering (ms, median over rounds: /proc for the servers, process.cpuUsage for the ceilings):");
  for (const result of results.filter((r) => r.kind === "throughput" && r.rounds[0]?.subgraph.cpuMsPerRequest !== undefined)) {
    const cpu = (of: (r: Round) => LoadResult | undefined) => (of(result.rounds[0]) ? median(result.rounds.map((r) => of(r)!.cpuMsPerRequest ?? NaN)).toFixed(2) : undefined);
    const parts = [
      ["subgraph", cpu((r) => r.subgraph)],
      ["baseline", cpu((r) => r.baseline)],
      ["HTTP floor", cpu((r) => r.httpFloor)],
      ["minimal ceiling", cpu((r) => r.minimalCeiling)],
      ["ceiling of issue 9's statements", cpu((r) => r.ceiling)],
    ].filter(([, value]) => value !== undefined);
    log(`  ${result.scenario} [${result.store}]: ${parts.map(([name, value]) => `${name} ${value}`).join(", ")}`);
  }
  printMachineCpu(results, log);
  log("");
  log("SQL statements per request on the subgraph (first round):");
  for (const result of results.filter((r) => r.rounds.length)) {
    const shapes = Object.entries(result.rounds[0].statements).map(([shape, n]) => `${shape} ${n.toFixed(2)}`);
    log(`  ${result.scenario} [${result.store}]: ${shapes.join(", ")}`);
  }
}

/** Per round: the minimal ceiling's CPU per allocation on the whole machine over the subgraph's (cpu-account.ts). */
function cpuBoundLimits(rounds: Round[]): number[] {
  return rounds.flatMap((r) => {
    const subgraph = machineCpuMs(r.subgraph);
    const ceiling = r.minimalCeiling && machineCpuMs(r.minimalCeiling);
    return subgraph && ceiling ? [ceiling / subgraph] : [];
  });
}

function printMachineCpu(results: ScenarioResult[], log: (line: string) => void): void {
  const allocation = results.find((r) => r.kind === "throughput" && r.rounds[0]?.minimalCeiling && machineCpuMs(r.rounds[0].subgraph) !== undefined);
  if (!allocation) return;
  log("");
  log(`Where the machine's CPU went per allocation (ms, median over rounds: process answering + PostgreSQL + load generator = machine; busy cores of ${CORES}):`);
  const of = (pick: (r: Round) => LoadResult | undefined) => {
    const runs = allocation.rounds.map(pick).filter((run): run is LoadResult => run !== undefined);
    const at = (value: (run: LoadResult) => number | undefined) => median(runs.map((run) => value(run) ?? NaN)).toFixed(2);
    return `${at((run) => run.cpuMsPerRequest)} + ${at((run) => run.postgresCpuMsPerRequest)} + ${at((run) => run.benchCpuMsPerRequest)} = ${at(machineCpuMs)} (${at((run) => run.busyCores)} busy)`;
  };
  const parts: [string, (r: Round) => LoadResult | undefined][] = [
    ["subgraph", (r) => r.subgraph],
    ["baseline", (r) => r.baseline],
    ["HTTP floor", (r) => r.httpFloor],
    ["minimal ceiling", (r) => r.minimalCeiling],
  ];
  for (const [name, pick] of parts) if (pick(allocation.rounds[0])) log(`  ${allocation.scenario} [${allocation.store}], ${name}: ${of(pick)}`);
  log(`  with every core busy, subgraph/minimal ceiling is bound by their machine CPU per allocation: ${spread(cpuBoundLimits(allocation.rounds))}`);
}

/** The verdicts, last thing the run prints. */
export function printTargets(targets: Target[], log: (line: string) => void): void {
  log("");
  log("| issue | target | goal | measured: median (min–max over rounds) | verdict |");
  log("|---|---|---|---|---|");
  for (const t of targets) log(`| ${t.issue} | ${t.name} | ${t.goal} | ${t.measured} | ${t.held ? "✔" : "✘"} |`);
}

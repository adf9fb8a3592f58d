// The table, the ratios with their spread over rounds, and the targets of BENCHMARKS.md.
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

export interface Target {
  name: string;
  goal: string;
  measured: string;
  held: boolean;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function ratios(result: ScenarioResult): number[] {
  return result.rounds.map((r) =>
    result.kind === "latency" ? r.subgraph.p50 / r.baseline.p50 : r.subgraph.rps / r.baseline.rps
  );
}

export const spread = (values: number[]) =>
  `${median(values).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;

function find(results: ScenarioResult[], scenario: string, store = "postgres"): ScenarioResult {
  const result = results.find((r) => r.scenario === scenario && r.store === store);
  if (!result) throw new Error(`No result for ${scenario} on ${store}`);
  return result;
}

export function evaluate(results: ScenarioResult[]): Target[] {
  const allocPg = find(results, "allocate");
  const allocPglite = find(results, "allocate", "pglite");
  const ent1 = find(results, "_entities ×1");
  const ent1000 = find(results, "_entities ×1000");
  const ceilingRatios = allocPg.rounds.map((r) => r.subgraph.rps / r.ceiling!.rps);
  const perEntity = (side: "subgraph" | "baseline") =>
    ((median(ent1000.rounds.map((r) => r[side].p50)) - median(ent1.rounds.map((r) => r[side].p50))) / 999) * 1000;
  const perEntityUs = perEntity("subgraph");
  const pgliteVsPg =
    median(allocPglite.rounds.map((r) => r.subgraph.rps)) / median(allocPg.rounds.map((r) => r.subgraph.rps));
  const peakRss = (store: string) =>
    Math.max(...results.filter((r) => r.store === store).flatMap((r) => r.rounds.map((round) => round.subgraph.rssMb)));
  const rssPg = peakRss("postgres");
  const rssPglite = peakRss("pglite");
  // every loader's SELECT runs at most once per request (the key and catalogue ones, once cached, not at all);
  // ≤ connections requests cut off at the end of a timed run are allowed for
  const extraStatements = results
    .filter((r) => r.kind !== "information")
    .flatMap((r) =>
      r.rounds.flatMap((round) => {
        const slack = (r.kind === "latency" ? 1 : 10) / round.subgraph.requests;
        return Object.entries(round.statements)
          .filter(([shape, perRequest]) => shape.startsWith("select") && perRequest > 1 + slack)
          .map(([shape, perRequest]) => `${r.scenario}/${r.store}: ${shape} ${perRequest.toFixed(3)}`);
      })
    );
  return [
    {
      name: "allocation on PostgreSQL vs baseline (req/s)",
      goal: "≥ 0.8×",
      measured: spread(ratios(allocPg)),
      held: median(ratios(allocPg)) >= 0.8,
    },
    {
      name: "allocation on PostgreSQL vs SQL ceiling (req/s)",
      goal: "≥ 0.5×",
      measured: spread(ceilingRatios),
      held: median(ceilingRatios) >= 0.5,
    },
    {
      name: "_entities ×1000 vs baseline (p50 latency)",
      goal: "≤ 1.5×",
      measured: spread(ratios(ent1000)),
      held: median(ratios(ent1000)) <= 1.5,
    },
    {
      name: "cost per extra entity (t1000 − t1)/999, subgraph p50",
      goal: "≤ 25 µs",
      measured: `${perEntityUs.toFixed(1)} µs (baseline ${perEntity("baseline").toFixed(1)} µs)`,
      held: perEntityUs <= 25,
    },
    {
      name: "SQL queries per loader per request",
      goal: "exactly 1",
      measured: extraStatements.length ? extraStatements.join("; ") : "1 for every SELECT in every scenario",
      held: extraStatements.length === 0,
    },
    {
      name: "allocation PGlite vs PostgreSQL (subgraph req/s)",
      goal: "≥ 0.4×",
      measured: `${pgliteVsPg.toFixed(2)}`,
      held: pgliteVsPg >= 0.4,
    },
    {
      name: "subgraph RSS under load (max), on PostgreSQL",
      goal: "≤ 250 MB",
      measured: `${rssPg.toFixed(0)} MB`,
      held: rssPg <= 250,
    },
    {
      name: "subgraph RSS under load (max), on PGlite (the database runs in the process)",
      goal: "≤ 250 MB",
      measured: `${rssPglite.toFixed(0)} MB`,
      held: rssPglite <= 250,
    },
  ];
}

const ms = (value: number) => value.toFixed(2);

export function printTable(results: ScenarioResult[], targets: Target[], log: (line: string) => void): void {
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
    if (result.rounds[0]?.ceiling) {
      log(
        `| SQL ceiling (pg, same statements) | ${result.store} | ${pick((r) => r.ceiling!.rps).toFixed(0)} | ${ms(
          pick((r) => r.ceiling!.p50)
        )} | ${ms(pick((r) => r.ceiling!.p99))} | | | | | | |`
      );
    }
  }
  log("");
  log("| target | goal | measured | held |");
  log("|---|---|---|---|");
  for (const t of targets) log(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.held ? "yes" : "NO"} |`);
  log("");
  log("SQL statements per request on the subgraph (first round):");
  for (const result of results.filter((r) => r.rounds.length)) {
    const shapes = Object.entries(result.rounds[0].statements).map(([shape, n]) => `${shape} ${n.toFixed(2)}`);
    log(`  ${result.scenario} [${result.store}]: ${shapes.join(", ")}`);
  }
}

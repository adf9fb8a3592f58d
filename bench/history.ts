// node dist/bench/history.js [--since <ISO date>] [--quick]: issue 12's ceiling target over every run recorded in
// bench/results: per run, the subgraph, the bare graphql-js baseline and the HTTP floor as the median over rounds
// of their req/s over the minimal ceiling's in the same round, and in how many runs each reached the goal. One run
// cannot tell a design that reaches the goal from an hour that favours it; the recorded runs can.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CEILING_GOAL, decidingDigits, median, type ScenarioResult } from "./report";
import type { Round } from "./scenarios";

/** What a results file holds that the history reads (a --compare file has no `results`). */
export interface RecordedRun {
  file: string;
  quick?: boolean;
  commit?: string;
  results?: ScenarioResult[];
}

type Reference = "subgraph" | "baseline" | "httpFloor";
const REFERENCES: readonly Reference[] = ["subgraph", "baseline", "httpFloor"];

export interface HistoryRow {
  file: string;
  commit?: string;
  rounds: number;
  /** Median over rounds of req/s over the minimal ceiling's; undefined when the run did not measure it. */
  ratios: Record<Reference, number | undefined>;
}

export interface History {
  rows: HistoryRow[];
  /** Runs in which each reached the goal, out of the runs that measured it. */
  held: Record<Reference, { runs: number; of: number }>;
}

/** The runs with allocation rounds against the minimal ceiling, oldest first; quick runs only when asked. */
export function ceilingHistory(runs: RecordedRun[], options: { since?: string; quick?: boolean } = {}): History {
  const rows: HistoryRow[] = [];
  for (const run of [...runs].sort((a, b) => a.file.localeCompare(b.file))) {
    if ((run.quick && !options.quick) || (options.since && run.file < options.since)) continue;
    const allocate = run.results?.find((result) => result.scenario === "allocate" && result.store === "postgres");
    const rounds = (allocate?.rounds ?? []).filter((round): round is Round & { minimalCeiling: NonNullable<Round["minimalCeiling"]> } => !!round.minimalCeiling);
    if (!rounds.length) continue;
    const ratio = (reference: Reference) => {
      const values = rounds.flatMap((round) => (round[reference] ? [round[reference].rps / round.minimalCeiling.rps] : []));
      return values.length ? median(values) : undefined;
    };
    rows.push({ file: run.file, commit: run.commit, rounds: rounds.length, ratios: { subgraph: ratio("subgraph"), baseline: ratio("baseline"), httpFloor: ratio("httpFloor") } });
  }
  const held = Object.fromEntries(
    REFERENCES.map((reference) => {
      const measured = rows.map((row) => row.ratios[reference]).filter((value): value is number => value !== undefined);
      return [reference, { runs: measured.filter((value) => value >= CEILING_GOAL).length, of: measured.length }];
    }),
  ) as History["held"];
  return { rows, held };
}

function cell(value: number | undefined): string {
  if (value === undefined) return "–";
  const held = value >= CEILING_GOAL;
  return `${value.toFixed(decidingDigits(value, CEILING_GOAL, held))}${held ? " ✔" : ""}`;
}

/** A markdown table, one line per run, and a line of counts. */
export function printHistory({ rows, held }: History, log: (line: string) => void): void {
  log(`| run | commit | rounds | subgraph | bare baseline | HTTP floor |`);
  log(`|---|---|---:|---:|---:|---:|`);
  for (const row of rows) {
    log(`| ${row.file.replace(/\.json$/, "")} | ${row.commit ?? ""} | ${row.rounds} | ${cell(row.ratios.subgraph)} | ${cell(row.ratios.baseline)} | ${cell(row.ratios.httpFloor)} |`);
  }
  const count = (reference: Reference) => `${held[reference].runs} of ${held[reference].of}`;
  log("");
  log(`median req/s over the minimal ceiling's, goal ≥ ${CEILING_GOAL}×; reached in: subgraph ${count("subgraph")} runs, bare baseline ${count("baseline")}, HTTP floor ${count("httpFloor")}`);
}

function main() {
  const args = process.argv.slice(2);
  const since = args.includes("--since") ? args[args.indexOf("--since") + 1] : undefined;
  const dir = path.resolve(__dirname, "..", "..", "bench", "results");
  const runs = readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Omit<RecordedRun, "file">) }));
  printHistory(ceilingHistory(runs, { since, quick: args.includes("--quick") }), (line) => console.log(line));
}

if (require.main === module) main();

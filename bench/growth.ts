// Growth: how an allocation's cost grows with the account, on PostgreSQL, the subgraph against itself
// in turns: 100,000 vs 1,000 shipments (10 carrier services each), and 1,000 vs 10 carrier services
// (1,000 shipments each). Each account size is a database of its own, made with importDataset at the
// bench's start (while nothing is timed), and its own subgraph process, started when its pair runs.
import { Child } from "./child";
import { benchReferences, type AccountSize, type ShipmentPlan } from "./dataset";
import { median, spread } from "./report";
import { analyze, createBenchDatabase, type BenchDatabase } from "./setup";
import { allocating, versus, warm, type VersusRound } from "./scenarios";

export interface GrowthResult {
  /** A's req/s over B's: the larger account over the smaller. */
  a: string;
  b: string;
  sizes: { a: AccountSize; b: AccountSize };
  rounds: VersusRound[];
}

const SMALL = 1_000;
const PAIRS: { a: [string, AccountSize]; b: [string, AccountSize] }[] = [
  { a: ["100,000 shipments", { shipments: 100_000, services: 10 }], b: ["1,000 shipments", { shipments: SMALL, services: 10 }] },
  { a: ["1,000 carrier services", { shipments: SMALL, services: 1_000 }], b: ["10 carrier services", { shipments: SMALL, services: 10 }] },
];
const WARM = 100;
// the demo's own shipments of the account, and a margin
const DEMO_SHIPMENTS = 50;

/** The shipments each database holds for the runs: a warm-up, then one list per round (the same in all four). */
export function growthPlan(rounds: number, allocations: number): ShipmentPlan {
  // the small accounts hold 1,000 shipments in all: the runs allocate from those
  const perRound = Math.min(allocations, Math.floor((SMALL - DEMO_SHIPMENTS - WARM) / rounds));
  return [["warm", WARM], ...Array.from({ length: rounds }, (_, r): [string, number] => [`round-${r}`, perRound])];
}

export interface GrowthDatabases {
  pairs: { a: BenchDatabase; b: BenchDatabase }[];
}

/** The four databases, one after the other; each is added to `created` as soon as it exists (for dropping). */
export async function createGrowthDatabases(root: string, serverUrl: string, plan: ShipmentPlan, created: BenchDatabase[]): Promise<GrowthDatabases> {
  const make = async (size: AccountSize) => {
    const database = await createBenchDatabase(root, serverUrl, plan, size);
    created.push(database);
    return database;
  };
  const pairs: GrowthDatabases["pairs"] = [];
  for (const pair of PAIRS) pairs.push({ a: await make(pair.a[1]), b: await make(pair.b[1]) });
  return { pairs };
}

export async function runGrowth(
  databases: GrowthDatabases,
  plan: ShipmentPlan,
  options: { rounds: number; core: number; env: (databaseUrl: string) => NodeJS.ProcessEnv; log: (line: string) => void },
): Promise<GrowthResult[]> {
  const refs = (label: string) => benchReferences(plan, label);
  const results: GrowthResult[] = [];
  for (const [i, pair] of PAIRS.entries()) {
    const { a: dbA, b: dbB } = databases.pairs[i];
    options.log(`(growth) allocation req/s, ${pair.a[0]} vs ${pair.b[0]}`);
    const children: Child[] = [];
    try {
      for (const url of [dbA.url, dbB.url]) children.push(await Child.start("subgraph", "server-child", ["subgraph"], options.env(url), { core: options.core }));
      const a = { name: pair.a[0], child: children[0] };
      const b = { name: pair.b[0], child: children[1] };
      await warm(a, allocating(() => refs("warm")));
      await warm(b, allocating(() => refs("warm")));
      await Promise.all([analyze(dbA.url), analyze(dbB.url)]);
      const rounds = await versus(a, b, allocating((round) => refs(`round-${round}`)), options.rounds, options.log);
      results.push({ a: pair.a[0], b: pair.b[0], sizes: { a: pair.a[1], b: pair.b[1] }, rounds });
    } finally {
      await Promise.all(children.map((child) => child.stop()));
    }
  }
  return results;
}

export function printGrowth(results: GrowthResult[], log: (line: string) => void): void {
  log("");
  log("| growth (PostgreSQL subgraph, 10 conn.) | req/s | p50 ms | p99 ms | RSS MB | vs | req/s | p50 ms | p99 ms | RSS MB | ratio, median (min–max) |");
  log("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|");
  for (const r of results) {
    const side = (pick: (round: VersusRound) => VersusRound["a"]) => {
      const runs = r.rounds.map((round) => pick(round).result);
      return `${median(runs.map((x) => x.rps)).toFixed(0)} | ${median(runs.map((x) => x.p50)).toFixed(2)} | ${median(runs.map((x) => x.p99)).toFixed(2)} | ${Math.max(...runs.map((x) => x.rssMb)).toFixed(0)}`;
    };
    log(`| ${r.a} | ${side((round) => round.a)} | ${r.b} | ${side((round) => round.b)} | ${spread(r.rounds.map((round) => round.ratio))} |`);
  }
}

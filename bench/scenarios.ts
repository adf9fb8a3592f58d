// Runs one scenario on two servers in alternation: A B, B A, A B, … (the subgraph and the baseline;
// or two subgraphs: two account sizes, two builds).
import { Child } from "./child";
import { accounted } from "./cpu-account";
import { load, type LoadResult, type LoadSpec } from "./load";
import { allocateBody, allocated, type Check } from "./queries";

export const CONNECTIONS = 10;

export interface Contender {
  /** "subgraph" and "baseline" in alternate(); any name in versus(). */
  name: string;
  child: Child;
}

export interface Workload {
  connections: number;
  /** Per round and contender: a fixed list of bodies (one request each), or a duration with one body. */
  bodies: (round: number, contender: string) => string[] | { body: string; seconds: number };
  check: Check;
}

export interface Round {
  subgraph: LoadResult;
  baseline: LoadResult;
  /** The allocation scenario: the ceiling of our statements (issue 9's design) and the minimal one. */
  ceiling?: LoadResult;
  minimalCeiling?: LoadResult;
  /** The minimal ceiling's statements behind bare node:http (bench/http-floor.ts). */
  httpFloor?: LoadResult;
  /** SQL statements per request on the subgraph, by shape. */
  statements: Record<string, number>;
}

/** Allocations at CONNECTIONS connections, each request a fresh shipment of the list, checked ALLOCATED. */
export const allocating = (list: (round: number, contender: string) => string[]): Workload => ({
  connections: CONNECTIONS,
  bodies: (round, contender) => list(round, contender).map(allocateBody),
  check: allocated,
});

/** An unmeasured run (JIT, pools, caches); a failure there stops the bench. */
export async function warm(contender: Contender, workload: Workload): Promise<void> {
  const { result } = await drive(contender, workload, 0);
  if (result.failures) throw new Error(`Warm-up of ${contender.name} failed: ${result.failureSample}`);
}

/** One measured run and the SQL statements the server ran meanwhile, per request, by shape. */
export interface Sample {
  result: LoadResult;
  statements: Record<string, number>;
}

export async function drive(contender: Contender, workload: Workload, round: number): Promise<Sample> {
  const bodies = workload.bodies(round, contender.name);
  const port = contender.child.ready.ready as number;
  let next = 0;
  const spec: LoadSpec = {
    url: `http://127.0.0.1:${port}/graphql`,
    connections: workload.connections,
    headers: { "x-api-key": "demo-api-key" },
    check: workload.check,
    rss: () => contender.child.rss(),
    ...(Array.isArray(bodies)
      ? {
          amount: bodies.length,
          // past the end: an unknown shipment, which fails the check and so the run
          nextBody: () => bodies[next++] ?? bodies[0].replace(/sp_\d+/, "sp_00000000000000000000000000000000"),
        }
      : { duration: bodies.seconds, nextBody: () => bodies.body }),
  };
  await contender.child.ask("stats", "stats");
  const cpuBefore = contender.child.cpuMs();
  const loaded = await accounted(() => load(spec));
  const result = { ...loaded, cpuMsPerRequest: (contender.child.cpuMs() - cpuBefore) / loaded.requests };
  // let requests cut off at the end of a timed run finish before counting their statements
  await new Promise((resolve) => setTimeout(resolve, 200));
  const counts = await contender.child.ask<Record<string, number>>("stats", "stats");
  return { result, statements: perRequest(counts, result.requests) };
}

function perRequest(counts: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([shape, count]) => [shape, count / requests]));
}

/**
 * Round by round, A then B, then B then A, …: a drift of the machine falls on both sides alike.
 * `after` runs at the end of each round (references such as the ceilings), inside the round it is compared with.
 */
export async function inTurns<K extends string, T, E = undefined>(
  kinds: readonly [K, K],
  rounds: number,
  run: (kind: K, round: number) => Promise<T>,
  after?: (round: number) => Promise<E>,
): Promise<(Record<K, T> & { after: E })[]> {
  const results: (Record<K, T> & { after: E })[] = [];
  for (let round = 0; round < rounds; round++) {
    const measured: Partial<Record<K, T>> = {};
    for (const kind of round % 2 === 0 ? kinds : [kinds[1], kinds[0]]) measured[kind] = await run(kind, round);
    results.push({ ...(measured as Record<K, T>), after: (await after?.(round)) as E });
  }
  return results;
}

/** Two runs of one round in turns: A then B in even rounds, B then A in odd ones; answered as [A, B]. */
export async function turnAbout<A, B>(round: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 0) {
    const first = await a();
    return [first, await b()];
  }
  const first = await b();
  return [await a(), first];
}

export async function alternate(
  subgraph: Contender,
  baseline: Contender,
  workload: Workload,
  rounds: number,
  ceilings?: (round: number) => Promise<Pick<Round, "ceiling" | "minimalCeiling" | "httpFloor">>,
  log: (line: string) => void = () => undefined,
): Promise<Round[]> {
  const contenders = { subgraph, baseline };
  // the ceilings run after the round's two servers, not between them, before the next round
  const pairs = await inTurns(["subgraph", "baseline"] as const, rounds, (kind, round) => drive(contenders[kind], workload, round), async (round): Promise<Partial<Round>> => (ceilings ? ceilings(round) : {}));
  const results: Round[] = [];
  for (const [round, { subgraph: a, baseline: b, after: c }] of pairs.entries()) {
    log(
      `  round ${round + 1}: subgraph ${a.result.rps.toFixed(0)} req/s, baseline ${b.result.rps.toFixed(0)} req/s` +
        (c.minimalCeiling ? `, minimal ceiling ${c.minimalCeiling.rps.toFixed(0)} req/s` : "") +
        (c.ceiling ? `, ceiling of our statements ${c.ceiling.rps.toFixed(0)} req/s` : "") +
        (c.httpFloor ? `, HTTP floor ${c.httpFloor.rps.toFixed(0)} req/s` : ""),
    );
    results.push({ subgraph: a.result, baseline: b.result, ...c, statements: a.statements });
  }
  return results;
}

/** Two servers of the same kind on one workload, in turns: `ratio` is A's req/s over B's. */
export interface VersusRound {
  a: Sample;
  b: Sample;
  ratio: number;
}

export async function versus(a: Contender, b: Contender, workload: Workload, rounds: number, log: (line: string) => void): Promise<VersusRound[]> {
  const pairs = await inTurns(["a", "b"] as const, rounds, (kind, round) => drive(kind === "a" ? a : b, workload, round));
  return pairs.map((pair, round) => {
    const ratio = pair.a.result.rps / pair.b.result.rps;
    log(`  round ${round + 1}: ${a.name} ${pair.a.result.rps.toFixed(0)} req/s, ${b.name} ${pair.b.result.rps.toFixed(0)} req/s: ${ratio.toFixed(2)}×`);
    return { ...pair, ratio };
  });
}

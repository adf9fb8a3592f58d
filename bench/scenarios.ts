// Runs one scenario on the subgraph (A) and the baseline (B) in alternation: A B, B A, A B, …
import { Child } from "./child";
import { load, type LoadResult, type LoadSpec } from "./load";
import type { Check } from "./queries";

export const CONNECTIONS = 10;

export interface Contender {
  name: "subgraph" | "baseline";
  child: Child;
}

export interface Workload {
  connections: number;
  /** Per round and contender: a fixed list of bodies (one request each), or a duration with one body. */
  bodies: (round: number, contender: Contender["name"]) => string[] | { body: string; seconds: number };
  check: Check;
}

export interface Round {
  subgraph: LoadResult;
  baseline: LoadResult;
  ceiling?: LoadResult;
  /** SQL statements per request on the subgraph, by shape. */
  statements: Record<string, number>;
}

export async function drive(contender: Contender, workload: Workload, round: number): Promise<{ result: LoadResult; statements: Record<string, number> }> {
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
  const result = await load(spec);
  // let requests cut off at the end of a timed run finish before counting their statements
  await new Promise((resolve) => setTimeout(resolve, 200));
  const counts = await contender.child.ask<Record<string, number>>("stats", "stats");
  return { result, statements: counts };
}

export function perRequest(counts: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([shape, count]) => [shape, count / requests]));
}

export async function alternate(
  subgraph: Contender,
  baseline: Contender,
  workload: Workload,
  rounds: number,
  ceiling?: (round: number) => Promise<LoadResult>,
  log: (line: string) => void = () => undefined,
): Promise<Round[]> {
  const results: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [subgraph, baseline] : [baseline, subgraph];
    const byName: Partial<Record<Contender["name"], { result: LoadResult; statements: Record<string, number> }>> = {};
    for (const contender of order) byName[contender.name] = await drive(contender, workload, round);
    const a = byName.subgraph!;
    const b = byName.baseline!;
    const c = ceiling ? await ceiling(round) : undefined;
    log(
      `  round ${round + 1}: subgraph ${a.result.rps.toFixed(0)} req/s, baseline ${b.result.rps.toFixed(0)} req/s` +
        (c ? `, ceiling ${c.rps.toFixed(0)} req/s` : ""),
    );
    results.push({ subgraph: a.result, baseline: b.result, ceiling: c, statements: perRequest(a.statements, a.result.requests) });
  }
  return results;
}

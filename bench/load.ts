// Drives one server with autocannon and measures it: req/s, latency percentiles (from every response,
// not autocannon's whole-millisecond histogram), the server's peak RSS, and whether the run is valid.
import autocannon from "autocannon";
import type { Check } from "./queries";

export interface LoadSpec {
  url: string;
  connections: number;
  /** A fixed number of requests (each consumes a body), or a duration in seconds. */
  amount?: number;
  duration?: number;
  headers: Record<string, string>;
  /** POST bodies; or, with nextPath, GET requests to the paths it gives. */
  nextBody: () => string;
  nextPath?: () => string;
  check: Check;
  /** Sampled every 100 ms during the run. */
  rss?: () => number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  meanMs: number;
  rssMb: number;
  /** Non-2xx answers, socket errors, timeouts and 2xx answers that failed the check. */
  failures: number;
  failureSample?: string;
  /** The server's CPU time per answered request (ms), when it was measured. */
  cpuMsPerRequest?: number;
  /** Over the same run (cpu-account.ts): PostgreSQL's processes per request (ms), when they run on this machine. */
  postgresCpuMsPerRequest?: number;
  /** The bench's own process per request (ms): the load generator of an HTTP run. */
  benchCpuMsPerRequest?: number;
  /** The machine's busy cores, on average over the run. */
  busyCores?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let bad = 0;
  let failureSample: string | undefined;
  let rssPeak = spec.rss?.() ?? 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, spec.rss?.() ?? 0)), 100);
  const started = process.hrtime.bigint();
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        pipelining: 1,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 5 }),
        timeout: 30,
        requests: [
          {
            method: spec.nextPath ? "GET" : "POST",
            headers: { "content-type": "application/json", ...spec.headers },
            setupRequest: (request) => (spec.nextPath ? { ...request, path: spec.nextPath() } : { ...request, body: spec.nextBody() }),
            onResponse: (status, body) => {
              if (status < 300 && spec.check(body)) return;
              bad++;
              failureSample ??= `${status} ${body.slice(0, 300)}`;
            },
          },
        ],
      },
      (error: Error | null, result) => (error ? reject(error) : resolve(result))
    );
  });
  // autocannon notices the end of a fixed amount only at its next 1-second tick: time to the last answer
  let lastResponse = started;
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    lastResponse = process.hrtime.bigint();
  });
  const result = await finished;
  const seconds = Number(lastResponse - started) / 1e9;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const ok = result["2xx"];
  return {
    requests: ok,
    seconds,
    rps: ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    meanMs: latencies.reduce((sum, value) => sum + value, 0) / (latencies.length || 1),
    rssMb: rssPeak / 2 ** 20,
    failures: result.non2xx + result.errors + result.timeouts + bad,
    failureSample,
  };
}

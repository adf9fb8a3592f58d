// What tracing costs the allocation load on PostgreSQL, each pair alternated round by round on the server core:
//   npm run build && node dist/bench/tracing-overhead.js <other tree> [rounds]
// (a) this build with tracing off against another build (a worktree of the commit before tracing, built
//     with npm run build): off must cost nothing (≥ 0.97×); (b) tracing on (spans exported over OTLP
//     to a local sink) against off. Server CPU per request is reported beside req/s: on a shared
//     machine it is the steadier of the two.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Child, pinSelf } from "./child";
import { benchReferences, SERVICE_REF, type ShipmentPlan } from "./dataset";
import { allocated, ALLOCATE, body } from "./queries";
import { drive, CONNECTIONS, type Contender, type Workload } from "./scenarios";
import { analyze, createBenchDatabase, DEFAULT_DATABASE_URL } from "./setup";

const ROOT = path.resolve(__dirname, "..", "..");
const ALLOCATIONS = 3000;
const SERVER_CORE = 0;
const LOAD_CORE = 1;

// an OTLP endpoint that accepts and drops: the exporter's work is measured, not a collector's
async function startSink(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux)
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
  const other = process.argv[2];
  const rounds = Number(process.argv[3] ?? 4);
  if (!other) throw new Error("usage: node dist/bench/tracing-overhead.js <other tree, built> [rounds]");
  pinSelf(LOAD_CORE);
  const sink = await startSink();
  const contenders = ["before", "off", "on"] as const;
  const plan: ShipmentPlan = [["warm", 3 * 300]];
  for (let round = 0; round < rounds; round++) for (const name of contenders) plan.push([`${name}-${round}-a`, ALLOCATIONS], [`${name}-${round}-b`, ALLOCATIONS]);
  const database = await createBenchDatabase(ROOT, process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL, plan);
  const env = { ...process.env, DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(CONNECTIONS), NODE_ENV: "production" };
  const otherChild = path.relative(__dirname, path.resolve(other, "dist/bench/server-child"));
  const start = (name: string, script: string, extra: NodeJS.ProcessEnv = {}) => Child.start(name, script, ["subgraph"], { ...env, ...extra }, { core: SERVER_CORE });
  const servers = {
    before: await start("before", otherChild),
    off: await start("off", "server-child"),
    on: await start("on", "server-child", { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }),
  };
  try {
    const workload = (label: string): Workload => ({
      connections: CONNECTIONS,
      bodies: () => benchReferences(plan, label).map((ref) => body(ALLOCATE, { shipmentRef: ref, virtualServiceRef: SERVICE_REF })),
      check: allocated,
    });
    const warmRefs = benchReferences(plan, "warm");
    for (const [i, name] of contenders.entries()) {
      const refs = warmRefs.slice(i * 300, (i + 1) * 300);
      await drive({ name: "subgraph", child: servers[name] }, { ...workload("warm"), bodies: () => refs.map((ref) => body(ALLOCATE, { shipmentRef: ref, virtualServiceRef: SERVICE_REF })) }, 0);
    }
    await analyze(database.url);
    const totals = Object.fromEntries(contenders.map((name) => [name, { requests: 0, seconds: 0, cpu: 0 }]));
    for (let round = 0; round < rounds; round++) {
      // each pair in both orders within a round: before off, off before; off on, on off
      const order = round % 2 === 0 ? [...contenders, ...[...contenders].reverse()] : [...[...contenders].reverse(), ...contenders];
      const seen = new Set<string>();
      const line: string[] = [];
      for (const name of order) {
        const label = `${name}-${round}-${seen.has(name) ? "b" : "a"}`;
        seen.add(name);
        const contender: Contender = { name: "subgraph", child: servers[name] };
        const cpuBefore = cpuSeconds(contender.child.pid);
        const { result } = await drive(contender, workload(label), round);
        const cpu = cpuSeconds(contender.child.pid) - cpuBefore;
        totals[name].requests += result.requests;
        totals[name].seconds += result.requests / result.rps;
        totals[name].cpu += cpu;
        line.push(`${name} ${result.rps.toFixed(0)}`);
      }
      console.log(`round ${round + 1}: ${line.join(", ")} req/s`);
    }
    const rps = (name: string) => totals[name].requests / totals[name].seconds;
    const cpuMs = (name: string) => (1000 * totals[name].cpu) / totals[name].requests;
    for (const name of contenders) console.log(`${name}: ${rps(name).toFixed(0)} req/s, ${cpuMs(name).toFixed(3)} server CPU ms per allocation`);
    console.log(`tracing off / before: ${(rps("off") / rps("before")).toFixed(3)}× req/s, ${(cpuMs("before") / cpuMs("off")).toFixed(3)}× CPU efficiency`);
    console.log(`tracing on / off: ${(rps("on") / rps("off")).toFixed(3)}× req/s, ${(cpuMs("off") / cpuMs("on")).toFixed(3)}× CPU efficiency`);
  } finally {
    for (const child of Object.values(servers)) await child.stop();
    sink.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

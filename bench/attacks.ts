// The two hostile requests of issue 8 (point 2) against the built service in production mode, on
// loopback, one fresh process each: the response's size and time, the server's RSS, and how long
// /health took to answer meanwhile.
//   npm run build && node dist/bench/attacks.js [path/to/another/build/src/main.js]
// Bounded: the server's heap is capped (--max-old-space-size) and a request is given up after 3 minutes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { startService, type ServiceProcess } from "../test/support/service-process";

const MAIN = process.argv[2] ?? path.resolve(__dirname, "../src/main.js");
const HEAP_MB = 6_144;
const TIMEOUT_MS = 180_000;
const DEMO_SERVICES = ["FF_LINET-00001", "DPD-00012", "RM-00024", "RM-00048", "EVRI-00048", "DPD-00019", "RM-00091", "DPD-00099"];

// serviceGroups { services { serviceGroups { … } } }, `levels` lists deep, with `each` on every level
function nested(levels: number, leaf: string, each = ""): string {
  let selection = leaf;
  for (let level = levels; level >= 1; level--) selection = `${each}${level % 2 ? "serviceGroups" : "services"}{${selection}}`;
  return selection;
}

const ATTACKS: { name: string; body: string }[] = [
  {
    name: "_entities: 13,500 representations selecting nested serviceGroups { services }",
    body: JSON.stringify({
      query: `query($representations:[_Any!]!){_entities(representations:$representations){...on CarrierService{${nested(6, "reference name", "reference ")}}}}`,
      variables: {
        representations: Array.from({ length: 13_500 }, (_, i) => ({ __typename: "CarrierService", reference: DEMO_SERVICES[i % DEMO_SERVICES.length] })),
      },
    }),
  },
  {
    name: "15 aliases of nested carrierServices",
    body: JSON.stringify({
      query: `{${Array.from({ length: 15 }, (_, i) => `a${i}:carrierServices{${nested(8, "reference name active")}}`).join(" ")}}`,
    }),
  },
];

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

// the slowest /health answer while `running` is pending: how long the event loop was held
async function slowestHealth(origin: string, running: Promise<unknown>): Promise<number> {
  let done = false;
  void running.finally(() => (done = true));
  let slowest = 0;
  while (!done) {
    const started = performance.now();
    await fetch(`${origin}/health`).then((r) => r.arrayBuffer()).catch(() => undefined);
    slowest = Math.max(slowest, performance.now() - started);
    await delay(100);
  }
  return Math.round(slowest);
}

// production mode on the embedded store (an empty DATABASE_URL is unset)
const start = (dataDir: string) =>
  startService(MAIN, "", { NODE_ENV: "production", DATA_DIR: dataDir, NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` });

async function run(attack: { name: string; body: string }) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "attacks-"));
  // the first start loads the demo data; the measured one starts on it, as a restarted service does
  await stop(await start(dataDir));
  const service = await start(dataDir);
  const { child, origin } = service;
  try {
    await fetch(`${origin}/health`);
    const before = rssMb(child.pid!);
    const started = performance.now();
    const request = fetch(`${origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "demo-api-key" },
      body: attack.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).then(async (response) => ({ status: response.status, bytes: (await response.arrayBuffer()).byteLength, head: "" }));
    const health = slowestHealth(origin, request);
    const result = await request.catch((error: Error) => ({ status: 0, bytes: 0, head: error.message }));
    const seconds = (performance.now() - started) / 1000;
    const after = rssMb(child.pid!);
    console.log(
      JSON.stringify({
        attack: attack.name,
        requestBytes: Buffer.byteLength(attack.body),
        status: result.status,
        responseBytes: result.bytes,
        seconds: Math.round(seconds * 100) / 100,
        slowestHealthMs: await health,
        rssBeforeMb: before.rss,
        rssPeakMb: after.peak,
        ...(result.head ? { error: result.head } : {}),
      }),
    );
  } finally {
    await stop(service);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function stop({ child, exited }: ServiceProcess): Promise<void> {
  child.kill("SIGTERM");
  await exited;
}

async function main() {
  for (const attack of ATTACKS) await run(attack);
}

void main();

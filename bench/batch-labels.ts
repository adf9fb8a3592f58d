// Issue 11's scenarios, on the PostgreSQL subgraph: (f) one 100-item allocateShipments against 100
// single mutations over the same connections; (g) label rendering per label, in this process;
// (h) GET /labels/{ref}/pdf against the carrierService query, both at the same connections.
import { loadDemoDataset } from "../src/import/demo";
import { labelData, type LabelData } from "../src/labels/label.data";
import { renderPdf } from "../src/labels/label.pdf";
import { renderZpl } from "../src/labels/label.zpl";
import type { ShipmentRecord } from "../src/allocation/engine/records";
import type { Child } from "./child";
import { BATCH_SIZE, DEMO_KEY, SERVICE_REF } from "./dataset";
import { load, percentile, type LoadResult } from "./load";
import { ALLOCATE, body, CARRIER_SERVICE, DOCUMENTED_RESULT, noErrors, type Check } from "./queries";
import { median } from "./report";
import { inTurns, type Sample } from "./scenarios";

export const BATCH = `mutation Wave($items: [AllocateShipmentInput!]!) { allocateShipments(items: $items) { ${DOCUMENTED_RESULT} } }`;

// every item of the batch allocated: as many successes as items, no error, no other member
export const allItemsAllocated: Check = (b) =>
  !b.includes('"errors"') && b.split('"state":"ALLOCATED"').length - 1 === BATCH_SIZE && b.split('"details":[]').length - 1 === BATCH_SIZE;
const singleAllocated: Check = (b) => !b.includes('"errors"') && b.includes('"state":"ALLOCATED"') && b.includes('"details":[]');

export interface BatchRound {
  batch: LoadResult;
  singles: LoadResult;
  /** SQL statements per request, by shape (a batch's lookups: one statement each per request). */
  statements: { batch: Record<string, number>; singles: Record<string, number> };
  /** Allocations per second, batch / singles. */
  ratio: number;
  /** The minimal SQL ceiling (bench/ceiling.ts) run at the end of the same round: what issue 12 compares singles with. */
  minimalCeiling?: LoadResult;
  /** The batch's own SQL ceiling (bench/ceiling.ts, "batch"), same round: allocations/s. */
  batchCeiling?: LoadResult;
}

export type BatchCeilings = Pick<BatchRound, "minimalCeiling" | "batchCeiling">;

export interface LabelRound {
  label: LoadResult;
  carrierService: LoadResult;
  /** carrierService req/s / label req/s: how much slower the label endpoint is. */
  slowdown: number;
}

export interface Rendering {
  labels: number;
  pdf: { p50: number; p99: number };
  zpl: { p50: number; p99: number };
}

export interface BatchLabelResults {
  batchVsSingles: BatchRound[];
  rendering: Rendering;
  labelsVsCarrierService: LabelRound[];
}

async function graphqlRun(subgraph: Child, connections: number, bodies: string[], check: Check, allocations: number): Promise<Sample> {
  let next = 0;
  await subgraph.ask("stats", "stats");
  const cpuBefore = subgraph.cpuMs();
  const loaded = await load({
    url: `http://127.0.0.1:${subgraph.ready.ready as number}/graphql`,
    connections,
    amount: bodies.length,
    headers: { "x-api-key": DEMO_KEY },
    check,
    rss: () => subgraph.rss(),
    nextBody: () => bodies[next++] ?? "",
  });
  // per allocation, so that a batch and single mutations compare
  const result = { ...loaded, cpuMsPerRequest: (subgraph.cpuMs() - cpuBefore) / allocations };
  const counts = await subgraph.ask<Record<string, number>>("stats", "stats");
  return { result, statements: Object.fromEntries(Object.entries(counts).map(([shape, n]) => [shape, n / result.requests])) };
}

/** One allocateShipments request per BATCH_SIZE shipments, every item through the documented selection. */
export const batchBodies = (shipments: string[]): string[] =>
  Array.from({ length: shipments.length / BATCH_SIZE }, (_, i) =>
    body(BATCH, { items: shipments.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE).map((shipmentRef) => ({ shipmentRef, virtualServiceRef: SERVICE_REF })) }),
  );

/** (f) Alternating A B, B A, …: allocations per second of batches and of single mutations. */
export async function batchVsSingles(
  subgraph: Child,
  connections: number,
  rounds: number,
  refs: (round: number, kind: "batch" | "singles") => string[],
  log: (line: string) => void,
  ceilings?: (round: number) => Promise<BatchCeilings>,
): Promise<BatchRound[]> {
  const runs = {
    batch: (round: number) => {
      const shipments = refs(round, "batch");
      return graphqlRun(subgraph, connections, batchBodies(shipments), allItemsAllocated, shipments.length);
    },
    singles: (round: number) => {
      const shipments = refs(round, "singles");
      return graphqlRun(subgraph, connections, shipments.map((shipmentRef) => body(ALLOCATE, { shipmentRef, virtualServiceRef: SERVICE_REF })), singleAllocated, shipments.length);
    },
  };
  const pairs = await inTurns(["batch", "singles"] as const, rounds, (kind, round) => runs[kind](round), async (round): Promise<BatchCeilings> => (ceilings ? ceilings(round) : {}));
  return pairs.map(({ batch: { result: batch, statements: b }, singles: { result: singles, statements: s }, after: c }, round) => {
    const ratio = (batch.rps * BATCH_SIZE) / singles.rps;
    const ceilingText =
      (c.minimalCeiling ? `; minimal ceiling ${c.minimalCeiling.rps.toFixed(0)} allocations/s` : "") +
      (c.batchCeiling ? `, the batch's SQL ceiling ${c.batchCeiling.rps.toFixed(0)} allocations/s` : "");
    log(`  round ${round + 1}: batch ${(batch.rps * BATCH_SIZE).toFixed(0)} allocations/s (${batch.rps.toFixed(1)} req/s), singles ${singles.rps.toFixed(0)} allocations/s: ${ratio.toFixed(2)}×${ceilingText}`);
    return { batch, singles, statements: { batch: b, singles: s }, ratio, ...c };
  });
}

/** (g) Rendering alone, one label at a time: the documented example's shipment, allocated now. */
export async function renderingTimes(labels: number): Promise<Rendering> {
  const demo = await loadDemoDataset();
  const shipment = demo.shipments.find((s) => s.reference === "sp_00802615769404976542730318118912")!;
  const record: ShipmentRecord = { ...shipment, id: 1, accountId: 1 };
  const label: LabelData = labelData(record, {
    shipmentId: 1,
    deallocatedAt: null,
    deallocationReason: null,
    carrierServiceId: 1,
    carrierServiceReference: SERVICE_REF,
    carrier: { reference: "FF_LINET", name: "Lineten", serviceReference: SERVICE_REF, serviceName: "Lineten - Standard On Demand" },
    allocationDate: new Date(),
    price: { net: "2.00", gross: "2.00", currency: "GBP", taxes: [] },
    trackingReferences: ["19297253"],
  });
  const time = async (render: () => unknown): Promise<{ p50: number; p99: number }> => {
    for (let i = 0; i < Math.min(100, labels); i++) await render(); // warm-up: JIT and font tables
    const ms: number[] = [];
    for (let i = 0; i < labels; i++) {
      const started = process.hrtime.bigint();
      await render();
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    ms.sort((a, b) => a - b);
    return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
  };
  return { labels, pdf: await time(() => renderPdf(label)), zpl: await time(() => renderZpl(label)) };
}

/** (h) Alternating: GET /labels/{ref}/pdf over allocated shipments, and the carrierService query. */
export async function labelsVsCarrierService(
  subgraph: Child,
  connections: number,
  rounds: number,
  seconds: number,
  allocatedRefs: string[],
  log: (line: string) => void,
): Promise<LabelRound[]> {
  const port = subgraph.ready.ready as number;
  const rss = () => subgraph.rss();
  let next = 0;
  const runs = {
    label: () =>
      load({
        url: `http://127.0.0.1:${port}/`,
        connections,
        duration: seconds,
        headers: { "x-api-key": DEMO_KEY },
        check: (b) => b.startsWith("%PDF-"),
        rss,
        nextBody: () => "",
        nextPath: () => `/labels/${allocatedRefs[next++ % allocatedRefs.length]}/pdf`,
      }),
    carrierService: () =>
      load({
        url: `http://127.0.0.1:${port}/graphql`,
        connections,
        duration: seconds,
        headers: { "x-api-key": DEMO_KEY },
        check: noErrors(`"reference":"${SERVICE_REF}"`),
        rss,
        nextBody: () => body(CARRIER_SERVICE, { reference: SERVICE_REF }),
      }),
  };
  const pairs = await inTurns(["label", "carrierService"] as const, rounds, (kind) => runs[kind]());
  return pairs.map(({ label, carrierService }, round) => {
    const slowdown = carrierService.rps / label.rps;
    log(`  round ${round + 1}: GET /labels/{ref}/pdf ${label.rps.toFixed(0)} req/s (p50 ${label.p50.toFixed(2)} ms), carrierService ${carrierService.rps.toFixed(0)} req/s: ${slowdown.toFixed(2)}× slower`);
    return { label, carrierService, slowdown };
  });
}

export function printBatchLabels(results: BatchLabelResults, log: (line: string) => void): void {
  const pick = <T>(rounds: T[], f: (r: T) => number) => median(rounds.map(f));
  const b = results.batchVsSingles;
  const l = results.labelsVsCarrierService;
  log("");
  log("| scenario (PostgreSQL subgraph) | allocations/s or req/s | p50 ms | p99 ms | RSS MB |");
  log("|---|---:|---:|---:|---:|");
  log(`| allocateShipments, ${BATCH_SIZE} items per request (allocations/s) | ${pick(b, (r) => r.batch.rps * BATCH_SIZE).toFixed(0)} | ${pick(b, (r) => r.batch.p50).toFixed(2)} | ${pick(b, (r) => r.batch.p99).toFixed(2)} | ${Math.max(...b.map((r) => r.batch.rssMb)).toFixed(0)} |`);
  log(`| single allocateShipmentWithVirtualService (allocations/s) | ${pick(b, (r) => r.singles.rps).toFixed(0)} | ${pick(b, (r) => r.singles.p50).toFixed(2)} | ${pick(b, (r) => r.singles.p99).toFixed(2)} | ${Math.max(...b.map((r) => r.singles.rssMb)).toFixed(0)} |`);
  for (const [label, of] of [
    ["minimal SQL ceiling, same rounds (allocations/s)", (r: BatchRound) => r.minimalCeiling],
    [`the batch's SQL ceiling: ${BATCH_SIZE} items' statements pipelined on one connection (allocations/s)`, (r: BatchRound) => r.batchCeiling],
  ] as const) {
    if (!b.every((r) => of(r))) continue;
    log(`| ${label} | ${pick(b, (r) => of(r)!.rps).toFixed(0)} | ${pick(b, (r) => of(r)!.p50).toFixed(2)} | ${pick(b, (r) => of(r)!.p99).toFixed(2)} | |`);
  }
  log(`| GET /labels/{ref}/pdf (req/s) | ${pick(l, (r) => r.label.rps).toFixed(0)} | ${pick(l, (r) => r.label.p50).toFixed(2)} | ${pick(l, (r) => r.label.p99).toFixed(2)} | ${Math.max(...l.map((r) => r.label.rssMb)).toFixed(0)} |`);
  log(`| carrierService query (req/s) | ${pick(l, (r) => r.carrierService.rps).toFixed(0)} | ${pick(l, (r) => r.carrierService.p50).toFixed(2)} | ${pick(l, (r) => r.carrierService.p99).toFixed(2)} | ${Math.max(...l.map((r) => r.carrierService.rssMb)).toFixed(0)} |`);
  const cpu = (of: (r: BatchRound) => LoadResult) => (b.every((r) => of(r).cpuMsPerRequest !== undefined) ? pick(b, (r) => of(r).cpuMsPerRequest!).toFixed(2) : "–");
  log(`CPU of the subgraph's process per allocation (ms, /proc, median over rounds): batch ${cpu((r) => r.batch)}, single mutations ${cpu((r) => r.singles)}`);
  const r = results.rendering;
  log(`Label rendering in process, ${r.labels} labels each: PDF p50 ${r.pdf.p50.toFixed(2)} ms, p99 ${r.pdf.p99.toFixed(2)} ms; ZPL p50 ${r.zpl.p50.toFixed(3)} ms, p99 ${r.zpl.p99.toFixed(3)} ms`);
}

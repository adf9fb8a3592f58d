// The bench's data: the demo data set plus fresh unallocated shipments that FF_LINET-00001 can carry.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Dataset } from "../src/import/dataset";
import { validateDataset } from "../src/import/validate";

export const DEMO_KEY = "demo-api-key";
export const SERVICE_REF = "FF_LINET-00001";
/** Items per allocateShipments request in the bench, and per batch of the batch ceiling. */
export const BATCH_SIZE = 100;

/** Shipment lists by purpose, in a fixed order; each reference is allocated by exactly one request. */
export type ShipmentPlan = [label: string, count: number][];

/** "sp_" and 32 digits, as the import format wants: 7, the list's 3-digit block, a 28-digit counter. */
export function benchReferences(plan: ShipmentPlan, label: string): string[] {
  const block = plan.findIndex(([name]) => name === label);
  if (block < 0) throw new Error(`No shipment list ${label}`);
  const prefix = `sp_7${String(block).padStart(3, "0")}`;
  return Array.from({ length: plan[block][1] }, (_, i) => prefix + String(i).padStart(28, "0"));
}

/**
 * The demo account's size for the growth scenarios: its shipments (the demo's own, the plan's lists,
 * then unallocated filler shipments) and its carrier services (the demo's own, then copies of
 * SERVICE_REF under other references, which no allocation of the bench uses).
 */
export interface AccountSize {
  shipments: number;
  services: number;
}

const DEMO_ACCOUNT = "demo";

type Row = Record<string, unknown>;

function padTo(rows: Row[], size: number, what: string, make: (i: number) => Row): void {
  const have = rows.filter((row) => row.account === DEMO_ACCOUNT).length;
  if (have > size) throw new Error(`The demo account already has ${have} ${what}, more than ${size}`);
  for (let i = 0; have + i < size; i++) rows.push(make(i));
}

/** The demo data set with `count` copies of the documented on-demand shipment per plan label, validated; padded to `size`. */
export function benchDataset(root: string, plan: ShipmentPlan, size?: AccountSize): { raw: unknown; dataset: Dataset } {
  const raw = JSON.parse(readFileSync(path.join(root, "data", "demo-dataset.json"), "utf8")) as {
    shipments: Row[];
    carrierServices: Row[];
  };
  const template = raw.shipments.find((s) => s.reference === "sp_00802615769404976542730318118912");
  const service = raw.carrierServices.find((s) => s.reference === SERVICE_REF);
  if (!template || !service) throw new Error("The demo data set lost its documented shipment or service");
  for (const [label] of plan) {
    for (const reference of benchReferences(plan, label)) raw.shipments.push({ ...template, reference });
  }
  if (size) {
    // "sp_8…": apart from the plan's "sp_7…" and the demo's own
    padTo(raw.shipments, size.shipments, "shipments", (i) => ({ ...template, reference: `sp_8${String(i).padStart(31, "0")}` }));
    padTo(raw.carrierServices, size.services, "carrier services", (i) => ({ ...service, reference: `BENCH_SVC-${String(i).padStart(5, "0")}`, name: `Bench service ${i}` }));
  }
  const result = validateDataset(raw);
  if (!result.ok) throw new Error(`Bench data set invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return { raw, dataset: result.dataset };
}

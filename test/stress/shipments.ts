// Fresh shipments for load tests, imported the way operators import them (validated, then importDataset).
import { randomInt } from "node:crypto";
import { importDataset } from "../../src/store/import-dataset";
import type { DatasetShipment } from "../../src/import/dataset";
import { validateDataset } from "../../src/import/validate";
import type { Store } from "../../src/store";

export type ShipmentSpec = Partial<Pick<DatasetShipment, "shipmentType" | "state" | "tags">> & {
  destination?: DatasetShipment["destination"];
  weightKg?: string;
};

/** A run's own shipment references: sp_ + 32 digits, a random run number then a counter. */
export function referenceMaker(): (n: number) => string {
  const run = String(randomInt(10 ** 9)).padStart(9, "0");
  return (n) => `sp_7${run}${String(n).padStart(22, "0")}`;
}

/** Demo-account shipments; by default scheduled, to GB, 1 kg, unallocated (DPD-00012, RM-00024, RM-00048 carry them). */
export async function importShipments(store: Store, references: string[], spec: ShipmentSpec = {}): Promise<void> {
  const shipments = references.map((reference) => ({
    account: "demo",
    reference,
    state: spec.state ?? "unallocated",
    shipmentType: spec.shipmentType ?? "scheduled",
    origin: { countryIsoCode: "GB", postalCode: "EC1A 1BB" },
    destination: spec.destination ?? { countryIsoCode: "GB", postalCode: "M1 1AE" },
    tags: spec.tags ?? [],
    contents: [{ weightKg: spec.weightKg ?? "1", value: { amount: "20.00", currency: "GBP" } }],
  }));
  const result = validateDataset({ version: 1, shipments });
  if (!result.ok) throw new Error(`Invalid test shipments: ${JSON.stringify(result.problems)}`);
  await importDataset(store, result.dataset);
}

// Generated data sets for the demo account: many shipments that FF_LINET-00001 carries, and
// FF_LINET services to build groups of any size. Written with importDataset, as an operator would.
import { sql } from "kysely";
import type { Dataset, DatasetCarrierService, DatasetShipment } from "../../src/import/dataset";
import { importDataset } from "../../src/store/import-dataset";
import type { Store } from "../../src/store/store";

/** Shipments like the documented example (on demand, GB, 1.2 kg): FF_LINET services accept them. */
export function onDemandShipments(prefix: string, count: number): DatasetShipment[] {
  return Array.from({ length: count }, (_, i) => ({
    account: "demo",
    reference: `${prefix}_${String(i).padStart(4, "0")}`,
    state: "unallocated",
    shipmentType: "on_demand",
    origin: { countryIsoCode: "GB", postalCode: "EC1A 1BB" },
    destination: { countryIsoCode: "GB", postalCode: "SW1A 1AA" },
    tags: [],
    contents: [{ weightKg: "1.2", value: { amount: "25.00", currency: "GBP" }, quantity: 1 }],
  }));
}

/** Demo-account services of the carrier FF_LINET that carry onDemandShipments, each at its own price. */
export function ffLinetServices(prefix: string, count: number): DatasetCarrierService[] {
  return Array.from({ length: count }, (_, i) => ({
    account: "demo",
    reference: `${prefix}-${String(i).padStart(3, "0")}`,
    name: `Lineten ${prefix} ${i}`,
    carrier: "FF_LINET",
    active: true,
    shipmentTypes: ["on_demand"],
    destinationCountries: ["GB"],
    excludedPostcodeAreas: [],
    tags: [],
    maxWeightKg: "15",
    rates: [{ maxWeightKg: "15", net: `${3 + i}.00` }],
    currency: "GBP",
    tax: { countryIsoCode: "GB", type: "Zero", value: "0" },
  }));
}

/** A data set that adds records to the existing demo account and carriers. */
export function addToDemo(parts: Partial<Pick<Dataset, "carrierServices" | "serviceGroups" | "shipments">>): Dataset {
  return { version: 1, accounts: [], carriers: [], carrierServices: [], serviceGroups: [], shipments: [], ...parts };
}

/**
 * Imports `count` on-demand shipments and a carrier service, BROKEN-1, whose carrier's tracking
 * sequence is gone: allocating to it fails inside the item's own statement (an unexpected error).
 */
export async function addBrokenCarrier(store: Store, shipmentPrefix: string, count: number): Promise<void> {
  await importDataset(store, {
    ...addToDemo({
      carrierServices: [
        {
          account: "demo", reference: "BROKEN-1", name: "Broken", carrier: "BROKEN", active: true,
          shipmentTypes: ["on_demand"], destinationCountries: ["GB"], excludedPostcodeAreas: [], tags: [],
          maxWeightKg: "15", rates: [{ maxWeightKg: "15", net: "1.00" }], currency: "GBP",
          tax: { countryIsoCode: "GB", type: "Zero", value: "0" },
        },
      ],
      shipments: onDemandShipments(shipmentPrefix, count),
    }),
    carriers: [{ reference: "BROKEN", name: "Broken carrier" }],
  });
  const { tracking_sequence } = await store.db.selectFrom("carriers").select("tracking_sequence").where("reference", "=", "BROKEN").executeTakeFirstOrThrow();
  await sql`DROP SEQUENCE ${sql.id(tracking_sequence)}`.execute(store.db);
}

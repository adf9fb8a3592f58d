// A data set as validateDataset returns it: data/dataset.schema.json with its defaults applied
// and every top-level list present. Decimals stay strings.
import type { Address, Dimensions, Money, ShipmentType } from "../allocation/engine/records";

export interface Dataset {
  version: 1;
  accounts: DatasetAccount[];
  carriers: DatasetCarrier[];
  carrierServices: DatasetCarrierService[];
  serviceGroups: DatasetServiceGroup[];
  shipments: DatasetShipment[];
}

export interface DatasetAccount {
  reference: string;
  name: string;
  /** Plain keys: importDataset stores only their SHA-256. */
  apiKeys: string[];
}

export interface DatasetCarrier {
  reference: string;
  name: string;
  trackingNumber?: { prefix: string; next: number; suffix: string };
}

export interface DatasetCarrierService {
  account: string;
  reference: string;
  name: string;
  carrier: string;
  active: boolean;
  shipmentTypes: ShipmentType[];
  destinationCountries: string[];
  excludedPostcodeAreas: string[];
  tags: string[];
  maxWeightKg: string;
  maxDimensionsCm?: Dimensions;
  maxValue?: Money;
  rates: { maxWeightKg: string; net: string }[];
  currency: string;
  tax: { countryIsoCode: string; type: string; value: string };
}

export interface DatasetServiceGroup {
  account: string;
  reference: string;
  name: string;
  /** Carrier service references of the same account, in priority order. */
  services: string[];
}

export type ImportableShipmentState = "unallocated" | "allocation_failed" | "cancelled";

export interface DatasetShipment {
  account: string;
  reference: string;
  state: ImportableShipmentState;
  shipmentType: ShipmentType;
  origin: Address;
  destination: Address;
  tags: string[];
  contents: DatasetContentItem[];
}

export interface DatasetContentItem {
  weightKg: string;
  dimensionsCm?: Dimensions;
  value: Money;
  quantity: number;
}

/** The small part of a data set, which an import holds whole. */
export type DatasetCatalogue = Omit<Dataset, "version" | "shipments">;

/**
 * A data set as importDataset reads it, inside its transaction: each shipment is handed to `stage` as
 * it arrives (so a large file's shipments are never held at once), then the catalogue is returned.
 * Throws DatasetRejected (or UnreadableDataset) when the data set has problems.
 */
export type DatasetReader = (stage: (shipment: DatasetShipment) => Promise<void>) => Promise<DatasetCatalogue>;

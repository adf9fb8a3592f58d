// Rule numbers: docs/allocation-rules.md
import { totalWeightKg } from "../allocation/engine";
import type { Address, AllocationRecord, ShipmentRecord } from "../allocation/engine/records";

export type LabelFormat = "pdf" | "zpl";

/** What a label prints (rule 20), independent of the format. */
export interface LabelData {
  carrierName: string;
  serviceName: string;
  trackingReference: string;
  shipmentReference: string;
  /** One printed line each: name, company, lines, city, region, postal code, country, as far as known. */
  destination: string[];
  origin: string[];
  /** "2.5 kg" */
  weight: string;
  /** YYYY-MM-DD in UTC */
  date: string;
  /** The allocation's moment: the PDF's creation date, so the same allocation gives the same bytes. */
  allocatedAt: Date;
}

const countries = new Intl.DisplayNames(["en"], { type: "region" });

export function labelData(shipment: ShipmentRecord, allocation: AllocationRecord): LabelData {
  return {
    carrierName: allocation.carrier.name,
    serviceName: allocation.carrier.serviceName,
    trackingReference: allocation.trackingReferences[0] ?? "",
    shipmentReference: shipment.reference,
    destination: addressLines(shipment.destination),
    origin: addressLines(shipment.origin),
    weight: `${totalWeightKg(shipment).toFixed()} kg`,
    date: allocation.allocationDate.toISOString().slice(0, 10),
    allocatedAt: allocation.allocationDate,
  };
}

function addressLines(address: Address): string[] {
  const lines = [address.name, address.company, ...(address.lines ?? []), address.city, address.region, address.postalCode];
  return [...lines.filter((line): line is string => !!line?.trim()), countries.of(address.countryIsoCode) ?? address.countryIsoCode];
}

import { ALLOCATABLE_STATES, type ShipmentStateValue } from "./records";
import type { DetailRecord } from "./types";

export interface LinkRecord {
  href: string;
  rel: string;
  reference: string;
  type: string;
}

export function successMessage(ref: string): string {
  return `Shipment ${ref} has been allocated successfully`;
}

export function failureMessage(ref: string): string {
  return `Shipment ${ref} could not be allocated`;
}

export function invalidStateDetails(ref: string, state: ShipmentStateValue): DetailRecord[] {
  return [{ code: "shipment_invalid_state", message: `Shipment ${ref} is ${state} and cannot be allocated`, property: "state" }];
}

// Labels exist only once a shipment is allocated, so failures link to the shipment alone.
export function buildLinks(baseUrl: string, ref: string, withLabels: boolean): LinkRecord[] {
  const base = baseUrl.replace(/\/+$/, "");
  const shipment: LinkRecord = { href: `${base}/shipments/${ref}`, rel: "shipment", reference: ref, type: "shipment" };
  if (!withLabels) return [shipment];
  return [
    shipment,
    { href: `${base}/labels/${ref}/pdf`, rel: "label", reference: ref, type: "label" },
    { href: `${base}/labels/${ref}/zpl`, rel: "label", reference: ref, type: "label" },
  ];
}

export function isAllocatable(state: ShipmentStateValue): boolean {
  return ALLOCATABLE_STATES.includes(state);
}

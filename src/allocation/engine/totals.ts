import type { ShipmentRecord } from "./records";
import { Dec } from "./decimal";

// Kept apart from eligibility.ts so pricing can use it without an import cycle.
export function totalWeightKg(shipment: ShipmentRecord): Dec {
  return shipment.contents.reduce((sum, item) => sum.plus(new Dec(item.weightKg).times(item.quantity)), new Dec(0));
}

// Sums amounts whatever their currency: the value check rejects mixed currencies before comparing.
export function totalValue(shipment: ShipmentRecord): Dec {
  return shipment.contents.reduce((sum, item) => sum.plus(new Dec(item.value.amount).times(item.quantity)), new Dec(0));
}

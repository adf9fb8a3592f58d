import type { Loaders } from "../graphql/loaders";
import { labelData, type LabelData } from "./label.data";

/**
 * What the label of a shipment of the loaders' account prints, from the allocation in force (the one
 * `shipment.allocation` shows); null when there is none: never allocated, failed, or deallocated.
 */
export async function findLabelSubject(loaders: Loaders, shipmentRef: string): Promise<LabelData | null> {
  const shipment = await loaders.shipmentByRef.load(shipmentRef);
  if (!shipment) return null;
  const allocation = await loaders.allocationByShipment.load(shipment.id);
  return allocation && labelData(shipment, allocation);
}

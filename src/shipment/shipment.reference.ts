import type { Context } from "../graphql/context";
import { Shipment } from "./shipment.type";

export async function resolveShipmentReference(
  representation: Pick<Shipment, "reference">,
  ctx: Context,
): Promise<Shipment | null> {
  const record = await ctx.loaders.shipmentByRef.load(String(representation.reference));
  return record && Shipment.from(record);
}

import type { Context } from "../graphql/context";
import { CarrierService } from "./carrier-service.type";

export async function resolveCarrierServiceReference(
  representation: Pick<CarrierService, "reference">,
  ctx: Context,
): Promise<CarrierService | null> {
  const record = await ctx.loaders.carrierServiceByRef.load(String(representation.reference));
  return record && CarrierService.from(record);
}

import type { Context } from "../graphql/context";
import { ServiceGroup } from "./service-group.type";

export async function resolveServiceGroupReference(
  representation: Pick<ServiceGroup, "reference">,
  ctx: Context,
): Promise<ServiceGroup | null> {
  const record = await ctx.loaders.serviceGroupByRef.load(String(representation.reference));
  return record && ServiceGroup.from(record);
}

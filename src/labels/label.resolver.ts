import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { build } from "../graphql/build";
import { Allocation } from "../allocation/allocation.type";
import type { Context } from "../graphql/context";
import { ALLOCATION_WEIGHT, Cost } from "../graphql/limits/cost.directives";
import { CONTENT_TYPES, renderLabel } from "./label.render";
import { findLabelSubject } from "./label.subject";
import { Label, LabelFormat } from "./label.type";

@Resolver(() => Allocation)
export class AllocationLabelResolver {
  // renders the PDF or the ZPL each time it is asked for
  @Cost(ALLOCATION_WEIGHT)
  @FieldResolver(() => Label, { nullable: true, description: "The shipping label; null unless this is the shipment's allocation in force." })
  async label(@Root() allocation: Allocation, @Arg("format", () => LabelFormat) format: LabelFormat, @Ctx() ctx: Context): Promise<Label | null> {
    const { reference, trackingReferences } = allocation.trackingDetails.shipment;
    const subject = await findLabelSubject(ctx.loaders, reference);
    // a voided allocation's tracking reference is no longer the one in force: it has no label
    if (!subject || subject.trackingReference !== trackingReferences[0]) return null;
    const content = await renderLabel(format, subject);
    return build(Label, { format, contentType: CONTENT_TYPES[format], content: content.toString("base64") });
  }
}

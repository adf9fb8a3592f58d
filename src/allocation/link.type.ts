import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "rel/type: shipment/shipment, label/label (pdf), label/label (zpl)." })
export class Link {
  @Field(() => String)
  href!: string;

  @Field(() => String)
  rel!: string;

  @Field(() => String, { nullable: true })
  reference!: string | null;

  @Field(() => String)
  type!: string;
}

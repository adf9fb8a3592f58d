import { Field, ObjectType, registerEnumType } from "type-graphql";

// values are the /labels/{ref}/{format} path segments
export enum LabelFormat {
  PDF = "pdf",
  ZPL = "zpl",
}

registerEnumType(LabelFormat, { name: "LabelFormat", description: "PDF: one 4 × 6 inch page. ZPL: ZPL II for 203 dpi printers." });

@ObjectType({ description: "A shipping label: the bytes GET /labels/{ref}/{format} answers, for clients behind a router." })
export class Label {
  @Field(() => LabelFormat)
  format!: LabelFormat;

  @Field(() => String, { description: "application/pdf or text/plain; charset=utf-8 (ZPL II)." })
  contentType!: string;

  @Field(() => String, { description: "The label's bytes, base64-encoded." })
  content!: string;
}

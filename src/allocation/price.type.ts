import { Field, ObjectType } from "type-graphql";
import { DecimalScalar } from "../graphql/decimal.scalar";
import type { PriceRecord } from "./engine/records";
import { build } from "../graphql/build";
import { ListSize } from "../graphql/limits/cost.directives";

@ObjectType({ description: "A tax rate as configured on the carrier service." })
export class TaxRate {
  @Field(() => String)
  reference!: string;

  @Field(() => String)
  countryIsoCode!: string;

  @Field(() => String)
  type!: string;

  @Field(() => DecimalScalar, { description: "A fraction: 0.2 is 20%." })
  value!: string;
}

@ObjectType()
export class Tax {
  @Field(() => TaxRate)
  rate!: TaxRate;

  @Field(() => DecimalScalar, { description: "net × rate, rounded half-up to 2 decimal places." })
  amount!: string;
}

@ObjectType({ description: "What the carrier service charges: gross = net + taxes." })
export class Price {
  @Field(() => DecimalScalar)
  net!: string;

  @Field(() => DecimalScalar)
  gross!: string;

  @ListSize(2)
  @Field(() => [Tax])
  taxes!: Tax[];

  @Field(() => String, { description: "ISO 4217 code." })
  currency!: string;

  static from(record: PriceRecord): Price {
    return build(Price, record);
  }
}

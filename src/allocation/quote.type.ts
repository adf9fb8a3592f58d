import { createUnionType, Field, ID, ObjectType } from "type-graphql";
import { CarrierService } from "../carrier-service/carrier-service.type";
import { AllocateResult } from "./allocate-result.type";
import { QuoteExpiredError, ReferenceNotFoundError } from "./api-error.type";
import { CarrierDetails } from "./carrier-details.type";
import { Price } from "./price.type";

@ObjectType({ description: "A priced choice, held until expiresAt for allocateShipmentWithQuote." })
export class Quote {
  @Field(() => ID, { description: "Opaque: pass it on exactly as received." })
  reference!: string;

  @Field(() => CarrierDetails)
  carrier!: CarrierDetails;

  @Field(() => CarrierService)
  carrierService!: CarrierService;

  @Field(() => Price)
  price!: Price;

  @Field(() => String, { description: "ISO 8601 date-time; the quote has expired from this instant on." })
  expiresAt!: string;
}

// members resolve by instanceof, so the service returns class instances
export const AllocateShipmentWithQuoteResult = createUnionType({
  name: "AllocateShipmentWithQuoteResult",
  types: () => [AllocateResult, ReferenceNotFoundError, QuoteExpiredError] as const,
});

export type QuoteAllocationOutcome = AllocateResult | ReferenceNotFoundError | QuoteExpiredError;

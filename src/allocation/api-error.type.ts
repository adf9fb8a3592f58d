import { Field, ID, InterfaceType, ObjectType } from "type-graphql";
import { CarrierService } from "../carrier-service/carrier-service.type";
import { ServiceGroup } from "../service-group/service-group.type";

@InterfaceType({
  description: "A business outcome that is not an allocation. code is stable and machine-readable; message is for people.",
})
export abstract class ApiError {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => String)
  correlationId!: string;
}

@ObjectType({
  implements: ApiError,
  description: "The reference names both a carrier service and a service group (code: non_unique_reference).",
})
export class AmbiguousReferenceError extends ApiError {
  @Field(() => ID)
  reference!: string;

  @Field(() => CarrierService, {
    nullable: true,
    description: "Always set; nullable only so that one query can select carrierService on every union member.",
  })
  carrierService!: CarrierService | null;

  @Field(() => ServiceGroup, { nullable: true, description: "Always set." })
  serviceGroup!: ServiceGroup | null;
}

@ObjectType({
  implements: ApiError,
  description:
    "A reference names nothing that the caller's account can see.\n" +
    "code: shipment_not_found | virtual_service_not_found | carrier_service_not_found | service_group_not_found | quote_not_found",
})
export class ReferenceNotFoundError extends ApiError {
  @Field(() => ID)
  reference!: string;
}

@ObjectType({
  implements: ApiError,
  description: "The quote has expired (code: quote_expired). Nothing changed: preview again for a new quote.",
})
export class QuoteExpiredError extends ApiError {
  @Field(() => ID)
  reference!: string;

  @Field(() => String, { description: "ISO 8601 date-time: the quote's expiresAt." })
  expiredAt!: string;
}

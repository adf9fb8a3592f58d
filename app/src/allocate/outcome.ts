import type { AllocateShipmentWithVirtualServiceMutation } from "../../../client/generated/graphql";

/** Every member an allocate mutation can answer with. */
export type Outcome = AllocateShipmentWithVirtualServiceMutation["allocateShipmentWithVirtualService"];
export type AmbiguousOutcome = Extract<Outcome, { __typename: "AmbiguousReferenceError" }>;
/** What allocating with a carrier service or a service group answers: never ambiguous. */
export type DirectOutcome = Exclude<Outcome, AmbiguousOutcome>;

/** The queries an allocation changes, refetched after one. */
export const REFRESH_AFTER_ALLOCATION = ["Shipment", "ShipmentAllocationHistory"];

/** Mutations are sent with .catch(ignore): their errors are rendered from the hook's `error`, not thrown. */
export const ignore = () => undefined;

import { registerEnumType } from "type-graphql";
import { SHIPMENT_STATES, type ShipmentStateValue } from "../allocation/engine/records";

// built from the one list of states: GraphQL names are the stored values in capitals, values are the stored ones
export const ShipmentState = Object.fromEntries(SHIPMENT_STATES.map((state) => [state.toUpperCase(), state])) as {
  readonly [S in ShipmentStateValue as Uppercase<S>]: S;
};
export type ShipmentState = ShipmentStateValue;

registerEnumType(ShipmentState, { name: "ShipmentState", description: "Where a shipment is in its life." });

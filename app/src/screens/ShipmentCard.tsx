import type { ShipmentQuery } from "../../../client/generated/graphql";
import { dateTime, money, STATE_WORDS } from "../format";

type Shipment = NonNullable<ShipmentQuery["shipment"]>;

/** A shipment's state and the allocation in force. */
export function ShipmentCard({ shipment }: { shipment: Shipment }) {
  const { allocation } = shipment;
  return (
    <section className="card" aria-labelledby="shipment-heading">
      <h2 id="shipment-heading">Shipment</h2>
      <p className="mono reference">{shipment.reference}</p>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <span className={`state state-${shipment.state.toLowerCase()}`}>{STATE_WORDS[shipment.state]}</span>
        </dd>
        {allocation && (
          <>
            <dt>Service</dt>
            <dd>
              {allocation.carrier.serviceName} <span className="hint">({allocation.carrier.name})</span>
            </dd>
            <dt>Tracking</dt>
            <dd className="mono">{allocation.trackingDetails.shipment.trackingReferences.join(", ")}</dd>
            <dt>Price</dt>
            <dd>{money(allocation.price)}</dd>
            <dt>Allocated</dt>
            <dd>{dateTime(allocation.allocationDate)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

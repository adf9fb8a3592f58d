import { DetailList } from "../components/DetailList";
import { exclusionWords, money, notFoundWords } from "../format";
import type { DirectOutcome } from "./outcome";

/** An allocation's outcome: allocated, not allocated (with the reasons), or a reference that names nothing. */
export function ResultView({ outcome }: { outcome: DirectOutcome }) {
  if (outcome.__typename === "ReferenceNotFoundError") {
    return (
      <div className="notice notice-warning" role="alert">
        <h3>Not found</h3>
        <p>{notFoundWords(outcome)}</p>
      </div>
    );
  }
  if (outcome.state === "ALLOCATED" && outcome.carrier && outcome.price) {
    return (
      <div className="notice notice-success" role="status">
        <h3>Allocated</h3>
        <p>
          {outcome.carrier.serviceName} ({outcome.carrier.name}), {money(outcome.price)}.
        </p>
        <p>
          Tracking: <strong className="mono">{outcome.trackingDetails?.shipment.trackingReferences.join(", ")}</strong>
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice-warning" role="alert">
      <h3>Not allocated</h3>
      <DetailList details={outcome.details} />
      {outcome.excludedServices.length > 0 && <ExcludedServices services={outcome.excludedServices} />}
    </div>
  );
}

function ExcludedServices({ services }: { services: Extract<DirectOutcome, { __typename: "AllocateResult" }>["excludedServices"] }) {
  return (
    <>
      <h4>Services that could not take it</h4>
      <ul className="excluded">
        {services.map(({ carrier, exclusion }) => (
          <li key={carrier.serviceReference}>
            <span className="service-name">{carrier.serviceName ?? carrier.serviceReference}</span>
            <span className="reason">
              <strong>{exclusionWords(exclusion.code)}</strong>: {exclusion.reason}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

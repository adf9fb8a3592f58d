// Issue 10 (waiting for its hooks): every allocation the shipment has had, newest first.
import { useShipmentAllocationHistoryQuery } from "../../../client/generated/graphql";
import { ignore } from "../allocate/outcome";
import { ProblemNotice } from "../components/ProblemNotice";
import { dateTime, money } from "../format";

export function HistoryPanel({ shipmentRef }: { shipmentRef: string }) {
  const { data, loading, error, refetch } = useShipmentAllocationHistoryQuery({ variables: { reference: shipmentRef }, fetchPolicy: "cache-and-network" });
  const history = data?.shipment?.allocationHistory;

  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Allocation history</h2>
      {loading && !history && <p className="loading">Loading the history…</p>}
      {error && <ProblemNotice error={error} action="Loading the history" onRetry={() => void refetch().catch(ignore)} />}
      {history?.length === 0 && <p>Never allocated.</p>}
      {history && history.length > 0 && (
        <ol className="history">
          {history.map((allocation) => (
            <li key={allocation.allocationDate}>
              <span className="service-name">{allocation.carrier.serviceName}</span>
              <span className="hint">
                {allocation.carrier.name} · {money(allocation.price)} · tracking{" "}
                <span className="mono">{allocation.trackingDetails.shipment.trackingReferences.join(", ")}</span>
              </span>
              <span>Allocated {dateTime(allocation.allocationDate)}</span>
              {allocation.deallocatedAt ? (
                <span>
                  Deallocated {dateTime(allocation.deallocatedAt)}: {allocation.deallocationReason ?? "no reason given"}
                </span>
              ) : (
                <span className="state state-allocated">In force</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

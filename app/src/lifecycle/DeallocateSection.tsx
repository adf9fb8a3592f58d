// Issue 10 (waiting for its hooks): undo the allocation in force, with an optional reason, after a confirmation.
import { useId, useState, type FormEvent } from "react";
import { useDeallocateShipmentMutation, type DeallocateShipmentMutationVariables, type ShipmentState } from "../../../client/generated/graphql";
import { newIdempotencyKey } from "../api/client";
import { ignore, REFRESH_AFTER_ALLOCATION } from "../allocate/outcome";
import { DetailList } from "../components/DetailList";
import { ProblemNotice } from "../components/ProblemNotice";
import { useOnTurningTrue } from "../components/use-on-turning-true";
import { notFoundWords } from "../format";

/** docs/allocation-rules.md, rule 18. */
const MAX_REASON = 500;

export function DeallocateSection({ shipmentRef, state }: { shipmentRef: string; state: ShipmentState }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [attempt, setAttempt] = useState<DeallocateShipmentMutationVariables | null>(null);
  const [deallocate, { data, loading, error, reset }] = useDeallocateShipmentMutation({ refetchQueries: REFRESH_AFTER_ALLOCATION });
  const outcome = data?.deallocateShipment;
  const allocated = state === "ALLOCATED";

  // allocated again: the last deallocation is history now
  useOnTurningTrue(allocated, reset);

  const send = (variables: DeallocateShipmentMutationVariables) => {
    setAttempt(variables);
    setConfirming(false);
    void deallocate({ variables }).catch(ignore);
  };
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    setConfirming(true);
  };

  if (!allocated && !outcome && !error) return null;
  return (
    <section className="card" aria-labelledby="deallocate-heading">
      <h2 id="deallocate-heading">Deallocate</h2>
      {allocated && !confirming && (
        <form onSubmit={confirm}>
          <label htmlFor={id}>Reason (optional)</label>
          <p className="hint" id={`${id}-hint`}>
            Kept in the allocation history. {MAX_REASON - [...reason].length} characters left.
          </p>
          <textarea
            id={id}
            rows={2}
            value={reason}
            onChange={(event) => setReason([...event.target.value].slice(0, MAX_REASON).join(""))}
            aria-describedby={`${id}-hint`}
          />
          <button type="submit" disabled={loading}>
            Deallocate…
          </button>
        </form>
      )}
      {confirming && (
        <div className="notice notice-question" role="alertdialog" aria-labelledby="deallocate-confirm">
          <h3 id="deallocate-confirm">Deallocate {shipmentRef}?</h3>
          <p>Its tracking number is voided and its label stops working. It can be allocated again afterwards.</p>
          <div className="row">
            <button type="button" onClick={() => send({ shipmentRef, reason: reason.trim() || null, idempotencyKey: newIdempotencyKey() })}>
              Yes, deallocate
            </button>
            <button type="button" className="quiet" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      <div aria-live="polite">
        {loading && <p className="loading">Deallocating…</p>}
        {error && attempt && <ProblemNotice error={error} action="Deallocating" onRetry={() => send(attempt)} />}
        {outcome?.__typename === "DeallocateResult" &&
          (outcome.details.length === 0 ? (
            <div className="notice notice-success" role="status">
              <h3>Deallocated</h3>
              <p>The shipment can be allocated again.</p>
            </div>
          ) : (
            <div className="notice notice-warning" role="alert">
              <h3>Not deallocated</h3>
              <DetailList details={outcome.details} />
            </div>
          ))}
        {outcome?.__typename === "ReferenceNotFoundError" && (
          <div className="notice notice-warning" role="alert">
            <h3>Not found</h3>
            <p>{notFoundWords(outcome)}</p>
          </div>
        )}
      </div>
    </section>
  );
}

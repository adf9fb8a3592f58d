import { useState } from "react";
import {
  useAllocateShipmentWithVirtualServiceMutation,
  type AllocateShipmentWithVirtualServiceMutationVariables,
  type ShipmentState,
} from "../../../client/generated/graphql";
import { newIdempotencyKey } from "../api/client";
import { ProblemNotice } from "../components/ProblemNotice";
import { ScanField } from "../components/ScanField";
import { useOnTurningTrue } from "../components/use-on-turning-true";
import { ALLOCATABLE } from "../format";
import { AmbiguousChoice } from "./AmbiguousChoice";
import { ignore, REFRESH_AFTER_ALLOCATION } from "./outcome";
import { ResultView } from "./ResultView";

/** Allocate with a virtual service reference (a carrier service or a service group), and what came of it. */
export function AllocateSection({ shipmentRef, state }: { shipmentRef: string; state: ShipmentState }) {
  const [attempt, setAttempt] = useState<AllocateShipmentWithVirtualServiceMutationVariables | null>(null);
  const [allocate, { data, loading, error, reset }] = useAllocateShipmentWithVirtualServiceMutation({ refetchQueries: REFRESH_AFTER_ALLOCATION });
  const outcome = data?.allocateShipmentWithVirtualService;
  const canAllocate = ALLOCATABLE.includes(state);

  // allocatable again (deallocated, here or on another device): the last outcome is history now
  useOnTurningTrue(canAllocate, reset);

  // a retry sends the same idempotency key: if the first attempt did reach the server, it is not allocated twice
  const send = (variables: AllocateShipmentWithVirtualServiceMutationVariables) => {
    setAttempt(variables);
    void allocate({ variables }).catch(ignore);
  };

  if (!canAllocate && !outcome && !error) return null;
  return (
    <section className="card" aria-labelledby="allocate-heading">
      <h2 id="allocate-heading">Allocate</h2>
      {canAllocate && (
        <ScanField
          label="Virtual service reference"
          hint="A carrier service or a service group, such as FF_LINET-00001 or NEXT_DAY."
          submitLabel="Allocate"
          busy={loading}
          onSubmit={(virtualServiceRef) => send({ shipmentRef, virtualServiceRef, idempotencyKey: newIdempotencyKey() })}
        />
      )}
      <div aria-live="polite">
        {loading && <p className="loading">Allocating…</p>}
        {error && attempt && <ProblemNotice error={error} action="Allocating" onRetry={() => send(attempt)} />}
        {outcome?.__typename === "AmbiguousReferenceError" ? (
          <AmbiguousChoice key={outcome.correlationId} shipmentRef={shipmentRef} ambiguity={outcome} />
        ) : (
          outcome && <ResultView outcome={outcome} />
        )}
      </div>
    </section>
  );
}

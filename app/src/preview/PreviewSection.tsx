// Issue 10 (waiting for its hooks): preview with a virtual service reference, every option cheapest
// first with each excluded service's reason, and one tap to allocate the quoted option.
import { useState } from "react";
import {
  useAllocateShipmentWithQuoteMutation,
  usePreviewAllocationWithVirtualServiceLazyQuery,
  type AllocateShipmentWithQuoteMutationVariables,
  type PreviewAllocationWithVirtualServiceQuery,
  type ShipmentState,
} from "../../../client/generated/graphql";
import { newIdempotencyKey } from "../api/client";
import { AmbiguousChoice } from "../allocate/AmbiguousChoice";
import { ignore, REFRESH_AFTER_ALLOCATION } from "../allocate/outcome";
import { ResultView } from "../allocate/ResultView";
import { DetailList } from "../components/DetailList";
import { ProblemNotice } from "../components/ProblemNotice";
import { ScanField } from "../components/ScanField";
import { ALLOCATABLE, dateTime, notFoundWords } from "../format";
import { Options } from "./Options";

type PreviewOutcome = PreviewAllocationWithVirtualServiceQuery["previewAllocationWithVirtualService"];
export type Preview = Extract<PreviewOutcome, { __typename: "AllocationPreview" }>;

export function PreviewSection({ shipmentRef, state }: { shipmentRef: string; state: ShipmentState }) {
  const [preview, previewResult] = usePreviewAllocationWithVirtualServiceLazyQuery({ fetchPolicy: "network-only" });
  const [attempt, setAttempt] = useState<AllocateShipmentWithQuoteMutationVariables | null>(null);
  const [allocate, allocation] = useAllocateShipmentWithQuoteMutation({ refetchQueries: REFRESH_AFTER_ALLOCATION });
  const outcome = previewResult.data?.previewAllocationWithVirtualService;
  const allocated = allocation.data?.allocateShipmentWithQuote;

  const run = (virtualServiceRef: string) => {
    allocation.reset();
    void preview({ variables: { shipmentRef, virtualServiceRef } }).catch(ignore);
  };
  const send = (variables: AllocateShipmentWithQuoteMutationVariables) => {
    setAttempt(variables);
    void allocate({ variables }).catch(ignore);
  };

  const canAllocate = ALLOCATABLE.includes(state);
  if (!canAllocate && !allocated && !allocation.error) return null;
  return (
    <section className="card" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Compare services</h2>
      {canAllocate && (
        <ScanField
          label="Service to compare"
          hint="A carrier service or a service group: see every option and its price before allocating."
          submitLabel="Preview"
          busy={previewResult.loading}
          onSubmit={run}
        />
      )}
      <div aria-live="polite">
        {previewResult.loading && <p className="loading">Comparing…</p>}
        {previewResult.error && (
          <ProblemNotice error={previewResult.error} action="Comparing services" onRetry={() => void previewResult.refetch().catch(ignore)} />
        )}
        {!previewResult.loading && !allocated && outcome?.__typename === "AllocationPreview" && (
          <PreviewView
            preview={outcome}
            busy={allocation.loading}
            onAllocate={(quoteRef) => send({ shipmentRef, quoteRef, idempotencyKey: newIdempotencyKey() })}
          />
        )}
        {!previewResult.loading && outcome?.__typename === "AmbiguousReferenceError" && (
          <AmbiguousChoice key={outcome.correlationId} shipmentRef={shipmentRef} ambiguity={outcome} />
        )}
        {!previewResult.loading && outcome?.__typename === "ReferenceNotFoundError" && <ResultView outcome={outcome} />}
        {allocation.loading && <p className="loading">Allocating…</p>}
        {allocation.error && attempt && <ProblemNotice error={allocation.error} action="Allocating" onRetry={() => send(attempt)} />}
        {allocated?.__typename === "QuoteExpiredError" ? (
          <div className="notice notice-warning" role="alert">
            <h3>The quote has expired</h3>
            <p>It was valid until {dateTime(allocated.expiredAt)}. Nothing was allocated; prices may have changed since.</p>
            {previewResult.variables && (
              <button type="button" onClick={() => run(String(previewResult.variables.virtualServiceRef))}>
                Preview again
              </button>
            )}
          </div>
        ) : allocated?.__typename === "ReferenceNotFoundError" ? (
          <div className="notice notice-warning" role="alert">
            <h3>Not allocated</h3>
            <p>{notFoundWords(allocated)}</p>
          </div>
        ) : (
          allocated && <ResultView outcome={allocated} />
        )}
      </div>
    </section>
  );
}

function PreviewView({ preview, busy, onAllocate }: { preview: Preview; busy: boolean; onAllocate: (quoteRef: string) => void }) {
  const { quote } = preview;
  return (
    <div className="preview">
      {quote ? (
        <div className="notice notice-success" role="status">
          <h3>Quoted: {quote.carrier.serviceName}</h3>
          <p>
            {quote.price.currency} {quote.price.gross}, valid until {dateTime(quote.expiresAt)}.
          </p>
          <button type="button" disabled={busy} onClick={() => onAllocate(quote.reference)}>
            Allocate for {quote.price.currency} {quote.price.gross}
          </button>
        </div>
      ) : (
        <div className="notice notice-warning" role="alert">
          <h3>Cannot be allocated now</h3>
          <DetailList details={preview.details} />
        </div>
      )}
      {preview.candidates.length > 0 && <Options candidates={preview.candidates} />}
    </div>
  );
}

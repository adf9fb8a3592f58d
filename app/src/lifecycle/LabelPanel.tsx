// Issue 11 (waiting for its hooks): the label of the allocation in force, shown in the page, to
// download or print. It comes through the API (Allocation.label), like everything else.
import { useEffect, useMemo, useRef } from "react";
import { useShipmentLabelLazyQuery } from "../../../client/generated/graphql";
import { ignore } from "../allocate/outcome";
import { ProblemNotice } from "../components/ProblemNotice";

function pdfUrl(base64: string, contentType: string): string {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: contentType }));
}

export function LabelPanel({ shipmentRef }: { shipmentRef: string }) {
  const [load, { data, loading, error, refetch }] = useShipmentLabelLazyQuery({ fetchPolicy: "network-only" });
  const label = data?.shipment?.allocation?.label;
  const url = useMemo(() => (label ? pdfUrl(label.content, label.contentType) : null), [label]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  const frame = useRef<HTMLIFrameElement>(null);

  return (
    <section className="card" aria-labelledby="label-heading">
      <h2 id="label-heading">Label</h2>
      {!data && (
        <button type="button" disabled={loading} onClick={() => void load({ variables: { reference: shipmentRef, format: "PDF" } }).catch(ignore)}>
          Show the label
        </button>
      )}
      <div aria-live="polite">
        {loading && <p className="loading">Fetching the label…</p>}
        {error && <ProblemNotice error={error} action="Fetching the label" onRetry={() => void refetch().catch(ignore)} />}
        {data && !label && <p>No label: the shipment has no allocation in force.</p>}
      </div>
      {url && (
        <>
          <iframe ref={frame} className="label-frame" title={`Label of ${shipmentRef} (PDF)`} src={url} />
          <div className="row">
            <a className="button" href={url} download={`label-${shipmentRef}.pdf`}>
              Download
            </a>
            <button type="button" onClick={() => frame.current?.contentWindow?.print()}>
              Print
            </button>
          </div>
        </>
      )}
    </section>
  );
}

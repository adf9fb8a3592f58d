// Issue 11 (waiting for its hooks): allocate a wave: many references pasted or scanned one after
// another, sent 100 at a time (rule 17's limit), one result line per shipment.
import { useId, useState, type FormEvent } from "react";
import { useAllocateShipmentsMutation, type AllocateShipmentsMutation } from "../../../client/generated/graphql";
import { newIdempotencyKey } from "../api/client";
import { problemOf } from "../api/problems";
import { ProblemNotice } from "../components/ProblemNotice";
import { money, notFoundWords } from "../format";

/** docs/allocation-rules.md, rule 17. */
const BATCH = 100;

type Result = AllocateShipmentsMutation["allocateShipments"][number];
type Line = { reference: string } & ({ status: "waiting" } | { status: "done"; result: Result });
interface Batch {
  items: { shipmentRef: string; virtualServiceRef: string }[];
  /** where its lines start */
  offset: number;
  /** kept for a retry: the same key never allocates twice */
  idempotencyKey: string;
}

/** References as a scanner (one per line) or a spreadsheet (commas, tabs) gives them. */
function references(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

export function WaveScreen() {
  const listId = useId();
  const serviceId = useId();
  const [text, setText] = useState("");
  const [virtualServiceRef, setVirtualServiceRef] = useState("");
  const [lines, setLines] = useState<Line[]>([]);
  const [failed, setFailed] = useState<{ batches: Batch[]; error: Error } | null>(null);
  const [allocateShipments, { loading }] = useAllocateShipmentsMutation();

  const sendAll = async (batches: Batch[]) => {
    setFailed(null);
    for (const [index, batch] of batches.entries()) {
      try {
        const { data } = await allocateShipments({ variables: { items: batch.items, idempotencyKey: batch.idempotencyKey } });
        const results = data?.allocateShipments ?? [];
        setLines((current) => current.map((line, i) => (i >= batch.offset && i < batch.offset + batch.items.length ? { ...line, status: "done", result: results[i - batch.offset] ?? null } : line)));
      } catch (error) {
        // this batch and the ones after it were not (known to be) done: offer to send them again
        setFailed({ batches: batches.slice(index), error: error as Error });
        return;
      }
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const refs = references(text);
    const service = virtualServiceRef.trim();
    if (refs.length === 0 || !service) return;
    setLines(refs.map((reference) => ({ reference, status: "waiting" })));
    const batches: Batch[] = [];
    for (let offset = 0; offset < refs.length; offset += BATCH) {
      const items = refs.slice(offset, offset + BATCH).map((shipmentRef) => ({ shipmentRef, virtualServiceRef: service }));
      batches.push({ items, offset, idempotencyKey: newIdempotencyKey() });
    }
    void sendAll(batches);
  };

  const done = lines.filter((line) => line.status === "done");
  const allocated = done.filter((line) => line.result?.__typename === "AllocateResult" && line.result.state === "ALLOCATED").length;

  return (
    <section className="card" aria-labelledby="wave-heading">
      <h2 id="wave-heading">Allocate a wave</h2>
      <form onSubmit={submit} className="wave-form">
        <label htmlFor={listId}>Shipment references</label>
        <p className="hint" id={`${listId}-hint`}>
          Paste them, or scan one parcel after another: one per line.
        </p>
        <textarea id={listId} rows={6} value={text} onChange={(event) => setText(event.target.value)} aria-describedby={`${listId}-hint`} spellCheck={false} autoCapitalize="characters" />
        <label htmlFor={serviceId}>Virtual service reference</label>
        <input id={serviceId} value={virtualServiceRef} onChange={(event) => setVirtualServiceRef(event.target.value)} autoCapitalize="characters" autoComplete="off" required />
        <button type="submit" disabled={loading}>
          Allocate {references(text).length || ""} shipments
        </button>
      </form>
      <div aria-live="polite">
        {loading && <p className="loading">Allocating…</p>}
        {failed && problemOf(failed.error).kind !== "unauthenticated" && (
          <p>{failed.batches.reduce((sum, batch) => sum + batch.items.length, 0)} shipments were not sent, or their answer was lost.</p>
        )}
        {failed && <ProblemNotice error={failed.error} action="Allocating the wave" onRetry={() => void sendAll(failed.batches)} />}
        {lines.length > 0 && (
          <p role="status">
            {done.length} of {lines.length} answered: {allocated} allocated, {done.length - allocated} not.
          </p>
        )}
      </div>
      {lines.length > 0 && (
        <ol className="wave-results">
          {lines.map((line, index) => (
            <li key={`${index}:${line.reference}`}>
              <span className="mono">{line.reference}</span>
              <span>{line.status === "waiting" ? "Waiting…" : resultWords(line.result)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** One shipment's outcome in one line. */
function resultWords(result: Result): string {
  if (result === null) return "Could not be processed: send it again.";
  switch (result.__typename) {
    case "AllocateResult":
      return result.state === "ALLOCATED" && result.carrier && result.price
        ? `Allocated: ${result.carrier.serviceName}, ${money(result.price)}, tracking ${result.trackingDetails?.shipment.trackingReferences.join(", ")}`
        : `Not allocated: ${result.details.map((detail) => detail.message).join("; ")}`;
    case "AmbiguousReferenceError":
      return `Not allocated: ${result.reference} is both a carrier service and a service group; allocate this one on its own.`;
    case "ReferenceNotFoundError":
      return `Not allocated: ${notFoundWords(result)}`;
  }
}

import { useShipmentLazyQuery } from "../../../client/generated/graphql";
import { AllocateSection } from "../allocate/AllocateSection";
import { ignore } from "../allocate/outcome";
import { ProblemNotice } from "../components/ProblemNotice";
import { ScanField } from "../components/ScanField";
import { DeallocateSection } from "../lifecycle/DeallocateSection";
import { HistoryPanel } from "../lifecycle/HistoryPanel";
import { LabelPanel } from "../lifecycle/LabelPanel";
import { PreviewSection } from "../preview/PreviewSection";
import { ShipmentCard } from "./ShipmentCard";

/** Find a shipment by reference (typed or scanned), see its state and allocation, allocate it. */
export function ShipmentScreen() {
  // every scan asks the server: another device may have allocated the parcel since
  const [find, { data, loading, error, called, refetch, variables }] = useShipmentLazyQuery({ fetchPolicy: "network-only" });
  const shipment = data?.shipment;

  return (
    <>
      <section className="card" aria-labelledby="find-heading">
        <h2 id="find-heading">Find a shipment</h2>
        <ScanField
          label="Shipment reference"
          hint="Type it, or scan the barcode on the parcel."
          submitLabel="Find"
          busy={loading}
          autoFocus
          onSubmit={(reference) => void find({ variables: { reference } }).catch(ignore)}
        />
        <div aria-live="polite">
          {loading && <p className="loading">Looking it up…</p>}
          {error && <ProblemNotice error={error} action="Finding the shipment" onRetry={() => void refetch().catch(ignore)} />}
          {called && !loading && !error && data && !shipment && (
            <div className="notice notice-warning" role="alert">
              <h3>Not found</h3>
              <p>No shipment {variables?.reference} in your account. Check the reference, or scan again.</p>
            </div>
          )}
        </div>
      </section>
      {shipment && !error && (
        <>
          <ShipmentCard shipment={shipment} />
          <PreviewSection key={`preview:${shipment.reference}`} shipmentRef={shipment.reference} state={shipment.state} />
          <AllocateSection key={shipment.reference} shipmentRef={shipment.reference} state={shipment.state} />
          {shipment.allocation && <LabelPanel key={shipment.allocation.allocationDate} shipmentRef={shipment.reference} />}
          <DeallocateSection key={`deallocate:${shipment.reference}`} shipmentRef={shipment.reference} state={shipment.state} />
          <HistoryPanel key={`history:${shipment.reference}`} shipmentRef={shipment.reference} />
        </>
      )}
    </>
  );
}

import { useState } from "react";
import {
  useAllocateShipmentWithCarrierServiceMutation,
  useAllocateShipmentWithServiceGroupMutation,
  useCarrierServiceQuery,
  useServiceGroupQuery,
} from "../../../client/generated/graphql";
import { newIdempotencyKey } from "../api/client";
import { ProblemNotice } from "../components/ProblemNotice";
import { ignore, REFRESH_AFTER_ALLOCATION, type AmbiguousOutcome } from "./outcome";
import { ResultView } from "./ResultView";

type Choice = { by: "service" | "group"; reference: string; idempotencyKey: string };

/**
 * The reference names both a carrier service and a service group: show the two, with what each is,
 * and allocate with the one the user picks.
 */
export function AmbiguousChoice({ shipmentRef, ambiguity }: { shipmentRef: string; ambiguity: AmbiguousOutcome }) {
  const { carrierService, serviceGroup } = ambiguity;
  const [choice, setChoice] = useState<Choice | null>(null);
  const [byService, serviceResult] = useAllocateShipmentWithCarrierServiceMutation({ refetchQueries: REFRESH_AFTER_ALLOCATION });
  const [byGroup, groupResult] = useAllocateShipmentWithServiceGroupMutation({ refetchQueries: REFRESH_AFTER_ALLOCATION });

  const send = (next: Choice) => {
    setChoice(next);
    const common = { shipmentRef, idempotencyKey: next.idempotencyKey };
    const sent =
      next.by === "service"
        ? byService({ variables: { ...common, carrierServiceRef: next.reference } })
        : byGroup({ variables: { ...common, serviceGroupRef: next.reference } });
    void sent.catch(ignore);
  };
  const choose = (by: Choice["by"], reference: string) => send({ by, reference, idempotencyKey: newIdempotencyKey() });

  const result = choice?.by === "group" ? groupResult : serviceResult;
  const outcome = choice?.by === "group" ? groupResult.data?.allocateShipmentWithServiceGroup : serviceResult.data?.allocateShipmentWithCarrierService;

  return (
    <div className="notice notice-question" role="group" aria-labelledby="ambiguous-heading">
      <h3 id="ambiguous-heading">Which {ambiguity.reference}?</h3>
      <p>{ambiguity.reference} is the name of both a carrier service and a service group. Choose one.</p>
      {!outcome && (
        <div className="choices">
          {carrierService && (
            <ServiceChoice reference={carrierService.reference} busy={result.loading} onChoose={() => choose("service", carrierService.reference)} />
          )}
          {serviceGroup && (
            <GroupChoice reference={serviceGroup.reference} busy={result.loading} onChoose={() => choose("group", serviceGroup.reference)} />
          )}
        </div>
      )}
      <div aria-live="polite">
        {result.loading && <p className="loading">Allocating…</p>}
        {result.error && choice && <ProblemNotice error={result.error} action="Allocating" onRetry={() => send(choice)} />}
        {outcome && <ResultView outcome={outcome} />}
      </div>
    </div>
  );
}

interface ChoiceProps {
  reference: string;
  busy: boolean;
  onChoose: () => void;
}

function ServiceChoice({ reference, busy, onChoose }: ChoiceProps) {
  const { data } = useCarrierServiceQuery({ variables: { reference } });
  const service = data?.carrierService;
  return (
    <section className="choice" aria-label={`Carrier service ${reference}`}>
      <h4>The carrier service</h4>
      <p className="service-name">{service?.name ?? reference}</p>
      {service && (
        <p className="hint">
          {service.carrier.name}
          {service.active ? "" : " · switched off"}
        </p>
      )}
      <button type="button" onClick={onChoose} disabled={busy}>
        Allocate with this service
      </button>
    </section>
  );
}

function GroupChoice({ reference, busy, onChoose }: ChoiceProps) {
  const { data } = useServiceGroupQuery({ variables: { reference } });
  const group = data?.serviceGroup;
  return (
    <section className="choice" aria-label={`Service group ${reference}`}>
      <h4>The service group</h4>
      <p className="service-name">{group?.name ?? reference}</p>
      {group && <p className="hint">The cheapest of: {group.services.map((s) => s.name).join(", ")}</p>}
      <button type="button" onClick={onChoose} disabled={busy}>
        Allocate with this group
      </button>
    </section>
  );
}

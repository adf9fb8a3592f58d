import type { CarrierServiceRecord, PriceRecord, ShipmentRecord } from "./records";
import { Dec } from "./decimal";
import { checkEligibility } from "./eligibility";
import { priceFor } from "./pricing";
import type { AllocationDecision, DetailRecord, ExcludedServiceRecord, Exclusion } from "./types";

interface PricedService {
  service: CarrierServiceRecord;
  price: PriceRecord;
}
type Assessment = PricedService | ExcludedServiceRecord;

export function decideForCarrierService(shipment: ShipmentRecord, service: CarrierServiceRecord): AllocationDecision {
  const exclusion = checkEligibility(shipment, service);
  if (exclusion === null) {
    // Eligibility includes the rate check, so an eligible service always has a price.
    return { kind: "allocate", service, price: priceFor(shipment, service)!, excluded: [] };
  }
  const details: DetailRecord[] = [
    {
      code: "allocation_failed",
      message: `Shipment ${shipment.reference} could not be allocated to ${service.reference}: ${exclusion.reason}`,
      property: null,
    },
  ];
  // Tells the caller the named service can never carry this kind of shipment, whatever else changes.
  if (exclusion.check === "shipment_type") {
    details.push({
      code: "carrier_service_shipment_mismatch",
      message: `Carrier service ${service.reference} does not carry ${shipment.shipmentType} shipments`,
      property: "shipmentType",
    });
  }
  return { kind: "fail", details, excluded: [{ service, exclusion }] };
}

// Prices in another currency than the contents cannot be ranked against the others without an exchange rate.
function assess(shipment: ShipmentRecord, service: CarrierServiceRecord, contentsCurrency: string | undefined): Assessment {
  const exclusion = checkEligibility(shipment, service);
  if (exclusion !== null) return { service, exclusion };
  if (contentsCurrency !== undefined && service.currency !== contentsCurrency) {
    return {
      service,
      exclusion: {
        code: "ex_rates",
        check: "currency",
        reason: `Price in ${service.currency} is not compared with contents in ${contentsCurrency}`,
      },
    };
  }
  return { service, price: priceFor(shipment, service)! };
}

const isPriced = (a: Assessment): a is PricedService => "price" in a;

function lostTo(loser: PricedService, winner: PricedService): Exclusion {
  const tie = new Dec(loser.price.gross).equals(winner.price.gross);
  return {
    code: "ex_rates",
    check: "cheaper",
    reason: tie ? "An equally priced service listed earlier was selected" : "A cheaper service was selected",
  };
}

export function decideForGroup(shipment: ShipmentRecord, members: CarrierServiceRecord[]): AllocationDecision {
  const assessed = members.map((service) => assess(shipment, service, shipment.contents[0]?.value.currency));
  // Strictly-less keeps the earliest member on a tie: the group order is its priority.
  const winner = assessed
    .filter(isPriced)
    .reduce<PricedService | null>((best, c) => (best === null || new Dec(c.price.gross).lessThan(best.price.gross) ? c : best), null);
  if (winner === null) {
    return {
      kind: "fail",
      details: [
        {
          code: "allocation_failed",
          message: `Shipment ${shipment.reference} could not be allocated: no service in the group is eligible`,
          property: null,
        },
      ],
      excluded: assessed.filter((a): a is ExcludedServiceRecord => !isPriced(a)),
    };
  }
  const excluded = assessed
    .filter((a) => a !== winner)
    .map((a): ExcludedServiceRecord => (isPriced(a) ? { service: a.service, exclusion: lostTo(a, winner) } : a));
  return { kind: "allocate", service: winner.service, price: winner.price, excluded };
}

import type { CarrierServiceRecord, Dimensions, ShipmentRecord } from "./records";
import { Dec } from "./decimal";
import { rateFor } from "./pricing";
import { totalValue, totalWeightKg } from "./totals";
import type { Exclusion } from "./types";

export { totalValue, totalWeightKg };

export function postcodeArea(postcode: string | null | undefined): string | null {
  const match = /^[A-Z]+/.exec((postcode ?? "").trim().toUpperCase());
  return match ? match[0] : null;
}

// toFixed() without places never switches to exponent notation and drops trailing zeros ("15.0" → "15").
const plain = (value: Dec | string): string => new Dec(value).toFixed();
const money = (value: Dec | string): string => new Dec(value).toFixed(2);

const sortedLongestFirst = (d: Dimensions): Dec[] =>
  [d.length, d.width, d.height].map((side) => new Dec(side)).sort((a, b) => b.comparedTo(a));

function checkActive(_: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  return service.active ? null : { code: "ex_inactive", check: "active", reason: "Service is not active" };
}

function checkShipmentType(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  return service.shipmentTypes.includes(shipment.shipmentType)
    ? null
    : { code: "ex_rules", check: "shipment_type", reason: `Service does not carry ${shipment.shipmentType} shipments` };
}

function checkCountry(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  const country = shipment.destination.countryIsoCode;
  return service.destinationCountries.includes(country)
    ? null
    : { code: "ex_availability", check: "country", reason: `Service does not deliver to ${country}` };
}

// Postcode areas are a GB notion; elsewhere the leading letters mean nothing.
function checkPostcode(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  if (shipment.destination.countryIsoCode !== "GB") return null;
  const area = postcodeArea(shipment.destination.postalCode);
  if (area === null || !service.excludedPostcodeAreas.includes(area)) return null;
  return { code: "ex_rules", check: "postcode", reason: `Postcode area ${area} is excluded` };
}

function checkTags(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  const missing = shipment.tags.find((tag) => !service.tags.includes(tag));
  return missing === undefined ? null : { code: "ex_tag", check: "tags", reason: `Service lacks tag ${missing}` };
}

function checkWeight(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  if (service.maxWeightKg === null) return null;
  const total = totalWeightKg(shipment);
  return total.greaterThan(service.maxWeightKg)
    ? { code: "ex_weight", check: "weight", reason: `Weight ${plain(total)} kg exceeds ${plain(service.maxWeightKg)} kg` }
    : null;
}

// Quantity is not considered: identical items are packed side by side, not merged into a bigger one.
function checkDimensions(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  if (service.maxDimensionsCm === null) return null;
  const max = sortedLongestFirst(service.maxDimensionsCm);
  for (const item of shipment.contents) {
    if (!item.dimensionsCm) continue;
    const sides = sortedLongestFirst(item.dimensionsCm);
    const over = sides.findIndex((side, i) => side.greaterThan(max[i]));
    if (over >= 0) {
      return { code: "ex_dims", check: "dimensions", reason: `${plain(sides[over])} cm exceeds ${plain(max[over])} cm` };
    }
  }
  return null;
}

function checkValue(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  const max = service.maxValue;
  if (max === null) return null;
  const foreign = shipment.contents.find((item) => item.value.currency !== max.currency);
  if (foreign) {
    return {
      code: "ex_rules",
      check: "value",
      reason: `Value in ${foreign.value.currency} cannot be compared with the ${money(max.amount)} ${max.currency} maximum`,
    };
  }
  const total = totalValue(shipment);
  return total.greaterThan(max.amount)
    ? { code: "ex_rules", check: "value", reason: `Value ${money(total)} ${max.currency} exceeds ${money(max.amount)} ${max.currency}` }
    : null;
}

function checkRate(shipment: ShipmentRecord, service: CarrierServiceRecord): Exclusion | null {
  const total = totalWeightKg(shipment);
  return rateFor(service, total) === null
    ? { code: "ex_rates", check: "rate", reason: `No configured rate for ${plain(total)} kg` }
    : null;
}

// The order of the eligibility table in docs/allocation-rules.md: the first failure is the exclusion.
const CHECKS = [
  checkActive,
  checkShipmentType,
  checkCountry,
  checkPostcode,
  checkTags,
  checkWeight,
  checkDimensions,
  checkValue,
  checkRate,
];

/** The first check the service fails, or null; `rates: false` skips the rate check (a quote fixed the price). */
export function checkEligibility(shipment: ShipmentRecord, service: CarrierServiceRecord, { rates = true } = {}): Exclusion | null {
  for (const check of rates ? CHECKS : CHECKS.filter((c) => c !== checkRate)) {
    const exclusion = check(shipment, service);
    if (exclusion) return exclusion;
  }
  return null;
}

import type { CarrierServiceRecord, PriceRecord, RateBand, ShipmentRecord } from "./records";
import { Dec } from "./decimal";
import { totalWeightKg } from "./totals";

// Bands are stored ascending, so the first that covers the weight is the tightest.
export function rateFor(service: CarrierServiceRecord, totalWeight: Dec): RateBand | null {
  return service.rates.find((band) => totalWeight.lessThanOrEqualTo(band.maxWeightKg)) ?? null;
}

export function priceFor(shipment: ShipmentRecord, service: CarrierServiceRecord): PriceRecord | null {
  const band = rateFor(service, totalWeightKg(shipment));
  if (band === null) return null;
  const net = new Dec(band.net);
  const taxAmount = net.times(service.tax.value).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  const { countryIsoCode, type, value } = service.tax;
  return {
    net: net.toFixed(2),
    gross: net.plus(taxAmount).toFixed(2),
    taxes: [{ rate: { reference: service.reference, countryIsoCode, type, value }, amount: taxAmount.toFixed(2) }],
    currency: service.currency,
  };
}

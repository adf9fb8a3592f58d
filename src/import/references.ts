import Decimal from "decimal.js";
import type { Store } from "../store";
import { storedAccountRefs, storedCarrierRefs, storedServiceRefs } from "../store/dataset-lookups";
import { apiKeyMoves, refusedMove } from "./api-keys";
import type { Dataset } from "./dataset";
import type { Problem } from "./problem";

export interface ImportOptions {
  /** An API key that another account holds moves to the account that lists it (else the file is refused). */
  moveApiKeys?: boolean;
}

type Keyed = { account: string; reference: string };

/**
 * Finds what the schema cannot: references that resolve neither in the file nor in the store,
 * duplicates inside the file, rate bands out of order and API keys of other accounts. Reads the
 * store with four queries; holds nothing per shipment but its key, and builds a path only for a problem.
 */
export async function checkReferences(dataset: Dataset, store: Pick<Store, "db">, { moveApiKeys = false }: ImportOptions = {}): Promise<Problem[]> {
  const apiKeys = dataset.accounts.flatMap((r, i) => r.apiKeys.map((key, j) => ({ key, path: `$.accounts[${i}].apiKeys[${j}]` })));
  const problems: Problem[] = [
    ...duplicates(dataset.accounts, (r) => r.reference, (i) => `$.accounts[${i}].reference`),
    ...duplicates(apiKeys, (k) => k.key, (i) => apiKeys[i].path),
    ...duplicates(dataset.carriers, (r) => r.reference, (i) => `$.carriers[${i}].reference`),
    ...duplicates(dataset.carrierServices, perAccount, (i) => `$.carrierServices[${i}].reference`),
    ...duplicates(dataset.serviceGroups, perAccount, (i) => `$.serviceGroups[${i}].reference`),
    ...duplicates(dataset.shipments, perAccount, (i) => `$.shipments[${i}].reference`),
    ...unsafeTrackingNumbers(dataset),
    ...ratesOutOfOrder(dataset),
  ];
  const lists = { carrierServices: dataset.carrierServices, serviceGroups: dataset.serviceGroups, shipments: dataset.shipments };
  const referenced = new Set<string>();
  for (const list of Object.values(lists)) for (const r of list) referenced.add(r.account);
  const accounts = await known(
    dataset.accounts.map((a) => a.reference),
    [...referenced],
    (missing) => storedAccountRefs(store.db, missing),
  );
  for (const [name, list] of Object.entries(lists)) {
    list.forEach((r, i) => {
      if (!accounts.has(r.account)) problems.push({ path: `$.${name}[${i}].account`, message: `unknown account "${r.account}"` });
    });
  }
  const carriers = await known(
    dataset.carriers.map((c) => c.reference),
    dataset.carrierServices.map((s) => s.carrier),
    (missing) => storedCarrierRefs(store.db, missing),
  );
  dataset.carrierServices.forEach((s, i) => {
    if (!carriers.has(s.carrier)) {
      problems.push({ path: `$.carrierServices[${i}].carrier`, message: `unknown carrier "${s.carrier}"` });
    }
  });
  problems.push(...(await unknownGroupMembers(dataset, store)));
  if (!moveApiKeys) problems.push(...(await apiKeyMoves(store.db, dataset.accounts)).map(refusedMove));
  return problems;
}

function perAccount(record: Keyed): string {
  return JSON.stringify([record.account, record.reference]);
}

/** An item whose key an earlier item has duplicates it. */
function duplicates<T>(items: T[], keyOf: (item: T) => string, pathOf: (index: number) => string): Problem[] {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else problems.push({ path: pathOf(i), message: `duplicates ${pathOf(earlier)}` });
  });
  return problems;
}

function unsafeTrackingNumbers(dataset: Dataset): Problem[] {
  // a JSON number above 2^53 has already lost digits when it reaches us
  return dataset.carriers.flatMap((c, i) =>
    c.trackingNumber && !Number.isSafeInteger(c.trackingNumber.next)
      ? [{ path: `$.carriers[${i}].trackingNumber.next`, message: `must be at most ${Number.MAX_SAFE_INTEGER}` }]
      : [],
  );
}

function ratesOutOfOrder(dataset: Dataset): Problem[] {
  return dataset.carrierServices.flatMap((s, i) => {
    // the first band that fits applies, so a band not above its predecessor would never be used
    const j = s.rates.findIndex((band, k) => k > 0 && new Decimal(band.maxWeightKg).lte(s.rates[k - 1].maxWeightKg));
    if (j < 0) return [];
    return [{ path: `$.carrierServices[${i}].rates`, message: `must be ascending by maxWeightKg (band ${j} is not above band ${j - 1})` }];
  });
}

/** References found in the file, plus those of `wanted` that the store has. */
async function known(
  inFile: string[],
  wanted: string[],
  stored: (missing: string[]) => Promise<string[]>,
): Promise<Set<string>> {
  const found = new Set(inFile);
  const missing = [...new Set(wanted.filter((r) => !found.has(r)))];
  if (missing.length > 0) for (const reference of await stored(missing)) found.add(reference);
  return found;
}

async function unknownGroupMembers(dataset: Dataset, store: Pick<Store, "db">): Promise<Problem[]> {
  const services = new Set(dataset.carrierServices.map(perAccount));
  const missing = dataset.serviceGroups.flatMap((g, i) =>
    g.services
      .map((reference, j) => ({ account: g.account, reference, path: `$.serviceGroups[${i}].services[${j}]` }))
      .filter((m) => !services.has(perAccount(m))),
  );
  if (missing.length === 0) return [];
  const stored = await storedServiceRefs(store.db, [...new Set(missing.map((m) => m.account))], [...new Set(missing.map((m) => m.reference))]);
  for (const row of stored) services.add(perAccount(row));
  return missing
    .filter((m) => !services.has(perAccount(m)))
    .map((m) => ({ path: m.path, message: `no carrier service "${m.reference}" in account "${m.account}"` }));
}

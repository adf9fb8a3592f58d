import Ajv2020, { type ErrorObject } from "ajv/dist/2020";
import Decimal from "decimal.js";
import schema from "../../data/dataset.schema.json";
import type { Store } from "../store";
import type { Dataset } from "./dataset";

export interface Problem {
  /** JSON path of the offending value, e.g. $.carrierServices[3].maxWeightKg */
  path: string;
  message: string;
}

// the schema leaves every top-level list optional
type RawDataset = Partial<Dataset> & Pick<Dataset, "version">;

const validateSchema = new Ajv2020({ useDefaults: true, allErrors: true }).compile<RawDataset>(schema);

// what a failed pattern means, by the $defs entry that holds it
const PATTERN_MESSAGES: Record<string, string> = {
  decimal: 'must be a decimal string such as "12.50"',
  reference: "must be 1-50 letters, digits, '_', '.' or '-'",
  shipmentReference: 'must be "sp_" followed by 32 digits',
  country: "must be an ISO 3166 alpha-2 country code such as GB",
  currency: "must be an ISO 4217 currency code such as GBP",
};

/** Checks input against data/dataset.schema.json; on success returns it with the defaults applied. */
export function validateDataset(input: unknown): { ok: true; dataset: Dataset } | { ok: false; problems: Problem[] } {
  // ajv writes defaults into what it validates: leave the caller's value alone
  const data = structuredClone(input);
  if (!validateSchema(data)) {
    const problems = (validateSchema.errors ?? []).map(toProblem);
    return { ok: false, problems: problems.filter((p, i) => problems.findIndex((q) => same(p, q)) === i) };
  }
  const { accounts = [], carriers = [], carrierServices = [], serviceGroups = [], shipments = [] } = data;
  return { ok: true, dataset: { version: 1, accounts, carriers, carrierServices, serviceGroups, shipments } };
}

function toProblem(error: ErrorObject): Problem {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (error.keyword === "required") segments.push(String(error.params.missingProperty));
  if (error.keyword === "additionalProperties") segments.push(String(error.params.additionalProperty));
  return { path: jsonPath(segments), message: messageOf(error) };
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === "required") return "is required";
  if (error.keyword === "additionalProperties") return "is not allowed here";
  if (error.keyword === "enum") return `must be one of ${(error.params.allowedValues as unknown[]).map(String).join(", ")}`;
  if (error.keyword === "const") return `must be ${JSON.stringify(error.params.allowedValue)}`;
  const def = /^#\/\$defs\/(\w+)\/pattern$/.exec(error.schemaPath)?.[1];
  return (def && PATTERN_MESSAGES[def]) || (error.message ?? "is invalid");
}

function jsonPath(segments: string[]): string {
  return segments.reduce((path, s) => {
    if (/^\d+$/.test(s)) return `${path}[${s}]`;
    return /^[A-Za-z_$][\w$]*$/.test(s) ? `${path}.${s}` : `${path}[${JSON.stringify(s)}]`;
  }, "$");
}

function same(a: Problem, b: Problem): boolean {
  return a.path === b.path && a.message === b.message;
}

/**
 * Finds what the schema cannot: references that resolve neither in the file nor in the store,
 * duplicates inside the file and rate bands out of order. Reads the store with three queries.
 */
export async function checkReferences(dataset: Dataset, store: Store): Promise<Problem[]> {
  const problems: Problem[] = [
    ...duplicates(dataset.accounts.map((r, i) => ({ key: r.reference, path: `$.accounts[${i}].reference` }))),
    ...duplicates(
      dataset.accounts.flatMap((r, i) => r.apiKeys.map((key, j) => ({ key, path: `$.accounts[${i}].apiKeys[${j}]` }))),
    ),
    ...duplicates(dataset.carriers.map((r, i) => ({ key: r.reference, path: `$.carriers[${i}].reference` }))),
    ...duplicates(perAccountKeys(dataset.carrierServices, "carrierServices")),
    ...duplicates(perAccountKeys(dataset.serviceGroups, "serviceGroups")),
    ...duplicates(perAccountKeys(dataset.shipments, "shipments")),
    ...unsafeTrackingNumbers(dataset),
    ...ratesOutOfOrder(dataset),
  ];
  const records = [
    ...dataset.carrierServices.map((r, i) => ({ account: r.account, path: `$.carrierServices[${i}].account` })),
    ...dataset.serviceGroups.map((r, i) => ({ account: r.account, path: `$.serviceGroups[${i}].account` })),
    ...dataset.shipments.map((r, i) => ({ account: r.account, path: `$.shipments[${i}].account` })),
  ];
  const accounts = await known(
    dataset.accounts.map((a) => a.reference),
    records.map((r) => r.account),
    (missing) => store.db.selectFrom("accounts").select("reference").where("reference", "=", (eb) => eb.fn.any(eb.val(missing))),
  );
  for (const r of records) {
    if (!accounts.has(r.account)) problems.push({ path: r.path, message: `unknown account "${r.account}"` });
  }
  const carriers = await known(
    dataset.carriers.map((c) => c.reference),
    dataset.carrierServices.map((s) => s.carrier),
    (missing) => store.db.selectFrom("carriers").select("reference").where("reference", "=", (eb) => eb.fn.any(eb.val(missing))),
  );
  dataset.carrierServices.forEach((s, i) => {
    if (!carriers.has(s.carrier)) {
      problems.push({ path: `$.carrierServices[${i}].carrier`, message: `unknown carrier "${s.carrier}"` });
    }
  });
  problems.push(...(await unknownGroupMembers(dataset, store)));
  return problems;
}

function perAccount(record: { account: string; reference: string }): string {
  return JSON.stringify([record.account, record.reference]);
}

function perAccountKeys(records: { account: string; reference: string }[], list: string) {
  return records.map((r, i) => ({ key: perAccount(r), path: `$.${list}[${i}].reference` }));
}

function duplicates(entries: { key: string; path: string }[]): Problem[] {
  const first = new Map<string, string>();
  return entries.flatMap(({ key, path }) => {
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, path);
    return earlier === undefined ? [] : [{ path, message: `duplicates ${earlier}` }];
  });
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
  query: (missing: string[]) => { execute(): Promise<{ reference: string }[]> },
): Promise<Set<string>> {
  const found = new Set(inFile);
  const missing = [...new Set(wanted.filter((r) => !found.has(r)))];
  if (missing.length > 0) for (const row of await query(missing).execute()) found.add(row.reference);
  return found;
}

async function unknownGroupMembers(dataset: Dataset, store: Store): Promise<Problem[]> {
  const services = new Set(dataset.carrierServices.map(perAccount));
  const missing = dataset.serviceGroups.flatMap((g, i) =>
    g.services
      .map((reference, j) => ({ account: g.account, reference, path: `$.serviceGroups[${i}].services[${j}]` }))
      .filter((m) => !services.has(perAccount(m))),
  );
  if (missing.length === 0) return [];
  const stored = await store.db
    .selectFrom("carrier_services as s")
    .innerJoin("accounts as a", "a.id", "s.account_id")
    .select(["a.reference as account", "s.reference"])
    .where("a.reference", "=", (eb) => eb.fn.any(eb.val([...new Set(missing.map((m) => m.account))])))
    .where("s.reference", "=", (eb) => eb.fn.any(eb.val([...new Set(missing.map((m) => m.reference))])))
    .execute();
  for (const row of stored) services.add(perAccount(row));
  return missing
    .filter((m) => !services.has(perAccount(m)))
    .map((m) => ({ path: m.path, message: `no carrier service "${m.reference}" in account "${m.account}"` }));
}
